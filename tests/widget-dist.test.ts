/**
 * The built widget (widget/dist) in real Chromium, against a small stand-in collector on 127.0.0.1 that
 * serves dist/ and the public endpoints and records what the page sends. The end-to-end suite (e2e/)
 * does the same against the real collector; this file pins what the widget itself promises: a strict
 * nonce-only CSP works, the arrow keys never send a score, an ineligible page view costs no request, a
 * failed send is retried on the next page view. It also takes the screenshots we look at before a release.
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { directionOf, localize } from '@npskit/shared/i18n'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, newContext, requireChromium } from './harness/chromium.ts'
import { embedPage, type HostServer, startHostServer } from './harness/host.ts'

const dist = fileURLToPath(new URL('../widget/dist/', import.meta.url))
const shots = fileURLToPath(new URL('./screenshots/', import.meta.url))

interface Received {
  method: string
  path: string
  contentType: string | undefined
  body: Record<string, unknown> | undefined
}

/** A stand-in for the collector's public side: dist files, the widget config, and POSTs it records. */
async function startStandIn() {
  const received: Received[] = []
  const settings = {
    accent: '#4f46e5',
    mode: 'auto',
    failResponses: 0,
    delaySeconds: 0,
    question: null as null | string,
  }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const cors = { 'access-control-allow-origin': '*' }
    let raw = ''
    req.on('data', (c) => {
      raw += c
    })
    req.on('end', () => {
      received.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        contentType: req.headers['content-type'],
        body: raw ? JSON.parse(raw) : undefined,
      })
      const file = url.pathname.match(/^\/(nps[\w.-]*\.m?js)$/)?.[1]
      if (file) {
        try {
          return res
            .writeHead(200, { ...cors, 'content-type': 'text/javascript' })
            .end(readFileSync(dist + file))
        } catch {
          return res.writeHead(404, cors).end()
        }
      }
      const widget = url.pathname.match(/^\/v1\/surveys\/(srv_\w+)\/widget$/)
      if (widget) {
        const locale = (url.searchParams.get('locale') ?? 'en').split(',')[0]?.split('-')[0] ?? 'en'
        return res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(
          JSON.stringify({
            surveyId: widget[1],
            locale,
            dir: directionOf(locale),
            strings: localize(locale, { question: settings.question }),
            theme: { accent: settings.accent, position: 'bottom-right', mode: settings.mode },
            display: {
              delaySeconds: settings.delaySeconds,
              resurveyAfterDays: 90,
              dismissBackoffDays: 14,
              sampleRate: 1,
              minPageViews: 1,
              urlInclude: [],
              urlExclude: [],
            },
          }),
        )
      }
      if (req.method === 'POST' && url.pathname.endsWith('/responses')) {
        if (settings.failResponses > 0) {
          settings.failResponses--
          return res.writeHead(503, cors).end()
        }
        return res.writeHead(201, { ...cors, 'content-type': 'application/json' }).end('{}')
      }
      if (req.method === 'POST' && url.pathname.endsWith('/events')) return res.writeHead(202, cors).end()
      res.writeHead(404, cors).end()
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    settings,
    posts: (kind: string) => received.filter((r) => r.method === 'POST' && r.path.endsWith(kind)),
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

const card = (page: Page) => page.locator('npskit-card')
const radio = (page: Page, n: number) => page.locator(`npskit-card input[name="score"][value="${n}"]`)
const option = (page: Page, n: number) => page.locator(`npskit-card label:has(> input[value="${n}"])`)

describe.skipIf(!requireChromium())('the built widget in Chromium', () => {
  let browser: Browser
  let host: HostServer
  let collector: Awaited<ReturnType<typeof startStandIn>>

  beforeAll(async () => {
    browser = await launchChromium()
    host = await startHostServer()
    collector = await startStandIn()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await collector?.close()
  })

  const page = async (path: string, options: Parameters<typeof newContext>[1] = {}) => {
    const context = await newContext(browser, options)
    await context.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { __violations: string[] }).__violations = seen
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    const p = await context.newPage()
    await p.goto(host.origin + path)
    return p
  }

  it('shows the card and sends under a nonce-only CSP, with no violation', async () => {
    host.page('/csp', {
      headers: {
        'content-security-policy': `default-src 'self'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src ${collector.url}`,
      },
      html: ({ nonce }) => embedPage({ collectorUrl: collector.url, surveyId: 'srv_csp', nonce }),
    })
    const p = await page('/csp')
    await radio(p, 0).waitFor({ state: 'attached' })
    expect(await card(p).evaluate((el) => getComputedStyle(el).position)).toBe('fixed')
    expect(await card(p).evaluate((el) => el.shadowRoot?.mode)).toBe('open')
    await option(p, 9).click()
    await p.locator('npskit-card textarea').fill('Fast sync')
    await p.locator('npskit-card button[type="submit"]').click()
    await p.locator('npskit-card [role="status"]').getByText('Thank you').waitFor()
    await expect.poll(() => collector.posts('/responses').length).toBe(2)
    const [score, comment] = collector.posts('/responses').map((r) => r.body)
    expect(score).toMatchObject({ score: 9, locale: 'en', url: `${host.origin}/csp` })
    expect(comment).toEqual({ ...score, comment: 'Fast sync' })
    expect(collector.posts('/responses')[0]?.contentType).toBe('text/plain;charset=UTF-8')
    expect(collector.received.filter((r) => r.method === 'OPTIONS')).toEqual([])
    expect(collector.posts('/events').map((r) => r.body?.type)).toContain('shown')
    expect(await p.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
    // Only window.npskit, nothing else of ours on the page's global object.
    expect(await p.evaluate(() => Object.keys(window).filter((k) => /nps/i.test(k)))).toEqual(['npskit'])
    await p.context().close()
  })

  it('moves with the arrow keys without sending, and sends once on Enter', async () => {
    host.page('/keys', { html: embedPage({ collectorUrl: collector.url, surveyId: 'srv_keys' }) })
    const before = collector.posts('/responses').length
    const p = await page('/keys')
    await radio(p, 0).waitFor({ state: 'attached' })
    await radio(p, 0).focus()
    for (let i = 0; i < 4; i++) await p.keyboard.press('ArrowRight')
    await p.keyboard.press('ArrowLeft')
    await p.waitForTimeout(200)
    expect(collector.posts('/responses').length).toBe(before)
    expect(await radio(p, 3).isChecked()).toBe(true)
    await p.keyboard.press('Enter')
    await expect.poll(() => collector.posts('/responses').length).toBe(before + 1)
    expect(collector.posts('/responses').at(-1)?.body?.score).toBe(3)
    expect(await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe(
      'TEXTAREA',
    )
    await p.keyboard.press('Escape')
    await card(p).waitFor({ state: 'detached' })
    await p.context().close()
  })

  it('costs no request and no card download once answered, and retries a failed answer on the next page view', async () => {
    host.page('/again', { html: embedPage({ collectorUrl: collector.url, surveyId: 'srv_again' }) })
    collector.settings.failResponses = 1
    const p = await page('/again')
    await option(p, 7).waitFor()
    await option(p, 7).click()
    await expect
      .poll(() => collector.posts('/responses').filter((r) => r.path.includes('srv_again')).length)
      .toBe(1)
    expect(await p.evaluate(() => localStorage.getItem('npskit:q'))).toContain('"score":7')

    const mark = collector.received.length
    await p.reload()
    await p.waitForLoadState('load')
    await expect.poll(() => p.evaluate(() => localStorage.getItem('npskit:q'))).toBeNull()
    await p.waitForTimeout(300)
    const after = collector.received.slice(mark).map((r) => `${r.method} ${r.path}`)
    expect(after).toEqual(['GET /nps.js', 'POST /v1/surveys/srv_again/responses'])
    expect(await card(p).count()).toBe(0)
    await p.context().close()
  })

  describe('screenshots', () => {
    type Shot = { colorScheme?: 'light' | 'dark'; width?: number }
    let shotPage: Page | undefined
    const shoot = async (name: string, path: string, shot: Shot, after?: (p: Page) => Promise<void>) => {
      // One page for every shot (a context costs seconds here); a clean slate of storage for each.
      shotPage ??= await (await newContext(browser)).newPage()
      const p = shotPage
      await p.emulateMedia({ colorScheme: shot.colorScheme ?? 'light' })
      await p.setViewportSize({ width: shot.width ?? 1280, height: 720 })
      await p.goto(`${host.origin}/blank`)
      await p.evaluate(() => localStorage.clear())
      await p.goto(host.origin + path)
      await radio(p, 0).waitFor({ state: 'attached' })
      await after?.(p)
      await p.waitForTimeout(350)
      await p.screenshot({ path: `${shots}widget-${name}.png` })
    }
    afterAll(async () => {
      await shotPage?.context().close()
    })

    it('renders light, dark, mobile, right-to-left and the follow-up', async () => {
      host.page('/shot', { html: embedPage({ collectorUrl: collector.url, surveyId: 'srv_shot' }) })
      host.page('/shot-he', {
        html: embedPage({
          collectorUrl: collector.url,
          surveyId: 'srv_shot',
          attributes: { 'data-locale': 'he' },
        }),
      })
      host.page('/shot-ar', {
        html: embedPage({
          collectorUrl: collector.url,
          surveyId: 'srv_shot',
          attributes: { 'data-locale': 'ar' },
        }),
      })
      host.page('/blank', { html: '<!doctype html><title>blank</title>' })
      await shoot('light', '/shot', { colorScheme: 'light' })
      await shoot('dark', '/shot', { colorScheme: 'dark' })
      await shoot('mobile', '/shot', { width: 390 })
      await shoot('rtl-he', '/shot-he', { colorScheme: 'light' })
      await shoot('rtl-ar-dark-mobile', '/shot-ar', { colorScheme: 'dark', width: 390 })
      await shoot('follow-up', '/shot', { colorScheme: 'light' }, async (p) => {
        await radio(p, 5).focus()
        await p.keyboard.press('ArrowRight')
        await p.keyboard.press('Enter')
        await p.locator('npskit-card textarea').waitFor()
      })
      await shoot('keyboard-focus', '/shot', { colorScheme: 'light' }, async (p) => {
        await radio(p, 0).focus()
        await p.keyboard.press('End')
        await p.keyboard.press('ArrowLeft')
      })
      collector.settings.accent = '#fde047'
      await shoot('yellow-accent-dark', '/shot', { colorScheme: 'dark' }, async (p) => {
        await option(p, 9).hover()
        await radio(p, 0).focus()
        await p.keyboard.press('ArrowRight')
      })
      collector.settings.accent = '#4f46e5'
    })
  })
})
