/**
 * axe-core checks every step of the card (question, follow-up, thank-you) in light and dark, and in a
 * right-to-left language. The engine runs inside the page on the card's host element, so it walks the
 * open shadow root with the card's real computed colours, fonts and ARIA.
 */
import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { axeCheck } from '../harness/axe.ts'
import { CARD, followUpField, scoreOption, sendButton, thanks, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

/** No violation, and axe really looked inside the shadow root (a check of nothing would pass too). */
async function expectAccessible(page: Page, step: string) {
  const { violations, checkedNodes } = await axeCheck(page, CARD)
  expect(violations, step).toEqual([])
  expect(checkedNodes, `nodes axe checked at the ${step}`).toBeGreaterThan(3)
}

const variants: {
  name: string
  context: BrowserContextOptions
  attributes?: Record<string, string>
  dir: string
}[] = [
  { name: 'light', context: { colorScheme: 'light' }, dir: 'ltr' },
  { name: 'dark', context: { colorScheme: 'dark' }, dir: 'ltr' },
  {
    name: 'dark, set by the site',
    context: { colorScheme: 'light' },
    attributes: { 'data-theme': 'dark' },
    dir: 'ltr',
  },
  { name: 'Arabic (right to left)', context: { colorScheme: 'light', locale: 'ar' }, dir: 'rtl' },
]

describe.skipIf(!requireChromium())('accessibility of every step of the card', () => {
  const world = useWorld()

  for (const variant of variants) {
    it(`finds no axe violation on the question, the follow-up and the thank-you in ${variant.name}`, async () => {
      const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
      const path = `/a11y-${variant.name.replace(/\W+/g, '-')}`
      world.host.page(path, {
        html: embedPage({
          collectorUrl: world.collector.url,
          surveyId: survey.id,
          attributes: variant.attributes,
        }),
      })
      const page = await world.newPage(variant.context)
      await page.goto(`${world.host.origin}${path}`)
      await waitForCard(page)
      expect(await page.locator(`${CARD} [dir]`).first().getAttribute('dir')).toBe(variant.dir)
      if (variant.name.startsWith('dark')) {
        // Prove the dark theme is really on, so axe checks dark colours and not light ones twice.
        const background = await page
          .locator(`${CARD} .card`)
          .evaluate((el) => getComputedStyle(el).backgroundColor)
        expect(background).not.toBe('rgb(255, 255, 255)')
      }

      await expectAccessible(page, 'question')
      await scoreOption(page, 4).click()
      await followUpField(page).waitFor()
      await expectAccessible(page, 'follow-up')
      await followUpField(page).fill(variant.dir === 'rtl' ? 'التطبيق بطيء' : 'It is slow.')
      await sendButton(page).click()
      await thanks(page).waitFor()
      await expectAccessible(page, 'thank-you')
    })
  }
})
