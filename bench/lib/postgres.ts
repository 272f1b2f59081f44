/**
 * The PostgreSQL server the bench measures against: `NPSKIT_BENCH_DATABASE_URL` (default the local
 * server, postgres://postgres@127.0.0.1:5432/postgres). Its database is only where CREATE and DROP
 * DATABASE run; the bench's own databases are all named `npskit_bench_…`, so stale ones can be found.
 */
import postgres, { type Sql } from 'postgres'

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.NPSKIT_BENCH_DATABASE_URL?.trim() || DEFAULT_SERVER_URL
}

/** The server's URL with another database name. */
export function databaseUrl(name: string, server: string = serverUrl()): string {
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.toString()
}

/** host:port/database, without user or password, for messages. */
export function describe(url: string): string {
  const u = new URL(url)
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`
}

/** A plain connection (no collector code): counts as numbers, notices ignored. */
export function connect(url: string, { max = 1 }: { max?: number } = {}): Sql {
  return postgres(url, {
    max,
    connect_timeout: 5,
    onnotice: () => {},
    // count(*) and bigint milliseconds read as JavaScript numbers, as the collector reads them.
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (v: number) => String(v),
        parse: (v: string) => Number(v),
      },
    },
  })
}

/**
 * A connection to the server's admin database, checked with a query: when no server answers, the error
 * says where the bench looked and how to point it elsewhere, and the caller reports the figures as not
 * measured.
 */
export async function connectServer(url: string = serverUrl()): Promise<Sql> {
  const sql = connect(url)
  try {
    await sql`SELECT 1`
    return sql
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {})
    const { code, message } = error as { code?: string; message?: string }
    throw new Error(
      `no PostgreSQL server reachable at ${describe(url)} (${message || code || String(error)}); start one or set NPSKIT_BENCH_DATABASE_URL`,
    )
  }
}

const identifier = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a bench database name: ${name}`)
  return `"${name}"`
}

export async function createDatabase(admin: Sql, name: string): Promise<void> {
  await admin.unsafe(`CREATE DATABASE ${identifier(name)}`)
}

/** Drops a database, closing whatever is still connected to it. */
export async function dropDatabase(admin: Sql, name: string): Promise<void> {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`)
}

/** The server's settings that decide what an acknowledged commit means, for the notes. */
export async function durabilitySettings(sql: Sql): Promise<string> {
  const rows = await sql<{ name: string; setting: string }[]>`
    SELECT name, setting FROM pg_settings
    WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay')
    ORDER BY name`
  return rows.map((r) => `${r.name}=${r.setting}`).join(', ')
}
