/**
 * Respondent chains arrived with a migration (SQLite 21) on databases that already held answers: the
 * test builds a database at the schema before it (the earlier migrations' own SQL), stores answers and
 * their hourly counts as that schema did, then opens it with the backend. Each old answer gets its
 * successor, the hourly counts their superseded answers, and latestPerRespondent reads agree with a
 * ranking of the answers before and after a new one arrives.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations } from '../../collector/src/backend/sqlite/migrations.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const HOUR = 3_600_000

/** Ann answered three times (the last two in one millisecond), Bob once, and one answer is anonymous. */
const OLD = [
  { id: 'a1', at: T0 + 10, score: 3, respondent: 'ann' },
  { id: 'b1', at: T0 + 20, score: 9, respondent: 'bob' },
  { id: 'a2', at: T0 + HOUR + 5, score: 6, respondent: 'ann' },
  { id: 'a3', at: T0 + HOUR + 5, score: 10, respondent: 'ann' },
  { id: 'n1', at: T0 + 2 * HOUR, score: 0, respondent: null },
]

const scores = (counts: Record<number, number>) => Array.from({ length: 11 }, (_, s) => counts[s] ?? 0)

describe('the respondent chains migration', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('gives the answers a SQLite file already held their successors and the hourly counts their superseded answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-migration-'))
    dirs.push(dir)
    const file = join(dir, 'npskit.db')
    const chains = migrations.find((m) => m.name === 'each answer knows when its respondent answered again')!
    const old = new Database(file)
    const earlier = migrations.filter((m) => m.version < chains.version)
    for (const migration of earlier) old.exec(migration.sql)
    old.pragma(`user_version = ${earlier.at(-1)!.version}`)
    old
      .prepare("INSERT INTO surveys VALUES ('srv_old', ?, ?, ?)")
      .run(JSON.stringify(defaultSurveySettings('Old')), T0, T0)
    old.prepare("INSERT INTO follow_up_cursors VALUES ('srv_old', 0)").run()
    const insert = old.prepare(
      `INSERT INTO responses (survey_id, id, created_at, updated_at, score, respondent_id, seq)
       VALUES ('srv_old', ?, ?, ?, ?, ?, ?)`,
    )
    for (const [n, a] of OLD.entries()) insert.run(a.id, a.at, a.at, a.score, a.respondent, n + 1)
    // The hourly counts as that schema's writers kept them.
    old.exec(`INSERT INTO response_hours (survey_id, hour, ${Array.from({ length: 11 }, (_, s) => `s${s}`).join(', ')}, widget)
      SELECT survey_id, created_at / 3600000, ${Array.from({ length: 11 }, (_, s) => `count(*) FILTER (WHERE score = ${s})`).join(', ')}, count(*)
      FROM responses GROUP BY 1, 2`)
    old.close()

    const backend = new SqliteBackend(file)
    try {
      expect(
        backend.db.prepare('SELECT id, superseded_at FROM responses ORDER BY created_at, id').all(),
      ).toEqual([
        { id: 'a1', superseded_at: T0 + HOUR + 5 },
        { id: 'b1', superseded_at: null },
        { id: 'a2', superseded_at: T0 + HOUR + 5 },
        { id: 'a3', superseded_at: null },
        { id: 'n1', superseded_at: null },
      ])
      expect(
        backend.db
          .prepare('SELECT hour - ? AS hour, x3, x6 FROM response_hours ORDER BY hour')
          .all(T0 / HOUR),
      ).toEqual([
        { hour: 0, x3: 1, x6: 0 },
        { hour: 1, x3: 0, x6: 1 },
        { hour: 2, x3: 0, x6: 0 },
      ])
      const latest = { latestPerRespondent: true }
      expect(await backend.distribution('srv_old', latest)).toEqual(scores({ 9: 1, 10: 1, 0: 1 }))
      // Until the end of the first hour, Ann's latest is her first answer.
      expect(await backend.distribution('srv_old', { ...latest, to: T0 + HOUR })).toEqual(
        scores({ 3: 1, 9: 1 }),
      )
      // A new answer of Bob's supersedes his old one.
      await backend.writeResponse('srv_old', {
        id: 'b2',
        score: 2,
        respondentId: 'bob',
        receivedAt: T0 + 3 * HOUR,
      })
      expect(await backend.distribution('srv_old', latest)).toEqual(scores({ 2: 1, 10: 1, 0: 1 }))
      expect(await backend.distribution('srv_old', { ...latest, to: T0 + 3 * HOUR })).toEqual(
        scores({ 9: 1, 10: 1, 0: 1 }),
      )
    } finally {
      await backend.close()
    }
  })
})
