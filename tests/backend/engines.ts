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
import { type Backend, SqliteBackend } from '@npskit/collector'

export interface Engine {
  readonly name: 'sqlite' | 'postgres'
  /** A new, empty backend; the caller closes it. */
  open(): Promise<Backend>
  /** Removes everything the engine made: files, databases. */
  cleanup(): Promise<void>
}

export function sqliteEngine(): Engine {
  const dirs: string[] = []
  return {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'npskit-backend-'))
      dirs.push(dir)
      return new SqliteBackend(join(dir, 'npskit.db'))
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
    },
  }
}
