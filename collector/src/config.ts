/**
 * The collector's configuration, read from environment variables once at start-up. A bad value stops
 * the start with a message naming the variable, rather than running with a surprise.
 *
 * @example
 * const config = loadConfig(process.env)
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LOG_LEVELS, type LogLevel } from './http/log.ts'

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
  /** Failed admin key attempts per minute per client address before 429; 0 turns the limit off. */
  authFailureLimit: number
  /** Hours a dashboard sign-in lasts (`NPSKIT_SESSION_HOURS`). */
  sessionHours: number
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
  /** Folder of the built dashboard (index.html, preview.html, assets/), served at `/` and `/dashboard/`. */
  dashboardDir: string
  /** `full`: acknowledged answers survive a power loss; `normal`: a process crash only (faster). */
  sync: 'full' | 'normal'
  /**
   * SQLite: `on` (default) overwrites deleted content with zeros, so erased text is not left in the
   * file; `off` leaves freed pages as they were (README, "Data lifecycle", says what it costs).
   */
  secureDelete: 'on' | 'off'
  /** Milliseconds a client has to send a request's headers, from the moment it connects. */
  headersTimeoutMs: number
  /** Milliseconds a client has to send a whole request, headers and body (an import too). */
  requestTimeoutMs: number
  /** Milliseconds an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number
  /** Open connections at most; the server closes any beyond it at once. */
  maxConnections: number
  /** The least severe log lines written (JSON on stdout); access lines are `info`. */
  logLevel: LogLevel
  /** A second port that serves `/metrics` without a key (keep it private); unset: none. */
  metricsPort: number | undefined
  /** The address of the metrics port. */
  metricsHost: string
  /**
   * Where email goes out (`smtp://user:pass@host:587`, `smtps://…:465`); unset: no email is sent and
   * none is queued.
   */
  smtpUrl: string | undefined
  /** The From of every email, `Name <address>` or an address. */
  emailFrom: string
  /**
   * Allow webhook endpoints on loopback, private, shared and link-local addresses
   * (`NPSKIT_WEBHOOK_ALLOW_PRIVATE`); off, such URLs are refused when saved and when sent to.
   */
  webhookAllowPrivate: boolean
  /**
   * How long after an answer's score arrives the follow-up (cases, webhooks, emails) waits for its
   * comment, unless the comment is there already (`NPSKIT_FOLLOW_UP_SETTLE_SECONDS`).
   */
  followUpSettleMs: number
}

export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../widget/dist', import.meta.url))
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/dist', import.meta.url))

export const DEFAULT_EMAIL_FROM = 'npskit <npskit@localhost>'

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
    // Ten wrong keys a minute is more than any person mistypes, and leaves a guesser one try per 6 s.
    authFailureLimit: 10,
    // A working day and then some: a browser left signed in overnight has to sign in again.
    sessionHours: 12,
    publicBodyLimit: 16 * 1024,
    adminBodyLimit: 1024 * 1024,
    importLimit: 100 * 1024 * 1024,
    // 100 MiB of the shortest rows would be five million; a million is a large migration in one go, and
    // bounds the spool and the time one import holds pass two.
    importRowLimit: 1_000_000,
    dataDir: overrides.dbPath && overrides.dbPath !== ':memory:' ? dirname(overrides.dbPath) : './data',
    widgetDir: DEFAULT_WIDGET_DIR,
    dashboardDir: DEFAULT_DASHBOARD_DIR,
    sync: 'full',
    secureDelete: 'on',
    // A public endpoint must not let a slow client hold a connection for long (Node's defaults: 60 s
    // for headers, 300 s for a request, no connection cap). A browser sends its 16 KiB answer in well
    // under a second; the request budget is for imports (100 MiB in 60 s needs ≥ 1.7 MiB/s).
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 1024,
    // An app built by hand (tests, embedders) logs nothing unless asked; the CLI's default is `info`.
    logLevel: 'silent',
    metricsPort: undefined,
    metricsHost: '127.0.0.1',
    smtpUrl: undefined,
    emailFrom: DEFAULT_EMAIL_FROM,
    webhookAllowPrivate: false,
    // A visitor who gives a score usually writes the comment within half a minute; the case, its email
    // and the webhook then carry it.
    followUpSettleMs: 30_000,
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

/** An SMTP URL (smtp:// or smtps:// with a host), refused with a message (never its password). */
function smtpUrl(env: Record<string, string | undefined>, name: string): string | undefined {
  const url = text(env, name)
  if (url === undefined) return undefined
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (!parsed || !/^smtps?:$/.test(parsed.protocol) || parsed.hostname === '') {
    throw new Error(
      `${name} must be an SMTP URL such as smtp://user:pass@mail.example.com:587 or smtps://…:465, got "${redactUrl(url)}"`,
    )
  }
  return url
}

/** `Name <address>` or a bare address: one address, so a typo cannot send mail somewhere odd. */
function emailFrom(env: Record<string, string | undefined>, name: string): string | undefined {
  const from = text(env, name)
  if (from !== undefined && !/^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(from)) {
    throw new Error(`${name} must be an address or "Name <address>", got "${from}"`)
  }
  return from
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
  const headersTimeoutMs = integer(env, 'NPSKIT_HEADERS_TIMEOUT_MS', 100, 3_600_000) ?? base.headersTimeoutMs
  const requestTimeoutMs = integer(env, 'NPSKIT_REQUEST_TIMEOUT_MS', 100, 86_400_000) ?? base.requestTimeoutMs
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new Error(
      `NPSKIT_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed NPSKIT_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    )
  }
  const logLevel = text(env, 'NPSKIT_LOG_LEVEL')?.toLowerCase() ?? 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new Error(`NPSKIT_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`)
  }
  const sync = text(env, 'NPSKIT_SYNC')?.toLowerCase()
  if (sync !== undefined && sync !== 'full' && sync !== 'normal') {
    throw new Error(`NPSKIT_SYNC must be full or normal, got "${sync}"`)
  }
  const secureDelete = text(env, 'NPSKIT_SQLITE_SECURE_DELETE')?.toLowerCase()
  if (secureDelete !== undefined && secureDelete !== 'on' && secureDelete !== 'off') {
    throw new Error(`NPSKIT_SQLITE_SECURE_DELETE must be on or off, got "${secureDelete}"`)
  }
  // The data folder holds the SQLite file unless NPSKIT_DB puts it elsewhere, and the spools go beside it.
  const dbPath = text(env, 'NPSKIT_DB')
  const ownDataDir = text(env, 'NPSKIT_DATA_DIR')
  const dataDir = ownDataDir ?? (dbPath ? dirname(dbPath) : base.dataDir)
  return {
    ...base,
    sync: sync ?? base.sync,
    secureDelete: secureDelete ?? base.secureDelete,
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
    authFailureLimit: integer(env, 'NPSKIT_AUTH_FAILURE_LIMIT', 0, 1_000_000) ?? base.authFailureLimit,
    sessionHours: integer(env, 'NPSKIT_SESSION_HOURS', 1, 24 * 366) ?? base.sessionHours,
    importLimit: integer(env, 'NPSKIT_IMPORT_LIMIT', 1024, 2 ** 40) ?? base.importLimit,
    importRowLimit: integer(env, 'NPSKIT_IMPORT_ROW_LIMIT', 1, 1e9) ?? base.importRowLimit,
    widgetDir: text(env, 'NPSKIT_WIDGET_DIR') ?? base.widgetDir,
    dashboardDir: text(env, 'NPSKIT_DASHBOARD_DIR') ?? base.dashboardDir,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs:
      integer(env, 'NPSKIT_KEEP_ALIVE_TIMEOUT_MS', 100, 3_600_000) ?? base.keepAliveTimeoutMs,
    maxConnections: integer(env, 'NPSKIT_MAX_CONNECTIONS', 1, 1_000_000) ?? base.maxConnections,
    logLevel: logLevel as LogLevel,
    metricsPort: integer(env, 'NPSKIT_METRICS_PORT', 0, 65535),
    metricsHost: text(env, 'NPSKIT_METRICS_HOST') ?? base.metricsHost,
    smtpUrl: smtpUrl(env, 'NPSKIT_SMTP_URL'),
    emailFrom: emailFrom(env, 'NPSKIT_EMAIL_FROM') ?? base.emailFrom,
    webhookAllowPrivate: boolean(env, 'NPSKIT_WEBHOOK_ALLOW_PRIVATE') ?? base.webhookAllowPrivate,
    followUpSettleMs:
      (integer(env, 'NPSKIT_FOLLOW_UP_SETTLE_SECONDS', 0, 3600) ?? base.followUpSettleMs / 1000) * 1000,
  }
}
