/**
 * The NPS math, implemented once and used by every package: classify a score, summarize answers into
 * the Summary shape, the adjusted-Wald 95% interval (Rocks 2016, The American Statistician 70:365–372),
 * the two-period z-test built on it, and the sample size needed for a margin.
 *
 * Pure and exact: no I/O, nothing is rounded. A score that is not an integer from 0 to 10 is rejected,
 * never rounded, because a silently rounded 6.5 would move a detractor into the passives.
 *
 * @example
 * summarize([0, 0, 0, 0, 0, 0, 20, 15, 15, 25, 25]).nps // 30
 */

export type Category = 'promoter' | 'passive' | 'detractor'

/** Counts of the three categories; every NPS figure depends on nothing else. */
export interface CategoryCounts {
  promoters: number
  passives: number
  detractors: number
}

/** An NPS point estimate with its adjusted-Wald 95% interval. */
export interface NpsEstimate extends CategoryCounts {
  total: number
  /** 100 × (promoters − detractors) / total, unrounded; null when nobody answered. */
  nps: number | null
  /** Adjusted-Wald 95% interval in NPS points, clamped to [−100, 100]; null when nobody answered. */
  ci95: [number, number] | null
  /** Half the width of the unclamped interval, in NPS points; null when nobody answered. */
  marginOfError: number | null
  /** True below {@link MIN_MEANINGFUL_SAMPLE} answers: the interval is too wide to act on. */
  lowSample: boolean
}

/** The aggregate every read endpoint answers with (see ARCHITECTURE.md, "Summary"). */
export interface Summary extends NpsEstimate {
  /** distribution[s] is how many answered score s, for s = 0…10. */
  distribution: number[]
}

/** Below this many answers the figures are reported with `lowSample: true`. */
export const MIN_MEANINGFUL_SAMPLE = 30

/** The two-sided 95% normal quantile, as the published recipe uses it. */
export const Z95 = 1.96

const SCORES = 11

/** True for the integers 0…10, the only answers the question allows. */
export function isScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10
}

/** Promoters answer 9–10, passives 7–8, detractors 0–6. Throws a RangeError for anything else. */
export function classify(score: number): Category {
  if (!isScore(score)) throw new RangeError(`score must be an integer from 0 to 10, got ${String(score)}`)
  if (score >= 9) return 'promoter'
  if (score >= 7) return 'passive'
  return 'detractor'
}

/**
 * `weights: true` accepts counts that are fractions (any finite number ≥ 0): weighted answers, as when
 * each respondent of an account weighs 1 shared by their answers. Without it a count is an integer.
 */
export interface CountOptions {
  weights?: boolean | undefined
}

function assertCount(name: string, value: number, options?: CountOptions): void {
  if (options?.weights) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`${name} must be a finite number ≥ 0, got ${String(value)}`)
    }
    return
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`)
  }
}

/** The per-answer quantities of the adjusted-Wald method, on the −1/0/+1 scale. */
export interface AdjustedWald {
  /** n′ = n + 3 */
  n: number
  /** s = p′ − d′, the adjusted NPS as a proportion */
  s: number
  /** σ² = p′ + d′ − s², the per-answer variance */
  variance: number
}

/**
 * Adds ¾ of an answer to the promoters and to the detractors (and so 1½ to the passives), which keeps
 * the interval honest for small samples and for scores near ±100.
 */
export function adjustedWald(counts: CategoryCounts, options?: CountOptions): AdjustedWald {
  const { promoters, passives, detractors } = counts
  assertCount('promoters', promoters, options)
  assertCount('passives', passives, options)
  assertCount('detractors', detractors, options)
  const n = promoters + passives + detractors + 3
  const p = (promoters + 0.75) / n
  const d = (detractors + 0.75) / n
  const s = p - d
  return { n, s, variance: p + d - s * s }
}

/** The adjusted-Wald interval in NPS points: 100 × (s ± z·√(σ²/n′)), clamped to [−100, 100]. */
export function adjustedWaldInterval(
  counts: CategoryCounts,
  z: number = Z95,
  options?: CountOptions,
): { center: number; low: number; high: number; margin: number } {
  const { n, s, variance } = adjustedWald(counts, options)
  const margin = 100 * z * Math.sqrt(variance / n)
  const center = 100 * s
  return { center, low: Math.max(-100, center - margin), high: Math.min(100, center + margin), margin }
}

/** The point estimate and its interval for category counts. */
export function estimate(counts: CategoryCounts, options?: CountOptions): NpsEstimate {
  const interval = adjustedWaldInterval(counts, Z95, options)
  const { promoters, passives, detractors } = counts
  const total = promoters + passives + detractors
  if (total === 0) {
    return {
      total,
      promoters,
      passives,
      detractors,
      nps: null,
      ci95: null,
      marginOfError: null,
      lowSample: true,
    }
  }
  return {
    total,
    promoters,
    passives,
    detractors,
    nps: (100 * (promoters - detractors)) / total,
    ci95: [interval.low, interval.high],
    marginOfError: interval.margin,
    lowSample: total < MIN_MEANINGFUL_SAMPLE,
  }
}

/** Category counts of a score distribution (index = score). */
export function countsOf(distribution: readonly number[], options?: CountOptions): CategoryCounts {
  if (distribution.length !== SCORES) {
    throw new RangeError(`a distribution has ${SCORES} counts (scores 0–10), got ${distribution.length}`)
  }
  let promoters = 0
  let passives = 0
  let detractors = 0
  distribution.forEach((count, score) => {
    assertCount(`distribution[${score}]`, count, options)
    if (score >= 9) promoters += count
    else if (score >= 7) passives += count
    else detractors += count
  })
  return { promoters, passives, detractors }
}

/** The Summary of a distribution: distribution[s] answers scored s. */
export function summarize(distribution: readonly number[]): Summary {
  return { ...estimate(countsOf(distribution)), distribution: [...distribution] }
}

/** An empty distribution, one zero per score. */
export function emptyDistribution(): number[] {
  return new Array<number>(SCORES).fill(0)
}

/** The Summary of individual scores; throws a RangeError on the first score that is not 0–10. */
export function summarizeScores(scores: Iterable<number>): Summary {
  const distribution = emptyDistribution()
  for (const score of scores) {
    classify(score)
    distribution[score] = (distribution[score] ?? 0) + 1
  }
  return summarize(distribution)
}

/**
 * The standard normal cumulative distribution, Φ(x), through erfc with a Chebyshev-fitted
 * approximation (Numerical Recipes' erfcc, fractional error below 1.2e-7 everywhere).
 */
export function normalCdf(x: number): number {
  const u = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * u)
  const coefficients = [
    -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
    -0.82215223, 0.17087277,
  ]
  let poly = 0
  for (let i = coefficients.length - 1; i >= 0; i--) poly = (coefficients[i] as number) + t * poly
  const erfc = t * Math.exp(-u * u + poly)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

export interface Comparison {
  /** a.nps − b.nps in NPS points (raw scores); null when either side has no answers. */
  delta: number | null
  /** (s_a − s_b) / √(σ²_a/n′_a + σ²_b/n′_b) on the adjusted-Wald quantities. */
  z: number | null
  /** Two-sided p-value, 2·(1 − Φ(|z|)). */
  pValue: number | null
  /** pValue < 0.05 */
  significant: boolean
}

/**
 * Did NPS differ between two independent samples (for example two non-overlapping periods)? The test
 * assumes independent samples: overlapping rolling windows are not.
 */
export function compare(a: CategoryCounts, b: CategoryCounts, options?: CountOptions): Comparison {
  const totalA = a.promoters + a.passives + a.detractors
  const totalB = b.promoters + b.passives + b.detractors
  const wa = adjustedWald(a, options)
  const wb = adjustedWald(b, options)
  if (totalA === 0 || totalB === 0) return { delta: null, z: null, pValue: null, significant: false }
  const delta = (100 * (a.promoters - a.detractors)) / totalA - (100 * (b.promoters - b.detractors)) / totalB
  const se = Math.sqrt(wa.variance / wa.n + wb.variance / wb.n)
  const z = (wa.s - wb.s) / se
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))))
  return { delta, z, pValue, significant: pValue < 0.05 }
}

/** The planning variance when nothing is known yet: a typical split (MeasuringU's 0.6). */
export const TYPICAL_VARIANCE = 0.6

/**
 * How many answers a 95% interval of ± `margin` NPS points needs: n = z²·σ²/(m/100)² − 3, rounded up.
 * `variance` is the per-answer σ² (from {@link adjustedWald} of the answers so far, or a planning value:
 * 1 is the worst case).
 */
export function sampleSizeForMargin(margin: number, variance: number = TYPICAL_VARIANCE): number {
  if (!(margin > 0 && margin <= 200))
    throw new RangeError(`margin must be in (0, 200] NPS points, got ${margin}`)
  if (!(variance >= 0 && variance <= 1)) throw new RangeError(`variance must be in [0, 1], got ${variance}`)
  const m = margin / 100
  return Math.max(0, Math.ceil((Z95 * Z95 * variance) / (m * m) - 3 - 1e-9))
}
