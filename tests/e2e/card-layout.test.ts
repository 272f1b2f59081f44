/**
 * The card as a thumb and an eye meet it, measured in the page: score targets of at least 32×44 px on a
 * 360 px phone (two rows there, one on a desktop), clear hover, pressed and focus states with one focus
 * ring, no height jump between the steps (the card animates its height, or with reduced motion simply
 * changes it), the score changed on the follow-up merging into the same answer, the thank-you's review
 * link, the survey's corners and font, and every shipped locale laid out at 360 px without overflow.
 * Pictures for a person go to tests/screenshots/ (git-ignored), the measured heights beside them.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { directionOf, translations } from '@npskit/shared'
import type { BrowserContextOptions, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps, readResponses } from '../harness/api.ts'
import { axeCheck } from '../harness/axe.ts'
import {
  CARD,
  card,
  followUpField,
  recordRequests,
  scoreOption,
  scoreRadio,
  sendButton,
  thanks,
  waitForCard,
} from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

const outDir = join(repoRoot, 'tests/screenshots')

const phone = (width: number): BrowserContextOptions => ({
  viewport: { width, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
})
const layouts: { name: string; context: BrowserContextOptions; rows: number }[] = [
  { name: 'phone-360', context: phone(360), rows: 2 },
  { name: 'phone-390', context: phone(390), rows: 2 },
  { name: 'desktop', context: { viewport: { width: 1280, height: 800 } }, rows: 1 },
]

/** The boxes of the eleven score targets, as the visitor sees them. */
async function targets(page: Page) {
  const boxes = []
  for (let n = 0; n <= 10; n++) boxes.push((await scoreOption(page, n).boundingBox())!)
  return boxes
}

/** The card's border box height now. */
function height(page: Page): Promise<number> {
  return page.locator(`${CARD} .card`).evaluate((el) => el.getBoundingClientRect().height)
}

/**
 * Does `act`, recording the card's height at every animation frame for `ms`: a jump shows as a single
 * step between two heights, an animation as heights in between.
 */
async function heightsDuring(page: Page, act: () => Promise<void>, ms = 700): Promise<number[]> {
  await page.evaluate((tag) => {
    const w = window as unknown as { __heights: number[]; __stop: boolean }
    w.__heights = []
    w.__stop = false
    const el = document.querySelector(tag)?.shadowRoot?.querySelector('.card')
    const tick = () => {
      const now = document.querySelector(tag)?.shadowRoot?.querySelector('.card') ?? el
      if (now) w.__heights.push(Math.round(now.getBoundingClientRect().height * 10) / 10)
      if (!w.__stop) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  }, CARD)
  await act()
  await page.waitForTimeout(ms)
  return page.evaluate(() => {
    const w = window as unknown as { __heights: number[]; __stop: boolean }
    w.__stop = true
    return w.__heights
  })
}

/**
 * Resolves once nothing in the card animates: waiting for the animations themselves rather than a fixed
 * pause, which had to be twice their length to be safe on a loaded machine.
 */
function atRest(page: Page): Promise<void> {
  return page.locator(`${CARD} .card`).evaluate(async (el) => {
    for (;;) {
      const running = el.getAnimations({ subtree: true }).filter((a) => a.playState === 'running')
      if (running.length === 0) return
      await Promise.all(running.map((a) => a.finished.catch(() => {})))
      // One frame more, so a step that starts an animation as another ends is seen too.
      await new Promise(requestAnimationFrame)
    }
  })
}

/** The distinct heights the card went through, in order, and the largest step between two frames. */
function transition(samples: number[]) {
  const path = samples.filter((h, i) => i === 0 || h !== samples[i - 1])
  const steps = path.slice(1).map((h, i) => Math.abs(h - (path[i] as number)))
  return {
    from: path[0] ?? 0,
    to: path.at(-1) ?? 0,
    between: path.length - 2,
    largest: Math.max(0, ...steps),
  }
}

describe.skipIf(!requireChromium())('the card’s layout, measured in the page', () => {
  const world = useWorld()
  const measured: Record<string, unknown> = {}

  async function open(path: string, context: BrowserContextOptions, settings = {}, attributes = {}) {
    const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin], ...settings })
    world.host.page(path, {
      html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id, attributes }),
    })
    const page = await world.newPage(context)
    const sent = recordRequests(page, world.collector.url)
    await page.goto(`${world.host.origin}${path}`)
    await waitForCard(page)
    // Measurements and pictures show the card at rest: its entrance animation (0.24 s) has finished.
    await atRest(page)
    return { survey, page, sent }
  }

  for (const layout of layouts) {
    it(`gives ${layout.name} score targets of at least 32×44 px in ${layout.rows} row(s), and no height jump between the steps`, async () => {
      mkdirSync(outDir, { recursive: true })
      const { page } = await open(`/layout-${layout.name}`, layout.context, {
        thanks: { action: 'review', url: 'https://reviews.example/acme', site: 'Trustpilot' },
      })
      const boxes = await targets(page)
      for (const [n, box] of boxes.entries()) {
        expect(box.width, `score ${n} width`).toBeGreaterThanOrEqual(32)
        expect(box.height, `score ${n} height`).toBeGreaterThanOrEqual(44)
      }
      const rows = new Set(boxes.map((b) => Math.round(b.y)))
      expect(rows.size).toBe(layout.rows)
      // No two targets overlap, and the scale fits inside the viewport.
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const apart =
            a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
          expect(apart).toBe(true)
        }
        expect(a.x + a.width).toBeLessThanOrEqual(page.viewportSize()!.width)
      }
      if (layout.rows === 2) {
        // 0–5 above, 6–10 below, read in order.
        expect(boxes[5]!.y).toBe(boxes[0]!.y)
        expect(boxes[6]!.y).toBeGreaterThan(boxes[5]!.y)
      }
      const sizes = `${Math.round(boxes[0]!.width * 10) / 10}×${Math.round(boxes[0]!.height)}`
      await card(page).screenshot({ path: join(outDir, `card-v2-${layout.name}-score.png`) })

      const score = await height(page)
      const toFollowUp = transition(await heightsDuring(page, () => scoreOption(page, 10).click()))
      await followUpField(page).waitFor()
      const followUp = await height(page)
      await card(page).screenshot({ path: join(outDir, `card-v2-${layout.name}-follow-up.png`) })
      await followUpField(page).fill('The search finds every note.')
      const toThanks = transition(await heightsDuring(page, () => sendButton(page).click()))
      await thanks(page).waitFor()
      const thanksHeight = await height(page)
      await card(page).screenshot({ path: join(outDir, `card-v2-${layout.name}-thanks.png`) })

      for (const [name, t] of Object.entries({ toFollowUp, toThanks })) {
        // The height moved through frames in between, never by more than half the way in one frame.
        expect(t.between, `${name}: heights between ${t.from} and ${t.to}`).toBeGreaterThanOrEqual(3)
        expect(t.largest, name).toBeLessThanOrEqual(Math.abs(t.to - t.from) / 2)
      }
      expect(Math.round(toFollowUp.to)).toBe(Math.round(followUp))
      measured[layout.name] = {
        target: sizes,
        heights: { score, followUp, thanks: thanksHeight },
        framesBetween: { toFollowUp: toFollowUp.between, toThanks: toThanks.between },
        largestFrameStep: { toFollowUp: toFollowUp.largest, toThanks: toThanks.largest },
      }
      writeFileSync(join(outDir, 'card-v2-measured.json'), `${JSON.stringify(measured, null, 2)}\n`)
      console.log(`card ${layout.name}: ${JSON.stringify(measured[layout.name])}`)
    })
  }

  it('changes height at once, without animating, for a visitor who asks for reduced motion', async () => {
    const { page } = await open('/reduced', { ...phone(390), reducedMotion: 'reduce' })
    const t = transition(await heightsDuring(page, () => scoreOption(page, 4).click()))
    expect(t.to).toBeGreaterThan(t.from)
    expect(t.between).toBe(0)
  })

  it('shows hover and pressed states on a score, and one focus ring on every control', async () => {
    const { page } = await open('/states', { viewport: { width: 1280, height: 800 } })
    const chip = (n: number) => page.locator(`${CARD} label:has(> input[value="${n}"]) span`)
    const look = (n: number) =>
      chip(n).evaluate((el) => {
        const s = getComputedStyle(el)
        return { background: s.backgroundColor, border: s.borderColor, transform: s.transform }
      })
    const rest = await look(5)
    await scoreOption(page, 5).hover()
    await page.waitForTimeout(200)
    const hover = await look(5)
    expect(hover.background).not.toBe(rest.background)
    expect(hover.border).not.toBe(rest.border)
    await page.mouse.down()
    await page.waitForTimeout(150)
    expect((await look(5)).transform).not.toBe('none')
    await page.mouse.move(0, 0)
    await page.mouse.up()

    const ring = () =>
      page.evaluate((tag) => {
        const root = document.querySelector(tag)?.shadowRoot
        let el = root?.activeElement as HTMLElement | null | undefined
        if (el instanceof HTMLInputElement && el.type === 'radio') el = el.nextElementSibling as HTMLElement
        if (!el) return null
        const s = getComputedStyle(el)
        return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow }
      }, CARD)
    // Keyboard focus on a score, then the comment field, then Send.
    await scoreRadio(page, 0).focus()
    await page.keyboard.press('ArrowRight')
    const onScore = await ring()
    await page.keyboard.press('Enter')
    await followUpField(page).waitFor()
    const onField = await ring()
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    const onButton = await ring()
    expect(onScore?.outline).toMatch(/^solid 2px rgb/)
    expect(onField).toEqual(onScore)
    expect(onButton).toEqual(onScore)
    expect(onField?.shadow).toBe('none')
  })

  it('changes the score on the follow-up into the same answer: one stored, with the new score and the comment', async () => {
    const { survey, page, sent } = await open('/change', phone(390))
    await scoreOption(page, 3).click()
    const field = followUpField(page)
    await field.waitFor()
    expect(await page.locator(`${CARD} label[for="npskit-c"]`).textContent()).toBe(
      translations.en!.followUp.detractor,
    )
    await field.fill('Sync got much faster lately.')
    await card(page).screenshot({ path: join(outDir, 'card-v2-change-before.png') })
    await scoreOption(page, 9).click()
    // The prompt follows the new category; the comment typed so far stays.
    await expect
      .poll(() => page.locator(`${CARD} label[for="npskit-c"]`).textContent())
      .toBe(translations.en!.followUp.promoter)
    expect(await field.inputValue()).toBe('Sync got much faster lately.')
    expect(await scoreRadio(page, 9).isChecked()).toBe(true)
    await card(page).screenshot({ path: join(outDir, 'card-v2-change-after.png') })
    await sendButton(page).click()
    await thanks(page).waitFor()

    const posts = () => sent.filter((r) => r.path.endsWith('/responses'))
    await expect.poll(() => posts().filter((r) => r.status !== null).length, { timeout: 10_000 }).toBe(3)
    const bodies = posts().map((r) => r.body as { id: string; score: number; comment?: string })
    expect(bodies.map((b) => b.score)).toEqual([3, 9, 9])
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1)
    for (const post of posts()) expect(post.status).toBeLessThan(300)
    const responses = await readResponses(world.collector, survey.id)
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({
      id: bodies[0]!.id,
      score: 9,
      comment: 'Sync got much faster lately.',
    })
    expect(await readNps(world.collector, survey.id)).toMatchObject({
      total: 1,
      promoters: 1,
      detractors: 0,
      nps: 100,
    })
  })

  it('asks a promoter to tell others on the review site, accessibly, and closes once the link is followed', async () => {
    const { page } = await open('/review', phone(390), {
      thanks: { action: 'review', url: 'https://reviews.example/acme', site: 'Trustpilot' },
    })
    await scoreOption(page, 10).click()
    await page.locator(`${CARD} button.ghost`).click()
    const link = page.locator(`${CARD} a.go`)
    await link.waitFor()
    expect(await page.locator(`${CARD} .more`).textContent()).toBe('Would you tell others on Trustpilot?')
    expect(await link.textContent()).toBe('Write a review')
    expect(await link.getAttribute('href')).toBe('https://reviews.example/acme')
    // It waits for the visitor: still there after the plain thank-you would have closed.
    await page.waitForTimeout(4000)
    expect(await link.isVisible()).toBe(true)
    await card(page).screenshot({ path: join(outDir, 'card-v2-review.png') })
    const { violations } = await axeCheck(page, CARD)
    expect(violations).toEqual([])
    await page
      .context()
      .route('https://reviews.example/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Reviews</title>' }),
      )
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()])
    await popup.waitForLoadState()
    expect(popup.url()).toBe('https://reviews.example/acme')
    await expect.poll(() => card(page).count()).toBe(0)
  })

  it('takes the survey’s corner radius and the host page’s font', async () => {
    const { page } = await open(
      '/theme',
      { viewport: { width: 1280, height: 800 } },
      {
        theme: { radius: 4, font: 'inherit', accent: '#0f766e' },
      },
    )
    await page.addStyleTag({ content: 'body { font-family: Georgia, serif }' }).catch(() => {})
    const style = await page.locator(`${CARD} .card`).evaluate((el) => {
      const s = getComputedStyle(el)
      return { radius: s.borderTopLeftRadius, font: s.fontFamily }
    })
    expect(style.radius).toBe('4px')
    expect(style.font).toBe(await page.evaluate(() => getComputedStyle(document.body).fontFamily))
    await card(page).screenshot({ path: join(outDir, 'card-v2-theme.png') })
  })

  describe('every shipped locale at 360 px', () => {
    for (const locale of Object.keys(translations)) {
      it(`lays out ${locale} without overflow on the question, the follow-up and the thank-you`, async () => {
        const { page } = await open(
          `/locale-${locale}`,
          phone(360),
          { thanks: { action: 'review', url: 'https://reviews.example/acme', site: 'Trustpilot' } },
          { 'data-locale': locale },
        )
        expect(await page.locator(`${CARD} .card`).getAttribute('lang')).toBe(locale)
        const overflow = () =>
          page.evaluate((tag) => {
            const root = document.querySelector(tag)?.shadowRoot
            const box = root?.querySelector('.card')?.getBoundingClientRect()
            if (!root || !box) return ['no card']
            const out: string[] = []
            for (const el of Array.from(root.querySelectorAll<HTMLElement>('.card *'))) {
              const r = el.getBoundingClientRect()
              if (r.width === 0 || el.closest('.sr')) continue
              const name = `${el.tagName.toLowerCase()}.${el.className}`
              if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(`${name} leaves the card`)
              if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
                out.push(`${name} scrolls`)
            }
            // The two ends of the scale must not run into each other.
            const ends = Array.from(root.querySelectorAll('.ends span')).map((s) => s.getBoundingClientRect())
            if (ends.length === 2 && ends[0]!.right > ends[1]!.left && ends[1]!.right > ends[0]!.left)
              out.push('the ends of the scale overlap')
            if (document.documentElement.scrollWidth > document.documentElement.clientWidth)
              out.push('the page scrolls sideways')
            return out
          }, CARD)
        expect(await overflow(), 'question').toEqual([])
        await scoreOption(page, 9).click()
        await followUpField(page).waitFor()
        expect(await overflow(), 'follow-up').toEqual([])
        if (directionOf(locale) === 'rtl' || locale === 'fi' || locale === 'th' || locale === 'fr') {
          await card(page).screenshot({ path: join(outDir, `card-v2-locale-${locale}.png`) })
        }
        await page.locator(`${CARD} button.ghost`).click()
        await page.locator(`${CARD} a.go`).waitFor()
        expect(await overflow(), 'thank-you').toEqual([])
        const viewport = page.viewportSize()!
        const box = (await card(page).boundingBox())!
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
      })
    }
  })
})
