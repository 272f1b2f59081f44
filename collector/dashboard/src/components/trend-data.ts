/**
 * The trend chart's data, kept apart from drawing so it can be tested without a canvas: the interval a
 * period reads best in, and the API's trend points, target and projection laid out as the aligned
 * columns uPlot draws (x in seconds; null where a period has no answers, which the chart shows as a gap).
 */
import type { TargetStatus, Trend } from '../api/client.ts'
import type { Filters } from '../filters.ts'

export type Interval = Trend['interval']
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month']

/** Days the period covers, both ends counted; null when it has no start (all time). */
export function periodDays(f: Pick<Filters, 'fromDay' | 'toDay'>, today: string): number | null {
  if (!f.fromDay) return null
  const to = f.toDay ?? today
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${f.fromDay}T00:00:00Z`)) / 86_400_000) + 1
}

/**
 * One point per day up to a month, per week up to half a year, per month beyond: about 10–30 points,
 * enough to see a direction, few enough that each point has answers.
 */
export function defaultInterval(days: number | null): Interval {
  if (days === null) return 'month'
  if (days <= 31) return 'day'
  if (days <= 183) return 'week'
  return 'month'
}

/** Column indices of {@link ChartData.columns}, named for the chart's series and band. */
export const COLUMN = { x: 0, nps: 1, low: 2, high: 3, target: 4, projection: 5 } as const

export interface ChartData {
  /** x, nps, ci95 low, ci95 high, target, projection: uPlot's aligned data. */
  columns: [number[], ...(number | null)[][]]
  /** How many of the columns' rows are the API's points (a projection adds one more row after them). */
  points: number
  target: number | null
  /** The projected NPS at `at` (seconds), the end of the deadline day. */
  projection: { at: number; nps: number; deadline: string } | null
  /** Index of the last point with answers (where the projection starts), or -1. */
  last: number
}

/**
 * Lays out the points (x at each period's start) with the target as a constant and the projection as a
 * line from the last point with answers to the projected NPS at the deadline. The projection is left out
 * when `withProjection` is false (a past period: the line is about the future) or it lies before the
 * last point.
 */
export function chartData(
  trend: Trend,
  target: TargetStatus | undefined,
  { withProjection = true } = {},
): ChartData {
  const xs = trend.points.map((p) => Date.parse(p.start) / 1000)
  const nps = trend.points.map((p) => p.nps)
  const low = trend.points.map((p) => p.ci95?.[0] ?? null)
  const high = trend.points.map((p) => p.ci95?.[1] ?? null)
  let last = -1
  for (let i = nps.length - 1; i >= 0; i--) {
    if (nps[i] != null) {
      last = i
      break
    }
  }
  const goal = target?.target?.nps ?? null
  const p = target?.projection
  const at = p ? Date.parse(p.at) / 1000 : Number.NaN
  const projection =
    withProjection && p && target?.target && last >= 0 && at > (xs[xs.length - 1] ?? Number.POSITIVE_INFINITY)
      ? { at, nps: p.nps, deadline: target.target.deadline }
      : null
  const line: (number | null)[] = nps.map((v, i) => (projection && i === last ? v : null))
  if (projection) {
    xs.push(projection.at)
    nps.push(null)
    low.push(null)
    high.push(null)
    line.push(projection.nps)
  }
  const targetColumn = xs.map(() => goal)
  return {
    columns: [xs, nps, low, high, targetColumn, line],
    points: trend.points.length,
    target: goal,
    projection,
    last,
  }
}

const HALF_INTERVAL_S = { day: 43_200, week: 302_400, month: 1_296_000 } as const

/**
 * The x range: the points, and beyond them at most half their span more for the projection, so a
 * deadline a year away does not squeeze a quarter's points into a corner. `clipped` says the dashed
 * line runs past the right edge (the chart then names the projected figure in words).
 */
export function xRange(data: ChartData, interval: Interval): { range: [number, number]; clipped: boolean } {
  const x = data.columns[0]
  const first = x[0] ?? 0
  const lastPoint = x[data.points - 1] ?? first
  const pad = data.points === 1 ? HALF_INTERVAL_S[interval] : 0
  if (!data.projection) return { range: [first - pad, lastPoint + pad], clipped: false }
  const room = Math.max((lastPoint - first) / 2, 4 * HALF_INTERVAL_S[interval])
  const end = Math.min(data.projection.at, lastPoint + room)
  return { range: [first - pad, end], clipped: end < data.projection.at }
}

/** The y range that shows the band, the target and the projection with a little room, within ±100. */
export function yRange(data: ChartData): [number, number] {
  const values: number[] = []
  for (const column of data.columns.slice(1)) for (const v of column) if (v != null) values.push(v)
  if (values.length === 0) return [-100, 100]
  let min = Math.min(...values)
  let max = Math.max(...values)
  const pad = Math.max(5, (max - min) * 0.08)
  min = Math.max(-100, Math.floor((min - pad) / 5) * 5)
  max = Math.min(100, Math.ceil((max + pad) / 5) * 5)
  return [min, max]
}
