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

/** Above this 95% margin of error (in NPS points) a figure is too imprecise to act on. */
export const MAX_PRECISE_MARGIN = 10

export interface Precision {
  /** 'low': fewer than {@link MIN_MEANINGFUL_SAMPLE} answers or a 95% margin above {@link MAX_PRECISE_MARGIN}. */
  precision: 'ok' | 'low'
  /** Why it is low, in words; null when 'ok'. */
  reason: string | null
}

/**
 * The one precision rule for any NPS figure (a Summary, a comparison side, a breakdown group): 'low'
 * with no answers, with fewer than {@link MIN_MEANINGFUL_SAMPLE} answers (the normal approximation
 * behind the interval and the z-test is poor there), or when the 95% margin of error exceeds
 * {@link MAX_PRECISE_MARGIN} points (a ±10 figure is the coarsest a decision should rest on; n alone
 * says too little, since 54 answers can still be ±22).
 *
 * @example
 * precisionOf(summarize([0, 0, 0, 0, 0, 0, 20, 15, 15, 25, 25])) // { precision: 'low', reason: '95% margin ±15.1 > ±10 points' }
 */
export function precisionOf(estimate: Pick<NpsEstimate, 'total' | 'marginOfError'>): Precision {
  const { total, marginOfError } = estimate
  if (total === 0 || marginOfError === null) return { precision: 'low', reason: 'no answers' }
  if (total < MIN_MEANINGFUL_SAMPLE) {
    return { precision: 'low', reason: `n = ${total} < ${MIN_MEANINGFUL_SAMPLE} answers` }
  }
  if (marginOfError > MAX_PRECISE_MARGIN) {
    return {
      precision: 'low',
      reason: `95% margin ±${marginOfError.toFixed(1)} > ±${MAX_PRECISE_MARGIN} points`,
    }
  }
  return { precision: 'ok', reason: null }
}

export interface JudgedComparison extends Comparison {
  /** 'low' when either side is low by {@link precisionOf}. */
  precision: 'ok' | 'low'
  /** Each low side's reason, prefixed by its name (`a: n = 3 < 30 answers`); empty when 'ok'. */
  precisionReasons: string[]
}

/**
 * {@link compare}, judged by the one precision rule: `significant` needs p < 0.05 AND at least
 * {@link MIN_MEANINGFUL_SAMPLE} answers on each side (below that the z-test's normal approximation
 * cannot carry a verdict: 3 answers against 2 is never "significant"); a side whose margin exceeds
 * {@link MAX_PRECISE_MARGIN} keeps its verdict, which a large difference can still earn, but the answer
 * says `precision: 'low'` with the reason.
 *
 * @example
 * compareJudged(summaryA, summaryB) // { delta, z, pValue, significant, precision, precisionReasons }
 */
export function compareJudged(a: NpsEstimate, b: NpsEstimate): JudgedComparison {
  const comparison = compare(a, b)
  const reasons: string[] = []
  for (const [name, side] of [['a', a] as const, ['b', b] as const]) {
    const { reason } = precisionOf(side)
    if (reason) reasons.push(`${name}: ${reason}`)
  }
  const enough = a.total >= MIN_MEANINGFUL_SAMPLE && b.total >= MIN_MEANINGFUL_SAMPLE
  return {
    ...comparison,
    significant: comparison.significant && enough,
    precision: reasons.length > 0 ? 'low' : 'ok',
    precisionReasons: reasons,
  }
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

/** A theme's effect on NPS: what the score would be without the answers that mention it. */
export interface ThemeImpact {
  /** NPS of all answers − NPS of the answers that do not mention the theme, in points; null when undefined. */
  impact: number | null
  /** Delta-method 95% interval of `impact`, in points; null when `impact` is. */
  ci95: [number, number] | null
  /** NPS of the answers that mention the theme; null when none do. */
  npsMentioning: number | null
  /** NPS of the answers that do not; null when every answer mentions it. */
  npsWithout: number | null
}

/**
 * The impact of a theme on NPS: impact = NPS_all − NPS_without, where the answers split into the
 * disjoint groups m (mention the theme) and n (do not). With w = N_m / N, NPS_all = w·NPS_m + (1−w)·NPS_n
 * and NPS_without = NPS_n, so impact = w·(NPS_m − NPS_n): negative when the theme costs points.
 *
 * The two NPS share the answers of n, so their difference is not a two-sample comparison. The interval
 * treats the N answers as one multinomial over six cells (m or n × promoter, passive, detractor) with
 * proportions π and applies the delta method to f(π) = (π_mP − π_mD + π_nP − π_nD) − (π_nP − π_nD)/q,
 * q = π_nP + π_nO + π_nD, whose gradient is g_mP = 1, g_mO = 0, g_mD = −1, g_nP = 1 − (1 − s_n)/q,
 * g_nO = s_n/q, g_nD = −1 + (1 + s_n)/q with s_n = NPS_n/100; then Var = (Σ g²π − (Σ gπ)²) / N, and the
 * interval is 100·(f ± 1.96·√Var), not clamped (it is a difference). Plain proportions, no adjustment:
 * a theme needs mentions to be worth a figure, and the route asks for a minimum count.
 *
 * `mentioning` are the counts of the answers that mention the theme, `all` of every answer (with or
 * without a comment), so `mentioning` must fit inside `all`.
 *
 * @example
 * themeImpact({ promoters: 0, passives: 0, detractors: 10 }, { promoters: 50, passives: 20, detractors: 30 }).impact
 * // 20 − 100·(50 − 20)/90 = −13.33…
 */
export function themeImpact(mentioning: CategoryCounts, all: CategoryCounts): ThemeImpact {
  const keys = ['promoters', 'passives', 'detractors'] as const
  for (const key of keys) {
    assertCount(`mentioning.${key}`, mentioning[key])
    assertCount(`all.${key}`, all[key])
    if (mentioning[key] > all[key]) throw new RangeError(`mentioning.${key} exceeds all.${key}`)
  }
  const total = all.promoters + all.passives + all.detractors
  const m = mentioning.promoters + mentioning.passives + mentioning.detractors
  const without = {
    promoters: all.promoters - mentioning.promoters,
    passives: all.passives - mentioning.passives,
    detractors: all.detractors - mentioning.detractors,
  }
  const n = total - m
  const npsMentioning = m > 0 ? (100 * (mentioning.promoters - mentioning.detractors)) / m : null
  const npsWithout = n > 0 ? (100 * (without.promoters - without.detractors)) / n : null
  if (m === 0 || n === 0) return { impact: null, ci95: null, npsMentioning, npsWithout }
  const q = n / total
  const sn = (without.promoters - without.detractors) / n
  const cells: [number, number][] = [
    [mentioning.promoters / total, 1],
    [mentioning.passives / total, 0],
    [mentioning.detractors / total, -1],
    [without.promoters / total, 1 - (1 - sn) / q],
    [without.passives / total, sn / q],
    [without.detractors / total, -1 + (1 + sn) / q],
  ]
  let mean = 0
  let square = 0
  for (const [pi, g] of cells) {
    mean += g * pi
    square += g * g * pi
  }
  const variance = Math.max(0, square - mean * mean) / total
  const impact = (100 * (all.promoters - all.detractors)) / total - (npsWithout as number)
  const margin = 100 * Z95 * Math.sqrt(variance)
  return { impact, ci95: [impact - margin, impact + margin], npsMentioning, npsWithout }
}

/**
 * Holm's step-down adjustment (Holm 1979) of p-values from one family of tests: sorted ascending, the
 * i-th smallest (from 0) becomes max over j ≤ i of min(1, (m − j)·p₍ⱼ₎), so a p-value below 0.05 after
 * adjustment keeps the chance that any true "no difference" in the family is called a difference
 * (the family-wise error) at 5% or less, whatever the tests' dependence. Answered in input order.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`pValues[${i}] must be in [0, 1], got ${String(p)}`)
  })
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i)
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    adjusted[i] = running
  })
  return adjusted
}

export type Verdict = 'above' | 'below' | 'no clear difference'

/** A group against the rest of the answers, after the correction for the number of groups compared. */
export interface GroupVerdict extends Comparison {
  /** The Holm-adjusted p-value; null when the group or the rest has no answers. */
  adjustedP: number | null
  /** `above` or `below` the rest when adjustedP < 0.05, else `no clear difference`. */
  verdict: Verdict
}

/**
 * Each group against the rest of the answers (all groups together minus that group: independent
 * samples, so {@link compare} applies), Holm-adjusted over the groups that could be tested (both sides
 * answered). `alpha` is the family-wise error rate.
 *
 * @example
 * versusRest([{ promoters: 90, passives: 5, detractors: 5 }, ...others]).map((g) => g.verdict)
 */
export function versusRest(groups: readonly CategoryCounts[], alpha = 0.05): GroupVerdict[] {
  const all = { promoters: 0, passives: 0, detractors: 0 }
  for (const g of groups) {
    all.promoters += g.promoters
    all.passives += g.passives
    all.detractors += g.detractors
  }
  return versusTotal(groups, all, alpha)
}

/**
 * As {@link versusRest}, with the rest taken from `all` (the counts of every answer under the filter,
 * including groups that are not compared, such as those under a minimum size).
 */
export function versusTotal(
  groups: readonly CategoryCounts[],
  all: CategoryCounts,
  alpha = 0.05,
): GroupVerdict[] {
  const comparisons = groups.map((g) => {
    const rest = {
      promoters: all.promoters - g.promoters,
      passives: all.passives - g.passives,
      detractors: all.detractors - g.detractors,
    }
    if (rest.promoters < 0 || rest.passives < 0 || rest.detractors < 0) {
      throw new RangeError('a group holds more answers than all of them')
    }
    return compare(g, rest)
  })
  const tested = comparisons.flatMap((c, i) => (c.pValue === null ? [] : [i]))
  const adjusted = holmAdjust(tested.map((i) => comparisons[i]!.pValue!))
  const adjustedOf = new Map(tested.map((i, k) => [i, adjusted[k]!]))
  return comparisons.map((c, i) => {
    const adjustedP = adjustedOf.get(i) ?? null
    const verdict: Verdict =
      adjustedP !== null && adjustedP < alpha && c.z !== null && c.z !== 0
        ? c.z > 0
          ? 'above'
          : 'below'
        : 'no clear difference'
    return { ...c, adjustedP, verdict }
  })
}
