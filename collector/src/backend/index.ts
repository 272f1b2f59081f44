/**
 * Choosing the engine: PostgreSQL when `NPSKIT_DATABASE_URL` is set, else the SQLite file at
 * `NPSKIT_DB`. Nothing outside this folder knows which one runs.
 *
 * @example
 * const backend = await openBackend(loadConfig())
 */
import type { Config } from '../config.ts'
import type { Backend } from './backend.ts'
import { PostgresBackend } from './postgres/postgres-backend.ts'
import { SqliteBackend } from './sqlite/sqlite-backend.ts'

export async function openBackend(config: Config): Promise<Backend> {
  if (config.databaseUrl) {
    return PostgresBackend.connect(config.databaseUrl, { poolSize: config.databasePoolSize })
  }
  return new SqliteBackend(config.dbPath, { sync: config.sync })
}
