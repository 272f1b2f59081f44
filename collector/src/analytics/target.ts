/**
 * Where a survey stands against its NPS target, in two separate answers: where it is now (a status
 * judged against the 95% interval of the current answers) and where it is heading (a projection to the
 * deadline from a weighted straight line through monthly NPS, with the line's own 95% interval).
 *
 * @example
 * statusAgainst([34.1, 47.9], 30) // 'met': even the interval's lower end clears the target
 */

/**
 * met: the interval's lower end is at or above the target; below: its upper end is under it;
 * uncertain: the target lies inside the interval (or nobody answered). The same words before and after
 * the deadline: `deadlinePassed` in the answer says which.
 */
export type TargetStatus = 'met' | 'below' | 'uncertain'

export function statusAgainst(ci95: readonly [number, number] | null, target: number): TargetStatus {
  if (!ci95) return 'uncertain'
  if (ci95[0] >= target) return 'met'
  if (ci95[1] < target) return 'below'
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
export const PROJECTION_MIN_ANSWERS = 30
const MONTH_MS = (365.2425 / 12) * 86_400_000

/** Two-sided 95% quantiles of Student's t for 1…10 degrees of freedom (12 months leave at most 10). */
const T975 = [
  12.706204736, 4.30265273, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
  2.262157163, 2.228138852,
]

export const PROJECTION_METHOD =
  `weighted least-squares line through the NPS of each calendar month (UTC) of the last ${PROJECTION_MONTHS} months ` +
  `that has answers, each month weighted by its number of answers, read at the end of the deadline day; ` +
  `its 95% interval is the line's confidence interval there, t(0.975, months − 2) × √(s² (1/Σw + (x − x̄)²/Sxx)), ` +
  `with s² the larger of the weighted residual variance Σw·r²/(months − 2) and the per-answer sampling variance ` +
  `of those answers (adjusted Wald, in points²), so a line never looks surer than its answers allow; ` +
  `needs at least ${PROJECTION_MIN_POINTS} such months, ${PROJECTION_MIN_ANSWERS} answers in them and a deadline still ahead`

export interface Projection {
  nps: number
  /** The line's 95% interval at the deadline, clamped to [−100, 100]. */
  ci95: [number, number]
  slopePerMonth: number
  months: number
  answers: number
}

/** Why there is no projection, in words, or null when one can be made. */
export function projectionBlocker(points: readonly MonthlyPoint[]): string | null {
  const used = points.filter((p) => p.total > 0)
  if (used.length < PROJECTION_MIN_POINTS) {
    return `answers in ${used.length} of the last ${PROJECTION_MONTHS} calendar months; a projection needs at least ${PROJECTION_MIN_POINTS}`
  }
  const answers = used.reduce((sum, p) => sum + p.total, 0)
  if (answers < PROJECTION_MIN_ANSWERS) {
    return `${answers} answers in the last ${PROJECTION_MONTHS} months; a projection needs at least ${PROJECTION_MIN_ANSWERS}`
  }
  return null
}

/**
 * The weighted least-squares line through the points, read at `at`, with its 95% interval;
 * null when {@link projectionBlocker} names a reason. `answerVariance` is the per-answer σ² of the
 * answers in those months on the −1…+1 scale (adjustedWald(...).variance). Clamped to [−100, 100].
 */
export function project(
  points: readonly MonthlyPoint[],
  at: number,
  answerVariance: number,
): Projection | null {
  if (projectionBlocker(points) !== null) return null
  const used = points.filter((p) => p.total > 0)
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
  let residual = 0
  for (const p of used) {
    const r = p.nps - (meanY + slopePerMonth * ((p.at - meanX) / MONTH_MS))
    residual += p.total * r * r
  }
  const df = used.length - 2
  const s2 = Math.max(residual / df, 10_000 * answerVariance)
  const dx0 = (at - meanX) / MONTH_MS
  const nps = meanY + slopePerMonth * dx0
  const half = T975[Math.min(df, T975.length) - 1]! * Math.sqrt(s2 * (1 / weight + (dx0 * dx0) / sxx))
  const clamp = (v: number) => Math.max(-100, Math.min(100, v))
  return {
    nps: clamp(nps),
    ci95: [clamp(nps - half), clamp(nps + half)],
    slopePerMonth,
    months: used.length,
    answers: weight,
  }
}
