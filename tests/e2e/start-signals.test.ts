/**
 * `pnpm start` stopped by a signal sent to the pnpm process itself (a service manager, `kill`, a CI
 * step's timeout), not by Ctrl-C in a terminal, which reaches every process of the group: both ports
 * are freed and no process of the tree is left, the detached collector included.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot, widgetDist } from '../harness/collector.ts'

/** Every process whose parent chain leads to `root` (read from /proc), `root` included. */
function tree(root: number): number[] {
  const parents = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // The command may hold spaces and parentheses: the fields after the last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(Number(name), ppid)
    } catch {
      // gone meanwhile
    }
  }
  const found = [root]
  for (let i = 0; i < found.length; i++)
    for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid)
  return found
}

const alive = (pid: number) => {
  try {
    // A zombie has exited; it only waits for its parent to read its status.
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')
  } catch {
    return false
  }
}

const children: ChildProcess[] = []
const dirs: string[] = []
/** Processes a failed test left behind, stopped afterwards so the next suites run at full speed. */
const leftovers: number[] = []
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL')
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:')

// The engine plays no part in how processes stop: the run on PostgreSQL skips this (it runs SQLite).
const skip = !existsSync(join(widgetDist, 'nps.js')) || Boolean(process.env.NPSKIT_DATABASE_URL?.trim())

describe.skipIf(skip)('pnpm start stopped by a signal to pnpm', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'frees both ports and leaves no process after %s to the pnpm process',
    async (signal) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'npskit-start-signal-'))
      dirs.push(dataDir)
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NPSKIT_PORT: '0',
        DEMO_PORT: '0',
        NPSKIT_DATA_DIR: dataDir,
      }
      for (const name of ['NPSKIT_ADMIN_KEY', 'NPSKIT_DB', 'NPSKIT_DATABASE_URL']) delete env[name]
      // Not a terminal's process group: the signal reaches pnpm alone.
      const pnpm = spawn('pnpm', ['start'], {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
      children.push(pnpm)
      let out = ''
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('Press Ctrl-C to stop.')) resolve()
        }
        pnpm.stdout!.on('data', onData)
        pnpm.stderr!.on('data', onData)
        pnpm.once('exit', (code) => reject(new Error(`pnpm start exited with ${code}:\n${out}`)))
      })
      const collectorUrl = loopback(/collector\s+(http:\/\/localhost:\d+)/.exec(out)![1]!)
      const demoUrl = loopback(/demo site\s+(http:\/\/localhost:\d+)/.exec(out)![1]!)
      const processes = tree(pnpm.pid!)
      leftovers.push(...processes)
      // pnpm, its shell, tsx, demo/start.ts and the collector at least.
      expect(processes.length, out).toBeGreaterThanOrEqual(4)
      expect((await fetch(`${collectorUrl}/healthz`)).status).toBe(200)

      const exited = new Promise<void>((resolve) => pnpm.once('exit', () => resolve()))
      pnpm.kill(signal)
      await exited
      // The tree winds down after pnpm has gone: give it a while (the collector's own grace is 10 s).
      for (let i = 0; i < 200 && processes.some(alive); i++) await new Promise((r) => setTimeout(r, 100))
      expect(processes.filter(alive)).toEqual([])
      await expect(fetch(`${collectorUrl}/healthz`)).rejects.toThrow()
      await expect(fetch(`${demoUrl}/`)).rejects.toThrow()
    },
    90_000,
  )
})
