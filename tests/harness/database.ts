/**
 * Reads a collector's database directly, behind its back, whichever engine it runs on: the SQLite file
 * (read-only, with better-sqlite3) or its PostgreSQL database (postgres.js). For tests that check what
 * is really stored rather than what the API says. Write queries with `?` placeholders; on PostgreSQL they
 * become `$1`, `$2`, … (so no other `?` may appear in the text). Counts and other bigints read as numbers.
 *
 * @example
 * const db = await openDatabase(collector)
 * try {
 *   const rows = await db.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = ?', [surveyId])
 * } finally {
 *   await db.close()
 * }
 */
import Database from 'better-sqlite3'
import postgres from 'postgres'
import type { CollectorProcess } from './collector.ts'

export interface DatabaseReader {
  readonly engine: 'sqlite' | 'postgres'
  /** The rows of one read-only statement, as plain objects. */
  query<T extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>
  /** The collector's tables (not the engine's own catalogue), sorted by name. */
  tables(): Promise<string[]>
  close(): Promise<void>
}

const BIGINT_AS_NUMBER = {
  to: 20,
  from: [20],
  serialize: (value: number | bigint | string) => String(value),
  parse: (value: string) => Number(value),
}

/** Opens the database `collector` runs on (for PostgreSQL: once the collector has started). */
export async function openDatabase(
  collector: Pick<CollectorProcess, 'engine' | 'dbPath' | 'databaseUrl'>,
): Promise<DatabaseReader> {
  if (collector.engine === 'sqlite') {
    const db = new Database(collector.dbPath, { readonly: true })
    return {
      engine: 'sqlite',
      async query<T>(text: string, params: unknown[] = []) {
        return db.prepare(text).all(...params) as T[]
      },
      async tables() {
        return db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
          )
          .pluck()
          .all() as string[]
      },
      async close() {
        db.close()
      },
    }
  }
  if (!collector.databaseUrl) throw new Error('the collector has no PostgreSQL database yet: start it first')
  const sql = postgres(collector.databaseUrl, {
    max: 1,
    onnotice: () => {},
    types: { bigint: BIGINT_AS_NUMBER },
  })
  return {
    engine: 'postgres',
    async query<T>(text: string, params: unknown[] = []) {
      let n = 0
      const rows = await sql.unsafe(
        text.replace(/\?/g, () => `$${++n}`),
        params as never[],
      )
      return [...rows] as T[]
    },
    async tables() {
      const rows = await sql<{ name: string }[]>`
        SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        ORDER BY table_name COLLATE "C"`
      return rows.map((row) => row.name)
    },
    async close() {
      await sql.end({ timeout: 5 })
    },
  }
}
