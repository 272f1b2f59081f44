/**
 * Runs the real collector the way a user does: its CLI in a child process, on a free port, with a SQLite
 * file in a temp folder and a known admin key. Tests talk to it over HTTP only, like the widget and a
 * product team would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const widgetDist = join(repoRoot, 'widget/dist')
const cliPath = join(repoRoot, 'collector/src/cli.ts')

export interface Collector {
  /** e.g. `http://127.0.0.1:43121`, as the CLI printed it. */
  readonly url: string
  readonly port: number
  readonly adminKey: string
  readonly dbPath: string
  /** Everything the process printed, for failure messages. */
  output(): string
  /** SIGTERM, then wait for a clean exit. The database file stays. */
  stop(): Promise<void>
  /** Starts the process again on the same port with the same database (after `stop`). */
  restart(): Promise<void>
  /** Stops the process and removes its temp folder. */
  close(): Promise<void>
}

export interface CollectorOptions {
  env?: Record<string, string>
}

/**
 * Starts `collector/src/cli.ts` on port 0 and resolves once it says where it listens.
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
  const dir = mkdtempSync(join(tmpdir(), 'npskit-e2e-'))
  const dbPath = join(dir, 'npskit.db')
  const adminKey = `npskit_e2e_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  let log = ''
  let child: ChildProcess | null = null
  let port = 0

  const launch = async (wantedPort: number): Promise<string> => {
    const proc = spawn(process.execPath, ['--import', 'tsx', cliPath], {
      cwd: repoRoot,
      env: {
        ...process.env,
        NPSKIT_PORT: String(wantedPort),
        NPSKIT_HOST: '127.0.0.1',
        NPSKIT_DB: dbPath,
        NPSKIT_ADMIN_KEY: adminKey,
        NPSKIT_RATE_LIMIT: '0',
        NPSKIT_WIDGET_DIR: widgetDist,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    return new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL')
        reject(new Error(`collector did not start within 30 s:\n${log}`))
      }, 30_000)
      const onData = (chunk: Buffer) => {
        log += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(log)
        if (match) {
          clearTimeout(timer)
          resolveUrl(match[1]!.replace(/\/$/, ''))
        }
      }
      proc.stdout!.on('data', onData)
      proc.stderr!.on('data', onData)
      proc.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`collector exited with ${code} before listening:\n${log}`))
      })
    })
  }

  const stop = async () => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    await new Promise<void>((done) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
      proc.once('exit', () => {
        clearTimeout(timer)
        done()
      })
      proc.kill('SIGTERM')
    })
  }

  const url = await launch(0)
  port = Number(new URL(url).port)
  return {
    url,
    port,
    adminKey,
    dbPath,
    output: () => log,
    stop,
    restart: async () => {
      await stop()
      // The port was just released; another process grabbing it in between is possible but unlikely.
      await launch(port)
    },
    close: async () => {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
