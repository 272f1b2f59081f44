import { describe, expect, it } from 'vitest'
import { instantOfWallClock, isTimeZone, offsetAt, periodsBetween } from './periods.ts'

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

describe('periodsBetween', () => {
  it('gives Berlin a 23-hour day when clocks spring forward and a 25-hour one when they fall back', () => {
    const spring = periodsBetween(
      Date.parse('2026-03-29T00:00:00+01:00'),
      Date.parse('2026-03-30T00:00:00+02:00'),
      'day',
      'Europe/Berlin',
    )!
    expect(spring.periods.map((p) => (p.end - p.start) / HOUR)).toEqual([23])
    const fall = periodsBetween(
      Date.parse('2026-10-25T00:00:00+02:00'),
      Date.parse('2026-10-26T00:00:00+01:00'),
      'day',
      'Europe/Berlin',
    )!
    expect(fall.periods.map((p) => (p.end - p.start) / HOUR)).toEqual([25])
  })

  it('starts a day at the jump when midnight itself is skipped (Santiago)', () => {
    const { periods } = periodsBetween(
      Date.parse('2026-09-05T12:00:00Z'),
      Date.parse('2026-09-07T12:00:00Z'),
      'day',
      'America/Santiago',
    )!
    expect(periods.map((p) => iso(p.start))).toEqual([
      '2026-09-05T04:00:00.000Z',
      '2026-09-06T04:00:00.000Z', // 00:00 never happened; the day starts at 01:00 −03
      '2026-09-07T03:00:00.000Z',
    ])
  })

  it('follows month lengths, leap years included, and half-hour zones', () => {
    const { periods } = periodsBetween(
      Date.parse('2028-01-15T00:00:00Z'),
      Date.parse('2028-04-01T00:00:00Z'),
      'month',
      'Asia/Kolkata',
    )!
    expect(periods.map((p) => iso(p.start))).toEqual([
      '2027-12-31T18:30:00.000Z',
      '2028-01-31T18:30:00.000Z',
      '2028-02-29T18:30:00.000Z',
      '2028-03-31T18:30:00.000Z',
    ])
    expect((periods[1]!.end - periods[1]!.start) / (24 * HOUR)).toBe(29)
  })

  it('starts ISO weeks on Monday', () => {
    const { periods } = periodsBetween(
      Date.parse('2026-01-01T00:00:00Z'),
      Date.parse('2026-01-13T00:00:00Z'),
      'week',
      'UTC',
    )!
    expect(periods.map((p) => iso(p.start))).toEqual([
      '2025-12-29T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ])
  })

  it('refuses to make more periods than asked for', () => {
    expect(periodsBetween(0, 10 * 24 * HOUR, 'day', 'UTC', 5)).toBeNull()
    expect(periodsBetween(0, 5 * 24 * HOUR, 'day', 'UTC', 5)?.periods).toHaveLength(5)
  })
})

describe('wall clock', () => {
  it('reads an ambiguous fall-back time as its first occurrence', () => {
    expect(iso(instantOfWallClock(Date.parse('2026-11-01T01:30:00Z'), 'America/New_York'))).toBe(
      '2026-11-01T05:30:00.000Z',
    )
  })

  it('knows offsets east and west of Greenwich', () => {
    expect(offsetAt(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Kathmandu')).toBe(5.75 * HOUR)
    expect(offsetAt(Date.parse('2026-07-01T00:00:00Z'), 'America/Los_Angeles')).toBe(-7 * HOUR)
  })

  it('accepts IANA zone names and nothing else', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
    expect(isTimeZone('')).toBe(false)
  })
})
