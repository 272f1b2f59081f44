import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SqliteFixture, sqliteFixture } from './testing.ts'

let f: SqliteFixture
let id: string
beforeAll(async () => {
  f = await sqliteFixture()
  id = await f.survey()
  await f.answer(
    id,
    { at: '2026-01-01T00:00:00Z', score: 10, respondent: 'ann', comment: 'first' },
    { at: '2026-01-02T00:00:00Z', score: 0, respondent: 'ann', comment: 'second' },
    { at: '2026-01-03T00:00:00Z', score: 5, comment: 'third' },
  )
})
afterAll(() => f.close())

describe('SqliteAnalytics', () => {
  it('answers a summary from the covering index, never sorting', () => {
    const plan = f.analytics.explainDistribution(id, { from: 0, to: Date.parse('2027-01-01') }).join('\n')
    expect(plan).toContain('USING COVERING INDEX responses_survey_time')
    expect(plan).not.toMatch(/TEMP B-TREE/)
    // Without the hourly counts, the eleven counts are one pass over the covering index alone.
    expect(f.raw.explainDistribution(id, {})).toEqual([
      'SEARCH r USING COVERING INDEX responses_survey_time (survey_id=? AND created_at>? AND created_at<?)',
    ])
  })

  it('answers latestPerRespondent from the time index alone, never reading the table', () => {
    const plan = f.analytics.explainDistribution(id, { latestPerRespondent: true })
    const searches = plan.filter((step) => step.startsWith('SEARCH') || step.startsWith('SCAN r'))
    expect(searches).toEqual([
      'SEARCH r USING COVERING INDEX responses_survey_time (survey_id=? AND created_at>? AND created_at<?)',
      'SEARCH r USING COVERING INDEX responses_survey_time (survey_id=? AND created_at>? AND created_at<?)',
    ])
  })

  it('counts overlapping windows as sums of disjoint slices', () => {
    const day = 86_400_000
    const start = Date.parse('2026-01-01T00:00:00Z')
    const windows = [
      { start, end: start + 2 * day },
      { start: start + day, end: start + 3 * day },
      { start: start + 10 * day, end: start + 11 * day },
    ]
    const counts = f.analytics.distributions(id, {}, windows)
    expect(counts.map((d) => d.reduce((a, b) => a + b, 0))).toEqual([2, 2, 0])
    expect(counts[1]![5]).toBe(1)
  })

  it('streams comments newest first, within the cap', () => {
    const seen: string[] = []
    const n = f.analytics.forEachComment(id, {}, { category: 'promoter', inCategory: false, limit: 1 }, (c) =>
      seen.push(c),
    )
    expect(n).toBe(1)
    expect(seen).toEqual(['third'])
  })

  it('keeps each prepared statement for reuse', () => {
    const before = f.analytics.distribution(id, { locale: 'de' })
    expect(f.analytics.distribution(id, { locale: 'fr' })).toEqual(before)
  })
})
