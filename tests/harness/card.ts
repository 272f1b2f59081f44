/**
 * Finding and using the card the way a visitor does. Playwright's CSS and role locators pierce open
 * shadow roots, so these reach inside `<npskit-card>` without any test hook in the widget.
 */
import type { Locator, Page, Request } from 'playwright-core'

export const CARD = 'npskit-card'

export function card(page: Page): Locator {
  return page.locator(CARD)
}

/** Resolves when the question with its 0–10 scale is visible. */
export async function waitForCard(page: Page, timeout = 15_000): Promise<Locator> {
  await page.locator(`${CARD} [role="radiogroup"]`).waitFor({ state: 'visible', timeout })
  return card(page)
}

/** The visible box of one score (what a mouse user clicks), not the visually hidden radio. */
export function scoreOption(page: Page, score: number): Locator {
  return page.locator(`${CARD} label:has(> input[name="score"][value="${score}"])`)
}

export function scoreRadio(page: Page, score: number): Locator {
  return page.locator(`${CARD} input[type="radio"][name="score"][value="${score}"]`)
}

export function followUpField(page: Page): Locator {
  return page.locator(`${CARD} textarea`)
}

export function sendButton(page: Page): Locator {
  return page.locator(`${CARD} button[type="submit"]`)
}

export function closeButton(page: Page): Locator {
  return page.locator(`${CARD} button.x`)
}

export function thanks(page: Page): Locator {
  return page.locator(`${CARD} [role="status"].thanks`)
}

/** Is focus inside the card's shadow root, and on what? (`null` when it is not in the card.) */
export function focusedInCard(page: Page): Promise<string | null> {
  return page.evaluate((tag) => {
    const host = document.activeElement
    if (!host || host.tagName.toLowerCase() !== tag) return null
    const el = host.shadowRoot?.activeElement
    if (!el) return null
    const name = el.getAttribute('name')
    const value = (el as HTMLInputElement).value
    return `${el.tagName.toLowerCase()}${name ? `[name=${name}]` : ''}${name === 'score' ? `[value=${value}]` : ''}${el.className ? `.${el.className}` : ''}`
  }, CARD)
}

export interface SentRequest {
  method: string
  url: string
  path: string
  body: unknown
  status: number | null
}

/**
 * Records every request the page sends to the collector (Plausible's way of testing a tracker: assert on
 * what leaves the page), with the answer's status once it arrives.
 *
 * @example
 * const sent = recordRequests(page, collector.url)
 * …
 * expect(sent.filter((r) => r.path.endsWith('/responses'))).toHaveLength(2)
 */
export function recordRequests(page: Page, collectorUrl: string): SentRequest[] {
  const sent: SentRequest[] = []
  const byRequest = new Map<Request, SentRequest>()
  page.on('request', (request) => {
    if (!request.url().startsWith(collectorUrl)) return
    let body: unknown = null
    const raw = request.postData()
    if (raw) {
      try {
        body = JSON.parse(raw)
      } catch {
        body = raw
      }
    }
    const entry: SentRequest = {
      method: request.method(),
      url: request.url(),
      path: new URL(request.url()).pathname,
      body,
      status: null,
    }
    sent.push(entry)
    byRequest.set(request, entry)
  })
  page.on('requestfinished', async (request) => {
    const entry = byRequest.get(request)
    const response = await request.response().catch(() => null)
    if (entry && response) entry.status = response.status()
  })
  return sent
}

/**
 * Waits until the loader has surely made its decision on this page view, so that "no card" means the
 * widget decided against one and not that it had not run yet: the loader decides in an idle callback
 * after `load`, and idle callbacks run in the order they were asked for, so ours runs after its. Then
 * `ms` more for a config fetch and the card's own script, which take a few ms on loopback.
 */
export async function settle(page: Page, ms = 800): Promise<void> {
  await page.waitForLoadState('load')
  await page.evaluate(
    () => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 3000 })),
  )
  await page.waitForTimeout(ms)
}
