/**
 * The engines the backend contract runs against, as the tests see them: each hands out new, empty
 * backends. SQLite gets a file in a temp folder per backend; PostgreSQL a database of its own per
 * backend on the server at `NPSKIT_TEST_DATABASE_URL` (default: the project machines' local server),
 * dropped again when the file's tests end.
 *
 * @example
 * const engine = sqliteEngine()
 * afterAll(() => engine.cleanup())
 * const backend = await engine.open()
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Backend, PostgresBackend, SqliteBackend } from '@npskit/collector'
import { createDatabase } from '../harness/postgres.ts'

export interface Engine {
  readonly name: 'sqlite' | 'postgres'
  /** A new, empty backend; the caller closes it. */
  open(options?: EngineOptions): Promise<Backend>
  /** Removes everything the engine made: files, databases. */
  cleanup(): Promise<void>
}

/** Options both engines' backends take. */
export interface EngineOptions {
  breakdownBatch?: number
}

export function sqliteEngine(): Engine {
  const dirs: string[] = []
  return {
    name: 'sqlite',
    async open(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'npskit-backend-'))
      dirs.push(dir)
      return new SqliteBackend(join(dir, 'npskit.db'), options)
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A database of its own per backend on the test server, all dropped by `cleanup()`. */
export function postgresEngine(): Engine {
  const drops: (() => Promise<void>)[] = []
  return {
    name: 'postgres',
    async open(options = {}) {
      const database = await createDatabase()
      drops.push(database.drop)
      return PostgresBackend.connect(database.url, { poolSize: 4, ...options })
    },
    async cleanup() {
      for (const drop of drops.splice(0)) await drop()
    },
  }
}
