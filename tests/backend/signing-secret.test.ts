/**
 * The collector's own signing secret (personal survey links are signed with it): made once, the same
 * after a restart and for every collector on one database, so a link made by one is answered by any.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PostgresBackend, SqliteBackend } from '@npskit/collector'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'
import { postgresEngine, sqliteEngine } from './engines.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-03-01T00:00:00Z')

describe.each([sqliteEngine(), ...(postgresFound ? [postgresEngine()] : [])])(
  '$name: the links signing secret',
  (engine) => {
    afterAll(() => engine.cleanup())

    it('is 32 random bytes, the same on every read, and another in another database', async () => {
      const a = await engine.open()
      const b = await engine.open()
      try {
        const secret = await a.signingSecret('links', T0)
        expect(Buffer.from(secret, 'base64url')).toHaveLength(32)
        expect(await a.signingSecret('links', T0 + 1)).toBe(secret)
        expect(await b.signingSecret('links', T0)).not.toBe(secret)
      } finally {
        await a.close()
        await b.close()
      }
    })
  },
)

describe('the links signing secret across restarts and collectors', () => {
  it('sqlite: survives closing and opening the file again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-secret-'))
    try {
      const first = new SqliteBackend(join(dir, 'npskit.db'))
      const secret = await first.signingSecret('links', T0)
      await first.close()
      const again = new SqliteBackend(join(dir, 'npskit.db'))
      expect(await again.signingSecret('links', T0)).toBe(secret)
      await again.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.runIf(postgresFound)('postgres: two collectors asking at once agree on one secret', async () => {
    const database = await createDatabase()
    const a = await PostgresBackend.connect(database.url, { poolSize: 2 })
    const b = await PostgresBackend.connect(database.url, { poolSize: 2 })
    try {
      const [x, y] = await Promise.all([a.signingSecret('links', T0), b.signingSecret('links', T0)])
      expect(x).toBe(y)
      await a.close()
      const c = await PostgresBackend.connect(database.url, { poolSize: 2 })
      expect(await c.signingSecret('links', T0)).toBe(x)
      await c.close()
    } finally {
      await b.close()
      await database.drop()
    }
  })
})
