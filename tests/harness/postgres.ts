/**
 * The PostgreSQL server the tests use: `NPSKIT_TEST_DATABASE_URL`, else the project machines' local
 * server (`postgres://postgres@127.0.0.1:5432/postgres`, trust auth). Every test makes databases of its
 * own on it and drops them afterwards, so tests never see each other's data.
 *
 * Without a reachable server the PostgreSQL tests must not pass silently in CI, so there they fail with
 * the fix; on a developer's machine they warn loudly and skip.
 */
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'

export const SERVER_URL =
  process.env.NPSKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

const START_HINT =
  'Start it with `sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, install it with ' +
  '`sudo apt-get install postgresql`, or point NPSKIT_TEST_DATABASE_URL at a server where this user may create databases.'

let available: Promise<string | null> | undefined
let warned = false

/** Null when the server answers, else why not. */
function probe(): Promise<string | null> {
  available ??= (async () => {
    const sql = postgres(SERVER_URL, { max: 1, connect_timeout: 5, onnotice: () => {} })
    try {
      await sql`SELECT 1`
      return null
    } catch (error) {
      return error instanceof Error ? error.message : String(error)
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {})
    }
  })()
  return available
}

/**
 * Decides, once per file, whether PostgreSQL tests run. Throws under CI=true when the server is not
 * reachable; returns false (after a loud warning) anywhere else.
 *
 * @example
 * const postgresFound = await requirePostgres()
 * describe.skipIf(!postgresFound)('on PostgreSQL', () => { … })
 */
export async function requirePostgres(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const problem = await probe()
  if (problem === null) return true
  const message = `No PostgreSQL at ${redact(SERVER_URL)} (${problem}). ${START_HINT}`
  if (env.CI === 'true') throw new Error(`The PostgreSQL tests need a real server. ${message}`)
  if (!warned) {
    warned = true
    const bar = '!'.repeat(100)
    console.warn(`\n${bar}\n  SKIPPING THE POSTGRESQL TESTS: ${message}\n${bar}\n`)
  }
  return false
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@')
}

/** The server's URL (default: the test server) with another database name. */
export function databaseUrl(name: string, server: string = SERVER_URL): string {
  const url = new URL(server)
  url.pathname = `/${name}`
  return url.toString()
}

export interface TestDatabase {
  readonly name: string
  /** The database's URL: the server's with this database's name. */
  readonly url: string
  /** Drops the database, closing whatever is still connected to it. */
  drop(): Promise<void>
}

/**
 * A new, empty database on `server` (default: the test server, {@link SERVER_URL}); `drop()` removes it
 * (closing whatever is still connected). `server` is any URL on the server whose user may create
 * databases; its database is only where CREATE DATABASE runs.
 *
 * @example
 * const db = await createDatabase()
 * const backend = await PostgresBackend.connect(db.url)
 * await backend.close(); await db.drop()
 */
export async function createDatabase(
  prefix = 'npskit_test',
  server: string = SERVER_URL,
): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`
  const admin = postgres(server, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`)
  } finally {
    await admin.end()
  }
  return {
    name,
    url: databaseUrl(name, server),
    async drop() {
      const sql = postgres(server, { max: 1, onnotice: () => {} })
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      } finally {
        await sql.end()
      }
    },
  }
}

/**
 * The PostgreSQL server a run of the suite asked for with `NPSKIT_DATABASE_URL` (a user running the
 * end-to-end suite "on PostgreSQL"), or undefined: the collectors then run on SQLite.
 */
export function suiteServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.NPSKIT_DATABASE_URL?.trim()
  return url ? url : undefined
}

/**
 * A fresh database (`npskit_e2e_<random>`) on the server of `NPSKIT_DATABASE_URL` for one collector (or
 * one demo) of the suite, so tests never share data; undefined when the suite runs on SQLite.
 *
 * @example
 * const db = await suiteDatabase()
 * env.NPSKIT_DATABASE_URL = db?.url
 * await db?.drop()
 */
export async function suiteDatabase(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabase | undefined> {
  const server = suiteServerUrl(env)
  return server ? createDatabase('npskit_e2e', server) : undefined
}
