/**
 * The two periods the compare view sets side by side, as inclusive days (what a person types into a
 * date field) kept in the URL as `aFrom`, `aTo`, `bFrom`, `bTo`. By default A is the global period and B
 * the same number of days just before it; the API takes each end as exclusive, so `to` moves a day on.
 */
import { addDays, DEFAULT_PERIOD, type Filters, PERIODS } from '../filters.ts'

export interface Periods {
  aFrom: string
  aTo: string
  bFrom: string
  bTo: string
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
const FALLBACK_DAYS = PERIODS.find((p) => p.id === DEFAULT_PERIOD)?.days ?? 90

/** Days from `from` to `to`, both counted. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

/**
 * A = the global period (or, when it has no start, the default period's length up to its end) and
 * B = as many days ending the day before A starts.
 */
export function defaultPeriods(f: Pick<Filters, 'fromDay' | 'toDay'>, today: string): Periods {
  const aTo = f.toDay ?? today
  const aFrom = f.fromDay ?? addDays(aTo, -(FALLBACK_DAYS - 1))
  const length = daysBetween(aFrom, aTo)
  const bTo = addDays(aFrom, -1)
  return { aFrom, aTo, bFrom: addDays(bTo, -(length - 1)), bTo }
}

/** The periods the URL names, each missing or malformed day taken from the defaults. */
export function periodsFrom(query: URLSearchParams, defaults: Periods): Periods {
  const pick = (name: keyof Periods) => {
    const value = query.get(name)
    return value && DAY.test(value) ? value : defaults[name]
  }
  return { aFrom: pick('aFrom'), aTo: pick('aTo'), bFrom: pick('bFrom'), bTo: pick('bTo') }
}

/** What is wrong with the periods, in words, or null when both run forwards. */
export function periodsProblem(p: Periods): string | null {
  if (p.aFrom > p.aTo) return 'Period A ends before it starts: choose a last day on or after the first.'
  if (p.bFrom > p.bTo) return 'Period B ends before it starts: choose a last day on or after the first.'
  return null
}

/** The `/nps/compare` query of the periods (exclusive ends), in the time zone `tz`. */
export function compareRange(p: Periods, tz: string): Periods & { tz: string } {
  return { tz, aFrom: p.aFrom, aTo: addDays(p.aTo, 1), bFrom: p.bFrom, bTo: addDays(p.bTo, 1) }
}
