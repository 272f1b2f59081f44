/**
 * The collector as the reliability suite needs it: the real CLI in a child process (`node --import tsx`,
 * so the pid we signal is the server itself), on port 0, with a SQLite file that outlives the process —
 * it can be killed with SIGKILL and started again on the same database.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const cliPath = join(repoRoot, 'collector/src/cli.ts')

export interface CollectorProcess {
  /** Base URL of the running process; changes on every start (port 0). */
  readonly url: string
  readonly adminKey: string
  readonly dbPath: string
  readonly running: boolean
  output(): string
  start(): Promise<void>
  /** Sends a signal and waits until the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>
  /** Stops the process (SIGTERM) and removes the temp folder with the database. */
  close(): Promise<void>
}

/**
 * Prepares a collector with its own temp database; call `start()` to run it.
 *
 * @example
 * const collector = collectorProcess({ NPSKIT_RATE_LIMIT: '0' })
 * await collector.start()
 * await collector.kill('SIGKILL')
 * await collector.start() // same database
 */
export function collectorProcess(env: Record<string, string> = {}): CollectorProcess {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-reliability-'))
  const dbPath = join(dir, 'npskit.db')
  const adminKey = `npskit_rel_${randomBytes(16).toString('hex')}`
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

  return {
    get url() {
      return url
    },
    adminKey,
    dbPath,
    get running() {
      return child !== null && child.exitCode === null && child.signalCode === null
    },
    output: () => log,
    kill,
    start: () => {
      const proc = spawn(process.execPath, ['--import', 'tsx', cliPath], {
        cwd: repoRoot,
        env: {
          ...process.env,
          NPSKIT_PORT: '0',
          NPSKIT_HOST: '127.0.0.1',
          NPSKIT_DB: dbPath,
          NPSKIT_ADMIN_KEY: adminKey,
          NPSKIT_RATE_LIMIT: '0',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = proc
      let seen = ''
      return new Promise<void>((resolveStart, reject) => {
        const timer = setTimeout(() => {
          proc.kill('SIGKILL')
          reject(new Error(`collector did not start within 30 s:\n${log}`))
        }, 30_000)
        const onData = (chunk: Buffer) => {
          log += chunk.toString()
          seen += chunk.toString()
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen)
          if (match && url !== match[1]) {
            clearTimeout(timer)
            url = match[1]!
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
    },
    close: async () => {
      await kill('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Calls the admin API with the collector's key; throws with the answer on a non-2xx. */
export async function admin<T>(
  collector: CollectorProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${collector.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${collector.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`)
  return JSON.parse(text) as T
}

export const ORIGIN = 'https://shop.example'

/** A survey that accepts answers from ORIGIN. */
export async function createSurvey(collector: CollectorProcess): Promise<string> {
  const survey = await admin<{ id: string }>(collector, 'POST', '/v1/surveys', {
    name: 'Reliability',
    allowedOrigins: [ORIGIN],
  })
  return survey.id
}

/** Why a body is not the API's error shape `{ error: { code, message, issues? } }`, or undefined if it is. */
export function errorShapeProblem(text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'the body is not JSON'
  }
  const error = (value as { error?: unknown } | null)?.error as Record<string, unknown> | undefined
  if (!error || typeof error !== 'object') return 'no "error" object'
  if (typeof error.code !== 'string' || error.code === '') return 'error.code is not a non-empty string'
  if (typeof error.message !== 'string' || error.message === '')
    return 'error.message is not a non-empty string'
  if (error.issues !== undefined && !Array.isArray(error.issues)) return 'error.issues is not a list'
  return undefined
}
