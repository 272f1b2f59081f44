/**
 * Calendar arithmetic in an IANA time zone, for trend buckets: where a day, an ISO week (Monday) or a
 * month starts in that zone, as UTC instants. Built on `Intl.DateTimeFormat` only, so every zone the
 * runtime's ICU knows works and daylight-saving days are 23 or 25 hours long, as they are on the wall.
 *
 * A calendar date is handled as a "day number" (days since 1970-01-01 in the proleptic Gregorian
 * calendar), so stepping a day or a month never passes through a UTC instant and cannot drift.
 *
 * @example
 * periodsBetween(Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-04-01T00:00:00Z'), 'day', 'Europe/Berlin')
 * // 31 days; the one for 2026-03-29 is 23 hours long
 */

export type Interval = 'day' | 'week' | 'month'

const DAY_MS = 86_400_000

/** A period as UTC instants: start inclusive, end exclusive. */
export interface Period {
  start: number
  end: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(tz, formatter)
  }
  return formatter
}

/** True when the runtime knows this IANA zone name (`UTC`, `Europe/Berlin`, …). */
export function isTimeZone(tz: string): boolean {
  if (tz.length === 0 || tz.length > 64) return false
  try {
    formatterFor(tz)
    return true
  } catch {
    return false
  }
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'GMT', 'Etc/GMT', 'Etc/Universal', 'Etc/Zulu'])
const wallClocks = new Map<string, number>()
const WALL_CLOCK_CACHE_SIZE = 8192

/** The wall-clock time in `tz` at `instant`, written as if it were a UTC instant (ms, whole seconds). */
function wallClock(instant: number, tz: string): number {
  if (UTC_NAMES.has(tz)) return instant
  // Stepping day by day asks for the same instants again (a day's "day after" is the next day's "day
  // before"); formatToParts is the slow part, so remember recent answers.
  const key = `${tz} ${instant}`
  const known = wallClocks.get(key)
  if (known !== undefined) return known
  if (wallClocks.size >= WALL_CLOCK_CACHE_SIZE) wallClocks.clear()
  const wall = formatWallClock(instant, tz)
  wallClocks.set(key, wall)
  return wall
}

function formatWallClock(instant: number, tz: string): number {
  const fields: Record<string, string> = {}
  for (const part of formatterFor(tz).formatToParts(instant)) fields[part.type] = part.value
  let year = Number(fields.year)
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year
  const wall = Date.UTC(
    year,
    Number(fields.month) - 1,
    Number(fields.day),
    Number(fields.hour),
    Number(fields.minute),
    Number(fields.second),
  )
  // Date.UTC maps years 0–99 to 1900–1999; undo that for the (theoretical) first century.
  return year >= 0 && year < 100 ? new Date(wall).setUTCFullYear(year) : wall
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, tz: string): number {
  const whole = Math.floor(instant / 1000) * 1000
  return wallClock(whole, tz) - whole
}

/**
 * The first instant whose wall clock in `tz` reads `wall` or later. For a wall time that happens twice
 * (clocks going back) that is the earlier instant; for one skipped by a spring-forward jump it is the
 * jump itself, which is where such a day (or hour) really starts.
 */
export function instantOfWallClock(wall: number, tz: string): number {
  // Offsets change at most once around any wall time, so the ones in force a day either side are the
  // only candidates.
  const before = offsetAt(wall - DAY_MS, tz)
  const after = offsetAt(wall + DAY_MS, tz)
  const readings = [wall - before, wall - after].filter((instant) => wallClock(instant, tz) === wall)
  if (readings.length > 0) return Math.min(...readings)
  // Skipped by a spring-forward jump: the wall clock only rises across the gap, so search for the jump.
  let low = wall - Math.max(before, after)
  let high = wall - Math.min(before, after)
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000
    if (wallClock(middle, tz) >= wall) high = middle
    else low = middle
  }
  return high
}

/** Day number (days since 1970-01-01) of the calendar date on the wall in `tz` at `instant`. */
export function dayNumberAt(instant: number, tz: string): number {
  return Math.floor(wallClock(Math.floor(instant / 1000) * 1000, tz) / DAY_MS)
}

/** The instant the calendar day `dayNumber` starts in `tz`. */
export function startOfDayNumber(dayNumber: number, tz: string): number {
  return instantOfWallClock(dayNumber * DAY_MS, tz)
}

function calendar(dayNumber: number): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(dayNumber * DAY_MS)
  // getUTCDay: 0 is Sunday; ISO weeks start on Monday.
  const weekday = (date.getUTCDay() + 6) % 7
  return { year: date.getUTCFullYear(), month: date.getUTCMonth(), day: date.getUTCDate(), weekday }
}

function dayNumberOf(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month, day) / DAY_MS)
}

/** Day number of the first day of the period (of this kind) that contains `dayNumber`. */
export function floorDayNumber(dayNumber: number, interval: Interval): number {
  if (interval === 'day') return dayNumber
  const { year, month, weekday } = calendar(dayNumber)
  if (interval === 'week') return dayNumber - weekday
  return dayNumberOf(year, month, 1)
}

/** Day number of the first day of the next period. */
export function nextDayNumber(dayNumber: number, interval: Interval): number {
  if (interval === 'day') return dayNumber + 1
  if (interval === 'week') return dayNumber + 7
  const { year, month } = calendar(dayNumber)
  return dayNumberOf(year, month + 1, 1)
}

/**
 * The calendar periods in `tz` that together cover [from, to): the first contains `from`, the last
 * contains the instant just before `to`. Returns null when there would be more than `max`.
 */
export function periodsBetween(
  from: number,
  to: number,
  interval: Interval,
  tz: string,
  max = Number.POSITIVE_INFINITY,
): { dayNumbers: number[]; periods: Period[] } | null {
  const dayNumbers: number[] = []
  const periods: Period[] = []
  let day = floorDayNumber(dayNumberAt(from, tz), interval)
  let start = startOfDayNumber(day, tz)
  while (start < to) {
    if (periods.length >= max) return null
    const nextDay = nextDayNumber(day, interval)
    const end = startOfDayNumber(nextDay, tz)
    dayNumbers.push(day)
    periods.push({ start, end })
    day = nextDay
    start = end
  }
  return { dayNumbers, periods }
}
