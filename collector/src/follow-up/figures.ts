/**
 * The follow-up figures of a period: how many detractors got a case, the share of cases contacted,
 * the median time to first contact and to resolution, and how many are overdue — for the survey and
 * per assignee. Computed from one small row per case (no answer text), once for every engine.
 *
 * @example
 * const figures = followUpFigures(await backend.caseTimings(id, from, to), detractorAnswers, Date.now())
 */

import { HOUR_MS } from '../backend/backend.ts'
import type { CaseTiming } from '../backend/follow-up.ts'

export interface FollowUpFigures {
  cases: number
  open: number
  contacted: number
  resolved: number
  dismissed: number
  /** Share of cases that reached a first contact (contacted, or resolved straight away); null: no cases. */
  contactedShare: number | null
  /** Hours from opening to first contact, the median of the cases that got one; null: none did. */
  medianHoursToFirstContact: number | null
  /** Hours from opening to `resolved`, the median of the resolved cases; null: none is. */
  medianHoursToResolution: number | null
  /** Cases still open or contacted past their due time. */
  overdue: number
}

export interface DetractorCoverage {
  /** Detractor answers received in the period. */
  answers: number
  /** Of them, how many got a case. */
  withCase: number
  /** withCase / answers; null without detractors. */
  share: number | null
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const hours = (ms: number) => Math.round((ms / HOUR_MS) * 100) / 100

export function figuresOf(timings: readonly CaseTiming[], now: number): FollowUpFigures {
  const count = (status: CaseTiming['status']) => timings.filter((t) => t.status === status).length
  const firstContact = timings.flatMap((t) =>
    t.firstContactAt === null ? [] : [t.firstContactAt - t.openedAt],
  )
  const resolution = timings.flatMap((t) =>
    t.status === 'resolved' && t.closedAt !== null ? [t.closedAt - t.openedAt] : [],
  )
  const toFirst = median(firstContact)
  const toResolved = median(resolution)
  return {
    cases: timings.length,
    open: count('open'),
    contacted: count('contacted'),
    resolved: count('resolved'),
    dismissed: count('dismissed'),
    contactedShare: timings.length === 0 ? null : firstContact.length / timings.length,
    medianHoursToFirstContact: toFirst === null ? null : hours(toFirst),
    medianHoursToResolution: toResolved === null ? null : hours(toResolved),
    overdue: timings.filter(
      (t) => (t.status === 'open' || t.status === 'contacted') && t.dueAt !== null && t.dueAt < now,
    ).length,
  }
}

export function detractorCoverage(
  timings: readonly CaseTiming[],
  detractorAnswers: number,
): DetractorCoverage {
  const withCase = timings.filter((t) => t.category === 'detractor').length
  return {
    answers: detractorAnswers,
    withCase,
    share: detractorAnswers === 0 ? null : withCase / detractorAnswers,
  }
}

/** The figures of each assignee (null: unassigned), the busiest first, then by name. */
export function figuresByAssignee(
  timings: readonly CaseTiming[],
  now: number,
): { assignee: string | null; figures: FollowUpFigures }[] {
  const groups = new Map<string | null, CaseTiming[]>()
  for (const t of timings) {
    const rows = groups.get(t.assignee)
    if (rows) rows.push(t)
    else groups.set(t.assignee, [t])
  }
  return [...groups]
    .map(([assignee, rows]) => ({ assignee, figures: figuresOf(rows, now) }))
    .sort(
      (a, b) =>
        b.figures.cases - a.figures.cases ||
        (a.assignee ?? '\uffff').localeCompare(b.assignee ?? '\uffff', 'en'),
    )
}
