import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Window } from './backend.ts'
import { latestInWindows, type Succession, type Superseded, supersededInWindows } from './windows.ts'

interface Answer {
  respondent: string | null
  at: number
  id: number
  score: number
}

/** The straightforward count: per window, each respondent's latest answer in it (by time, then id). */
function recount(answers: readonly Answer[], window: Window): number[] {
  const counts = new Array<number>(11).fill(0)
  const latest = new Map<string, Answer>()
  for (const a of answers) {
    if (a.at < window.start || a.at >= window.end) continue
    if (a.respondent === null) counts[a.score]! += 1
    else {
      const seen = latest.get(a.respondent)
      if (!seen || a.at > seen.at || (a.at === seen.at && a.id > seen.id)) latest.set(a.respondent, a)
    }
  }
  for (const a of latest.values()) counts[a.score]! += 1
  return counts
}

/** Each answer with its respondent's next answer's time, as the engines' lead() gives it. */
function successions(answers: readonly Answer[]): Succession[] {
  return answers.map((a) => {
    const later = answers
      .filter((b) => a.respondent !== null && b.respondent === a.respondent)
      .filter((b) => b.at > a.at || (b.at === a.at && b.id > a.id))
      .map((b) => b.at)
    return { score: a.score, at: a.at, next: later.length ? Math.min(...later) : null }
  })
}

/** Answers of three respondents (and anonymous ones) over 30 instants, with rolling windows over them. */
const rolling = fc
  .tuple(
    fc.array(
      fc.record({
        respondent: fc.constantFrom('ann', 'bob', 'cy', null),
        at: fc.integer({ min: 0, max: 30 }),
        score: fc.integer({ min: 0, max: 10 }),
      }),
      { maxLength: 40 },
    ),
    fc.integer({ min: 1, max: 8 }),
    fc.integer({ min: 1, max: 12 }),
  )
  .map(([drawn, step, width]) => ({
    answers: drawn.map((a, id) => ({ ...a, id })),
    windows: Array.from({ length: 30 / step + 1 }, (_, i) => ({
      start: Math.max(0, i * step - width),
      end: i * step,
    })),
  }))

describe('latestInWindows', () => {
  it("counts each rolling window's own latest answers, as a recount of each window does", () => {
    fc.assert(
      fc.property(rolling, ({ answers, windows }) => {
        expect(latestInWindows(successions(answers), windows, 11)).toEqual(
          windows.map((w) => recount(answers, w)),
        )
      }),
    )
  })

  it('declines windows not ordered by start and end alike, for the caller to count one by one', () => {
    const windows = [
      { start: 0, end: 10 },
      { start: 1, end: 5 },
    ]
    expect(latestInWindows([], windows, 11)).toBeNull()
  })
})

describe('supersededInWindows', () => {
  it("gives each window's latest answers as every answer in it less those superseded inside it", () => {
    fc.assert(
      fc.property(rolling, ({ answers, windows }) => {
        // What an engine stores: every answer with a later one of its respondent, and that one's time.
        const superseded = successions(answers).filter((a): a is Superseded => a.next !== null)
        const every = windows.map((w) => {
          const counts = new Array<number>(11).fill(0)
          for (const a of answers) if (a.at >= w.start && a.at < w.end) counts[a.score]! += 1
          return counts
        })
        const inside = supersededInWindows(superseded, windows, 11)!
        expect(every.map((counts, i) => counts.map((n, k) => n - inside[i]![k]!))).toEqual(
          windows.map((w) => recount(answers, w)),
        )
      }),
    )
  })
})
