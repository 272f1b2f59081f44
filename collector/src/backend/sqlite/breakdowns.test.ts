import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { breakdownFromRollup, fillBreakdownBatch } from './breakdowns.ts'
import { type SqliteFixture, sqliteFixture } from './testing.ts'

const HOUR = 3_600_000
const base = Date.parse('2026-01-05T00:00:00Z')

describe('breakdown rollups', () => {
  let f: SqliteFixture
  let id: string
  const rollup = () =>
    f.db
      .prepare(
        'SELECT dimension, value, hour, s0, s9 FROM breakdown_hours WHERE survey_id = ? ORDER BY 1, 2, 3',
      )
      .all(id)

  beforeAll(async () => {
    f = await sqliteFixture()
    id = await f.survey()
    await f.answer(
      id,
      { at: base + 10, score: 9, locale: 'de', metadata: { plan: 'pro' } },
      { at: base + HOUR + 10, score: 0, locale: 'de' },
      { at: base + HOUR + 20, score: 9 },
    )
  })
  afterAll(() => f.close())

  it('counts a dimension declared after the answers from the answers so far, one row per value and hour', async () => {
    await f.backend.updateSurvey(id, { ...defaultSurveySettings('Test'), breakdowns: ['locale'] }, base)
    await f.backend.fillBreakdowns()
    const hour = base / HOUR
    expect(rollup()).toEqual([
      { dimension: 'locale', value: '', hour: hour + 1, s0: 0, s9: 1 },
      { dimension: 'locale', value: '=de', hour, s0: 0, s9: 1 },
      { dimension: 'locale', value: '=de', hour: hour + 1, s0: 1, s9: 0 },
    ])
  })

  it('answers the same groups from the rollup as from the answers, at any range', () => {
    for (const filter of [
      {},
      { from: base + 5 },
      { from: base + 5, to: base + HOUR + 15 },
      { to: base + HOUR },
    ]) {
      expect(f.analytics.breakdown(id, filter, { kind: 'locale' })).toEqual(
        f.raw.breakdown(id, filter, { kind: 'locale' }),
      )
    }
  })

  it('counts in batches of answers, oldest first, and reads the rollup only once all are counted', async () => {
    const prepare = (sql: string) => f.db.prepare(sql)
    const mark = () => f.db.prepare('SELECT filled_until AS mark FROM breakdown_dimensions').get()
    // Declared by hand, as syncBreakdowns does on a survey with answers: nothing counted yet.
    f.db.prepare('DELETE FROM breakdown_hours').run()
    f.db.prepare("UPDATE breakdown_dimensions SET filled_until = -8.64e15 WHERE dimension = 'locale'").run()
    expect(fillBreakdownBatch(prepare, 1)).toBe(true)
    // The first answer is counted; the mark stops at the second's time.
    expect(mark()).toEqual({ mark: base + HOUR + 10 })
    expect(rollup()).toEqual([{ dimension: 'locale', value: '=de', hour: base / HOUR, s0: 0, s9: 1 }])
    expect(breakdownFromRollup(prepare, id, {}, { kind: 'locale' })).toBeUndefined()
    expect(fillBreakdownBatch(prepare, 1)).toBe(true)
    expect(fillBreakdownBatch(prepare, 1)).toBe(true)
    expect(mark()).toEqual({ mark: null })
    expect(fillBreakdownBatch(prepare, 1)).toBe(false)
    expect(breakdownFromRollup(prepare, id, {}, { kind: 'locale' })).toEqual(
      f.raw.breakdown(id, {}, { kind: 'locale' }),
    )
  })

  it('drops a dimension removed from the settings with its counts', async () => {
    await f.backend.updateSurvey(id, defaultSurveySettings('Test'), base)
    expect(rollup()).toEqual([])
    expect(f.db.prepare('SELECT count(*) AS n FROM breakdown_dimensions').get()).toEqual({ n: 0 })
  })
})
