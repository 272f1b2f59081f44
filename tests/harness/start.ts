/**
 * Running `pnpm start` (demo/start.ts) as a person would, on free ports and a data folder of the
 * test's, and stopping it with Ctrl-C: for the tests of the start-up (e2e/start.test.ts) and of what
 * follows a detractor's answer (e2e/follow-up.test.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './collector.ts'

export interface Started {
  child: ChildProcess
  output: () => string
}

/** Every demo/start.ts this file started: one a failed test left running is stopped in afterAll. */
export const started: ChildProcess[] = []

export function start(dataDir: string, databaseUrl: string | undefined): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NPSKIT_PORT: '0',
    DEMO_PORT: '0',
    NPSKIT_DATA_DIR: dataDir,
    // The demo's inbox on free ports too, so runs side by side do not meet.
    DEMO_WEBHOOK_PORT: '0',
    DEMO_SMTP_PORT: '0',
  }
  delete env.NPSKIT_ADMIN_KEY
  delete env.NPSKIT_DB
  // Never the run's own database, which other runs may hold data in: a fresh one, or SQLite.
  delete env.NPSKIT_DATABASE_URL
  if (databaseUrl) env.NPSKIT_DATABASE_URL = databaseUrl
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'demo/start.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  started.push(child)
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "Press Ctrl-C" within 40 s:\n${out}`)), 40_000)
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer)
        resolve({ child, output: () => out })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`demo/start.ts exited with ${code}:\n${out}`))
    })
  })
}

/** Ctrl-C: resolves with the exit code. */
export function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGINT')
  })
}
