/**
 * Contact consent end to end, in real Chromium against the real collector: a survey that asks shows a
 * checkbox on the follow-up step; a visitor the site has not identified ticks it, gives an address with
 * the keyboard and sends, and the product team's listing shows the address with the answer. A visitor the
 * site identified is asked for no address. axe finds nothing wrong with the step (light, dark, right to
 * left), and screenshots of it are written to tests/screenshots/ (card-contact-*.png) to look at.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey, readResponses } from '../harness/api.ts'
import { axeCheck } from '../harness/axe.ts'
import {
  CARD,
  card,
  focusedInCard,
  followUpField,
  recordRequests,
  scoreOption,
  sendButton,
  thanks,
  waitForCard,
} from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

const shots = join(repoRoot, 'tests/screenshots')

const checkbox = (page: Page) => page.locator(`${CARD} input[type="checkbox"]`)
const emailField = (page: Page) => page.locator(`${CARD} input[type="email"]`)

describe.skipIf(!requireChromium())('asking for consent to be contacted', () => {
  const world = useWorld()

  async function open(options: { context?: BrowserContextOptions; commands?: string; ask?: boolean } = {}) {
    const survey = await createSurvey(world.collector, {
      allowedOrigins: [world.host.origin],
      contact: { ask: options.ask ?? true },
    })
    const path = `/contact-${survey.id}`
    world.host.page(path, {
      html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id, commands: options.commands }),
    })
    const page = await world.newPage(options.context)
    const sent = recordRequests(page, world.collector.url)
    await page.goto(`${world.host.origin}${path}`)
    await waitForCard(page)
    return { survey, page, sent }
  }

  it('takes a visitor’s tick and address from the keyboard, sends them with the follow-up, and the listing shows them', async () => {
    const { survey, page, sent } = await open()
    await scoreOption(page, 3).click()
    await followUpField(page).waitFor()
    await followUpField(page).fill('The export broke my spreadsheet.')
    // Tab order: comment, then the checkbox; Space ticks it, and the address field appears next in order.
    await page.keyboard.press('Tab')
    expect(await focusedInCard(page)).toBe('input')
    await page.keyboard.press('Space')
    await expect.poll(() => checkbox(page).isChecked()).toBe(true)
    await page.keyboard.press('Tab')
    expect(await focusedInCard(page)).toBe('input.mail')
    await page.keyboard.type('Ana.Lima@Example.COM')
    await page.keyboard.press('Enter')
    await thanks(page).waitFor()

    const posts = sent.filter((r) => r.path.endsWith('/responses'))
    await expect.poll(() => posts.map((r) => r.status)).toEqual([201, 200])
    expect(posts[0]?.body).not.toHaveProperty('contact')
    expect(posts[1]?.body).toMatchObject({
      score: 3,
      comment: 'The export broke my spreadsheet.',
      contact: { email: 'Ana.Lima@Example.COM' },
    })
    const [stored] = await readResponses(world.collector, survey.id)
    expect(stored).toMatchObject({
      score: 3,
      comment: 'The export broke my spreadsheet.',
      contact: { email: 'Ana.Lima@example.com' },
    })
  })

  it('does not let Send leave with an address that is not one', async () => {
    const { page, sent } = await open()
    await scoreOption(page, 8).click()
    await checkbox(page).check()
    await emailField(page).fill('ana at example')
    await sendButton(page).click()
    // Chromium's own validation keeps the step open, with the field reporting why.
    expect(await emailField(page).evaluate((el: HTMLInputElement) => el.validity.typeMismatch)).toBe(true)
    expect(await followUpField(page).isVisible()).toBe(true)
    expect(sent.filter((r) => r.path.endsWith('/responses'))).toHaveLength(1)
  })

  it('asks a visitor the site identified for no address, and stores the consent with their respondentId', async () => {
    const { survey, page } = await open({ commands: "npskit('identify', 'user-42', { plan: 'pro' })" })
    await scoreOption(page, 9).click()
    await checkbox(page).check()
    expect(await emailField(page).count()).toBe(0)
    await sendButton(page).click()
    await thanks(page).waitFor()
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.contact ?? 'none')
      .toEqual({ email: null })
    expect((await readResponses(world.collector, survey.id))[0]?.respondentId).toBe('user-42')
  })

  it('shows no checkbox when the survey does not ask', async () => {
    const { page } = await open({ ask: false })
    await scoreOption(page, 5).click()
    await followUpField(page).waitFor()
    expect(await checkbox(page).count()).toBe(0)
  })

  const variants: { name: string; context: BrowserContextOptions; text: string }[] = [
    {
      name: 'light',
      context: { colorScheme: 'light', viewport: { width: 1280, height: 800 } },
      text: 'Slow sync.',
    },
    {
      name: 'dark',
      context: { colorScheme: 'dark', viewport: { width: 1280, height: 800 } },
      text: 'Slow sync.',
    },
    {
      name: 'mobile',
      context: {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
      text: 'Slow sync.',
    },
    {
      name: 'rtl',
      context: { colorScheme: 'light', locale: 'ar', viewport: { width: 1280, height: 800 } },
      text: 'التطبيق بطيء',
    },
  ]
  for (const variant of variants) {
    it(`finds no axe violation on the follow-up step with the checkbox and address (${variant.name}), and photographs it`, async () => {
      mkdirSync(shots, { recursive: true })
      const { page } = await open({ context: variant.context })
      await scoreOption(page, 4).click()
      await followUpField(page).fill(variant.text)
      // The step, grown by the checkbox and the field, still fits the viewport.
      const fits = async () => {
        const box = (await card(page).boundingBox())!
        const viewport = page.viewportSize()!
        return (
          box.y >= 0 &&
          box.x >= 0 &&
          box.x + box.width <= viewport.width &&
          box.y + box.height <= viewport.height
        )
      }
      const before = await axeCheck(page, CARD)
      expect(before.violations, 'unticked').toEqual([])
      await card(page).screenshot({ path: join(shots, `card-contact-${variant.name}-unticked.png`) })
      await checkbox(page).check()
      await emailField(page).fill('ana@example.com')
      await page.waitForTimeout(300)
      expect(await fits()).toBe(true)
      const after = await axeCheck(page, CARD)
      expect(after.violations, 'ticked, with the address').toEqual([])
      expect(after.checkedNodes).toBeGreaterThan(3)
      // The checkbox and the field are named for a screen reader in the visitor's language.
      const names = await page.evaluate((tag) => {
        const root = document.querySelector(tag)?.shadowRoot
        const box = root?.querySelector('input[type="checkbox"]') as HTMLInputElement | null
        return [
          box?.labels?.[0]?.textContent,
          root?.querySelector('input[type="email"]')?.getAttribute('aria-label'),
        ]
      }, CARD)
      expect(names.every((n) => typeof n === 'string' && n.length > 3)).toBe(true)
      await card(page).screenshot({ path: join(shots, `card-contact-${variant.name}.png`) })
    })
  }
})
