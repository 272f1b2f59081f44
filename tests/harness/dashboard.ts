/**
 * The dashboard as a product team uses it, for the browser tests in tests/e2e/dashboard-*.test.ts: a
 * seeded survey with answers over months, keys of each scope, signing in through the page, axe on the
 * whole page, and screenshots written to tests/screenshots/ for a person to look at.
 *
 * @example
 * const world = useWorld()
 * const page = await world.newPage()
 * await signIn(page, world.collector)
 * await page.goto(`${world.collector.url}/dashboard/surveys/${id}`)
 * await expectAccessible(page, 'overview, light')
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { admin } from './api.ts'
import { axeCheck } from './axe.ts'
import { type Collector, repoRoot } from './collector.ts'

export const screenshotDir = join(repoRoot, 'tests/screenshots')

const COMMENTS = {
  detractor: [
    'billing errors again',
    'checkout was slow and confusing',
    'support never answered',
    'too expensive for what it does',
    'Die Rechnung war wieder falsch',
  ],
  passive: ['fine, but the app is slow', 'ok overall, shipping took long', 'good but pricey'],
  promoter: [
    'fast checkout, love it',
    'great support team',
    'easy to use and reliable',
    'the best shop I know',
  ],
} as const

/**
 * Imports `count` answers spread over the last `days` days (deterministic for a seed): scores that
 * improve a little over time, comments on about 40%, locales, devices, paths and metadata `plan` and
 * `agent`. Answers are imported (no `shown` events), as a team moving from another tool would.
 */
export async function seedAnswers(
  collector: Collector,
  surveyId: string,
  { count = 1200, days = 150, seed = 42, now = Date.now() } = {},
): Promise<void> {
  let state = seed
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    const age = rand() * days
    const r = rand() + ((days - age) / days) * 0.15
    const score =
      r > 0.75 ? 9 + Math.floor(rand() * 2) : r > 0.45 ? 7 + Math.floor(rand() * 2) : Math.floor(rand() * 7)
    const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'
    lines.push(
      JSON.stringify({
        id: randomUUID(),
        score,
        createdAt: new Date(now - age * 86_400_000).toISOString(),
        comment: rand() < 0.4 ? pick(COMMENTS[category]) : null,
        respondentId: `user-${Math.floor(rand() * (count / 2))}`,
        locale: pick(['en', 'en', 'de', 'fr']),
        device: pick(['desktop', 'desktop', 'mobile', 'tablet']),
        url: `https://shop.example${pick(['/checkout', '/checkout', '/account', '/help'])}`,
        metadata: { plan: pick(['free', 'pro', 'enterprise']), agent: `agent-${Math.floor(rand() * 6)}` },
      }),
    )
  }
  await admin(collector, `/v1/surveys/${surveyId}/responses/import`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  })
}

/** A new key of a scope, made with the admin key; its secret. */
export async function createKey(
  collector: Collector,
  scope: 'admin' | 'read',
  name = `${scope} key`,
): Promise<string> {
  const made = await admin<{ key: string }>(collector, '/v1/keys', {
    method: 'POST',
    body: JSON.stringify({ name, scope }),
  })
  return made.key
}

/** Signs in on the landing page with a key (default: the collector's admin key) and waits for the dashboard. */
export async function signIn(page: Page, collector: Collector, key = collector.adminKey): Promise<void> {
  await page.goto(`${collector.url}/`)
  await page.getByLabel('API key').fill(key)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.locator('header.top').waitFor()
}

/** Opens a dashboard path and waits until nothing is loading any more. */
export async function openView(page: Page, collector: Collector, path: string): Promise<void> {
  await page.goto(`${collector.url}${path}`)
  await waitForIdle(page)
}

/** Waits until no loading state is on screen (views show `.loading` / `[aria-busy=true]` while they fetch). */
export async function waitForIdle(page: Page): Promise<void> {
  await page.locator('main').first().waitFor()
  await page.waitForFunction(() => !document.querySelector('.loading, [aria-busy="true"]'), undefined, {
    timeout: 15_000,
  })
}

/** No WCAG 2.2 A/AA violation on the whole page as it is now, and axe did look at a real page. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const result = await axeCheck(page, undefined, [
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'wcag22a',
    'wcag22aa',
  ])
  expect(result.violations, label).toEqual([])
  expect(result.checkedNodes, `nodes axe checked on ${label}`).toBeGreaterThan(10)
}

/** A full-page screenshot at tests/screenshots/dashboard-<name>.png; its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `dashboard-${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** The viewports and colour schemes every view is checked in. */
export const LOOKS = [
  { name: 'light', options: { colorScheme: 'light' as const } },
  { name: 'dark', options: { colorScheme: 'dark' as const } },
  { name: 'phone', options: { colorScheme: 'light' as const, viewport: { width: 390, height: 844 } } },
]
