/**
 * A survey's overview and the compare view in real Chromium against a real collector: every figure on
 * screen equals what the API answers a script for the same period, time zone and filters (the default
 * period, a device filter, a segment and a custom range); the trend is drawn and its table holds the
 * API's points; the interval and window controls live in the URL and change the request; the compare
 * view shows the API's difference, p and verdict; empty states say what to do. Each view is checked with
 * axe in light, dark and at 390 px, and photographed.
 */
import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey, type Summary } from '../harness/api.ts'
import { requireChromium } from '../harness/chromium.ts'
import {
  expectAccessible,
  LOOKS,
  openView,
  screenshot,
  seedAnswers,
  signIn,
  waitForIdle,
} from '../harness/dashboard.ts'
import { useWorld } from '../harness/suite.ts'

const TZ = 'Europe/Berlin'

interface TrendAnswer {
  interval: string
  window: number | null
  firstAnswerAt?: string | null
  points: (Summary & { start: string; partialWindow: boolean })[]
}
interface TargetAnswer {
  target: { nps: number; deadline: string } | null
  status: string | null
  deadlinePassed: boolean | null
  projection: { nps: number; ci95: [number, number]; answers: number } | null
  projectionReason: string | null
  current: Summary
}
interface BenchmarkAnswer {
  industry: string | null
  current: Summary
  benchmarks: {
    id: string
    value: number
    year: number | null
    region: string
    difference: number | null
    verdict: 'above' | 'below' | 'within' | null
    source: { publisher: string; title: string; url: string | null }
  }[]
  reason: string | null
  caveat: string
}
interface ComparisonAnswer {
  a: Summary & { lowSample: boolean }
  b: Summary & { lowSample: boolean }
  delta: number | null
  z: number | null
  pValue: number | null
  significant: boolean
}

// The viewer's locale is en-US (the harness's contexts): the same formats, built here independently.
const nf = (o: Intl.NumberFormatOptions) => new Intl.NumberFormat('en-US', o)
const nps = (n: number | null, digits = 0) =>
  n === null
    ? '—'
    : nf({ maximumFractionDigits: digits, minimumFractionDigits: digits, signDisplay: 'exceptZero' }).format(
        n,
      )
const count = (n: number) => nf({ maximumFractionDigits: 0 }).format(n)
const share = (x: number, digits = 0) => nf({ style: 'percent', maximumFractionDigits: digits }).format(x)
const decimal = (n: number, digits: number) => nf({ maximumFractionDigits: digits }).format(n)
const inWords = (ci: [number, number]) => `between ${nps(ci[0])} and ${nps(ci[1])}, 95% confidence`
const pText = (p: number) => (p < 0.001 ? '< 0.001' : decimal(p, 3))

/** Today (and days around it) in the viewer's zone, as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date())
function day(offset: number, from = today()): string {
  const d = new Date(`${from}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + offset)
  return d.toISOString().slice(0, 10)
}

/** Everything the overview shows as figures, read from the page as a person sees it. */
function shownFigures(page: Page) {
  return page.evaluate(() => {
    const text = (selector: string, root: ParentNode = document) =>
      root.querySelector(selector)?.textContent?.trim() ?? null
    return {
      nps: text('.nps-value'),
      margin: text('.nps-margin-value'),
      interval: text('.nps-interval'),
      total: text('.nps-total strong'),
      categories: Object.fromEntries(
        Array.from(document.querySelectorAll<HTMLElement>('[data-category]')).map((el) => [
          el.dataset.category,
          { count: text('.category-count', el), share: text('.category-share', el) },
        ]),
      ),
      bars: Array.from(document.querySelectorAll('.bar')).map((el) => text('.bar-count', el)),
      rateFigure: text('.rate-figure'),
      rate: text('.rate-text'),
      warning: text('.warning'),
    }
  })
}

/** What the overview must show for a Summary the API gave (the rate text depends on the filters). */
function expectedFigures(s: Summary & { lowSample: boolean; marginOfError: number | null }) {
  return {
    nps: nps(s.nps),
    margin: decimal(s.marginOfError!, 1),
    interval: inWords(s.ci95!),
    total: count(s.total),
    categories: {
      promoter: { count: count(s.promoters), share: share(s.promoters / s.total) },
      passive: { count: count(s.passives), share: share(s.passives / s.total) },
      detractor: { count: count(s.detractors), share: share(s.detractors / s.total) },
    },
    bars: s.distribution.map(count),
  }
}

type FullSummary = Summary & {
  lowSample: boolean
  marginOfError: number | null
  responseRate?: number | null
}

describe.skipIf(!requireChromium())('the dashboard: a survey’s overview and the compare view', () => {
  const world = useWorld()
  let surveyId = ''

  beforeAll(async () => {
    const deadline = day(365)
    const survey = await createSurvey(world.collector, {
      name: 'Checkout survey',
      target: { nps: 30, deadline },
      industry: 'cross-industry',
    })
    surveyId = survey.id
    await seedAnswers(world.collector, surveyId, { count: 1500, days: 200 })
  })

  async function signedIn(options = {}) {
    const page = await world.newPage({ timezoneId: TZ, ...options })
    await signIn(page, world.collector)
    return page
  }

  /** Opens the overview with a query and checks every figure against the API for the same query. */
  async function expectOverviewMatches(page: Page, search: string, apiQuery: Record<string, string>) {
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}?${search}`)
    const api = await admin<FullSummary>(
      world.collector,
      `/v1/surveys/${surveyId}/nps?${new URLSearchParams(apiQuery)}`,
    )
    expect(api.total).toBeGreaterThan(0)
    const shown = await shownFigures(page)
    expect(shown).toMatchObject(expectedFigures(api))
    expect(shown.warning !== null).toBe(api.lowSample || api.marginOfError! > 10)
    return { shown, api }
  }

  it('shows the NPS, margin, interval, answers, categories and 0–10 bars the API gives for the last 90 days', async () => {
    const page = await signedIn()
    const { shown } = await expectOverviewMatches(page, '', { tz: TZ, from: day(-89), to: day(1) })
    // Imported answers come without shown events, and the page says so instead of a rate.
    expect(shown.rateFigure).toBeNull()
    expect(shown.rate).toBe('No shown events recorded (imported answers have none).')
  })

  it('shows the API’s figures for a device filter and for a segment, without a rate it cannot attribute', async () => {
    const page = await signedIn()
    const device = await expectOverviewMatches(page, 'period=30d&device=mobile', {
      tz: TZ,
      from: day(-29),
      to: day(1),
      device: 'mobile',
    })
    expect(device.shown.rate).toMatch(/^Not available with a locale, path, device or segment filter/)
    await expectOverviewMatches(page, 'period=12m&segment.plan=pro', {
      tz: TZ,
      from: day(-364),
      to: day(1),
      'segment.plan': 'pro',
    })
  })

  it('counts only the current answers (the survey’s last 90 days) with the toggle on, as the API’s current=true', async () => {
    const page = await signedIn()
    const range = { tz: TZ, from: day(-364), to: day(1) }
    const all = await expectOverviewMatches(page, 'period=12m', range)
    const toggle = page.getByLabel('Current answers only (last 90 days)')
    expect(await toggle.isChecked()).toBe(false)
    await toggle.check()
    await page.waitForFunction(() => new URLSearchParams(location.search).get('current') === 'true')
    await waitForIdle(page)
    const current = await admin<FullSummary>(
      world.collector,
      `/v1/surveys/${surveyId}/nps?${new URLSearchParams({ ...range, current: 'true' })}`,
    )
    // The answers span 200 days: the toggle leaves some out.
    expect(current.total).toBeGreaterThan(0)
    expect(current.total).toBeLessThan(all.api.total)
    await page.waitForFunction(
      (total) => document.querySelector('.nps-total strong')?.textContent?.trim() === total,
      count(current.total),
    )
    expect(await shownFigures(page)).toMatchObject(expectedFigures(current))
    expect(await page.locator('.active-filters').textContent()).toContain('current answers only')
    // A bookmark with the toggle on shows the same.
    await expectOverviewMatches(page, 'period=12m&current=true', { ...range, current: 'true' })
    expect(await page.getByLabel('Current answers only (last 90 days)').isChecked()).toBe(true)
  })

  it('shows the API’s figures for a custom period, with the low-sample warning when there are few answers', async () => {
    const page = await signedIn()
    await expectOverviewMatches(page, `period=custom&from=${day(-60)}&to=${day(-31)}`, {
      tz: TZ,
      from: day(-60),
      to: day(-30),
    })
    const { api, shown } = await expectOverviewMatches(page, `period=custom&from=${day(-3)}&to=${day(-2)}`, {
      tz: TZ,
      from: day(-3),
      to: day(-1),
    })
    expect(api.lowSample).toBe(true)
    expect(shown.warning).toContain('Too few answers to act on')
  })

  it('shows the target’s standing as the API gives it', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
    const api = await admin<TargetAnswer>(world.collector, `/v1/surveys/${surveyId}/target`)
    const words = { met: 'on target', below: 'below target', uncertain: 'too close to call' } as const
    const panel = page.locator('.target-panel')
    expect(api.deadlinePassed).toBe(false)
    expect(await panel.locator('.badge').textContent()).toContain(words[api.status as keyof typeof words])
    expect(await panel.locator('.target-current').textContent()).toBe(nps(api.current.nps))
    expect(await panel.locator('.target-now').textContent()).toMatch(/^Now: /)
    // Where it is heading is its own line: the projection with its interval, or why there is none.
    const heading = await panel.locator('.target-heading').textContent()
    if (api.projection) {
      expect(heading).toContain(`projected ${nps(api.projection.nps)}`)
      expect(heading).toContain(inWords(api.projection.ci95))
      expect(heading).toContain(`(${count(api.projection.answers)} answers)`)
    } else {
      expect(heading).toBe(`No projection: ${api.projectionReason}.`)
    }
  })

  it('shows where the survey stands against its industry’s published figures, with the source and the caveat', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
    const api = await admin<BenchmarkAnswer>(world.collector, `/v1/surveys/${surveyId}/benchmark`)
    expect(api.benchmarks.length).toBeGreaterThan(0)
    const panel = page.locator('.benchmark-panel')
    await panel.locator('.benchmark-row').first().waitFor()
    expect(await panel.textContent()).toContain(
      `Our NPS ${nps(api.current.nps)}, ${inWords(api.current.ci95!)}`,
    )
    const rows = panel.locator('.benchmark-row')
    expect(await rows.count()).toBe(api.benchmarks.length)
    const verdicts = { above: 'above it', below: 'below it', within: 'no clear difference' } as const
    for (const [i, row] of api.benchmarks.entries()) {
      const text = (await rows.nth(i).textContent())!
      expect(await rows.nth(i).locator('.benchmark-value').textContent()).toBe(nps(row.value))
      expect(text).toContain(verdicts[row.verdict!])
      expect(text).toContain(`(${decimal(row.difference!, 1)} points)`)
      expect(text).toContain(row.region)
      if (row.year) expect(text).toContain(String(row.year))
      expect(text).toContain(row.source.publisher)
      if (row.source.url) expect(await rows.nth(i).locator('a').getAttribute('href')).toBe(row.source.url)
    }
    expect(await panel.locator('.benchmark-caveat').textContent()).toBe(api.caveat)
    await screenshot(page, 'overview-benchmark')
  })

  it('lets Settings choose the industry, and the overview then shows its benchmark', async () => {
    const other = await createSurvey(world.collector, { name: 'No industry yet' })
    await seedAnswers(world.collector, other.id, { count: 60, days: 30 })
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${other.id}`)
    expect(await page.locator('.benchmark-panel').count()).toBe(0)
    await openView(page, world.collector, `/dashboard/surveys/${other.id}/settings`)
    await page.getByLabel('Industry benchmark').selectOption('b2b-services')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => page.locator('.status-ok').textContent()).toBe('Saved: Industry benchmark.')
    const saved = await admin<{ industry?: string }>(world.collector, `/v1/surveys/${other.id}`)
    expect(saved.industry).toBe('b2b-services')
    await openView(page, world.collector, `/dashboard/surveys/${other.id}`)
    await page.locator('.benchmark-panel .benchmark-row').first().waitFor()
    expect(await page.locator('.benchmark-panel').textContent()).toContain('ClearlyRated')
  })

  it('draws the trend and lists the same points as the API in its table, then marks the page drawn once', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
    // uPlot makes its canvas in an effect, a frame after the data is on screen.
    await page.locator('.trend-chart canvas').first().waitFor()
    expect(await page.locator('.trend-chart canvas').count()).toBe(1)
    const name = await page.locator('.trend-chart').getAttribute('aria-label')
    expect(name).toMatch(/^Trend chart: NPS per week/)
    const api = await admin<TrendAnswer>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/trend?${new URLSearchParams({ tz: TZ, from: day(-89), to: day(1), interval: 'week' })}`,
    )
    const rows = page.locator('.trend table tbody tr')
    expect(await rows.count()).toBe(api.points.length)
    const cells = await rows.first().locator('td').allTextContents()
    expect(cells[0]).toBe(nps(api.points[0]!.nps))
    expect(cells[2]).toBe(count(api.points[0]!.total))
    // The table is there for screen readers; "Show as table" shows it to everyone.
    await page.getByRole('button', { name: 'Show as table' }).click()
    expect(await page.locator('.trend-table').isVisible()).toBe(true)
    const marks = () =>
      page.evaluate(() => performance.getEntriesByName('npskit-overview-drawn', 'mark').length)
    expect(await marks()).toBe(1)
    await page.selectOption('#trend-interval', 'day')
    await waitForIdle(page)
    expect(await marks()).toBe(1)
  })

  for (const look of [LOOKS[0]!, LOOKS[2]!]) {
    it(`keeps its layout while the figures load: the page’s layout shift stays small (${look.name})`, async () => {
      const page = await signedIn(look.options)
      // The browser's own Layout Instability API, watching from the view's first paint.
      await page.addInitScript(() => {
        const w = window as unknown as { shifts: number[] }
        w.shifts = []
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) w.shifts.push((entry as unknown as { value: number }).value)
        }).observe({ type: 'layout-shift', buffered: true })
      })
      await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
      await page.locator('.trend-chart canvas').waitFor()
      const shifts = await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts)
      // 0.1 is what the web counts as a good page; the overview's panels keep well under half of it.
      expect(shifts.reduce((sum, v) => sum + v, 0)).toBeLessThan(0.05)
    })
  }

  it('keeps the interval and the rolling window in the URL and asks the API for them', async () => {
    const page = await signedIn()
    const asked: URL[] = []
    page.on('request', (r) => {
      if (r.url().includes('/nps/trend')) asked.push(new URL(r.url()))
    })
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
    expect(asked.at(-1)!.searchParams.get('interval')).toBe('week')
    expect(await page.locator('#trend-interval').inputValue()).toBe('week')

    await page.selectOption('#trend-interval', 'day')
    await page.waitForURL(/[?&]interval=day/)
    await waitForIdle(page)
    expect(asked.at(-1)!.searchParams.get('interval')).toBe('day')

    await page.selectOption('#trend-window', '30')
    await page.waitForURL(/[?&]window=30/)
    await waitForIdle(page)
    const last = asked.at(-1)!
    expect(last.searchParams.get('window')).toBe('30')
    expect(last.searchParams.get('interval')).toBe('day')
    const api = await admin<TrendAnswer>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/trend?${new URLSearchParams({ tz: TZ, from: day(-89), to: day(1), interval: 'day', window: '30' })}`,
    )
    expect(api.window).toBe(30)
    expect(await page.locator('.trend table tbody tr').count()).toBe(api.points.length)
    const lastRow = await page.locator('.trend table tbody tr').last().locator('td').allTextContents()
    expect(lastRow[0]).toBe(nps(api.points.at(-1)!.nps))

    // A bookmark of that URL opens the same chart.
    const again = await signedIn()
    await openView(again, world.collector, new URL(page.url()).pathname + new URL(page.url()).search)
    expect(await again.locator('#trend-window').inputValue()).toBe('30')
    expect(await again.locator('.trend table tbody tr').count()).toBe(api.points.length)
  })

  it('starts an all-time trend on the day of the first answer, one point per month', async () => {
    const page = await signedIn()
    const asked: URL[] = []
    page.on('request', (r) => {
      if (r.url().includes('/nps/trend')) asked.push(new URL(r.url()))
    })
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}?period=all`)
    const oldest = await admin<{ items: { createdAt: string }[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/responses?format=json&limit=1`,
    )
    const first = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(
      new Date(oldest.items[0]!.createdAt),
    )
    const sent = asked.at(-1)!.searchParams
    expect(sent.get('from')).toBe(first)
    expect(sent.get('to')).toBeNull()
    expect(sent.get('interval')).toBe('month')
    const api = await admin<TrendAnswer>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/trend?${new URLSearchParams({ tz: TZ, from: first, interval: 'month' })}`,
    )
    expect(await page.locator('.trend table tbody tr').count()).toBe(api.points.length)
    expect(await page.locator('.nps-total strong').textContent()).toBe(count(1500))
  })

  it('says which rolling points start before the first answer, in the note and in the table', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}?period=all&interval=week&window=90`)
    const oldest = await admin<{ items: { createdAt: string }[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/responses?format=json&limit=1`,
    )
    const first = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(
      new Date(oldest.items[0]!.createdAt),
    )
    const api = await admin<TrendAnswer>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/trend?${new URLSearchParams({ tz: TZ, from: first, interval: 'week', window: '90' })}`,
    )
    const partial = api.points.filter((p) => p.partialWindow).length
    // The first 90-day windows reach back up to 90 days before the first answer: about 13 weeks of them.
    expect(partial).toBeGreaterThanOrEqual(12)
    expect(api.points.slice(0, partial).every((p) => p.partialWindow)).toBe(true)
    expect(await page.locator('.trend-partial').textContent()).toMatch(
      new RegExp(
        `^The first ${partial} rolling points start before the survey’s first answer \\(.+\\): they cover fewer than 90 days of answers\\.$`,
      ),
    )
    const rows = page.locator('.trend table tbody tr th')
    expect(await rows.nth(partial - 1).textContent()).toContain('(window starts before the first answer)')
    expect(await rows.nth(partial).textContent()).not.toContain('before the first answer')
  })

  it('shows the response rate of shown events and answers sent through the public API', async () => {
    const origin = world.host.origin
    const { id } = await createSurvey(world.collector, { name: 'Live survey', allowedOrigins: [origin] })
    const send = (route: string, body: unknown) =>
      fetch(`${world.collector.url}/v1/surveys/${id}/${route}`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => expect(r.status, route).toBeLessThan(300))
    for (let i = 0; i < 8; i++) await send('events', { type: 'shown', respondentId: `visitor-${i}` })
    await send('events', { type: 'dismissed', respondentId: 'visitor-7' })
    for (let i = 0; i < 3; i++) {
      await send('responses', { id: randomUUID(), score: 9 - i * 3, respondentId: `visitor-${i}` })
    }
    const api = await admin<FullSummary>(
      world.collector,
      `/v1/surveys/${id}/nps?${new URLSearchParams({ tz: TZ, from: day(-89), to: day(1) })}`,
    )
    expect(api.shown).toBe(8)
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${id}`)
    const shown = await shownFigures(page)
    expect(shown.rateFigure).toBe(share(api.responseRate!, 1))
    expect(shown.rate).toBe(
      `${count(api.total)} ${api.total === 1 ? 'answer' : 'answers'} to the card shown ${count(api.shown!)} ${api.shown === 1 ? 'time' : 'times'}; ${count(api.dismissed!)} dismissed.`,
    )
    expect(shown.warning).toContain('Too few answers to act on')
  })

  it('says what to do when a survey has no answers, and when the period has none', async () => {
    const { id } = await createSurvey(world.collector, { name: 'Fresh survey' })
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${id}`)
    expect(await page.getByRole('heading', { name: 'No answers yet' }).count()).toBe(1)
    expect(await page.locator('.snippet code').textContent()).toContain(`data-survey="${id}"`)
    await expectAccessible(page, 'overview without answers')
    await screenshot(page, 'overview-no-answers')

    await openView(
      page,
      world.collector,
      `/dashboard/surveys/${surveyId}?period=custom&from=2001-01-01&to=2001-01-31`,
    )
    expect(await page.getByRole('heading', { name: 'No answers in this period' }).count()).toBe(1)
    expect(await page.locator('.snippet').count()).toBe(0)
    await expectAccessible(page, 'overview of an empty period')
  })

  it('says what failed when the API refuses the trend, and keeps the other figures', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}?window=5000`)
    const failure = page.locator('.trend-panel [role="alert"]')
    expect(await failure.textContent()).toMatch(
      /Could not load the trend\. window must be .*3650.*\(400 invalid_query\)/,
    )
    expect(await page.locator('.nps-value').count()).toBe(1)
    await expectAccessible(page, 'overview with a failed trend')
  })

  it('compares the period with the one before it and shows the API’s difference, z, p and verdict', async () => {
    const page = await signedIn()
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/compare?period=30d`)
    expect(await page.locator('#compare-aFrom').inputValue()).toBe(day(-29))
    expect(await page.locator('#compare-bTo').inputValue()).toBe(day(-30))
    const api = await admin<ComparisonAnswer>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/compare?${new URLSearchParams({
        tz: TZ,
        aFrom: day(-29),
        aTo: day(1),
        bFrom: day(-59),
        bTo: day(-29),
      })}`,
    )
    await expectComparison(page, api)
  })

  it('compares periods typed into the date fields, keeps them in the URL and warns about a small side', async () => {
    const page = await signedIn()
    const asked: URL[] = []
    page.on('request', (r) => {
      if (r.url().includes('/nps/compare')) asked.push(new URL(r.url()))
    })
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/compare?device=desktop`)
    await page.fill('#compare-bFrom', day(-150))
    await page.waitForURL(/bFrom=/)
    await waitForIdle(page)
    await page.fill('#compare-bTo', day(-149))
    await page.waitForURL(new RegExp(`bTo=${day(-149)}`))
    await waitForIdle(page)
    const sent = asked.at(-1)!.searchParams
    expect(sent.get('bFrom')).toBe(day(-150))
    expect(sent.get('bTo')).toBe(day(-148)) // the last day typed, as the API's exclusive end
    expect(sent.get('device')).toBe('desktop')
    const api = await admin<ComparisonAnswer>(world.collector, `/v1/surveys/${surveyId}/nps/compare?${sent}`)
    expect(api.b.lowSample).toBe(true)
    await expectComparison(page, api)
    expect(await page.locator('.verdict').textContent()).toMatch(/period B has fewer than 30 answers/i)
    expect(await page.locator('.side-b .side-low').count()).toBe(1)
  })

  async function expectComparison(page: Page, api: ComparisonAnswer) {
    expect(await page.locator('.compare-delta').textContent()).toBe(`${nps(api.delta, 1)} points`)
    expect(await page.locator('.compare-z').textContent()).toBe(decimal(api.z!, 2))
    expect(await page.locator('.compare-p').textContent()).toBe(pText(api.pValue!))
    const verdict = await page.locator('.verdict').textContent()
    expect(
      verdict!.startsWith(
        api.significant ? 'Significant at the 0.05 level' : 'Not significant at the 0.05 level',
      ),
    ).toBe(true)
    expect(verdict).toContain(`(p ${api.pValue! < 0.001 ? '' : '= '}${pText(api.pValue!)})`)
    for (const side of ['a', 'b'] as const) {
      const box = page.locator(`.side-${side}`)
      expect(await box.locator('.side-nps').textContent()).toBe(nps(api[side].nps))
      expect(await box.locator('.side-interval').textContent()).toBe(inWords(api[side].ci95!))
      expect(await box.locator('.side-total strong').textContent()).toBe(count(api[side].total))
    }
  }

  for (const look of LOOKS) {
    it(`shows the overview and the compare view without an accessibility violation (${look.name})`, async () => {
      const page = await signedIn(look.options)
      await openView(page, world.collector, `/dashboard/surveys/${surveyId}`)
      await expectAccessible(page, `overview, ${look.name}`)
      await screenshot(page, `overview-${look.name}`)
      await page.getByRole('button', { name: 'Show as table' }).click()
      await expectAccessible(page, `overview with the trend table, ${look.name}`)
      await openView(page, world.collector, `/dashboard/surveys/${surveyId}/compare`)
      await expectAccessible(page, `compare, ${look.name}`)
      await screenshot(page, `compare-${look.name}`)
    })
  }
})
