import { describe, expect, it } from 'vitest'
import { type CategoryCounts, classify, themeImpact } from './nps.ts'

/** Forward-mode dual numbers: exact derivatives of a second, differently written impact function. */
class Dual {
  constructor(
    readonly v: number,
    readonly d: number,
  ) {}
  add(o: Dual) {
    return new Dual(this.v + o.v, this.d + o.d)
  }
  sub(o: Dual) {
    return new Dual(this.v - o.v, this.d - o.d)
  }
  mul(o: Dual) {
    return new Dual(this.v * o.v, this.d * o.v + this.v * o.d)
  }
  div(o: Dual) {
    return new Dual(this.v / o.v, (this.d * o.v - this.v * o.d) / (o.v * o.v))
  }
}

/** impact = w·(NPS_m − NPS_n) as proportions, from the six cell proportions. */
function impactOfCells(c: Dual[]): Dual {
  const [mP, mO, mD, nP, nO, nD] = c as [Dual, Dual, Dual, Dual, Dual, Dual]
  const w = mP.add(mO).add(mD)
  const q = nP.add(nO).add(nD)
  return w.mul(mP.sub(mD).div(w).sub(nP.sub(nD).div(q)))
}

/** The delta-method variance with the gradient found by dual numbers, one cell at a time. */
function independentInterval(m: CategoryCounts, all: CategoryCounts): [number, number] {
  const total = all.promoters + all.passives + all.detractors
  const counts = [
    m.promoters,
    m.passives,
    m.detractors,
    all.promoters - m.promoters,
    all.passives - m.passives,
    all.detractors - m.detractors,
  ]
  const pi = counts.map((c) => c / total)
  const gradient = pi.map((_, i) => impactOfCells(pi.map((p, j) => new Dual(p, i === j ? 1 : 0))).d)
  // Σ = (diag(π) − ππᵀ)/N, Var = gᵀΣg, written out as the double sum.
  let variance = 0
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < 6; j++)
      variance += gradient[i]! * gradient[j]! * ((i === j ? pi[i]! : 0) - pi[i]! * pi[j]!)
  variance /= total
  const f = 100 * impactOfCells(pi.map((p) => new Dual(p, 0))).v
  return [f - 100 * 1.96 * Math.sqrt(variance), f + 100 * 1.96 * Math.sqrt(variance)]
}

function npsOf(scores: number[]): number {
  const c = scores.map(classify)
  return (
    (100 * (c.filter((x) => x === 'promoter').length - c.filter((x) => x === 'detractor').length)) / c.length
  )
}

function countsOfScores(scores: number[]): CategoryCounts {
  const c = scores.map(classify)
  return {
    promoters: c.filter((x) => x === 'promoter').length,
    passives: c.filter((x) => x === 'passive').length,
    detractors: c.filter((x) => x === 'detractor').length,
  }
}

describe('themeImpact', () => {
  // A small survey: each answer's score and whether its comment mentions the theme.
  const answers: [number, boolean][] = [
    [0, true],
    [2, true],
    [5, true],
    [9, true],
    [6, true],
    [10, false],
    [9, false],
    [8, false],
    [10, false],
    [3, false],
    [7, false],
    [10, false],
    [9, false],
    [4, false],
    [10, false],
    [1, true],
  ]
  const all = countsOfScores(answers.map(([s]) => s))
  const mentioning = countsOfScores(answers.filter(([, m]) => m).map(([s]) => s))

  it('is the NPS of all answers minus the NPS of the answers that do not mention the theme', () => {
    const result = themeImpact(mentioning, all)
    const brute = npsOf(answers.map(([s]) => s)) - npsOf(answers.filter(([, m]) => !m).map(([s]) => s))
    expect(result.impact).toBeCloseTo(brute, 9)
    expect(result.npsMentioning).toBeCloseTo(npsOf(answers.filter(([, m]) => m).map(([s]) => s)), 9)
    expect(result.impact!).toBeLessThan(0)
  })

  it('has the delta-method interval of the overlapping difference, checked by dual-number differentiation', () => {
    const [low, high] = themeImpact(mentioning, all).ci95!
    const [lowI, highI] = independentInterval(mentioning, all)
    expect(Math.abs(low - lowI)).toBeLessThan(1e-9)
    expect(Math.abs(high - highI)).toBeLessThan(1e-9)
  })

  it('agrees with a seeded bootstrap of the answers on a larger sample', () => {
    const big: [number, boolean][] = []
    for (let i = 0; i < 400; i++) big.push(...answers.map(([s, m]): [number, boolean] => [s, m]))
    const bigAll = countsOfScores(big.map(([s]) => s))
    const bigM = countsOfScores(big.filter(([, m]) => m).map(([s]) => s))
    const [low, high] = themeImpact(bigM, bigAll).ci95!
    // mulberry32, seeded: the same draws every run.
    let seed = 7
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const draws: number[] = []
    for (let b = 0; b < 400; b++) {
      const sample = big.map(() => big[Math.floor(random() * big.length)]!)
      const without = sample.filter(([, m]) => !m).map(([s]) => s)
      draws.push(npsOf(sample.map(([s]) => s)) - npsOf(without))
    }
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1))
    // The bootstrap standard error is within 15% of the delta method's.
    expect(sd / ((high - low) / 2 / 1.96)).toBeGreaterThan(0.85)
    expect(sd / ((high - low) / 2 / 1.96)).toBeLessThan(1.15)
  })

  it('is null without mentions or when every answer mentions the theme', () => {
    expect(themeImpact({ promoters: 0, passives: 0, detractors: 0 }, all).impact).toBeNull()
    expect(themeImpact(all, all)).toMatchObject({ impact: null, ci95: null, npsWithout: null })
  })

  it('rejects mentions that do not fit inside all answers', () => {
    expect(() => themeImpact({ promoters: 99, passives: 0, detractors: 0 }, all)).toThrow(RangeError)
  })
})
