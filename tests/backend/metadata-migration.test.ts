/**
 * The metadata key registry arrived with a migration (SQLite 11, PostgreSQL 3) on databases that already
 * held answers: it starts out holding every key those answers carry, so their CSV export keeps its
 * columns and the cap counts them. Each test drops the registry of a database holding answers and runs
 * that migration's own SQL on it again (later migrations changed other tables, so the schema version
 * alone cannot be set back), then reads the registry through the backend.
 */
import { randomUUID } from 'node:crypto'
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

/** The registry's migration in each engine's list. */
const registry = (list: readonly { name: string; sql: string }[]) => {
  const migration = list.find((m) => m.name === 'metadata key registry')
  if (!migration) throw new Error('no metadata key registry migration')
  return migration.sql
}
const T0 = Date.parse('2026-01-01T00:00:00.000Z')

/** Two surveys with answers that carry metadata, and one without; answers the survey ids. */
async function seed(backend: Backend): Promise<[string, string]> {
  const a = (await backend.createSurvey(defaultSurveySettings('A'), T0)).id
  const b = (await backend.createSurvey(defaultSurveySettings('B'), T0)).id
  const answer = (metadata?: Record<string, string | number | boolean>) => ({
    id: randomUUID(),
    score: 8,
    receivedAt: T0,
    ...(metadata ? { metadata } : {}),
  })
  await backend.writeResponse(a, answer({ plan: 'pro', seats: 3 }))
  await backend.writeResponse(a, answer({ beta: true, plan: 'free' }))
  await backend.writeResponse(a, answer())
  await backend.writeResponse(b, answer({ region: 'eu' }))
  return [a, b]
}

describe('the metadata key registry migration', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('fills the registry of a SQLite file from the answers it holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-migration-'))
    dirs.push(dir)
    const file = join(dir, 'npskit.db')
    const before = new SqliteBackend(file)
    const [a, b] = await seed(before)
    await before.close()
    const db = new Database(file)
    db.exec('DROP TABLE metadata_keys')
    db.exec(registry(sqliteMigrations))
    db.close()

    const after = new SqliteBackend(file)
    try {
      expect(after.metadataKeys(a)).toEqual(['beta', 'plan', 'seats'])
      expect(after.metadataKeys(b)).toEqual(['region'])
    } finally {
      await after.close()
    }
  })

  it.skipIf(!postgresFound)(
    'fills the registry of a PostgreSQL database from the answers it holds',
    async () => {
      const database = await createDatabase()
      try {
        const before = await PostgresBackend.connect(database.url, { poolSize: 2 })
        const [a, b] = await seed(before)
        await before.close()
        const sql = postgres(database.url, { max: 1, onnotice: () => {} })
        await sql`DROP TABLE metadata_keys`
        await sql.unsafe(registry(postgresMigrations))
        await sql.end()

        const after = await PostgresBackend.connect(database.url, { poolSize: 2 })
        try {
          expect(await after.metadataKeys(a)).toEqual(['beta', 'plan', 'seats'])
          expect(await after.metadataKeys(b)).toEqual(['region'])
        } finally {
          await after.close()
        }
      } finally {
        await database.drop()
      }
    },
  )
})
