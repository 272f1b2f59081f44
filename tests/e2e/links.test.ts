/**
 * Survey links in a real Chromium against a real collector: a personal link answered end to end (the
 * token's respondent and metadata stored, one answer, edited on a second visit), expired and changed
 * links met with a readable page, the email snippet rendered as a mail client would, a score link
 * opening the page with that score chosen (and saying it is not sent until confirmed), and a plain GET
 * of a score link (a mail scanner) storing nothing. Pictures of the page on a phone and a desktop, and of
 * the snippet, go to tests/screenshots/.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { admin, createSurvey, readNps, readResponses } from '../harness/api.ts'
import { axeCheck } from '../harness/axe.ts'
import { card, followUpField, scoreOption, scoreRadio, sendButton, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { useWorld } from '../harness/suite.ts'

const outDir = join(repoRoot, 'tests/screenshots')

interface Link {
  url: string
  token: string
  expiresAt: string
  responseId: string
}

describe.skipIf(!requireChromium())('survey links', () => {
  const world = useWorld()

  const makeLink = (surveyId: string, body: Record<string, unknown>) =>
    admin<Link>(world.collector, `/v1/surveys/${surveyId}/links`, {
      method: 'POST',
      body: JSON.stringify(body),
    })

  /** Records every CSP violation the page reports, and every request that leaves the collector. */
  const watch = async (page: Page) => {
    const foreign: string[] = []
    page.on('request', (r) => {
      if (!r.url().startsWith(world.collector.url)) foreign.push(r.url())
    })
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { __violations: string[] }).__violations = seen
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    return {
      foreign,
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    }
  }

  it('answers a personal link end to end: the token’s respondent and metadata, one answer, edited on a second visit', async () => {
    // A survey open to no site at all: the link page needs none.
    const survey = await createSurvey(world.collector, { allowedOrigins: [] })
    const link = await makeLink(survey.id, {
      respondentId: 'cust-42',
      metadata: { accountId: 'acme', plan: 'pro' },
    })
    expect(link.url.startsWith(`${world.collector.url}/s/${survey.id}?t=`)).toBe(true)

    const page = await world.newPage({ viewport: { width: 1280, height: 800 } })
    const seen = await watch(page)
    await page.goto(link.url)
    await waitForCard(page)
    // Full-page: in the page's flow, not the widget's fixed corner overlay.
    expect(await card(page).evaluate((el) => getComputedStyle(el).position)).toBe('relative')
    await scoreOption(page, 8).click()
    await followUpField(page).fill('Fast support')
    await sendButton(page).click()
    await expect.poll(() => page.locator('#npskit-page').textContent(), { timeout: 10_000 }).toMatch(/thank/i)
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.comment, { timeout: 10_000 })
      .toBe('Fast support')
    expect(await readResponses(world.collector, survey.id)).toEqual([
      expect.objectContaining({
        id: link.responseId,
        score: 8,
        respondentId: 'cust-42',
        metadata: { accountId: 'acme', plan: 'pro' },
        source: 'link',
      }),
    ])
    expect(await seen.violations()).toEqual([])
    expect(seen.foreign).toEqual([])

    // A second visit (another browser even) edits the same answer.
    const again = await world.newPage()
    await again.goto(link.url)
    await waitForCard(again)
    await scoreOption(again, 3).click()
    await followUpField(again).fill('Actually, the last update broke exports')
    await sendButton(again).click()
    // The score and the comment leave as two requests: wait for the second, not only the first.
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.comment, { timeout: 10_000 })
      .toBe('Actually, the last update broke exports')
    const stored = await readResponses(world.collector, survey.id)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      id: link.responseId,
      score: 3,
      respondentId: 'cust-42',
      comment: 'Actually, the last update broke exports',
    })
    expect(await readNps(world.collector, survey.id)).toMatchObject({ total: 1, detractors: 1 })
  })

  it('meets an expired link and a changed one with a clear page, and stores nothing', async () => {
    const survey = await createSurvey(world.collector)
    const link = await makeLink(survey.id, {
      respondentId: 'cust-1',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    })
    const page = await world.newPage()
    const [payload, signature] = link.token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forged = Buffer.from(JSON.stringify({ ...claims, r: 'the-ceo' })).toString('base64url')
    const changed = await page.goto(`${world.collector.url}/s/${survey.id}?t=${forged}.${signature}&score=10`)
    expect(changed?.status()).toBe(403)
    await expect.poll(() => page.locator('h1').textContent()).toBe('This link is not valid')
    expect(await page.locator('npskit-card').count()).toBe(0)

    // The token holds its expiry in whole seconds, rounded up: wait until that second has passed.
    await new Promise((r) => setTimeout(r, Math.max(0, claims.e * 1000 - Date.now()) + 100))
    const expired = await page.goto(link.url)
    expect(expired?.status()).toBe(410)
    expect(await page.locator('h1').textContent()).toBe('This link has expired')
    mkdirSync(outDir, { recursive: true })
    await page.screenshot({ path: join(outDir, 'link-page-expired.png') })
    expect(await page.locator('body').textContent()).not.toMatch(/error|stack|at \w+ \(/i)
    expect(await readResponses(world.collector, survey.id)).toEqual([])

    // In the visitor's language, right to left where it is written so, and loading nothing else.
    for (const [locale, lang, dir, title] of [
      ['de-DE', 'de', 'ltr', 'Dieser Link ist abgelaufen'],
      ['ar-EG', 'ar', 'rtl', 'انتهت صلاحية هذا الرابط'],
    ] as const) {
      const visitor = await world.newPage({ locale })
      const loaded: string[] = []
      visitor.on('request', (request) => loaded.push(request.url()))
      const res = await visitor.goto(link.url)
      expect(res?.status()).toBe(410)
      expect(await visitor.locator('h1').textContent()).toBe(title)
      expect(await visitor.locator('html').getAttribute('lang')).toBe(lang)
      expect(await visitor.locator('html').getAttribute('dir')).toBe(dir)
      expect(loaded).toEqual([link.url])
      const { violations } = await axeCheck(visitor)
      expect(violations, `axe on the ${lang} expired page`).toEqual([])
      await visitor.screenshot({ path: join(outDir, `link-page-expired-${lang}.png`) })
    }
  })

  it('renders the email snippet, whose score link opens the page with that score chosen, recorded only on a click', async () => {
    mkdirSync(outDir, { recursive: true })
    const survey = await createSurvey(world.collector, {
      question: 'How likely are you to recommend Acme to a colleague?',
      theme: { accent: '#0f766e' },
    })
    const link = await makeLink(survey.id, { respondentId: 'cust-7', metadata: { accountId: 'globex' } })
    const res = await fetch(
      `${world.collector.url}/v1/surveys/${survey.id}/links/email?token=${link.token}`,
      {
        headers: { authorization: `Bearer ${world.collector.adminKey}` },
      },
    )
    expect(res.status).toBe(200)
    const snippet = await res.text()

    // As a mail client shows it: in a light and a dark message view, on a desktop and on a phone.
    const views = [
      { name: 'light', bg: '#ffffff', width: 700 },
      { name: 'dark', bg: '#1f1f1f', width: 700 },
      { name: 'phone', bg: '#ffffff', width: 360 },
    ]
    for (const view of views) {
      const mail = await world.newPage({ viewport: { width: view.width, height: 400 } })
      await mail.setContent(
        `<body style="margin:0;padding:16px;background:${view.bg};color:${view.bg === '#ffffff' ? '#222' : '#eee'};font-family:sans-serif"><p>Hi Jane,</p>${snippet}<p>Thanks, the Acme team</p></body>`,
      )
      const links = mail.locator('a')
      expect(await links.count()).toBe(11)
      // Every number is a comfortable target and the row fits the view without a horizontal scroll.
      for (const box of await links.evaluateAll((as) => as.map((a) => a.getBoundingClientRect().toJSON()))) {
        expect(box.width).toBeGreaterThanOrEqual(24)
        expect(box.height).toBeGreaterThanOrEqual(36)
      }
      expect(await mail.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      await mail.screenshot({ path: join(outDir, `link-email-${view.name}.png`) })
    }

    // A person follows "7" from the email.
    const seven = [...snippet.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))[7]!
    expect(seven).toBe(`${link.url}&score=7`)
    const page = await world.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    })
    const seen = await watch(page)
    await page.goto(seven)
    await waitForCard(page)
    await expect.poll(() => scoreRadio(page, 7).isChecked()).toBe(true)
    // The page says so, or a person who sees their 7 lit closes the tab thinking it was sent.
    const hint = page.locator('#npskit-hint')
    expect(await hint.textContent()).toBe('Not sent yet: choose 7 to confirm, or pick another score.')
    expect(await hint.isVisible()).toBe(true)
    await page.screenshot({ path: join(outDir, 'link-page-chosen-phone.png'), animations: 'disabled' })
    // Chosen is not recorded: only the person's confirmation is.
    await new Promise((r) => setTimeout(r, 1000))
    expect(await readResponses(world.collector, survey.id)).toEqual([])
    await scoreOption(page, 7).click()
    await expect.poll(() => hint.count()).toBe(0)
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.score, { timeout: 10_000 })
      .toBe(7)
    expect((await readResponses(world.collector, survey.id))[0]).toMatchObject({
      id: link.responseId,
      respondentId: 'cust-7',
      metadata: { accountId: 'globex' },
      source: 'link',
    })
    await page.screenshot({ path: join(outDir, 'link-page-follow-up-phone.png'), animations: 'disabled' })
    expect(await seen.violations()).toEqual([])
    expect(seen.foreign).toEqual([])
  })

  it('stores nothing when a score link is fetched or opened without a person (a mail scanner)', async () => {
    const survey = await createSurvey(world.collector)
    const link = await makeLink(survey.id, { respondentId: 'cust-9' })
    for (const score of [0, 10]) {
      const res = await fetch(`${link.url}&score=${score}`, { redirect: 'follow' })
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('nps-page.js')
    }
    const head = await fetch(`${link.url}&score=9`, { method: 'HEAD' })
    expect(head.status).toBeLessThan(500)
    // A scanner that runs the page's scripts, and waits, still makes no answer.
    const page = await world.newPage()
    await page.goto(`${link.url}&score=10`)
    await waitForCard(page)
    await new Promise((r) => setTimeout(r, 1500))
    expect(await readResponses(world.collector, survey.id)).toEqual([])
    expect(await readNps(world.collector, survey.id)).toMatchObject({ total: 0 })
  })

  it('serves the open link (no token) in the visitor’s language, on a 390 px phone and a desktop', async () => {
    mkdirSync(outDir, { recursive: true })
    const survey = await createSurvey(world.collector, { question: 'How likely are you to recommend Acme?' })
    const shots = [
      { name: 'desktop', context: { viewport: { width: 1280, height: 800 } } },
      {
        name: 'phone',
        context: {
          viewport: { width: 390, height: 844 },
          deviceScaleFactor: 2,
          isMobile: true,
          hasTouch: true,
        },
      },
      { name: 'dark', context: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' as const } },
    ]
    for (const shot of shots) {
      const page = await world.newPage(shot.context)
      await page.goto(`${world.collector.url}/s/${survey.id}`)
      await waitForCard(page)
      const box = (await card(page).boundingBox())!
      const viewport = page.viewportSize()!
      expect(box.x).toBeGreaterThanOrEqual(0)
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      await page.screenshot({ path: join(outDir, `link-page-${shot.name}.png`), animations: 'disabled' })
    }
    const german = await world.newPage({ locale: 'de-DE' })
    await german.goto(`${world.collector.url}/s/${survey.id}?locale=fr`)
    await waitForCard(german)
    expect(await german.locator('html').getAttribute('lang')).toBe('fr')
    await scoreOption(german, 9).click()
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id)).length, { timeout: 10_000 })
      .toBe(1)
    expect((await readResponses(world.collector, survey.id))[0]).toMatchObject({
      score: 9,
      source: 'link',
      locale: 'fr',
    })
  })

  it('is accessible as a page, and a keyboard alone confirms a chosen score', async () => {
    const survey = await createSurvey(world.collector)
    const link = await makeLink(survey.id, { respondentId: 'kb-1' })
    const page = await world.newPage({ viewport: { width: 390, height: 844 } })
    const clean = async (step: string) => {
      const { violations, checkedNodes } = await axeCheck(page)
      expect(violations, `axe at the ${step}`).toEqual([])
      expect(checkedNodes).toBeGreaterThan(3)
    }
    await page.goto(`${link.url}&score=9`)
    await waitForCard(page)
    await clean('question with a chosen score')
    // The chosen score has the focus: Enter confirms it, nothing before.
    await page.waitForTimeout(300)
    expect(await readResponses(world.collector, survey.id)).toEqual([])
    await page.keyboard.press('Enter')
    await followUpField(page).waitFor()
    await clean('follow-up')
    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.score, { timeout: 10_000 })
      .toBe(9)
    await page.keyboard.type('Great')
    await sendButton(page).press('Enter')
    await expect
      .poll(() => page.locator('.npskit-note[role="status"] h1').textContent(), { timeout: 10_000 })
      .toMatch(/thank/i)
    await clean('thank-you')
    mkdirSync(outDir, { recursive: true })
    await page.screenshot({ path: join(outDir, 'link-page-thanks-phone.png'), animations: 'disabled' })
    await page.goto(`${world.collector.url}/s/${survey.id}?t=not-a-token`)
    await clean('page of a link that is not valid')
  })
})
