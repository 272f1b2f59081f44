/**
 * The global controls every view shares, read from and written to the URL: the period (a preset or a
 * custom range), the time zone (the browser's unless chosen) and the answer filters (locale, path,
 * device, `segment.<key>`, each respondent's latest answer only). `analyticsQuery` turns them into the
 * query parameters the API's read routes take, so a view asks exactly what a script would.
 */
import { computed } from '@preact/signals'
import { query, setQuery } from './router.ts'

export const PERIODS = [
  { id: '7d', days: 7, label: 'Last 7 days' },
  { id: '30d', days: 30, label: 'Last 30 days' },
  { id: '90d', days: 90, label: 'Last 90 days' },
  { id: '12m', days: 365, label: 'Last 12 months' },
  { id: 'all', days: null, label: 'All time' },
  { id: 'custom', days: null, label: 'Custom…' },
] as const
export type PeriodId = (typeof PERIODS)[number]['id']
export const DEFAULT_PERIOD: PeriodId = '90d'

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

/** A day as YYYY-MM-DD in a time zone. */
export function dayIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/** YYYY-MM-DD plus whole days (calendar arithmetic, no time zone involved). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

export interface Filters {
  period: PeriodId
  /** First day counted, YYYY-MM-DD in `tz` (null: from the first answer). */
  fromDay: string | null
  /** Last day counted, inclusive (null: up to now). */
  toDay: string | null
  tz: string
  locale: string | null
  path: string | null
  device: 'desktop' | 'mobile' | 'tablet' | null
  segments: [string, string][]
  latestPerRespondent: boolean
  /** Only answers still inside the survey's lifetime (the API's current=true). */
  current: boolean
}

export const filters = computed<Filters>(() => {
  const q = query.value
  const tz = q.get('tz') || browserTimeZone()
  const wanted = q.get('period') as PeriodId | null
  const period = PERIODS.some((p) => p.id === wanted) ? (wanted as PeriodId) : DEFAULT_PERIOD
  let fromDay: string | null = null
  let toDay: string | null = null
  if (period === 'custom') {
    const from = q.get('from')
    const to = q.get('to')
    fromDay = from && DAY.test(from) ? from : null
    toDay = to && DAY.test(to) ? to : null
  } else {
    const days = PERIODS.find((p) => p.id === period)?.days
    if (days) {
      toDay = dayIn(tz)
      fromDay = addDays(toDay, -(days - 1))
    }
  }
  const device = q.get('device')
  return {
    period,
    fromDay,
    toDay,
    tz,
    locale: q.get('locale'),
    path: q.get('path'),
    device: device === 'desktop' || device === 'mobile' || device === 'tablet' ? device : null,
    segments: [...q.entries()]
      .filter(([name, value]) => name.startsWith('segment.') && name.length > 8 && value)
      .map(([name, value]) => [name.slice(8), value] as [string, string]),
    latestPerRespondent: q.get('latest') === 'true',
    current: q.get('current') === 'true',
  }
})

/** The period's `from` / `to` (to exclusive) as the API reads them: days in `tz`. */
export function rangeQuery(f: Filters = filters.value): Record<string, string> {
  const out: Record<string, string> = { tz: f.tz }
  if (f.fromDay) out.from = f.fromDay
  if (f.toDay) out.to = addDays(f.toDay, 1)
  return out
}

/** The answer filters (everything but the period) as API query parameters. */
export function answerFilterQuery(f: Filters = filters.value): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.locale) out.locale = f.locale
  if (f.path) out.path = f.path
  if (f.device) out.device = f.device
  for (const [key, value] of f.segments) out[`segment.${key}`] = value
  if (f.latestPerRespondent) out.latestPerRespondent = 'true'
  if (f.current) out.current = 'true'
  return out
}

/** Period and filters together: what the figure routes (nps, trend, breakdown, themes) take. */
export function analyticsQuery(f: Filters = filters.value): Record<string, string> {
  return { ...rangeQuery(f), ...answerFilterQuery(f) }
}

/** The filters in words, for a heading or an export's name. */
export function describeFilters(f: Filters = filters.value): string[] {
  const words: string[] = []
  if (f.locale) words.push(`locale ${f.locale}`)
  if (f.path) words.push(`path ${f.path}`)
  if (f.device) words.push(f.device)
  for (const [key, value] of f.segments) words.push(`${key} = ${value}`)
  if (f.latestPerRespondent) words.push('latest answer per respondent')
  if (f.current) words.push('current answers only')
  return words
}

export function setPeriod(period: PeriodId, range?: { from: string; to: string }) {
  setQuery({
    period: period === DEFAULT_PERIOD ? null : period,
    from: period === 'custom' ? (range?.from ?? null) : null,
    to: period === 'custom' ? (range?.to ?? null) : null,
  })
}

export function setFilter(
  name: 'locale' | 'path' | 'device' | 'tz' | 'latest' | 'current' | `segment.${string}`,
  value: string | null,
) {
  setQuery({ [name]: value })
}
