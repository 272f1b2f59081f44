import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  adjustedWald,
  adjustedWaldInterval,
  classify,
  compare,
  compareJudged,
  countsOf,
  emptyDistribution,
  estimate,
  holmAdjust,
  isScore,
  MAX_PRECISE_MARGIN,
  normalCdf,
  precisionOf,
  sampleSizeForMargin,
  summarize,
  summarizeScores,
  versusRest,
  versusTotal,
} from './nps.ts'

/** 50 promoters, 30 passives, 20 detractors spread over the scale: the published worked example. */
const worked = [2, 3, 3, 3, 3, 3, 3, 15, 15, 25, 25]

describe('classify', () => {
  it('calls 9 and 10 promoters, 7 and 8 passives, 0 to 6 detractors', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(classify)).toEqual([
      ...Array(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter',
    ])
  })

  it.each([-1, 11, 6.5, 9.9, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %s instead of rounding it',
    (score) => {
      expect(() => classify(score)).toThrow(RangeError)
      expect(isScore(score)).toBe(false)
    },
  )

  it('rejects a score given as a string', () => {
    expect(isScore('9')).toBe(false)
    expect(() => classify('9' as unknown as number)).toThrow(RangeError)
  })
})

describe('weighted counts', () => {
  it('accept fractions with weights: true and follow the same recipe (checked by hand)', () => {
    // 1.5 promoters, 1 passive, 0.5 detractors: n′ = 6, p′ = 2.25/6, d′ = 1.25/6.
    const weighted = estimate({ promoters: 1.5, passives: 1, detractors: 0.5 }, { weights: true })
    const p = 2.25 / 6
    const d = 1.25 / 6
    const s = p - d
    const half = 1.96 * Math.sqrt((p + d - s * s) / 6)
    expect(weighted.nps).toBeCloseTo(100 / 3, 9)
    expect(weighted.ci95![0]).toBeCloseTo(100 * (s - half), 9)
    expect(weighted.ci95![1]).toBeCloseTo(100 * (s + half), 9)
  })

  it('answer what integer counts answer when the weights are whole', () => {
    const counts = { promoters: 50, passives: 30, detractors: 20 }
    expect(estimate(counts, { weights: true })).toEqual(estimate(counts))
    expect(compare(counts, counts, { weights: true })).toEqual(compare(counts, counts))
  })

  it('are refused without weights: true, and negative or infinite weights always', () => {
    expect(() => estimate({ promoters: 1.5, passives: 0, detractors: 0 })).toThrow(RangeError)
    expect(() => estimate({ promoters: -1, passives: 0, detractors: 0 }, { weights: true })).toThrow(
      RangeError,
    )
    expect(() =>
      countsOf([Number.POSITIVE_INFINITY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], { weights: true }),
    ).toThrow(RangeError)
  })
})

describe('summarize', () => {
  it('reproduces the published example: 50/30/20 of 100 gives NPS 30 with ci95 ≈ [14.05, 44.20]', () => {
    const s = summarize(worked)
    expect(s).toMatchObject({
      total: 100,
      promoters: 50,
      passives: 30,
      detractors: 20,
      nps: 30,
      lowSample: false,
    })
    expect(s.ci95?.[0]).toBeCloseTo(14.05, 2)
    expect(s.ci95?.[1]).toBeCloseTo(44.2, 2)
    expect(s.marginOfError).toBeCloseTo(15.08, 2)
  })

  it('reproduces the small-sample example: 10/6/4 of 20 gives ci95 ≈ [−5.7, 57.9] and flags the sample', () => {
    const s = summarize([0, 0, 0, 0, 0, 0, 4, 6, 0, 0, 10])
    expect(s.nps).toBe(30)
    expect(s.ci95?.[0]).toBeCloseTo(-5.7, 1)
    expect(s.ci95?.[1]).toBeCloseTo(57.9, 1)
    expect(s.lowSample).toBe(true)
  })

  it('answers null figures, not zero, when nobody answered', () => {
    expect(summarize(Array(11).fill(0))).toEqual({
      total: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      distribution: Array(11).fill(0),
      nps: null,
      ci95: null,
      marginOfError: null,
      lowSample: true,
    })
  })

  it('gives 100 for all promoters with the interval clamped at 100', () => {
    const s = summarizeScores(Array(10).fill(10))
    expect(s.nps).toBe(100)
    expect(s.ci95?.[1]).toBe(100)
    // The unclamped example from the literature: n=10 all promoters → 76.9 ± 29.4.
    expect(adjustedWaldInterval(s).center).toBeCloseTo(76.9, 1)
    expect(s.ci95?.[0]).toBeCloseTo(47.5, 1)
  })

  it('gives −100 for all detractors with the interval clamped at −100', () => {
    const s = summarizeScores(Array(10).fill(0))
    expect(s.nps).toBe(-100)
    expect(s.ci95?.[0]).toBe(-100)
    expect(s.ci95?.[1]).toBeCloseTo(-47.5, 1)
  })

  it('summarizes a single answer with a wide interval', () => {
    const s = summarizeScores([9])
    expect(s.nps).toBe(100)
    expect(s.total).toBe(1)
    expect(s.ci95![1] - s.ci95![0]).toBeGreaterThan(100)
  })

  it('counts the distribution from scores', () => {
    expect(summarizeScores([0, 7, 7, 10]).distribution).toEqual([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 1])
  })

  it('rejects a distribution of the wrong length or with a fractional count', () => {
    expect(() => summarize([1, 2, 3])).toThrow(RangeError)
    expect(() => summarize([0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(RangeError)
    expect(() => summarize([-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(RangeError)
  })

  it('rejects the first score outside 0–10', () => {
    expect(() => summarizeScores([9, 10, 11])).toThrow(/11/)
  })
})

describe('compare', () => {
  it('finds 120/50/30 vs 100/50/50 significant: z ≈ 2.53, p ≈ 0.012', () => {
    const c = compare(
      { promoters: 120, passives: 50, detractors: 30 },
      { promoters: 100, passives: 50, detractors: 50 },
    )
    expect(c.delta).toBeCloseTo(20, 10)
    expect(c.z).toBeCloseTo(2.53, 2)
    expect(c.pValue).toBeCloseTo(0.012, 3)
    expect(c.significant).toBe(true)
  })

  it('finds a 10-point drop on 100 answers each not significant: z ≈ 0.90, p ≈ 0.37', () => {
    const c = compare(
      { promoters: 45, passives: 35, detractors: 20 },
      { promoters: 40, passives: 35, detractors: 25 },
    )
    expect(c.z).toBeCloseTo(0.9, 1)
    expect(c.pValue).toBeCloseTo(0.37, 2)
    expect(c.significant).toBe(false)
  })

  it('answers nulls when a side has no answers', () => {
    expect(
      compare({ promoters: 0, passives: 0, detractors: 0 }, { promoters: 1, passives: 0, detractors: 0 }),
    ).toEqual({
      delta: null,
      z: null,
      pValue: null,
      significant: false,
    })
  })
})

describe('precisionOf', () => {
  it('calls no answers, fewer than 30 answers, or a margin above ±10 points low, and says why', () => {
    expect(precisionOf(summarize(emptyDistribution()))).toEqual({ precision: 'low', reason: 'no answers' })
    expect(precisionOf(summarizeScores([10, 10, 0]))).toEqual({
      precision: 'low',
      reason: 'n = 3 < 30 answers',
    })
    // 50/30/20 of 100: margin 15.08 (the ARCHITECTURE example) — enough answers, still too wide.
    expect(precisionOf(summarize([0, 0, 0, 0, 0, 0, 20, 15, 15, 25, 25]))).toEqual({
      precision: 'low',
      reason: '95% margin ±15.1 > ±10 points',
    })
  })

  it('calls a figure ok from 30 answers once its margin is at most ±10 points', () => {
    // 500/300/200 of 1000: margin = 196·√(σ²/n′) by hand.
    const n = 1003
    const p = 500.75 / n
    const d = 200.75 / n
    const margin = 196 * Math.sqrt((p + d - (p - d) ** 2) / n)
    const summary = summarize([0, 0, 0, 0, 0, 0, 200, 150, 150, 250, 250])
    expect(summary.marginOfError).toBeCloseTo(margin, 9)
    expect(margin).toBeLessThan(MAX_PRECISE_MARGIN)
    expect(precisionOf(summary)).toEqual({ precision: 'ok', reason: null })
  })
})

describe('compareJudged', () => {
  it('never calls 3 answers against 2 significant, and says both sides are imprecise', () => {
    const a = summarizeScores([10, 10, 10])
    const b = summarizeScores([0, 0])
    expect(compare(a, b).significant).toBe(true)
    const judged = compareJudged(a, b)
    expect(judged.significant).toBe(false)
    expect(judged.pValue).toBe(compare(a, b).pValue)
    expect(judged.precision).toBe('low')
    expect(judged.precisionReasons).toEqual(['a: n = 3 < 30 answers', 'b: n = 2 < 30 answers'])
  })

  it('keeps a large difference on 200 answers each significant, flagged low for its ±13-point margins', () => {
    const a = summarize([0, 0, 0, 0, 0, 0, 30, 25, 25, 60, 60])
    const b = summarize([0, 0, 0, 0, 0, 0, 50, 25, 25, 50, 50])
    const judged = compareJudged(a, b)
    expect(judged.significant).toBe(true)
    expect(judged.precision).toBe('low')
    expect(judged.precisionReasons).toHaveLength(2)
  })

  it('says ok when both sides are precise', () => {
    const big = summarize([0, 0, 0, 0, 0, 0, 200, 150, 150, 250, 250])
    expect(compareJudged(big, big)).toMatchObject({
      significant: false,
      precision: 'ok',
      precisionReasons: [],
    })
  })
})

describe('normalCdf', () => {
  it('matches known quantiles', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 4)
    expect(normalCdf(-1.96)).toBeCloseTo(0.025, 4)
    expect(normalCdf(2.576)).toBeCloseTo(0.995, 4)
  })
})

describe('sampleSizeForMargin', () => {
  it('reproduces the published planning table', () => {
    expect(sampleSizeForMargin(5, 1)).toBe(1534)
    expect(sampleSizeForMargin(10, 1)).toBe(382)
    expect(sampleSizeForMargin(10, 0.6)).toBe(228)
    expect(sampleSizeForMargin(5, 0.75)).toBe(1150)
  })

  it('is consistent with the interval: that many answers give a margin no wider than asked', () => {
    const { variance } = adjustedWald({ promoters: 50, passives: 30, detractors: 20 })
    const n = sampleSizeForMargin(5, variance)
    expect(100 * 1.96 * Math.sqrt(variance / (n + 3))).toBeLessThanOrEqual(5)
    expect(100 * 1.96 * Math.sqrt(variance / (n + 2))).toBeGreaterThan(5)
  })

  it('rejects a margin of zero or less', () => {
    expect(() => sampleSizeForMargin(0)).toThrow(RangeError)
    expect(() => sampleSizeForMargin(-5)).toThrow(RangeError)
  })
})

describe('properties', () => {
  const distribution = fc.array(fc.nat({ max: 10_000 }), { minLength: 11, maxLength: 11 })

  it('the interval lies within [−100, 100] and contains the adjusted estimate', () => {
    fc.assert(
      fc.property(distribution, (d) => {
        const s = summarize(d)
        if (s.total === 0) return s.ci95 === null
        const [low, high] = s.ci95!
        const { center } = adjustedWaldInterval(s)
        return low >= -100 && high <= 100 && low <= center + 1e-9 && center <= high + 1e-9
      }),
    )
  })

  it('NPS equals the promoter share minus the detractor share', () => {
    fc.assert(
      fc.property(distribution, (d) => {
        const s = summarize(d)
        if (s.total === 0) return s.nps === null
        return Math.abs(s.nps! - ((100 * s.promoters) / s.total - (100 * s.detractors) / s.total)) < 1e-9
      }),
    )
  })

  it('the distribution sums to the total, and the categories to the total', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 500 }), (scores) => {
        const s = summarizeScores(scores)
        const sum = s.distribution.reduce((a, b) => a + b, 0)
        const c = countsOf(s.distribution)
        return (
          sum === s.total && s.total === scores.length && c.promoters + c.passives + c.detractors === s.total
        )
      }),
    )
  })

  it('more answers in the same proportions never widen the interval', () => {
    fc.assert(
      fc.property(distribution, fc.integer({ min: 2, max: 10 }), (d, k) => {
        const one = estimate(countsOf(d))
        const more = estimate(countsOf(d.map((c) => c * k)))
        if (one.total === 0) return true
        return more.marginOfError! <= one.marginOfError! + 1e-9
      }),
    )
  })
})

/**
 * Holm's procedure as its paper states it, for one α: walk the sorted p-values, reject while
 * p₍ₖ₎ ≤ α/(m − k) (k from 0), stop at the first that is not. The adjusted p-values must reject exactly
 * this set at every α.
 */
function holmRejects(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p)
  const rejected = new Array<boolean>(m).fill(false)
  for (let k = 0; k < m; k++) {
    if (order[k]!.p > alpha / (m - k)) break
    rejected[order[k]!.i] = true
  }
  return rejected
}

describe('holmAdjust', () => {
  it('matches R p.adjust(method = "holm") on hand-checked examples', () => {
    expect(holmAdjust([0.01, 0.04, 0.03])).toEqual([0.03, 0.06, 0.06])
    const five = holmAdjust([0.01, 0.02, 0.03, 0.04, 0.05])
    for (const [i, want] of [0.05, 0.08, 0.09, 0.09, 0.09].entries()) expect(five[i]).toBeCloseTo(want, 12)
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1])
    expect(holmAdjust([])).toEqual([])
  })

  it('rejects at every α exactly what the step-down procedure rejects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 1e-6, max: 0.5, noNaN: true }),
        (pValues, alpha) => {
          const adjusted = holmAdjust(pValues)
          // ≤ α: the procedure rejects at p ≤ α/(m − k); a tie at the boundary goes either way in floats.
          const near = adjusted.some((q) => Math.abs(q - alpha) < 1e-12)
          if (!near) expect(adjusted.map((q) => q <= alpha)).toEqual(holmRejects(pValues, alpha))
          for (const [i, q] of adjusted.entries()) expect(q).toBeGreaterThanOrEqual(pValues[i]!)
        },
      ),
    )
  })

  it('refuses what is not a p-value', () => {
    expect(() => holmAdjust([0.2, Number.NaN])).toThrow(RangeError)
    expect(() => holmAdjust([1.5])).toThrow(RangeError)
  })
})

describe('precisionOf on breakdown-sized groups', () => {
  it('is low under 30 answers, or with a margin of error above 10 points, even from 54 answers', () => {
    expect(precisionOf(estimate({ promoters: 0, passives: 0, detractors: 0 }))).toMatchObject({
      precision: 'low',
    })
    expect(precisionOf(estimate({ promoters: 20, passives: 5, detractors: 4 }))).toMatchObject({
      precision: 'low',
    })
    const fiftyFour = estimate({ promoters: 25, passives: 9, detractors: 20 })
    expect(fiftyFour.marginOfError).toBeGreaterThan(20)
    expect(precisionOf(fiftyFour)).toMatchObject({ precision: 'low' })
    // 500 answers of a 50/30/20 split: ±6.7 points.
    expect(precisionOf(estimate({ promoters: 250, passives: 150, detractors: 100 }))).toMatchObject({
      precision: 'ok',
    })
  })
})

describe('versusRest', () => {
  /** The z-test written out from the published formulas, not through compare(). */
  function zAgainstRest(group: number[], rest: number[]): number {
    const wald = ([p, a, d]: number[]) => {
      const n = p! + a! + d! + 3
      const pp = (p! + 0.75) / n
      const dd = (d! + 0.75) / n
      return { n, s: pp - dd, v: pp + dd - (pp - dd) ** 2 }
    }
    const g = wald(group)
    const r = wald(rest)
    return (g.s - r.s) / Math.sqrt(g.v / g.n + r.v / r.n)
  }
  const counts = ([promoters, passives, detractors]: number[]) => ({
    promoters: promoters!,
    passives: passives!,
    detractors: detractors!,
  })

  it('tests each group against all the other answers and corrects for the number of groups', () => {
    const groups = [
      [300, 100, 100],
      [100, 100, 300],
      [200, 150, 150],
      [200, 150, 150],
      [200, 150, 150],
    ]
    const verdicts = versusRest(groups.map(counts))
    const total = [1000, 650, 850]
    const raw = groups.map((g) => {
      const z = zAgainstRest(
        g,
        g.map((c, i) => total[i]! - c),
      )
      return { z, p: 2 * (1 - normalCdf(Math.abs(z))) }
    })
    // Holm by hand over m = 5 groups: the two planted ones have p ≈ 0, the three others p > 0.05.
    const sorted = raw.map((r, i) => ({ ...r, i })).sort((a, b) => a.p - b.p)
    const want: number[] = []
    let running = 0
    sorted.forEach(({ p, i }, k) => {
      running = Math.max(running, Math.min(1, (5 - k) * p))
      want[i] = running
    })
    verdicts.forEach((v, i) => {
      expect(v.z).toBeCloseTo(raw[i]!.z, 9)
      expect(v.pValue).toBeCloseTo(raw[i]!.p, 9)
      expect(v.adjustedP).toBeCloseTo(want[i]!, 9)
    })
    expect(verdicts.map((v) => v.verdict)).toEqual([
      'above',
      'below',
      'no clear difference',
      'no clear difference',
      'no clear difference',
    ])
  })

  it('calls a group above on its own p-value of 0.02, but no clear difference among ten such groups', () => {
    // A group whose raw p is below 0.05 but whose Holm-adjusted p is not.
    const rest = { promoters: 500, passives: 300, detractors: 200 }
    const group = { promoters: 63, passives: 22, detractors: 15 }
    const alone = versusTotal([group], {
      promoters: rest.promoters + group.promoters,
      passives: rest.passives + group.passives,
      detractors: rest.detractors + group.detractors,
    })[0]!
    expect(alone.pValue).toBeLessThan(0.05)
    expect(alone.verdict).toBe('above')
    const tenfold = versusTotal(new Array(10).fill(group), {
      promoters: rest.promoters + 10 * group.promoters,
      passives: rest.passives + 10 * group.passives,
      detractors: rest.detractors + 10 * group.detractors,
    })
    for (const v of tenfold) expect(v.verdict).toBe('no clear difference')
  })

  it('leaves out of the correction a group that cannot be tested, and says no clear difference', () => {
    const [only, empty] = versusTotal(
      [
        { promoters: 10, passives: 0, detractors: 0 },
        { promoters: 0, passives: 0, detractors: 0 },
      ],
      { promoters: 10, passives: 0, detractors: 0 },
    )
    expect(only).toMatchObject({ pValue: null, adjustedP: null, verdict: 'no clear difference' })
    expect(empty).toMatchObject({ pValue: null, adjustedP: null, verdict: 'no clear difference' })
  })

  it('refuses a group larger than all the answers', () => {
    expect(() =>
      versusTotal([{ promoters: 5, passives: 0, detractors: 0 }], {
        promoters: 4,
        passives: 0,
        detractors: 0,
      }),
    ).toThrow(RangeError)
  })
})
