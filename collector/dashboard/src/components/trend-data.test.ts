import { describe, expect, it } from 'vitest'
import type { TargetStatus, Trend } from '../api/client.ts'
import { chartData, defaultInterval, periodDays, yRange } from './trend-data.ts'

type Point = Trend['points'][number]

const point = (start: string, nps: number | null, ci95: [number, number] | null = null): Point => ({
  start: `${start}T00:00:00.000Z`,
  end: `${start}T00:00:00.000Z`,
  nps,
  ci95,
  total: nps === null ? 0 : 50,
  promoters: 0,
  passives: 0,
  detractors: 0,
  distribution: new Array(11).fill(0),
  lowSample: false,
  marginOfError: ci95 ? (ci95[1] - ci95[0]) / 2 : null,
  partialWindow: false,
})

const trend = (points: Point[]): Trend => ({
  interval: 'day',
  window: null,
  tz: 'UTC',
  firstAnswerAt: null,
  counted: { from: null, to: null, current: false },
  points,
})

const target = (projection: TargetStatus['projection']): TargetStatus =>
  ({
    target: { nps: 40, deadline: '2030-01-31' },
    projection,
    current: point('2029-01-01', 30, [25, 35]),
  }) as unknown as TargetStatus

describe('the trend chart’s data', () => {
  it('counts a period’s days with both ends, and has none without a start', () => {
    expect(periodDays({ fromDay: '2025-01-01', toDay: '2025-01-31' }, '2025-06-01')).toBe(31)
    expect(periodDays({ fromDay: '2025-03-01', toDay: null }, '2025-03-10')).toBe(10)
    expect(periodDays({ fromDay: null, toDay: null }, '2025-03-10')).toBeNull()
  })

  it('reads a month by day, a quarter by week and a year or all time by month', () => {
    expect(defaultInterval(7)).toBe('day')
    expect(defaultInterval(31)).toBe('day')
    expect(defaultInterval(90)).toBe('week')
    expect(defaultInterval(365)).toBe('month')
    expect(defaultInterval(null)).toBe('month')
  })

  it('keeps a period without answers as a gap in the line and the band', () => {
    const data = chartData(
      trend([point('2025-01-01', 10, [5, 15]), point('2025-01-02', null), point('2025-01-03', 20, [12, 28])]),
      undefined,
    )
    expect(data.columns[1]).toEqual([10, null, 20])
    expect(data.columns[2]).toEqual([5, null, 12])
    expect(data.columns[3]).toEqual([15, null, 28])
    expect(data.columns[4]).toEqual([null, null, null])
    expect(data.projection).toBeNull()
  })

  it('draws the projection from the last point with answers to the deadline, and the target across both', () => {
    const data = chartData(
      trend([point('2025-01-01', 10, [5, 15]), point('2025-01-02', 20, [12, 28]), point('2025-01-03', null)]),
      target({
        at: '2030-02-01T00:00:00.000Z',
        nps: 35,
        ci95: [20, 50],
        months: 6,
        answers: 300,
        onTrack: false,
        intervalExcludesTarget: false,
        slopePerMonth: 0.2,
      }),
    )
    expect(data.points).toBe(3)
    expect(data.columns[0]).toHaveLength(4)
    expect(data.columns[0][3]).toBe(Date.parse('2030-02-01T00:00:00.000Z') / 1000)
    expect(data.columns[5]).toEqual([null, 20, null, 35])
    expect(data.columns[4]).toEqual([40, 40, 40, 40])
    expect(data.projection).toEqual({ at: data.columns[0][3], nps: 35, deadline: '2030-01-31' })
  })

  it('leaves the projection out for a past period and when nothing has answers', () => {
    const projection = {
      at: '2030-02-01T00:00:00.000Z',
      nps: 35,
      ci95: [20, 50] as [number, number],
      months: 6,
      answers: 300,
      onTrack: false,
      intervalExcludesTarget: false,
      slopePerMonth: 0,
    }
    const past = chartData(trend([point('2025-01-01', 10, [5, 15])]), target(projection), {
      withProjection: false,
    })
    expect(past.projection).toBeNull()
    expect(past.columns[0]).toHaveLength(1)
    const blank = chartData(trend([point('2025-01-01', null)]), target(projection))
    expect(blank.projection).toBeNull()
  })

  it('fits the y axis around the band, the target and the projection, within ±100', () => {
    const data = chartData(
      trend([point('2025-01-01', 10, [5, 15]), point('2025-01-02', 20, [12, 28])]),
      target({
        at: '2030-02-01T00:00:00.000Z',
        nps: 60,
        ci95: [45, 75],
        months: 6,
        answers: 300,
        onTrack: true,
        intervalExcludesTarget: true,
        slopePerMonth: 1,
      }),
    )
    const [min, max] = yRange(data)
    expect(min).toBeLessThanOrEqual(5)
    expect(max).toBeGreaterThanOrEqual(60)
    expect(yRange(chartData(trend([point('2025-01-01', 98, [90, 100])]), undefined))[1]).toBe(100)
    expect(yRange(chartData(trend([point('2025-01-01', null)]), undefined))).toEqual([-100, 100])
  })
})
