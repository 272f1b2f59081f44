import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { ORIGIN, tempDir, uuid } from './testing.ts'

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))

interface Started {
  proc: ChildProcess
  url: string
  output: () => string
  exited: Promise<number | null>
}

/** Starts the CLI as `pnpm collector` would, and resolves once it prints where it listens. */
function start(env: Record<string, string>): Promise<Started> {
  const proc = spawn(process.execPath, ['--import', 'tsx', cli], {
    cwd: repoRoot,
    env: { ...process.env, NPSKIT_PORT: '0', NPSKIT_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)))
  return new Promise((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const match = /npskit collector listening on (http:\/\/\S+)/.exec(log)
      if (match) resolveStart({ proc, url: match[1]!, output: () => log, exited })
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
    void exited.then((code) => reject(new Error(`exited with ${code} before listening:\n${log}`)))
  })
}

describe('the CLI process', () => {
  const cleanups: (() => void)[] = []
  const running: ChildProcess[] = []
  afterEach(() => {
    for (const proc of running.splice(0)) if (proc.exitCode === null) proc.kill('SIGKILL')
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  const dbInTemp = () => {
    const { dir, remove } = tempDir()
    cleanups.push(remove)
    return join(dir, 'nested', 'npskit.db')
  }

  it('prints a new admin key once, keeps answers across a SIGTERM restart and a SIGKILL, and exits 0', async () => {
    const NPSKIT_DB = dbInTemp()
    const first = await start({ NPSKIT_DB })
    running.push(first.proc)
    const key = /admin key: (\S+)/.exec(first.output())?.[1]
    expect(key).toMatch(/^npk_/)
    const admin = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const created = await fetch(`${first.url}/v1/surveys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Kept', allowedOrigins: [ORIGIN] }),
    })
    const survey = ((await created.json()) as { id: string }).id
    const send = (url: string, id: string) =>
      fetch(`${url}/v1/surveys/${survey}/responses`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'text/plain' },
        body: JSON.stringify({ id, score: 9 }),
      })
    const a = uuid()
    expect((await send(first.url, a)).status).toBe(201)
    first.proc.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    const second = await start({ NPSKIT_DB })
    running.push(second.proc)
    expect(second.output()).not.toContain('admin key:')
    const b = uuid()
    expect((await send(second.url, b)).status).toBe(201)
    // A crash right after the answer: the answer was durable before it was sent.
    second.proc.kill('SIGKILL')
    await second.exited

    const third = await start({ NPSKIT_DB })
    running.push(third.proc)
    const res = await fetch(`${third.url}/v1/surveys/${survey}/responses`, { headers: admin })
    const ids = ((await res.json()) as { items: { id: string }[] }).items.map((r) => r.id)
    expect(ids.sort()).toEqual([a, b].sort())
    third.proc.kill('SIGINT')
    expect(await third.exited).toBe(0)
  })

  it('accepts NPSKIT_ADMIN_KEY as an admin key and prints no generated one', async () => {
    const NPSKIT_ADMIN_KEY = 'test-admin-key-0123456789'
    const started = await start({ NPSKIT_DB: dbInTemp(), NPSKIT_ADMIN_KEY })
    running.push(started.proc)
    expect(started.output()).not.toContain('admin key:')
    const res = await fetch(`${started.url}/v1/surveys`, {
      headers: { authorization: `Bearer ${NPSKIT_ADMIN_KEY}` },
    })
    expect(res.status).toBe(200)
    started.proc.kill('SIGTERM')
    expect(await started.exited).toBe(0)
  })

  it('refuses to start with a bad setting and says which', async () => {
    await expect(start({ NPSKIT_DB: dbInTemp(), NPSKIT_PORT: 'eighty' })).rejects.toThrow(/NPSKIT_PORT/)
  })
})
