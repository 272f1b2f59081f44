import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Window } from '../backend.ts'
import { type SqliteFixture, sqliteFixture } from './testing.ts'

const HOUR = 3_600_000

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

describe('hourly score counts', () => {
  let f: SqliteFixture
  let ids: string[]
  const next = random(42)
  const base = Date.parse('2025-12-30T00:00:00Z')
  const windows: Window[] = []

  beforeAll(async () => {
    f = await sqliteFixture()
    ids = [await f.survey(), await f.survey()]
    for (const id of ids) {
      await f.answer(
        id,
        ...Array.from({ length: 400 }, (_, i) => ({
          at: base + Math.floor((next() - 0.1) * 10 * 24 * HOUR),
          score: Math.floor(next() * 11),
          respondent: `r${i % 37}`,
        })),
        // Before 1970: the hour of a negative time is still its floor.
        { at: -1.5 * HOUR, score: 4, respondent: 'old' },
      )
    }
    for (let i = 0; i < 60; i++) {
      const a = base + Math.floor((next() - 0.2) * 12 * 24 * HOUR)
      const b = a + Math.floor(next() * 3 * 24 * HOUR)
      windows.push({ start: a, end: b })
    }
    windows.push(
      { start: -8.64e15, end: 8.64e15 },
      { start: -2 * HOUR, end: -HOUR + 1 },
      { start: base, end: base + 60_000 },
    )
  })
  afterAll(() => f.close())

  function expectSameAsRaw(): void {
    for (const id of ids) {
      expect(f.analytics.distributions(id, {}, windows)).toEqual(f.raw.distributions(id, {}, windows))
      expect(f.analytics.distribution(id, {})).toEqual(f.raw.distribution(id, {}))
    }
  }

  it('count exactly what the answers count, for windows on and off the hour', () => {
    expectSameAsRaw()
    expect(f.analytics.distribution(ids[0]!, {}).reduce((a, b) => a + b, 0)).toBe(401)
  })

  it('stay exact when answers change score or time, are erased, or their survey is deleted', async () => {
    const [first] = (await f.backend.listResponses(ids[0]!, {}, 50)).items
    const page = (await f.backend.listResponses(ids[0]!, {}, 30)).items
    // An import that changes scores and moves answers to other hours, and a merge that changes a score.
    await f.backend.importResponses(
      ids[0]!,
      page.map((r, i) => ({ ...r, score: (r.score + 3) % 11, createdAt: r.createdAt + (i % 3) * 5 * HOUR })),
      0,
    )
    await f.backend.writeResponse(ids[0]!, { id: first!.id, score: (first!.score + 5) % 11, receivedAt: 1 })
    await f.backend.eraseRespondent('r4')
    expectSameAsRaw()
    await f.backend.deleteSurvey(ids[1]!)
    expect(f.db.prepare('SELECT count(*) AS n FROM response_hours WHERE survey_id = ?').get(ids[1])).toEqual({
      n: 0,
    })
    expectSameAsRaw()
  })

  it('answer a summary from the rollup and the covering index, never a sort', () => {
    const plan = f.analytics.explainDistribution(ids[0]!, {}).join('\n')
    expect(plan).toMatch(/SEARCH h USING PRIMARY KEY \(survey_id=\? AND hour>\? AND hour<\?\)/)
    expect(plan).toContain('USING COVERING INDEX responses_survey_time')
    expect(plan).not.toMatch(/TEMP B-TREE/)
  })
})

describe('hourly event counts', () => {
  it('count exactly what the events count, also after erasure', async () => {
    const f = await sqliteFixture()
    try {
      const id = await f.survey()
      const next = random(7)
      const base = Date.parse('2026-02-01T00:00:00Z')
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          f.event(
            id,
            next() < 0.7 ? 'shown' : 'dismissed',
            base + Math.floor(next() * 5 * 24 * HOUR),
            `visitor-${i % 10}`,
          ),
        ),
      )
      const windows = Array.from({ length: 40 }, () => {
        const start = base + Math.floor((next() - 0.1) * 5 * 24 * HOUR)
        return { start, end: start + Math.floor(next() * 2 * 24 * HOUR) }
      })
      windows.push({ start: -8.64e15, end: 8.64e15 })
      expect(f.analytics.eventCounts(id, windows)).toEqual(f.raw.eventCounts(id, windows))
      await f.backend.eraseRespondent('visitor-0')
      expect(f.analytics.eventCounts(id, windows)).toEqual(f.raw.eventCounts(id, windows))
      expect(f.analytics.eventCounts(id, windows).at(-1)!.shown).toBeGreaterThan(100)
    } finally {
      await f.close()
    }
  })
})
