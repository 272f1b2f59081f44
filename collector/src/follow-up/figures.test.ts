import { describe, expect, it } from 'vitest'
import type { CaseTiming } from '../backend/follow-up.ts'
import { detractorCoverage, figuresByAssignee, figuresOf, median } from './figures.ts'

const H = 3_600_000
const NOW = 1000 * H

const timing = (fields: Partial<CaseTiming>): CaseTiming => ({
  assignee: null,
  category: 'detractor',
  status: 'open',
  openedAt: 0,
  dueAt: null,
  firstContactAt: null,
  closedAt: null,
  ...fields,
})

describe('follow-up figures', () => {
  it('take the median of an odd and an even count, and none of nothing', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })

  it('count statuses, the share contacted, the median hours to contact and to resolution, and overdue cases', () => {
    const figures = figuresOf(
      [
        timing({ status: 'resolved', firstContactAt: 2 * H, closedAt: 10 * H }),
        timing({ status: 'contacted', firstContactAt: 4 * H, dueAt: NOW - 1 }),
        timing({ status: 'open', dueAt: NOW - 1 }),
        timing({ status: 'open', dueAt: NOW + H }),
        timing({ status: 'dismissed', closedAt: H, dueAt: NOW - 1 }),
      ],
      NOW,
    )
    expect(figures).toEqual({
      cases: 5,
      open: 2,
      contacted: 1,
      resolved: 1,
      dismissed: 1,
      contactedShare: 2 / 5,
      medianHoursToFirstContact: 3,
      medianHoursToResolution: 10,
      overdue: 2,
    })
  })

  it('answer null shares and medians when there is nothing to measure', () => {
    expect(figuresOf([], NOW)).toMatchObject({
      cases: 0,
      contactedShare: null,
      medianHoursToFirstContact: null,
    })
  })

  it('say how many detractors got a case', () => {
    const timings = [timing({}), timing({}), timing({ category: 'passive' })]
    expect(detractorCoverage(timings, 8)).toEqual({ answers: 8, withCase: 2, share: 0.25 })
    expect(detractorCoverage([], 0).share).toBeNull()
  })

  it('group by assignee, the busiest first and the unassigned last among equals', () => {
    const rows = figuresByAssignee(
      [
        timing({ assignee: 'bo' }),
        timing({ assignee: null }),
        timing({ assignee: 'al' }),
        timing({ assignee: 'bo' }),
      ],
      NOW,
    )
    expect(rows.map((r) => [r.assignee, r.figures.cases])).toEqual([
      ['bo', 2],
      ['al', 1],
      [null, 1],
    ])
  })
})
