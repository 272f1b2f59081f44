/**
 * Connecting to PostgreSQL with postgres.js: the pool, the type mapping both engines share (bigint
 * milliseconds and counts as JavaScript numbers), and the errors a user meets — at start-up a message
 * that says what is wrong with the URL, the server or the database; later, a lost connection as the
 * contract's {@link BackendUnavailableError} rather than a crash.
 */
import postgres, { type Sql } from 'postgres'
import { BackendStartError, BackendUnavailableError } from '../backend.ts'

export interface PoolOptions {
  /** Connections in this collector's pool. */
  max: number
  /** Settings sent with every connection (for example `synchronous_commit`). */
  connection?: Record<string, string>
}

/** Counts and times fit in a double exactly (below 2^53), so bigint reads as a number. */
const BIGINT_AS_NUMBER = {
  to: 20,
  from: [20],
  serialize: (value: number | bigint | string) => String(value),
  parse: (value: string) => Number(value),
}

export function openPool(url: string, { max, connection }: PoolOptions): Sql {
  return postgres(url, {
    max,
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: () => {},
    types: { bigint: BIGINT_AS_NUMBER },
    // No JIT: the collector's queries are short, and compiling a plan cost a trend 0.3–0.5 s on the
    // first runs of each connection (bench/reads.ts on 1,000,000 answers) to save a few milliseconds.
    connection: { application_name: 'npskit', jit: 'off', ...connection },
  })
}

/** A URL for messages: no password, and what a user recognises. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    const database = parsed.pathname.replace(/^\//, '') || parsed.username || 'postgres'
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${decodeURIComponent(database)}`
  } catch {
    return 'the PostgreSQL server'
  }
}

interface PgError {
  code?: string
  message?: string
  errno?: number
}

/** Codes of a connection that was lost or refused, as postgres.js, Node and PostgreSQL report them. */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

export function isUnavailable(error: unknown): boolean {
  return UNAVAILABLE.has((error as PgError)?.code ?? '')
}

/** A lost connection as the contract's error; anything else unchanged. */
export function contractError(error: unknown): unknown {
  if (!isUnavailable(error)) return error
  return new BackendUnavailableError(`PostgreSQL is unavailable: ${(error as PgError).message ?? error}`, {
    cause: error,
  })
}

/** Why the collector cannot start on this database, in words that say what to do. */
export function startError(error: unknown, url: string): BackendStartError {
  const { code, message = String(error) } = (error ?? {}) as PgError
  const where = describeUrl(url)
  const database = where.slice(where.indexOf('/') + 1)
  let text: string
  if (code === 'ECONNREFUSED') {
    text = `cannot reach PostgreSQL at ${where.slice(0, where.indexOf('/'))}: the connection was refused (is the server running, and listening there?)`
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    text = `cannot reach PostgreSQL: the host in NPSKIT_DATABASE_URL (${where}) is not known`
  } else if (code === 'CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    text = `cannot reach PostgreSQL at ${where}: no answer within 10 s`
  } else if (code === '3D000') {
    text = `the database "${database}" does not exist on ${where.slice(0, where.indexOf('/'))}: create it first (createdb ${database}, or CREATE DATABASE "${database}")`
  } else if (code === '28P01' || code === '28000') {
    text = `PostgreSQL refused the login to ${where}: ${message}`
  } else {
    text = `cannot use PostgreSQL at ${where}: ${message}`
  }
  return new BackendStartError(text, { cause: error })
}
