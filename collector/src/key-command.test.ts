import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteBackend } from './backend/sqlite/sqlite-backend.ts'
import { keyCommand } from './key-command.ts'
import { tempDir } from './testing.ts'

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))

/** `npskit-collector <args>` as a process, run to its end. */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env } },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
    )
    child.stdin?.end()
  })
}

/** The collector itself, started as `pnpm collector` would; resolves with its URL once it listens. */
function startCollector(env: Record<string, string>): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', cli], {
    cwd: repoRoot,
    env: { ...process.env, NPSKIT_PORT: '0', NPSKIT_RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  return new Promise((resolveStart, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString()
      const match = /npskit collector listening on (http:\/\/\S+)/.exec(log)
      if (match) resolveStart({ proc, url: match[1]! })
    }
    proc.stdout!.on('data', onData)
    proc.stderr!.on('data', onData)
    proc.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${log}`)))
  })
}

describe('npskit-collector key create', () => {
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })
  const folder = () => {
    const tmp = tempDir()
    cleanups.push(tmp.remove)
    return tmp.dir
  }

  it('prints a new key once into the running collector’s database, and that key opens /v1/surveys at once', async () => {
    const NPSKIT_DB = join(folder(), 'npskit.db')
    // The first start printed an admin key, which (in this story) nobody kept.
    const collector = await startCollector({ NPSKIT_DB })
    cleanups.push(() => collector.proc.kill('SIGKILL'))

    const made = await runCli(['key', 'create'], { NPSKIT_DB })
    expect(made.code).toBe(0)
    expect(made.output).toContain(`in ${NPSKIT_DB} (sqlite)`)
    const adminKey = /^admin key: (npk_\S+)$/m.exec(made.output)?.[1]
    expect(adminKey).toBeDefined()
    expect(made.output.match(/npk_/g)).toHaveLength(1)
    const asAdmin = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }
    expect((await fetch(`${collector.url}/v1/surveys`, { headers: asAdmin })).status).toBe(200)
    const created = await fetch(`${collector.url}/v1/surveys`, {
      method: 'POST',
      headers: asAdmin,
      body: JSON.stringify({ name: 'Made with the recovered key' }),
    })
    expect(created.status).toBe(201)

    const read = await runCli(['key', 'create', '--scope', 'read', '--name', 'CS team'], { NPSKIT_DB })
    expect(read.code).toBe(0)
    const readKey = /^read key: (npk_\S+)$/m.exec(read.output)?.[1]
    const asReader = { authorization: `Bearer ${readKey}`, 'content-type': 'application/json' }
    const list = await fetch(`${collector.url}/v1/surveys`, { headers: asReader })
    expect(list.status).toBe(200)
    expect(((await list.json()) as { items: { name: string }[] }).items.map((s) => s.name)).toEqual([
      'Made with the recovered key',
    ])
    const refused = await fetch(`${collector.url}/v1/surveys`, {
      method: 'POST',
      headers: asReader,
      body: JSON.stringify({ name: 'not allowed' }),
    })
    expect(refused.status).toBe(403)

    const keys = await fetch(`${collector.url}/v1/keys`, { headers: asAdmin })
    const listed = ((await keys.json()) as { items: { name: string; scope: string; last4: string }[] }).items
    expect(listed.map((k) => [k.name, k.scope])).toEqual([
      ['first admin key', 'admin'],
      ['command-line key', 'admin'],
      ['CS team', 'read'],
    ])
    expect(listed[2]!.last4).toBe(readKey!.slice(-4))
  })

  it('refuses to make a key in a database that does not exist, naming the path it looked at', async () => {
    const NPSKIT_DB = join(folder(), 'typo', 'npskit.db')
    const lines: string[] = []
    expect(await keyCommand(['create'], (line) => lines.push(line), { NPSKIT_DB })).toBe(1)
    expect(lines.join('\n')).toContain(`no collector database at ${NPSKIT_DB}`)
    expect(lines.join('\n')).not.toContain('npk_')
    expect(existsSync(NPSKIT_DB)).toBe(false)
  })

  it('refuses a scope or a name the API would refuse, and writes nothing', async () => {
    const NPSKIT_DB = join(folder(), 'npskit.db')
    const backend = new SqliteBackend(NPSKIT_DB)
    await backend.close()
    for (const args of [
      ['create', '--scope', 'owner'],
      ['create', '--name', ''],
      ['make'],
      ['create', '--colour', 'blue'],
    ]) {
      const lines: string[] = []
      expect(await keyCommand(args, (line) => lines.push(line), { NPSKIT_DB }), args.join(' ')).toBe(2)
      expect(lines.join('\n')).toContain('usage: npskit-collector key create')
    }
    const lines: string[] = []
    await keyCommand(['create', '--scope', 'owner'], (line) => lines.push(line), { NPSKIT_DB })
    expect(lines[0]).toMatch(/^--scope: /)
    const after = new SqliteBackend(NPSKIT_DB)
    expect(after.listApiKeys()).toEqual([])
    await after.close()
  })
})
