/**
 * Pictures of the card for a person to look at: desktop, a phone, dark, and right to left, each at the
 * question and at the follow-up. Written to tests/screenshots/ (git-ignored). The assertions here are
 * the ones a picture alone would not prove: the card fits the viewport, without a horizontal scroll.
 */
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContextOptions } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { card, followUpField, scoreOption, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

const outDir = join(repoRoot, 'tests/screenshots')

const shots: { name: string; context: BrowserContextOptions }[] = [
  { name: 'desktop', context: { viewport: { width: 1280, height: 800 } } },
  {
    name: 'mobile',
    context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  },
  { name: 'dark', context: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' } },
  { name: 'rtl', context: { viewport: { width: 1280, height: 800 }, locale: 'ar' } },
]

describe.skipIf(!requireChromium())('screenshots of the card', () => {
  const world = useWorld()

  for (const shot of shots) {
    it(`writes ${shot.name} screenshots of the question and the follow-up, with the card inside the viewport`, async () => {
      mkdirSync(outDir, { recursive: true })
      const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
      world.host.page(`/shot-${shot.name}`, {
        html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }),
      })
      const page = await world.newPage(shot.context)
      await page.goto(`${world.host.origin}/shot-${shot.name}`)
      await waitForCard(page)
      // Let the entrance transition finish, so the picture shows the card at rest.
      await page.waitForTimeout(600)

      const viewport = page.viewportSize()!
      const box = (await card(page).boundingBox())!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.y).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height)
      const noHorizontalScroll = await page.evaluate(
        () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      )
      expect(noHorizontalScroll).toBe(true)

      const files = [join(outDir, `card-${shot.name}.png`), join(outDir, `card-${shot.name}-page.png`)]
      await card(page).screenshot({ path: files[0] })
      await page.screenshot({ path: files[1] })
      await scoreOption(page, 6).click()
      await followUpField(page).waitFor()
      await page.waitForTimeout(300)
      files.push(join(outDir, `card-${shot.name}-follow-up.png`))
      await card(page).screenshot({ path: files[2] })
      for (const file of files) expect(statSync(file).size).toBeGreaterThan(1000)
    })
  }
})
