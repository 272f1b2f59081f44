/**
 * The dashboard: what the overview page loads, and how long it takes to draw on the 1,000,000-answer
 * dataset.
 *
 * - Size: every script and stylesheet the built index.html references (`pageAssets`, the same list and
 *   gzip level the build's size report uses), gzipped, against the 80 KiB budget (`DASHBOARD_BUDGET`).
 * - Time: real Chromium signs in on the landing page with the dataset's admin key, then opens the
 *   overview of the dataset's survey over its year, afresh each time (a new tab, the browser cache off,
 *   so the page and its assets are fetched again as on a first visit). The figure is
 *   `performance.mark('npskit-overview-drawn')`, which the overview sets once its trend chart and
 *   distribution are drawn, read as ms since navigation. Its baseline, measured in turns with the loads:
 *   the API's own time for the same answers — the requests the page made, sent from Node with the
 *   page's session cookie in the order the page needs them (who is signed in, then the survey, then the
 *   overview's figure requests together) — so the ratio is the browser and render cost over the API's.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { DASHBOARD_BUDGET, dist, pageAssets } from '../collector/dashboard/build.ts'
import { launchChromium, newContext } from '../tests/harness/chromium.ts'
import { type Dataset, dataset, type Engine } from './dataset.ts'
import { repoRoot, startCollector } from './lib/processes.ts'
import { type Figure, figure, median, percentile, type SectionResult } from './lib/report.ts'

const KB = 1024
const LOADS = 15
const GOAL_MS = 1000
const MARK = 'npskit-overview-drawn'
const MARK_TIMEOUT_MS = 15_000
/** The dataset's year in the dashboard's own terms: a custom period, its last day included, in UTC. */
const PERIOD = 'period=custom&from=2025-01-01&to=2025-12-31&tz=UTC'

const ENGINE_NAME: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
const groupOf = (engine: Engine) =>
  `dashboard overview in Chromium, ${ENGINE_NAME[engine]} (1,000,000 answers over a year)`

/** A fresh clone has no dashboard/dist: build it the way `pnpm build` does. */
function ensureDashboardBuilt(): void {
  if (existsSync(join(dist, 'index.html'))) return
  execFileSync('pnpm', ['--filter', '@npskit/collector', 'build'], { cwd: repoRoot, stdio: 'inherit' })
}

export function benchDashboardSize(): Figure[] {
  ensureDashboardBuilt()
  const assets = pageAssets('index.html')
  const sum = (list: typeof assets, key: 'raw' | 'gzip') => list.reduce((total, a) => total + a[key], 0)
  const js = assets.filter((a) => a.file.endsWith('.js'))
  const css = assets.filter((a) => a.file.endsWith('.css'))
  const total = sum(assets, 'gzip')
  const budget = { label: 'budget', value: DASHBOARD_BUDGET / KB }
  const group = 'dashboard size'
  const listed = (list: typeof assets) =>
    list.map((a) => `${a.file} ${a.raw} B raw, ${a.gzip} B gzip`).join('; ') || 'none'
  return [
    figure({
      group,
      name: 'overview page loads: JS + CSS gzip',
      value: total / KB,
      unit: 'KiB',
      baseline: budget,
      lowerIsBetter: true,
      goal: { text: `≤ ${DASHBOARD_BUDGET / KB} KiB gzip`, met: total <= DASHBOARD_BUDGET },
      note: `what index.html references: ${listed(assets)}`,
    }),
    figure({
      group,
      name: 'overview page loads: JavaScript gzip',
      value: sum(js, 'gzip') / KB,
      unit: 'KiB',
      baseline: budget,
      lowerIsBetter: true,
    }),
    figure({
      group,
      name: 'overview page loads: CSS gzip',
      value: sum(css, 'gzip') / KB,
      unit: 'KiB',
      baseline: budget,
      lowerIsBetter: true,
    }),
    figure({
      group,
      name: 'overview page loads: JS + CSS raw',
      value: sum(assets, 'raw') / KB,
      unit: 'KiB',
      lowerIsBetter: true,
    }),
  ]
}

/**
 * When, in ms since navigation, the page's script had run (DOMContentLoaded), its first API request left
 * and its last answer arrived.
 */
interface Phases {
  scriptsRun: number
  firstRequest: number
  lastAnswer: number
}

/** One page load: ms from navigation to the mark, and the API requests the page sent before it. */
interface Load {
  drawnMs: number
  /** Where the time went, in ms since navigation. */
  phases: Phases
  requests: { url: string; status: number }[]
}

async function loadOverview(page: Page, url: string, apiBase: string): Promise<Load> {
  const requests: { url: string; status: number }[] = []
  const seen = (res: { url(): string; status(): number }) => {
    if (res.url().startsWith(apiBase)) requests.push({ url: res.url(), status: res.status() })
  }
  page.on('response', seen)
  const cdp = await page.context().newCDPSession(page)
  // Every load fetches the page and its assets again, as a first visit does.
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  try {
    await page.goto(url)
    // A function, not a string: the page's CSP forbids eval, which a string predicate needs.
    await page
      .waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, MARK, {
        timeout: MARK_TIMEOUT_MS,
      })
      .catch(async (error: Error) => {
        if (error.name !== 'TimeoutError') throw error
        const failed = requests.filter((r) => r.status >= 400)
        // The view's own part of the page: the shell's header, tabs and controls come before it.
        const view = page.locator('main > :last-child')
        const shown = ((await view.textContent().catch(() => null)) ?? '').replace(/\s+/g, ' ')
        throw new Error(
          `mark not found: the overview did not call performance.mark('${MARK}') within ${MARK_TIMEOUT_MS / 1000} s of navigation${
            failed.length ? `; failed requests: ${failed.map((r) => `${r.status} ${r.url}`).join(', ')}` : ''
          }; the page shows: ${shown.slice(-300) || '(nothing)'}`,
        )
      })
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const { drawnMs, phases } = await page.evaluate((mark) => {
      const drawn = performance.getEntriesByName(mark)[0]!.startTime
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const api = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (r) => new URL(r.name).pathname.startsWith('/v1/') && r.responseEnd <= drawn,
      )
      return {
        drawnMs: drawn,
        phases: {
          // A module script runs before DOMContentLoaded fires.
          scriptsRun: nav.domContentLoadedEventStart,
          firstRequest: Math.min(...api.map((r) => r.startTime)),
          lastAnswer: Math.max(...api.map((r) => r.responseEnd)),
        },
      }
    }, MARK)
    const failed = requests.filter((r) => r.status >= 400)
    if (failed.length) {
      throw new Error(
        `the overview's requests failed: ${failed.map((r) => `${r.status} ${r.url}`).join(', ')}`,
      )
    }
    return { drawnMs, phases, requests }
  } finally {
    page.off('response', seen)
    await cdp.detach().catch(() => {})
  }
}

/** The page's API requests in the order it needs them: each stage waits for the one before. */
function stagesOf(requests: Load['requests'], collectorUrl: string, surveyId: string): string[][] {
  const session = `${collectorUrl}/v1/sessions/current`
  const survey = `${collectorUrl}/v1/surveys/${encodeURIComponent(surveyId)}`
  const figures = [...new Set(requests.map((r) => r.url))].filter((url) => url.startsWith(`${survey}/`))
  if (figures.length === 0) {
    throw new Error(`the overview asked the API for no figures of survey ${surveyId}`)
  }
  return [[session], [survey], figures]
}

/** The stages from Node with the page's cookie: the wall time, and each request's own time. */
async function timeStages(
  stages: string[][],
  cookie: string,
): Promise<{ ms: number; each: Map<string, number> }> {
  const each = new Map<string, number>()
  const started = performance.now()
  for (const stage of stages) {
    await Promise.all(
      stage.map(async (url) => {
        const begun = performance.now()
        const res = await fetch(url, { headers: { cookie } })
        const text = await res.text()
        if (!res.ok) throw new Error(`GET ${url} → ${res.status} ${text.slice(0, 300)}`)
        each.set(url, performance.now() - begun)
      }),
    )
  }
  return { ms: performance.now() - started, each }
}

async function overviewOf(data: Dataset, browser: Browser): Promise<Figure[]> {
  const group = groupOf(data.engine)
  const collector = await startCollector(
    data.engine === 'sqlite'
      ? { db: data.db, adminKey: data.adminKey }
      : { databaseUrl: data.url, adminKey: data.adminKey },
  )
  const context = await newContext(browser)
  try {
    // Signing in as a person does: the landing page, the admin key, the button.
    const landing = await context.newPage()
    await landing.goto(`${collector.url}/`)
    await landing.locator('#key').fill(data.adminKey)
    await landing.getByRole('button', { name: 'Sign in' }).click()
    await landing.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 15_000 })
    await landing.close()
    const session = (await context.cookies(collector.url)).find((c) => c.name === 'npskit_session')
    if (!session) throw new Error('signing in set no npskit_session cookie')
    const cookie = `${session.name}=${session.value}`

    const url = `${collector.url}/dashboard/surveys/${encodeURIComponent(data.surveyId)}?${PERIOD}`
    const load = async () => {
      const page = await context.newPage()
      try {
        return await loadOverview(page, url, `${collector.url}/v1/`)
      } finally {
        await page.close()
      }
    }
    // One untimed load warms the collector (page cache, prepared statements) and says what the page asks.
    const first = await load()
    const stages = stagesOf(first.requests, collector.url, data.surveyId)
    await timeStages(stages, cookie)

    // In turns, so a machine that drifts moves both alike.
    const drawn: number[] = []
    const api: number[] = []
    const phases: Phases[] = []
    const perRequest = new Map<string, number[]>()
    for (let i = 0; i < LOADS; i++) {
      const timed = await load()
      drawn.push(timed.drawnMs)
      phases.push(timed.phases)
      const replayed = await timeStages(stages, cookie)
      api.push(replayed.ms)
      for (const [u, ms] of replayed.each) perRequest.set(u, [...(perRequest.get(u) ?? []), ms])
    }

    const shorten = (u: string) =>
      u.slice(collector.url.length).replace(`/surveys/${encodeURIComponent(data.surveyId)}`, '/surveys/{id}')
    const label = 'its API requests, from Node'
    const asked = [...perRequest]
      .map(([u, times]) => `${shorten(u)} ${median(times).toFixed(1)} ms`)
      .join(', ')
    const phase = (k: keyof Phases) => median(phases.map((p) => p[k])).toFixed(0)
    const where = `in the page, median: scripts run at ${phase('scriptsRun')} ms, first API request at ${phase('firstRequest')} ms, last API answer at ${phase('lastAnswer')} ms, drawn at ${median(drawn).toFixed(0)} ms`
    const range = `${Math.min(...drawn).toFixed(0)}–${Math.max(...drawn).toFixed(0)} ms`
    const medianMs = median(drawn)
    const p95Ms = percentile(drawn, 95)
    return [
      figure({
        group,
        name: 'navigation → overview drawn, median',
        value: medianMs,
        unit: 'ms',
        baseline: { label, value: median(api) },
        lowerIsBetter: true,
        goal: { text: `≤ ${GOAL_MS / 1000} s`, met: medianMs <= GOAL_MS },
        note: `${LOADS} loads (${range}), each a new tab with the cache off, the survey's year (${PERIOD}); mark ${MARK}; ${where}; the API's requests from Node, median each: ${asked}`,
      }),
      figure({
        group,
        name: 'navigation → overview drawn, p95',
        value: p95Ms,
        unit: 'ms',
        baseline: { label, value: percentile(api, 95) },
        lowerIsBetter: true,
        goal: { text: `≤ ${GOAL_MS / 1000} s`, met: p95Ms <= GOAL_MS },
        note: `nearest rank of ${LOADS} loads`,
      }),
    ]
  } finally {
    await context.close()
    await collector.stop()
  }
}

/**
 * The size, then the overview on each engine asked for, SQLite first. An engine that cannot be measured
 * (no PostgreSQL server reachable, say, or no mark on the page) is reported as not measured beside the
 * rest, and so is the overview when no Chromium is installed.
 */
export async function benchDashboard(
  engines: readonly Engine[] = ['sqlite', 'postgres'],
): Promise<SectionResult> {
  const result: SectionResult = { figures: benchDashboardSize(), errors: [] }
  const failed = (engine: Engine, error: unknown) =>
    result.errors.push({
      group: groupOf(engine),
      message: error instanceof Error ? error.message : String(error),
    })
  let browser: Browser
  try {
    browser = await launchChromium()
  } catch (error) {
    for (const engine of engines) failed(engine, error)
    return result
  }
  try {
    for (const engine of engines) {
      try {
        const data = engine === 'sqlite' ? await dataset('sqlite') : await dataset('postgres')
        result.figures.push(...(await overviewOf(data, browser)))
      } catch (error) {
        failed(engine, error)
      }
    }
  } finally {
    await browser.close()
  }
  return result
}
