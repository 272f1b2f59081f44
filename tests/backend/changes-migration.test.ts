/**
 * The change feed arrived with a migration (SQLite 13, PostgreSQL 5) on databases that already held
 * answers: each test builds a database at the schema before it (the earlier migrations' own SQL), stores
 * answers there as that schema did, then opens it with the backend, which numbers them in the order they
 * last changed; a poller starting from the beginning gets them all, and new writes come after them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Backend, PostgresBackend, SqliteBackend } from '@npskit/collector'
import Database from 'better-sqlite3'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations as postgresMigrations } from '../../collector/src/backend/postgres/migrations.ts'
import { migrations as sqliteMigrations } from '../../collector/src/backend/sqlite/migrations.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'
import { drain } from './changes-contract.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const before = (list: readonly { version: number; name: string; sql: string }[]) => {
  const feed = list.find((m) => m.name === 'a change feed for sync')
  if (!feed) throw new Error('no change feed migration')
  return list.filter((m) => m.version < feed.version)
}

/** Answers b (changed last), a, c (changed first) as [id, created_at, updated_at]. */
const ROWS: [string, number, number][] = [
  ['a', T0, T0 + 500],
  ['b', T0 + 100, T0 + 900],
  ['c', T0 + 200, T0 + 200],
]

async function expectNumbered(backend: Backend) {
  const { changes, next } = await drain(backend, 'srv_old')
  expect(changes.map((c) => c.type === 'response.upserted' && c.response.id)).toEqual(['c', 'a', 'b'])
  expect(changes.map((c) => c.seq)).toEqual([1, 2, 3])
  await backend.writeResponse('srv_old', { id: 'a', score: 1, comment: 'later', receivedAt: T0 + 1000 })
  const after = await backend.changes('srv_old', next, 10)
  expect(after.items).toMatchObject([{ type: 'response.upserted', response: { id: 'a', comment: 'later' } }])
  expect(after.next).toBeGreaterThan(3)
}

describe('the change feed migration', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('numbers the answers of a SQLite file in the order they last changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-migration-'))
    dirs.push(dir)
    const file = join(dir, 'npskit.db')
    const old = new Database(file)
    const earlier = before(sqliteMigrations)
    for (const migration of earlier) old.exec(migration.sql)
    old.pragma(`user_version = ${earlier.at(-1)!.version}`)
    old.prepare("INSERT INTO surveys VALUES ('srv_old', '{}', ?, ?)").run(T0, T0)
    const insert = old.prepare(
      "INSERT INTO responses (survey_id, id, created_at, updated_at, score) VALUES ('srv_old', ?, ?, ?, 8)",
    )
    for (const row of ROWS) insert.run(...row)
    old.close()

    const backend = new SqliteBackend(file)
    try {
      await expectNumbered(backend)
    } finally {
      await backend.close()
    }
  })

  it.skipIf(!postgresFound)(
    'numbers the answers of a PostgreSQL database in the order they last changed',
    async () => {
      const database = await createDatabase()
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      try {
        await sql`CREATE TABLE npskit_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
        for (const migration of before(postgresMigrations)) {
          await sql.unsafe(migration.sql)
          await sql`INSERT INTO npskit_migrations (version, name) VALUES (${migration.version}, ${migration.name})`
        }
        await sql`INSERT INTO surveys VALUES ('srv_old', '{}', ${T0}, ${T0})`
        for (const [id, created, updated] of ROWS) {
          await sql`INSERT INTO responses (survey_id, id, created_at, updated_at, score)
          VALUES ('srv_old', ${id}, ${created}, ${updated}, 8)`
        }
      } finally {
        await sql.end()
      }
      const backend = await PostgresBackend.connect(database.url, { poolSize: 2 })
      try {
        await expectNumbered(backend)
      } finally {
        await backend.close()
        await database.drop()
      }
    },
  )
})
