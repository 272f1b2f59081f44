/**
 * `pnpm start` (demo/start.ts) as a person meets it: the first start makes the admin key and the demo
 * survey and says so, the printed `curl` line works, Ctrl-C (SIGINT) stops the collector and the demo
 * site cleanly, and a second start reuses the survey without making anything new. On its SQLite file in
 * the data folder, or — when the suite runs on PostgreSQL (`NPSKIT_DATABASE_URL`) — on a fresh database
 * of its own on that server, used by both starts and dropped afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, widgetDist } from '../harness/collector.ts'
import { suiteDatabase, type TestDatabase } from '../harness/postgres.ts'

interface Started {
  child: ChildProcess
  output: () => string
}

/** Every demo/start.ts this file started: one a failed test left running is stopped in afterAll. */
const started: ChildProcess[] = []

function start(dataDir: string, databaseUrl: string | undefined): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NPSKIT_PORT: '0',
    DEMO_PORT: '0',
    NPSKIT_DATA_DIR: dataDir,
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
function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGINT')
  })
}

const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:')

describe.skipIf(!existsSync(join(widgetDist, 'nps.js')))('pnpm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'npskit-start-'))
  let database: TestDatabase | undefined
  beforeAll(async () => {
    database = await suiteDatabase()
  })
  afterAll(async () => {
    // Ctrl-C, as a person would: demo/start.ts then stops the collector it started (in a process group
    // of its own, so a kill of start.ts alone would leave it running).
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) await interrupt(child)
    rmSync(dataDir, { recursive: true, force: true })
    await database?.drop()
  })

  it('makes the key and the demo survey on the first start only, prints a working curl line, and stops on Ctrl-C', async () => {
    const first = await start(dataDir, database?.url)
    const text = first.output()
    const collectorUrl = /collector\s+(http:\/\/localhost:\d+)/.exec(text)?.[1]
    const demoUrl = /demo site\s+(http:\/\/localhost:\d+)/.exec(text)?.[1]
    const key = /admin key\s+(\S+)/.exec(text)?.[1]
    const curl = /curl -H "Authorization: Bearer (\S+)" (\S+)/.exec(text)
    expect(collectorUrl, text).toBeDefined()
    expect(demoUrl, text).toBeDefined()
    expect(demoUrl).not.toBe(collectorUrl)
    expect(text).toContain('created now')
    expect(key, text).toMatch(/\S{20,}/)
    expect(curl?.[1]).toBe(key)

    // demo.json beside a SQLite file, demo-postgres-….json for a PostgreSQL database: the one it wrote.
    const [stateFile] = readdirSync(dataDir).filter((name) => /^demo.*\.json$/.test(name))
    expect(stateFile).toMatch(database ? /^demo-postgres-[0-9a-f]{12}\.json$/ : /^demo\.json$/)
    const surveyId = JSON.parse(readFileSync(join(dataDir, stateFile!), 'utf8')).surveyId as string
    expect(curl?.[2]).toBe(`${collectorUrl}/v1/surveys/${surveyId}/nps`)
    // What the curl line does:
    const nps = await fetch(loopback(curl![2]!), { headers: { authorization: `Bearer ${key}` } })
    expect(nps.status).toBe(200)
    expect(await nps.json()).toMatchObject({ total: 0 })
    // The demo page embeds this survey from the collector's origin.
    const page = await (await fetch(loopback(`${demoUrl}/`))).text()
    expect(page).toContain(`<script async src="${collectorUrl}/nps.js" data-survey="${surveyId}"></script>`)

    expect(await interrupt(first.child)).toBe(0)
    await expect(fetch(loopback(`${collectorUrl}/healthz`))).rejects.toThrow()
    await expect(fetch(loopback(`${demoUrl}/`))).rejects.toThrow()

    const second = await start(dataDir, database?.url)
    const again = second.output()
    expect(again).toContain(`(survey ${surveyId})`)
    expect(again).not.toContain('created now')
    expect(again).not.toMatch(/admin key\s/)
    expect(again).toContain('Bearer $NPSKIT_ADMIN_KEY')
    expect(await interrupt(second.child)).toBe(0)
  })
})
