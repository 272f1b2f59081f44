/**
 * The collector's configuration, read from environment variables once at start-up. A bad value stops
 * the start with a message naming the variable, rather than running with a surprise.
 *
 * @example
 * const config = loadConfig(process.env)
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface Config {
  port: number
  host: string
  /** SQLite file; its folder is created. Unused when `databaseUrl` is set. */
  dbPath: string
  /** A PostgreSQL connection URL (`postgres://…`); unset: the SQLite file at `dbPath`. */
  databaseUrl: string | undefined
  /** Connections in each collector's PostgreSQL pool (and in its read pool, when there is one). */
  databasePoolSize: number
  /** A PostgreSQL read replica for the analytics reads; unset: they go to `databaseUrl`. */
  databaseReadUrl: string | undefined
  /** When set, this secret is a valid admin key. */
  adminKey: string | undefined
  /** The URL the collector is reached at from outside (for the docs); defaults to the bound address. */
  publicUrl: string | undefined
  /** Requests per minute per client on the public routes; 0 turns the limit off. */
  rateLimit: number
  /** Take the client address from `X-Forwarded-For` (only behind a proxy that sets it). */
  trustProxy: boolean
  /** Byte cap of one public POST body. */
  publicBodyLimit: number
  /** Byte cap of one admin JSON body. */
  adminBodyLimit: number
  /** Byte cap of one import body. */
  importLimit: number
  /** Rows one import may hold; past it the import is refused (413) before anything is written. */
  importRowLimit: number
  /**
   * The collector's own files besides the database (import spools, under `imports/`). Default: the
   * folder of the SQLite file, `./data`.
   */
  dataDir: string
  /** Folder whose files are served at the root path (the built widget). */
  widgetDir: string
  /** `full`: acknowledged answers survive a power loss; `normal`: a process crash only (faster). */
  sync: 'full' | 'normal'
}

export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../widget/dist', import.meta.url))

/** The defaults, for tests and embedders that build a config by hand. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 8787,
    host: '127.0.0.1',
    dbPath: './data/npskit.db',
    databaseUrl: undefined,
    databasePoolSize: 10,
    databaseReadUrl: undefined,
    adminKey: undefined,
    publicUrl: undefined,
    // A visitor sends a handful of requests per page view; 600 a minute leaves room for a whole office
    // behind one NAT address while still stopping a single script from flooding the table.
    rateLimit: 600,
    trustProxy: false,
    publicBodyLimit: 16 * 1024,
    adminBodyLimit: 1024 * 1024,
    importLimit: 100 * 1024 * 1024,
    // 100 MiB of the shortest rows would be five million; a million is a large migration in one go, and
    // bounds the spool and the time one import holds pass two.
    importRowLimit: 1_000_000,
    dataDir: overrides.dbPath && overrides.dbPath !== ':memory:' ? dirname(overrides.dbPath) : './data',
    widgetDir: DEFAULT_WIDGET_DIR,
    sync: 'full',
    ...overrides,
  }
}

function integer(env: Record<string, string | undefined>, name: string, min: number, max: number) {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

function boolean(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return undefined
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new Error(`${name} must be true or false, got "${env[name]}"`)
}

function text(env: Record<string, string | undefined>, name: string): string | undefined {
  const raw = env[name]?.trim()
  return raw ? raw : undefined
}

/** A PostgreSQL URL, refused with a message (never its password) when it is something else. */
function postgresUrl(env: Record<string, string | undefined>, name: string): string | undefined {
  const url = text(env, name)
  if (url !== undefined && !/^postgres(ql)?:$/.test(URL.canParse(url) ? new URL(url).protocol : '')) {
    throw new Error(
      `${name} must be a PostgreSQL URL such as postgres://user@host:5432/npskit, got "${redactUrl(url)}"`,
    )
  }
  return url
}

/** A URL with its password replaced by `***`, for messages and the start-up banner. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/:[^:@/]*@/, ':***@')
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

/** Reads `NPSKIT_*` variables over the defaults. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const base = defaultConfig()
  const adminKey = text(env, 'NPSKIT_ADMIN_KEY')
  if (adminKey !== undefined && adminKey.length < 16) {
    throw new Error('NPSKIT_ADMIN_KEY must be at least 16 characters long')
  }
  const publicUrl = text(env, 'NPSKIT_PUBLIC_URL')
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    throw new Error(`NPSKIT_PUBLIC_URL must be a URL, got "${publicUrl}"`)
  }
  const databaseUrl = postgresUrl(env, 'NPSKIT_DATABASE_URL')
  const databaseReadUrl = postgresUrl(env, 'NPSKIT_DATABASE_READ_URL')
  if (databaseReadUrl && !databaseUrl) {
    throw new Error('NPSKIT_DATABASE_READ_URL names a read replica of NPSKIT_DATABASE_URL, which is not set')
  }
  const sync = text(env, 'NPSKIT_SYNC')?.toLowerCase()
  if (sync !== undefined && sync !== 'full' && sync !== 'normal') {
    throw new Error(`NPSKIT_SYNC must be full or normal, got "${sync}"`)
  }
  // The data folder holds the SQLite file unless NPSKIT_DB puts it elsewhere, and the spools go beside it.
  const dbPath = text(env, 'NPSKIT_DB')
  const ownDataDir = text(env, 'NPSKIT_DATA_DIR')
  const dataDir = ownDataDir ?? (dbPath ? dirname(dbPath) : base.dataDir)
  return {
    ...base,
    sync: sync ?? base.sync,
    port: integer(env, 'NPSKIT_PORT', 0, 65535) ?? base.port,
    host: text(env, 'NPSKIT_HOST') ?? base.host,
    dbPath: dbPath ?? (ownDataDir ? join(ownDataDir, 'npskit.db') : base.dbPath),
    dataDir,
    databaseUrl,
    databaseReadUrl,
    databasePoolSize: integer(env, 'NPSKIT_DATABASE_POOL', 1, 1000) ?? base.databasePoolSize,
    adminKey,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    rateLimit: integer(env, 'NPSKIT_RATE_LIMIT', 0, 1_000_000) ?? base.rateLimit,
    trustProxy: boolean(env, 'NPSKIT_TRUST_PROXY') ?? base.trustProxy,
    importLimit: integer(env, 'NPSKIT_IMPORT_LIMIT', 1024, 2 ** 40) ?? base.importLimit,
    importRowLimit: integer(env, 'NPSKIT_IMPORT_ROW_LIMIT', 1, 1e9) ?? base.importRowLimit,
    widgetDir: text(env, 'NPSKIT_WIDGET_DIR') ?? base.widgetDir,
  }
}
