/**
 * Breakdown rollups arrived with a migration (SQLite 15, PostgreSQL 7) on databases that already held
 * surveys and answers: the test builds a database at the schema before it (the earlier migrations' own
 * SQL), stores answers there as that schema did, then opens it with the backend. No survey declares a
 * dimension yet, so nothing is counted; declaring one counts the answers already there (in batches,
 * since SQLite 20 and PostgreSQL 12), and later merges and erasure keep it exact.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Backend, PostgresBackend, SqliteBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import Database from 'better-sqlite3'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations as postgresMigrations } from '../../collector/src/backend/postgres/migrations.ts'
import { migrations as sqliteMigrations } from '../../collector/src/backend/sqlite/migrations.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const HOUR = 3_600_000
const SETTINGS = JSON.stringify(defaultSurveySettings('Old'))

/** Three old answers: de/pro scored 9, de scored 0 an hour later, one without a locale scored 9. */
const OLD = [
  { id: 'old-1', at: T0 + 10, score: 9, locale: 'de', metadata: '{"plan":"pro"}', respondent: 'a' },
  { id: 'old-2', at: T0 + HOUR + 10, score: 0, locale: 'de', metadata: null, respondent: 'b' },
  { id: 'old-3', at: T0 + HOUR + 20, score: 9, locale: null, metadata: '{"plan":"free"}', respondent: 'b' },
]

const scores = (counts: Record<number, number>) => Array.from({ length: 11 }, (_, s) => counts[s] ?? 0)
const byValue = <T extends { value: string | null }>(groups: T[]) =>
  [...groups].sort((a, b) => String(a.value).localeCompare(String(b.value)))

/** What a database's rollup holds: dimensions not counted yet, and the answers counted in all. */
type Rollup = () => Promise<{ pending: number; counted: number }>

const ROLLUP_SQL = `SELECT (SELECT count(*) FROM breakdown_dimensions WHERE filled_until IS NOT NULL) AS pending,
  (SELECT coalesce(sum(${Array.from({ length: 11 }, (_, s) => `s${s}`).join(' + ')}), 0) FROM breakdown_hours) AS counted`

/** What both engines must answer once the survey declares locale and metadata.plan. */
async function expectKeptExact(backend: Backend, rollup: Rollup): Promise<void> {
  await backend.updateSurvey(
    'srv_old',
    { ...defaultSurveySettings('Old'), breakdowns: ['locale', 'metadata.plan'] },
    T0 + 2 * HOUR,
  )
  // Counted in batches after the update: then every old answer is in both dimensions' rollups.
  await backend.fillBreakdowns()
  expect(await rollup()).toEqual({ pending: 0, counted: 2 * OLD.length })
  expect(byValue(await backend.breakdown('srv_old', {}, { kind: 'locale' }))).toEqual([
    { value: 'de', distribution: scores({ 0: 1, 9: 1 }) },
    { value: null, distribution: scores({ 9: 1 }) },
  ])
  // A merge that changes the plan and the score moves the answer between groups.
  await backend.writeResponse('srv_old', {
    id: 'old-2',
    score: 10,
    metadata: { plan: 'pro' },
    receivedAt: T0,
  })
  await backend.eraseRespondent('a')
  expect(
    byValue(await backend.breakdown('srv_old', { from: T0 + 5 }, { kind: 'metadata', key: 'plan' })),
  ).toEqual([
    { value: 'free', distribution: scores({ 9: 1 }) },
    { value: 'pro', distribution: scores({ 10: 1 }) },
  ])
}

describe('the breakdown rollups migration', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('counts the answers a SQLite file already held once a survey declares a dimension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-migration-'))
    dirs.push(dir)
    const file = join(dir, 'npskit.db')
    const rollups = sqliteMigrations.find((m) => m.name === 'breakdown rollups of declared dimensions')!
    const old = new Database(file)
    const earlier = sqliteMigrations.filter((m) => m.version < rollups.version)
    for (const migration of earlier) old.exec(migration.sql)
    old.pragma(`user_version = ${earlier.at(-1)!.version}`)
    old.prepare("INSERT INTO surveys VALUES ('srv_old', ?, ?, ?)").run(SETTINGS, T0, T0)
    old.prepare("INSERT INTO follow_up_cursors VALUES ('srv_old', 0)").run()
    const insert = old.prepare(
      `INSERT INTO responses (survey_id, id, created_at, updated_at, score, locale, metadata, respondent_id, seq)
       VALUES ('srv_old', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const [n, a] of OLD.entries())
      insert.run(a.id, a.at, a.at, a.score, a.locale, a.metadata, a.respondent, n + 1)
    old.close()

    const backend = new SqliteBackend(file)
    try {
      expect(backend.db.prepare('SELECT count(*) AS n FROM breakdown_hours').get()).toEqual({ n: 0 })
      await expectKeptExact(backend, async () => backend.db.prepare(ROLLUP_SQL).get() as never)
    } finally {
      await backend.close()
    }
  })

  it.skipIf(!postgresFound)(
    'counts the answers a PostgreSQL database already held once a survey declares a dimension',
    async () => {
      const database = await createDatabase()
      const rollups = postgresMigrations.find((m) => m.name === 'breakdown rollups of declared dimensions')!
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      try {
        await sql`CREATE TABLE npskit_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
        for (const migration of postgresMigrations.filter((m) => m.version < rollups.version)) {
          await sql.unsafe(migration.sql)
          await sql`INSERT INTO npskit_migrations (version, name) VALUES (${migration.version}, ${migration.name})`
        }
        await sql`INSERT INTO surveys VALUES ('srv_old', ${SETTINGS}::json, ${T0}, ${T0})`
        await sql`INSERT INTO follow_up_cursors VALUES ('srv_old', 0)`
        for (const [n, a] of OLD.entries()) {
          await sql`INSERT INTO responses (survey_id, id, created_at, updated_at, score, locale, metadata, respondent_id, seq)
          VALUES ('srv_old', ${a.id}, ${a.at}, ${a.at}, ${a.score}, ${a.locale}, ${a.metadata}::text::jsonb, ${a.respondent}, ${n + 1})`
        }
      } finally {
        await sql.end()
      }
      const backend = await PostgresBackend.connect(database.url, { poolSize: 2 })
      const read = postgres(database.url, { max: 1, onnotice: () => {} })
      try {
        await expectKeptExact(backend, async () => {
          const [row] = await read.unsafe<{ pending: string; counted: string }[]>(ROLLUP_SQL)
          return { pending: Number(row!.pending), counted: Number(row!.counted) }
        })
      } finally {
        await read.end()
        await backend.close()
        await database.drop()
      }
    },
  )
})
