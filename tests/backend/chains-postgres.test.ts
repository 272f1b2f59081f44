/**
 * What the PostgreSQL engine keeps to count each respondent's latest answer (migration 13): every
 * answer's superseded_at (the time of its respondent's next answer in the survey) and the hourly count
 * of superseded answers per score (response_hours x0…x10), held equal to a recount from the rows through
 * every kind of write, two collectors writing one respondent's answers at once, a copy's load, and the
 * migration of a database that already held answers.
 */
import { randomUUID } from 'node:crypto'
import { PostgresBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import postgres, { type Sql } from 'postgres'
import { afterEach, describe, expect, it } from 'vitest'
import { migrations } from '../../collector/src/backend/postgres/migrations.ts'
import { createDatabase, requirePostgres, type TestDatabase } from '../harness/postgres.ts'
import { exported } from './contract.ts'
import { latestScenario, latestWindows, recountLatest } from './latest-scenario.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const HOUR = 3_600_000
const SCORES = Array.from({ length: 11 }, (_, s) => s)

/** Answers whose superseded_at differs from their respondent's next answer's time, recounted. */
const WRONG_CHAINS = `SELECT r.survey_id, r.id, r.superseded_at, c.next FROM responses AS r
  JOIN (SELECT survey_id, id, CASE WHEN respondent_id IS NOT NULL THEN
      lead(created_at) OVER (PARTITION BY survey_id, respondent_id ORDER BY created_at, id) END AS next
    FROM responses) AS c ON c.survey_id = r.survey_id AND c.id = r.id
  WHERE r.superseded_at IS DISTINCT FROM c.next`

/** Hours whose rollup (every answer, superseded ones) differs from a recount of the rows. */
const WRONG_HOURS = `WITH counted AS (
    SELECT survey_id, floor(created_at::numeric / ${HOUR})::bigint AS hour,
      ${SCORES.map((s) => `count(*) FILTER (WHERE score = ${s})::int AS s${s}`).join(', ')},
      ${SCORES.map((s) => `count(*) FILTER (WHERE score = ${s} AND superseded_at IS NOT NULL)::int AS x${s}`).join(', ')}
    FROM responses GROUP BY 1, 2),
  kept AS (SELECT survey_id, hour, ${SCORES.map((s) => `s${s}`).join(', ')}, ${SCORES.map((s) => `x${s}`).join(', ')} FROM response_hours
    WHERE ${SCORES.map((s) => `s${s} <> 0 OR x${s} <> 0`).join(' OR ')})
  (SELECT 'rollup' AS only, * FROM kept EXCEPT SELECT 'rollup', * FROM counted)
  UNION ALL (SELECT 'rows', * FROM counted EXCEPT SELECT 'rows', * FROM kept)`

async function expectKeptExact(sql: Sql, step: string): Promise<void> {
  expect(await sql.unsafe(WRONG_CHAINS), `superseded_at after ${step}`).toEqual([])
  expect(await sql.unsafe(WRONG_HOURS), `response_hours after ${step}`).toEqual([])
}

describe.skipIf(!postgresFound)('PostgreSQL superseded answers', () => {
  const opened: { close(): Promise<unknown> }[] = []
  const databases: TestDatabase[] = []
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close()
    for (const database of databases.splice(0)) await database.drop()
  })
  async function database(): Promise<{ url: string; sql: Sql }> {
    const db = await createDatabase()
    databases.push(db)
    const sql = postgres(db.url, { max: 1, onnotice: () => {} })
    opened.push({ close: () => sql.end() })
    return { url: db.url, sql }
  }
  async function backendOn(url: string): Promise<PostgresBackend> {
    const backend = await PostgresBackend.connect(url, { poolSize: 4 })
    opened.push(backend)
    return backend
  }

  it('equal a recount from the rows after every kind of write, and so do the latest figures', async () => {
    const { url, sql } = await database()
    const backend = await backendOn(url)
    const { rolling } = latestWindows()
    await latestScenario(backend, async (model, step) => {
      await expectKeptExact(sql, step)
      for (const survey of model.surveys) {
        expect(await backend.distributions(survey, { latestPerRespondent: true }, rolling)).toEqual(
          recountLatest(model, survey, rolling),
        )
      }
    })
    // A copy's load sets them as the writes did.
    const { url: copyUrl, sql: copySql } = await database()
    const copy = await backendOn(copyUrl)
    await copy.importData(backend.exportData(50))
    await expectKeptExact(copySql, 'a copy')
    expect(await copySql`SELECT count(*)::int AS n FROM responses WHERE superseded_at IS NOT NULL`).toEqual(
      await sql`SELECT count(*)::int AS n FROM responses WHERE superseded_at IS NOT NULL`,
    )
    expect(await exported(copy)).toEqual(await exported(backend))
  })

  it('stay exact while two collectors write the same respondents’ answers at once', async () => {
    const { url, sql } = await database()
    const [a, b] = [await backendOn(url), await backendOn(url)]
    const survey = (await a.createSurvey(defaultSurveySettings('Both'), T0)).id
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? a : b).writeResponse(survey, {
            id: randomUUID(),
            score: i % 11,
            respondentId: `r${i % 4}`,
            receivedAt: T0 + round * HOUR + (i % 13) * 1000,
          }),
        ),
      )
    }
    await expectKeptExact(sql, 'concurrent writes')
  })

  it('are set by the migration on a database that already held answers', async () => {
    const { url, sql } = await database()
    await sql`CREATE TABLE npskit_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
    for (const migration of migrations.filter((m) => m.version < 13)) {
      await sql.unsafe(migration.sql)
      await sql`INSERT INTO npskit_migrations (version, name) VALUES (${migration.version}, ${migration.name})`
    }
    const settings = JSON.stringify(defaultSurveySettings('Old'))
    await sql`INSERT INTO surveys VALUES ('srv_old', ${settings}::json, ${T0}, ${T0})`
    await sql`INSERT INTO follow_up_cursors VALUES ('srv_old', 0)`
    // ann answers three times (twice at one moment: the greater id is the later), bob once, two without.
    const old = [
      { id: 'a1', at: T0 + 10, score: 3, respondent: 'ann' },
      { id: 'a3', at: T0 + 2 * HOUR, score: 9, respondent: 'ann' },
      { id: 'a2', at: T0 + 2 * HOUR, score: 5, respondent: 'ann' },
      { id: 'b1', at: T0 + HOUR + 5, score: 7, respondent: 'bob' },
      { id: 'n1', at: T0 + 20, score: 0, respondent: null },
      { id: 'n2', at: T0 + 30, score: 10, respondent: null },
    ]
    for (const [n, r] of old.entries()) {
      await sql`INSERT INTO responses (survey_id, id, created_at, updated_at, score, respondent_id, seq)
        VALUES ('srv_old', ${r.id}, ${r.at}, ${r.at}, ${r.score}, ${r.respondent}, ${n + 1})`
    }
    const backend = await backendOn(url)
    await expectKeptExact(sql, 'the migration')
    expect(
      await sql`SELECT id, superseded_at::float8 AS next FROM responses WHERE superseded_at IS NOT NULL ORDER BY id`,
    ).toEqual([
      { id: 'a1', next: T0 + 2 * HOUR },
      { id: 'a2', next: T0 + 2 * HOUR },
    ])
    // Latest: ann's a3 (9), bob's 7, and both answers without a respondent.
    const expected = SCORES.map((s) => [0, 7, 9, 10].filter((x) => x === s).length)
    expect(await backend.distribution('srv_old', { latestPerRespondent: true })).toEqual(expected)
    expect(
      await backend.distribution('srv_old', { from: T0, to: T0 + 3 * HOUR, latestPerRespondent: true }),
    ).toEqual(expected)
  })
})
