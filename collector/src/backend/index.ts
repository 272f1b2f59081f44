/**
 * Choosing the engine: PostgreSQL when `NPSKIT_DATABASE_URL` is set, else the SQLite file at
 * `NPSKIT_DB`. Nothing outside this folder knows which one runs.
 *
 * @example
 * const backend = await openBackend(loadConfig())
 * const other = await openBackendAt('postgres://postgres@127.0.0.1:5432/npskit')
 */
import type { Config } from '../config.ts'
import type { Backend } from './backend.ts'
import { PostgresBackend } from './postgres/postgres-backend.ts'
import { SqliteBackend } from './sqlite/sqlite-backend.ts'

export async function openBackend(config: Config): Promise<Backend> {
  if (config.databaseUrl) {
    return PostgresBackend.connect(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      readUrl: config.databaseReadUrl,
    })
  }
  return new SqliteBackend(config.dbPath, { sync: config.sync })
}

/** The backend at a location: a `postgres://` URL, or else the path of a SQLite file. */
export function openBackendAt(location: string, options: { poolSize?: number } = {}): Promise<Backend> {
  if (/^postgres(ql)?:\/\//.test(location)) return PostgresBackend.connect(location, options)
  return Promise.resolve(new SqliteBackend(location))
}
