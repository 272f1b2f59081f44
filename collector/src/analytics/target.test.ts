import { describe, expect, it } from 'vitest'
import { type MonthlyPoint, PROJECTION_METHOD, project, projectionBlocker, statusAgainst } from './target.ts'

const MONTH_MS = (365.2425 / 12) * 86_400_000

/**
 * A second, plain implementation: the normal equations (XᵀWX)β = XᵀWy solved as a 2×2 system, with x
 * in months from the first point (raw epoch months would cost the determinant its digits).
 */
function byNormalEquations(points: MonthlyPoint[], at: number, answerVariance: number, t: number) {
  const origin = points[0]!.at
  const xs = points.map((p) => (p.at - origin) / MONTH_MS)
  let a00 = 0
  let a01 = 0
  let a11 = 0
  let b0 = 0
  let b1 = 0
  points.forEach((p, i) => {
    const x = xs[i]!
    a00 += p.total
    a01 += p.total * x
    a11 += p.total * x * x
    b0 += p.total * p.nps
    b1 += p.total * x * p.nps
  })
  const det = a00 * a11 - a01 * a01
  const inv = [a11 / det, -a01 / det, a00 / det] // [i00, i01, i11]
  const intercept = inv[0]! * b0 + inv[1]! * b1
  const slope = inv[1]! * b0 + inv[2]! * b1
  const rss = points.reduce((sum, p, i) => sum + p.total * (p.nps - intercept - slope * xs[i]!) ** 2, 0)
  const s2 = Math.max(rss / (points.length - 2), 10_000 * answerVariance)
  const x0 = (at - origin) / MONTH_MS
  const variance = s2 * (inv[0]! + 2 * inv[1]! * x0 + inv[2]! * x0 * x0)
  const y0 = intercept + slope * x0
  return { nps: y0, slope, low: y0 - t * Math.sqrt(variance), high: y0 + t * Math.sqrt(variance) }
}

describe('statusAgainst', () => {
  it('says met, below or uncertain by where the target lies against the interval', () => {
    expect(statusAgainst([34, 48], 30)).toBe('met')
    expect(statusAgainst([14, 44], 50)).toBe('below')
    expect(statusAgainst([14, 44], 40)).toBe('uncertain')
    expect(statusAgainst(null, 40)).toBe('uncertain')
  })
})

describe('project', () => {
  const month = (i: number) => Date.UTC(2026, i, 15)
  const points: MonthlyPoint[] = [
    { at: month(0), nps: 10, total: 40 },
    { at: month(1), nps: 18, total: 55 },
    { at: month(2), nps: 14, total: 30 },
    { at: month(3), nps: 30, total: 70 },
    { at: month(4), nps: 27, total: 50 },
  ]
  const deadline = Date.UTC(2026, 11, 31)

  it('matches the normal equations of the weighted line and its t-interval at the deadline, to 1e-9', () => {
    // A small sampling variance, so the residuals set s².
    const line = project(points, deadline, 0.0001)!
    const expected = byNormalEquations(points, deadline, 0.0001, 3.182446305)
    expect(line.nps).toBeCloseTo(expected.nps, 9)
    expect(line.slopePerMonth).toBeCloseTo(expected.slope, 9)
    expect(line.ci95[0]).toBeCloseTo(expected.low, 9)
    // Clamped to the scale, as every NPS interval is.
    expect(line.ci95[1]).toBeCloseTo(Math.min(100, expected.high), 9)
    expect(line).toMatchObject({ months: 5, answers: 245 })
  })

  it('never draws the interval narrower than the answers’ own sampling variance allows', () => {
    const line = project(points, deadline, 0.6)!
    const expected = byNormalEquations(points, deadline, 0.6, 3.182446305)
    expect(line.ci95[0]).toBeCloseTo(expected.low, 9)
    const narrow = project(points, deadline, 0.0001)!
    expect(line.ci95[1] - line.ci95[0]).toBeGreaterThan(narrow.ci95[1] - narrow.ci95[0])
  })

  it('makes no projection from fewer than three months or fewer than 30 answers, and says why', () => {
    expect(project(points.slice(0, 2), deadline, 0.5)).toBeNull()
    expect(projectionBlocker(points.slice(0, 2))).toBe(
      'answers in 2 of the last 12 calendar months; a projection needs at least 3',
    )
    const thin = points.map((p) => ({ ...p, total: 5 }))
    expect(project(thin, deadline, 0.5)).toBeNull()
    expect(projectionBlocker(thin)).toBe('25 answers in the last 12 months; a projection needs at least 30')
    expect(projectionBlocker(points)).toBeNull()
    expect(PROJECTION_METHOD).toMatch(/confidence interval/)
  })
})
