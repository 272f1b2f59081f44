import { describe, expect, it } from 'vitest'
import type { Comparison, Summary } from '../api/client.ts'
import { verdict } from './compare.tsx'
import { compareRange, defaultPeriods, periodsFrom, periodsProblem } from './compare-periods.ts'

const side = (total: number, lowSample = total < 30): Summary =>
  ({ total, lowSample, nps: total ? 10 : null, ci95: total ? [0, 20] : null }) as Summary

const comparison = (c: Partial<Comparison>): Comparison => ({
  a: side(400),
  b: side(400),
  delta: 8,
  z: 2.5,
  pValue: 0.0124,
  significant: true,
  precision: 'ok',
  precisionReasons: [],
  counted: { from: null, to: null, current: false },
  ...c,
})

describe('the compare view’s periods', () => {
  it('sets the global period against as many days just before it', () => {
    expect(defaultPeriods({ fromDay: '2025-03-01', toDay: '2025-03-30' }, '2025-04-10')).toEqual({
      aFrom: '2025-03-01',
      aTo: '2025-03-30',
      bFrom: '2025-01-30',
      bTo: '2025-02-28',
    })
  })

  it('takes the default period’s length up to today when the global period has no start', () => {
    const p = defaultPeriods({ fromDay: null, toDay: null }, '2025-04-10')
    expect(p.aTo).toBe('2025-04-10')
    expect(p.aFrom).toBe('2025-01-11')
    expect(p.bTo).toBe('2025-01-10')
  })

  it('reads the periods from the URL and fills what is missing or malformed from the defaults', () => {
    const defaults = defaultPeriods({ fromDay: '2025-03-01', toDay: '2025-03-30' }, '2025-04-10')
    const p = periodsFrom(new URLSearchParams('aFrom=2025-02-01&bTo=not-a-day'), defaults)
    expect(p).toEqual({ ...defaults, aFrom: '2025-02-01' })
  })

  it('sends each period’s last day as the exclusive end the API reads', () => {
    expect(
      compareRange({ aFrom: '2025-03-01', aTo: '2025-03-31', bFrom: '2025-02-01', bTo: '2025-02-28' }, 'UTC'),
    ).toEqual({ tz: 'UTC', aFrom: '2025-03-01', aTo: '2025-04-01', bFrom: '2025-02-01', bTo: '2025-03-01' })
  })

  it('says which period runs backwards', () => {
    expect(
      periodsProblem({ aFrom: '2025-03-02', aTo: '2025-03-01', bFrom: '2025-01-01', bTo: '2025-01-02' }),
    ).toMatch(/Period A/)
    expect(
      periodsProblem({ aFrom: '2025-03-01', aTo: '2025-03-01', bFrom: '2025-01-03', bTo: '2025-01-02' }),
    ).toMatch(/Period B/)
    expect(
      periodsProblem({ aFrom: '2025-03-01', aTo: '2025-03-01', bFrom: '2025-01-01', bTo: '2025-01-01' }),
    ).toBeNull()
  })
})

describe('the verdict', () => {
  it('calls a difference with p below 0.05 significant, with its size and direction', () => {
    expect(verdict(comparison({}))).toBe(
      'Significant at the 0.05 level: NPS is 8 points higher in A than in B (p = 0.012).',
    )
  })

  it('says so when the difference could be chance', () => {
    expect(verdict(comparison({ delta: -3.25, pValue: 0.31, significant: false }))).toBe(
      'Not significant at the 0.05 level: a difference of 3.3 points could be chance (p = 0.31).',
    )
  })

  it('never calls a side with fewer than 30 answers significant, and says which side', () => {
    // The API holds `significant` back below 30 answers a side; the words say why.
    const text = verdict(
      comparison({
        b: side(20),
        pValue: 0.0004,
        significant: false,
        precision: 'low',
        precisionReasons: ['b: n = 20 < 30 answers'],
      }),
    )
    expect(text).toMatch(/^Not called significant: .*\(p < 0\.001\), but period B has fewer than 30 answers/)
    expect(verdict(comparison({ a: side(12), b: side(9), significant: false }))).toContain(
      'period A and period B have fewer than 30',
    )
  })

  it('names a side whose margin is too wide even when the difference is significant', () => {
    const text = verdict(
      comparison({ precision: 'low', precisionReasons: ['a: 95% margin ±12.4 > ±10 points'] }),
    )
    expect(text).toBe(
      'Significant at the 0.05 level: NPS is 8 points higher in A than in B (p = 0.012). The figures are imprecise (period A: 95% margin ±12.4 > ±10 points): treat this with caution.',
    )
  })

  it('cannot compare a period without answers', () => {
    expect(verdict(comparison({ b: side(0), delta: null, z: null, pValue: null, significant: false }))).toBe(
      'Cannot compare: period B has no answers.',
    )
  })
})
