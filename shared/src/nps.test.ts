import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  adjustedWald,
  adjustedWaldInterval,
  classify,
  compare,
  countsOf,
  estimate,
  isScore,
  normalCdf,
  sampleSizeForMargin,
  summarize,
  summarizeScores,
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
