/**
 * Choosing the engine: PostgreSQL when `NPSKIT_DATABASE_URL` is set, else the SQLite file at
 * `NPSKIT_DB`. Nothing outside this folder knows which one runs. The PostgreSQL engine is loaded only
 * when asked for: its driver alone added 20 MiB to every SQLite collector's memory.
 *
 * @example
 * const backend = await openBackend(loadConfig())
 * const other = await openBackendAt('postgres://postgres@127.0.0.1:5432/npskit')
 */
import type { Config } from '../config.ts'
import type { Backend } from './backend.ts'
import { SqliteBackend } from './sqlite/sqlite-backend.ts'

export async function openBackend(config: Config): Promise<Backend> {
  if (config.databaseUrl) {
    const { PostgresBackend } = await import('./postgres/postgres-backend.ts')
    return PostgresBackend.connect(config.databaseUrl, {
      poolSize: config.databasePoolSize,
      readUrl: config.databaseReadUrl,
    })
  }
  return new SqliteBackend(config.dbPath, { sync: config.sync, secureDelete: config.secureDelete })
}

/** The backend at a location: a `postgres://` URL, or else the path of a SQLite file. */
export async function openBackendAt(location: string, options: { poolSize?: number } = {}): Promise<Backend> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { PostgresBackend } = await import('./postgres/postgres-backend.ts')
    return PostgresBackend.connect(location, options)
  }
  return new SqliteBackend(location)
}
