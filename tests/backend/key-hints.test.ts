/**
 * Key lists once showed the first 8 characters of every secret, and both engines stored them: half of a
 * 16-character NPSKIT_ADMIN_KEY. A database from before keeps its keys through the migration, loses those
 * characters, and a key gets its last 4 back when its secret is added again (NPSKIT_ADMIN_KEY at every
 * start) — still revoked if it was.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Backend, hashSecret, PostgresBackend, SqliteBackend } from '@npskit/collector'
import Database from 'better-sqlite3'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations as postgresMigrations } from '../../collector/src/backend/postgres/migrations.ts'
import { migrations as sqliteMigrations } from '../../collector/src/backend/sqlite/migrations.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

const postgresFound = await requirePostgres()

const ENV_KEY = 'Tr0ub4dor&3-horse'
const MADE_KEY = 'npk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
/** Two keys as the schema before held them: the first 8 characters of each secret beside its hash. */
const OLD_KEYS = [
  ['key_env', 'NPSKIT_ADMIN_KEY', hashSecret(ENV_KEY), ENV_KEY.slice(0, 8), T0, T0 + 1],
  ['key_made', 'ci', hashSecret(MADE_KEY), MADE_KEY.slice(0, 8), T0, null],
] as const

async function expectMigratedKeys(backend: Backend, everything: () => Promise<string>): Promise<void> {
  // Keys from before scopes could do everything, and still can (migrations 12 and 4).
  expect(await backend.listApiKeys()).toEqual([
    {
      id: 'key_env',
      name: 'NPSKIT_ADMIN_KEY',
      scope: 'admin',
      last4: null,
      createdAt: T0,
      revokedAt: T0 + 1,
    },
    { id: 'key_made', name: 'ci', scope: 'admin', last4: null, createdAt: T0, revokedAt: null },
  ])
  expect((await backend.verifyApiKey(MADE_KEY))?.id).toBe('key_made')
  const stored = await everything()
  expect(stored).not.toContain(ENV_KEY.slice(0, 8))
  expect(stored).not.toContain(MADE_KEY.slice(4, 8))
  // The environment key is added again at start-up: it gets its last 4, and stays revoked.
  expect(await backend.addApiKey({ name: 'NPSKIT_ADMIN_KEY', secret: ENV_KEY }, T0 + 2)).toEqual({
    id: 'key_env',
    name: 'NPSKIT_ADMIN_KEY',
    scope: 'admin',
    last4: 'orse',
    createdAt: T0,
    revokedAt: T0 + 1,
  })
  expect(await backend.verifyApiKey(ENV_KEY)).toBeUndefined()
}

describe('a database whose key list held the first 8 characters of each secret', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('on SQLite: keeps its keys and loses those characters when migrated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-keys-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const path = join(dir, 'npskit.db')
    const old = new Database(path)
    for (const m of sqliteMigrations.filter((m) => m.version <= 9)) old.exec(m.sql)
    old.pragma('user_version = 9')
    const insert = old.prepare('INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?)')
    for (const key of OLD_KEYS) insert.run(...key)
    old.close()

    const backend = new SqliteBackend(path)
    try {
      await expectMigratedKeys(backend, async () =>
        JSON.stringify(backend.db.prepare('SELECT * FROM api_keys').all()),
      )
    } finally {
      await backend.close()
    }
  })

  it.skipIf(!postgresFound)(
    'on PostgreSQL: keeps its keys and loses those characters when migrated',
    async () => {
      const database = await createDatabase()
      cleanups.push(database.drop)
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      try {
        await sql.unsafe(postgresMigrations[0]!.sql)
        await sql`CREATE TABLE npskit_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
        await sql`INSERT INTO npskit_migrations (version, name) VALUES (1, 'initial')`
        for (const key of OLD_KEYS) {
          await sql`INSERT INTO api_keys (id, name, hash, prefix, created_at, revoked_at) VALUES ${sql([key as never])}`
        }
        const backend = await PostgresBackend.connect(database.url, { poolSize: 2 })
        try {
          await expectMigratedKeys(backend, async () => JSON.stringify(await sql`SELECT * FROM api_keys`))
        } finally {
          await backend.close()
        }
      } finally {
        await sql.end()
      }
    },
  )
})
