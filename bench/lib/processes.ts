/**
 * Starting the servers under test as real processes: the collector through its CLI and the bare Hono
 * baseline, both as `node --import tsx <entry>` so that the process we measure (RSS) and signal is the
 * server itself, not a wrapper around it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const collectorCli = join(repoRoot, 'collector', 'src', 'cli.ts')

export interface ServerProcess {
  child: ChildProcess
  pid: number
  url: string
  /** Everything the process printed, for error messages. */
  output: () => string
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop: () => Promise<void>
}

const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/

/** Spawns a TypeScript entry with tsx and waits for its "listening on http://127.0.0.1:<port>" line. */
export function startServer(
  entry: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(timer)
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${entry} did not report listening within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    let heard = false
    const onData = (chunk: Buffer) => {
      // The collector logs a line per request: once it listens, keep only the last 64 KiB, for messages.
      output += chunk.toString()
      if (heard) {
        if (output.length > 128 * 1024) output = output.slice(-64 * 1024)
        return
      }
      const match = listening.exec(output)
      if (match && child.pid !== undefined) {
        heard = true
        clearTimeout(timer)
        resolve({ child, pid: child.pid, url: match[1]!, output: () => output, stop })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`${entry} exited (${code ?? signal}) before listening:\n${output}`))
    })
  })
}

/**
 * The collector's CLI on a SQLite file (`db`) or a PostgreSQL database (`databaseUrl`). An
 * `NPSKIT_DATABASE_URL` in the bench's own environment is never passed on: a SQLite run stays SQLite.
 */
export function startCollector(
  env: ({ db: string; databaseUrl?: undefined } | { databaseUrl: string; db?: undefined }) & {
    adminKey: string
    rateLimit?: number
    sync?: 'full' | 'normal'
    /** NPSKIT_SQLITE_SECURE_DELETE; default the collector's (on). */
    secureDelete?: 'on' | 'off'
    /** More of the collector's variables (NPSKIT_WEBHOOK_ALLOW_PRIVATE, …). */
    extra?: Record<string, string>
  },
) {
  return startServer(collectorCli, {
    NPSKIT_PORT: '0',
    ...(env.databaseUrl === undefined
      ? { NPSKIT_DB: env.db, NPSKIT_DATABASE_URL: '' }
      : { NPSKIT_DATABASE_URL: env.databaseUrl }),
    NPSKIT_ADMIN_KEY: env.adminKey,
    NPSKIT_RATE_LIMIT: String(env.rateLimit ?? 0),
    NPSKIT_SYNC: env.sync ?? 'full',
    ...(env.secureDelete ? { NPSKIT_SQLITE_SECURE_DELETE: env.secureDelete } : {}),
    ...env.extra,
  })
}

/** Peak resident set size of a live process, from the kernel's high-water mark, in bytes. */
export function peakRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? undefined : Number(kb) * 1024
  } catch {
    return undefined
  }
}

/** Samples VmHWM every `everyMs` until stopped; returns the highest value seen. */
export function samplePeakRss(pid: number, everyMs = 100): { stop: () => number } {
  let peak = peakRss(pid) ?? 0
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRss(pid) ?? 0)
  }, everyMs)
  return {
    stop: () => {
      clearInterval(timer)
      peak = Math.max(peak, peakRss(pid) ?? 0)
      return peak
    },
  }
}

/** A small JSON client for the admin API. */
export async function adminRequest<T>(
  baseUrl: string,
  adminKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`)
  return JSON.parse(text) as T
}

/**
 * Resolves once a declared breakdown dimension is counted (the breakdown's `rollup` says so), asking
 * every 100 ms; throws after `timeoutMs`.
 */
export async function counted(
  baseUrl: string,
  adminKey: string,
  surveyId: string,
  by: string,
  timeoutMs = 300_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  const path = `/v1/surveys/${surveyId}/nps/breakdown?by=${encodeURIComponent(by)}&limit=1&from=2100-01-01`
  for (;;) {
    const { rollup } = await adminRequest<{ rollup: string }>(baseUrl, adminKey, 'GET', path)
    if (rollup === 'counted') return
    if (rollup !== 'counting') throw new Error(`${by} is not declared (rollup: ${rollup})`)
    if (performance.now() > deadline) throw new Error(`${by} still counting after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
