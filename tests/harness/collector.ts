/**
 * Runs the real collector the way a user does: its CLI in a child process (`node --import tsx`, so the pid
 * we signal is the server itself), on a free port, with a known admin key and a database that outlives
 * the process: a SQLite file in a temp folder by default, or PostgreSQL —
 *
 * - `databaseUrl`: that database as it is (several processes may share it; the caller drops it);
 * - else, when the run's environment has `NPSKIT_DATABASE_URL` (the suite run "on PostgreSQL"): a fresh
 *   database of this collector's own on that server, made on the first `start()`, dropped by `close()`.
 *
 * The child gets `NPSKIT_DATABASE_URL` only when PostgreSQL is meant, so a SQLite collector really runs on
 * SQLite. Tests talk to it over HTTP only, like the widget and a product team would (and read its
 * database directly through ./database.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { suiteDatabase, type TestDatabase } from './postgres.ts'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const widgetDist = join(repoRoot, 'widget/dist')
const cliPath = join(repoRoot, 'collector/src/cli.ts')

export interface CollectorProcess {
  /** e.g. `http://127.0.0.1:43121`, as the CLI printed it; changes when started again on port 0. */
  readonly url: string
  readonly port: number
  readonly adminKey: string
  /** Which engine the process runs on. */
  readonly engine: 'sqlite' | 'postgres'
  /** The SQLite file (only meaningful when `engine` is `sqlite`). */
  readonly dbPath: string
  /** The PostgreSQL database (when `engine` is `postgres`; for the suite's own database, once started). */
  readonly databaseUrl: string | undefined
  readonly running: boolean
  /** The server process's id while it runs (for reading its memory in /proc). */
  readonly pid: number | undefined
  /** Everything the process printed, for failure messages. */
  output(): string
  /** Spawns the CLI on `port` (0: a free one) and resolves once it says where it listens. */
  start(port?: number): Promise<void>
  /** Sends a signal and waits until the process is gone. The database file stays. */
  kill(signal: NodeJS.Signals): Promise<void>
  /** SIGTERM, then wait for a clean exit. The database file stays. */
  stop(): Promise<void>
  /** Starts the process again on the same port with the same database (after `stop`). */
  restart(): Promise<void>
  /** Stops the process and removes its temp folder and, when the harness made it, its database. */
  close(): Promise<void>
}

/** A collector that has been started; what the end-to-end suite holds. */
export type Collector = CollectorProcess

export interface CollectorOptions {
  env?: Record<string, string>
  /** Run on this PostgreSQL database as it is (may be shared with other processes; not dropped). */
  databaseUrl?: string
  /** The admin key (`NPSKIT_ADMIN_KEY`); default: a new random one. Collectors sharing a database may share it. */
  adminKey?: string
}

/**
 * Prepares a collector with its own database (or `databaseUrl`'s); call `start()` to run it. Rate limiting
 * (of answers and of wrong admin keys) is off unless `env` turns it on, so tests that post many answers
 * or bad keys measure behaviour, not the limiter.
 *
 * @example
 * const collector = collectorProcess({ env: { NPSKIT_RATE_LIMIT: '5' } })
 * await collector.start()
 * await collector.kill('SIGKILL')
 * await collector.start() // same database, maybe a new port
 *
 * const shared = await createDatabase()
 * const [a, b] = [collectorProcess({ databaseUrl: shared.url }), collectorProcess({ databaseUrl: shared.url })]
 */
export function collectorProcess(options: CollectorOptions = {}): CollectorProcess {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-collector-'))
  const dbPath = join(dir, 'npskit.db')
  const adminKey = options.adminKey ?? `npskit_test_${randomBytes(16).toString('hex')}`
  const { NPSKIT_DATABASE_URL: urlInEnv, ...env } = options.env ?? {}
  const given = options.databaseUrl ?? urlInEnv
  // The suite's own database: only when no database was given and the run is on PostgreSQL.
  let own: Promise<TestDatabase | undefined> | undefined
  let ownUrl: string | undefined
  const engine = given || process.env.NPSKIT_DATABASE_URL?.trim() ? 'postgres' : 'sqlite'
  const database = async (): Promise<string | undefined> => {
    if (given) return given
    own ??= suiteDatabase().then((db) => {
      ownUrl = db?.url
      return db
    })
    return (await own)?.url
  }
  let child: ChildProcess | null = null
  let url = ''
  let log = ''

  const kill = async (signal: NodeJS.Signals) => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise<void>((done) => proc.once('exit', () => done()))
    proc.kill(signal)
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }

  const start = async (wantedPort = 0) => {
    const databaseUrl = await database()
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NPSKIT_PORT: String(wantedPort),
      NPSKIT_HOST: '127.0.0.1',
      NPSKIT_DB: dbPath,
      NPSKIT_ADMIN_KEY: adminKey,
      NPSKIT_RATE_LIMIT: '0',
      NPSKIT_AUTH_FAILURE_LIMIT: '0',
      ...env,
    }
    // Inherited from a run on PostgreSQL or not, the child sees only the database meant for it.
    delete childEnv.NPSKIT_DATABASE_URL
    if (databaseUrl) childEnv.NPSKIT_DATABASE_URL = databaseUrl
    const proc = spawn(process.execPath, ['--import', 'tsx', cliPath], {
      cwd: repoRoot,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    // Only this process's output counts: `log` still holds the previous run's "listening on" line.
    let seen = ''
    return new Promise<void>((resolveStart, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL')
        reject(new Error(`collector did not start within 30 s:\n${log}`))
      }, 30_000)
      let listening = false
      const onData = (chunk: Buffer) => {
        log += chunk.toString()
        // Once listening, stop looking: the access log keeps writing, and matching a growing string
        // on every chunk would cost the test quadratic time.
        if (listening) return
        seen += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(seen)
        if (match) {
          listening = true
          clearTimeout(timer)
          url = match[1]!.replace(/\/$/, '')
          resolveStart()
        }
      }
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', onData)
      proc.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`collector exited (${code ?? signal}) before listening:\n${log}`))
      })
    })
  }

  const port = () => (url ? Number(new URL(url).port) : 0)

  return {
    get url() {
      return url
    },
    get port() {
      return port()
    },
    adminKey,
    engine,
    dbPath,
    get databaseUrl() {
      return given ?? ownUrl
    },
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null
    },
    get pid() {
      return child?.pid
    },
    output: () => log,
    start,
    kill,
    stop: () => kill('SIGTERM'),
    restart: async () => {
      const samePort = port()
      await kill('SIGTERM')
      // The port was just released; another process grabbing it in between is possible but unlikely.
      await start(samePort)
    },
    close: async () => {
      await kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
      const db = await own?.catch(() => undefined)
      await db?.drop()
    },
  }
}

/**
 * Starts a collector that also serves the built widget, and resolves once it listens.
 *
 * @example
 * const collector = await startCollector()
 * const survey = await createSurvey(collector, { allowedOrigins: [host.origin] })
 * await collector.close()
 */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  if (!existsSync(join(widgetDist, 'nps.js'))) {
    throw new Error(`widget/dist/nps.js is missing: run \`pnpm build\` before the end-to-end suite.`)
  }
  const collector = collectorProcess({ ...options, env: { NPSKIT_WIDGET_DIR: widgetDist, ...options.env } })
  await collector.start()
  return collector
}
