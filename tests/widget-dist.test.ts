/**
 * The built widget (widget/dist) as the real collector serves it, in real Chromium, pinning the promises
 * the end-to-end files (e2e/) do not check in the same way: under a nonce-only CSP (no collector origin in
 * script-src) the score and the comment leave as preflight-free text/plain POSTs and the page gains no
 * global but `npskit`; the arrow keys send nothing and Enter sends exactly once; an answered visitor's
 * next page view asks for nps.js and the queued flush only (no config, no card chunk), and an answer given
 * while the collector was down is stored exactly once after it comes back. What the page sends is read
 * from Chromium's side (Playwright request events); what was stored, through the admin API. It also writes
 * the widget-*.png screenshots we look at before a release (e2e/screenshots.test.ts writes card-*.png).
 */
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps, readResponses } from './harness/api.ts'
import {
  card,
  focusedInCard,
  followUpField,
  recordRequests,
  scoreOption,
  scoreRadio,
  sendButton,
  settle,
  thanks,
  waitForCard,
} from './harness/card.ts'
import { requireChromium } from './harness/chromium.ts'
import type { Collector } from './harness/collector.ts'
import { embedPage } from './harness/host.ts'
import { useWorld } from './harness/suite.ts'

const shots = fileURLToPath(new URL('./screenshots/', import.meta.url))

/** PATCH /v1/surveys/:id with the admin key; nested settings (theme, display) merge. */
async function patchSurvey(collector: Collector, id: string, change: Record<string, unknown>) {
  const res = await fetch(`${collector.url}/v1/surveys/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${collector.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(change),
  })
  if (!res.ok) throw new Error(`PATCH /v1/surveys/${id} → ${res.status}: ${await res.text()}`)
}

/** Every request any page of the context sends to the collector, as `METHOD /path`, with its headers. */
function recordContext(context: BrowserContext, collectorUrl: string) {
  const seen: { line: string; headers: Record<string, string>; body: string | null }[] = []
  context.on('request', (request) => {
    if (!request.url().startsWith(collectorUrl)) return
    seen.push({
      line: `${request.method()} ${new URL(request.url()).pathname}`,
      headers: request.headers(),
      body: request.postData(),
    })
  })
  return seen
}

describe.skipIf(!requireChromium())('the built widget, served by the real collector, in Chromium', () => {
  const world = useWorld()

  async function surveyPage(path: string, settings: Parameters<typeof createSurvey>[1] = {}) {
    const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin], ...settings })
    world.host.page(path, { html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }) })
    return survey
  }

  it('sends score and comment as simple text/plain POSTs under a nonce-only CSP, with no violation and no global but npskit', async () => {
    const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
    const collectorUrl = world.collector.url
    world.host.page('/csp', {
      headers: {
        // Unlike e2e/csp.test.ts, script-src names no collector origin: the nonce alone must carry the chunk.
        'content-security-policy': `default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src ${collectorUrl}`,
      },
      html: ({ nonce }) => embedPage({ collectorUrl, surveyId: survey.id, nonce }),
    })
    const context = await world.newContext()
    await context.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { __violations: string[] }).__violations = seen
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    const sent = recordContext(context, collectorUrl)
    const page = await context.newPage()
    await page.goto(`${world.host.origin}/csp`)
    await waitForCard(page)
    expect(await card(page).evaluate((el) => el.shadowRoot?.mode)).toBe('open')
    await scoreOption(page, 9).click()
    await followUpField(page).fill('Fast sync')
    await sendButton(page).click()
    await expect.poll(() => thanks(page).isVisible()).toBe(true)
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.comment ?? null, {
        timeout: 10_000,
      })
      .toBe('Fast sync')

    const posts = sent.filter((r) => r.line.endsWith('/responses'))
    expect(posts).toHaveLength(2)
    const [score, comment] = posts.map((r) => JSON.parse(r.body ?? 'null'))
    expect(score).toMatchObject({ score: 9, locale: 'en', url: `${world.host.origin}/csp` })
    expect(comment).toEqual({ ...score, comment: 'Fast sync' })
    // A CORS-safelisted content type and no custom header is what keeps the browser from a preflight.
    for (const post of posts) {
      expect(post.headers['content-type']).toBe('text/plain;charset=UTF-8')
      expect(Object.keys(post.headers).filter((h) => h.startsWith('x-'))).toEqual([])
    }
    expect(sent.filter((r) => r.line.startsWith('OPTIONS'))).toEqual([])
    const stored = await readResponses(world.collector, survey.id)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ score: 9, comment: 'Fast sync' })
    await expect.poll(async () => (await readNps(world.collector, survey.id)).shown).toBe(1)
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual(
      [],
    )
    expect(await page.evaluate(() => Object.keys(window).filter((k) => /nps/i.test(k)))).toEqual(['npskit'])
  })

  it('moves with the arrow keys without sending anything, and sends exactly once on Enter', async () => {
    const survey = await surveyPage('/keys')
    const page = await world.newPage()
    const sent = recordRequests(page, world.collector.url)
    await page.goto(`${world.host.origin}/keys`)
    await waitForCard(page)
    await scoreRadio(page, 0).focus()
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowLeft')
    await page.waitForTimeout(300)
    expect(sent.filter((r) => r.path.endsWith('/responses'))).toEqual([])
    expect(await scoreRadio(page, 3).isChecked()).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => focusedInCard(page)).toBe('textarea')
    await expect.poll(async () => (await readNps(world.collector, survey.id)).total).toBe(1)
    await page.waitForTimeout(300)
    const posts = sent.filter((r) => r.path.endsWith('/responses'))
    expect(posts).toHaveLength(1)
    expect(posts[0]?.body).toMatchObject({ score: 3 })
    expect((await readNps(world.collector, survey.id)).distribution[3]).toBe(1)
    await page.keyboard.press('Escape')
    await card(page).waitFor({ state: 'detached' })
  })

  it('stores an answer given while the collector was down once, on the next page view, which asks for nps.js and the flush only', async () => {
    const survey = await surveyPage('/again')
    const context = await world.newContext()
    const page = await context.newPage()
    await page.goto(`${world.host.origin}/again`)
    await waitForCard(page)
    await world.collector.stop()
    await scoreOption(page, 7).click()
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('npskit:q') ?? ''))
      .toContain('"score":7')
    await world.collector.restart()
    expect((await readNps(world.collector, survey.id)).total).toBe(0)

    const sent = recordContext(context, world.collector.url)
    await page.reload()
    await expect.poll(() => page.evaluate(() => localStorage.getItem('npskit:q'))).toBeNull()
    await settle(page, 300)
    expect(sent.map((r) => r.line)).toEqual(['GET /nps.js', `POST /v1/surveys/${survey.id}/responses`])
    expect(await card(page).count()).toBe(0)
    const stored = await readResponses(world.collector, survey.id)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ score: 7 })
  })

  describe('screenshots', () => {
    type Shot = { colorScheme?: 'light' | 'dark'; width?: number }
    let shotPage: Page | undefined
    const shoot = async (name: string, path: string, shot: Shot, after?: (p: Page) => Promise<void>) => {
      // One page for the shots (a context costs seconds); a clean slate of storage for each.
      shotPage ??= await world.newPage()
      const p = shotPage
      await p.emulateMedia({ colorScheme: shot.colorScheme ?? 'light' })
      await p.setViewportSize({ width: shot.width ?? 1280, height: 720 })
      await p.goto(`${world.host.origin}/blank`)
      await p.evaluate(() => localStorage.clear())
      await p.goto(world.host.origin + path)
      await waitForCard(p)
      await after?.(p)
      await p.waitForTimeout(350)
      await p.screenshot({ path: `${shots}widget-${name}.png` })
    }

    it('renders light, dark, mobile, right-to-left, the follow-up, keyboard focus and a yellow accent', async () => {
      const survey = await createSurvey(world.collector, {
        allowedOrigins: [world.host.origin],
        theme: { accent: '#4f46e5', position: 'bottom-right', mode: 'auto' },
      })
      const collectorUrl = world.collector.url
      world.host.page('/shot', { html: embedPage({ collectorUrl, surveyId: survey.id }) })
      for (const locale of ['he', 'ar']) {
        world.host.page(`/shot-${locale}`, {
          html: embedPage({ collectorUrl, surveyId: survey.id, attributes: { 'data-locale': locale } }),
        })
      }
      world.host.page('/blank', { html: '<!doctype html><title>blank</title>' })
      await shoot('light', '/shot', { colorScheme: 'light' })
      await shoot('dark', '/shot', { colorScheme: 'dark' })
      await shoot('mobile', '/shot', { width: 390 })
      await shoot('rtl-he', '/shot-he', { colorScheme: 'light' })
      await shoot('rtl-ar-dark-mobile', '/shot-ar', { colorScheme: 'dark', width: 390 })
      await shoot('follow-up', '/shot', { colorScheme: 'light' }, async (p) => {
        await scoreRadio(p, 5).focus()
        await p.keyboard.press('ArrowRight')
        await p.keyboard.press('Enter')
        await followUpField(p).waitFor()
      })
      await shoot('keyboard-focus', '/shot', { colorScheme: 'light' }, async (p) => {
        await scoreRadio(p, 0).focus()
        await p.keyboard.press('End')
        await p.keyboard.press('ArrowLeft')
      })
      // The config is cacheable for minutes, so the changed survey is seen by a new visitor's page.
      await patchSurvey(world.collector, survey.id, { theme: { accent: '#fde047', mode: 'dark' } })
      shotPage = undefined
      await shoot('yellow-accent-dark', '/shot', { colorScheme: 'light' }, async (p) => {
        await scoreOption(p, 9).hover()
        await scoreRadio(p, 0).focus()
        await p.keyboard.press('ArrowRight')
      })
    })
  })
})
