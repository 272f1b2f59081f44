/**
 * Where a survey stands against its NPS target: a status judged against the 95% interval, and a
 * projection to the deadline from a straight line through monthly NPS.
 *
 * @example
 * statusAgainst([34.1, 47.9], 30) // 'met': even the interval's lower end clears the target
 */

export type TargetStatus = 'met' | 'missed' | 'uncertain'

/** met: the interval's lower end is at or above the target; missed: its upper end is below it. */
export function statusAgainst(ci95: readonly [number, number] | null, target: number): TargetStatus {
  if (!ci95) return 'uncertain'
  if (ci95[0] >= target) return 'met'
  if (ci95[1] < target) return 'missed'
  return 'uncertain'
}

export interface MonthlyPoint {
  /** The month's midpoint (or the midpoint of its elapsed part), ms. */
  at: number
  nps: number
  total: number
}

export const PROJECTION_MONTHS = 12
export const PROJECTION_MIN_POINTS = 3
const MONTH_MS = (365.2425 / 12) * 86_400_000

export const PROJECTION_METHOD =
  `least-squares line through the NPS of each calendar month (UTC) of the last ${PROJECTION_MONTHS} months ` +
  `that has answers, each month weighted by its number of answers, extended to the end of the deadline day; ` +
  `needs at least ${PROJECTION_MIN_POINTS} such months and a deadline still ahead`

/**
 * The weighted least-squares line through the points, read at `at`; null with fewer than
 * {@link PROJECTION_MIN_POINTS} points or when all points share one month. Clamped to [−100, 100].
 */
export function project(
  points: readonly MonthlyPoint[],
  at: number,
): { nps: number; slopePerMonth: number } | null {
  const used = points.filter((p) => p.total > 0)
  if (used.length < PROJECTION_MIN_POINTS) return null
  let weight = 0
  let meanX = 0
  let meanY = 0
  for (const p of used) {
    weight += p.total
    meanX += p.total * p.at
    meanY += p.total * p.nps
  }
  meanX /= weight
  meanY /= weight
  let sxx = 0
  let sxy = 0
  for (const p of used) {
    // Months as the unit keeps the sums far from floating-point trouble with epoch milliseconds.
    const dx = (p.at - meanX) / MONTH_MS
    sxx += p.total * dx * dx
    sxy += p.total * dx * (p.nps - meanY)
  }
  if (sxx === 0) return null
  const slopePerMonth = sxy / sxx
  const nps = meanY + slopePerMonth * ((at - meanX) / MONTH_MS)
  return { nps: Math.max(-100, Math.min(100, nps)), slopePerMonth }
}
