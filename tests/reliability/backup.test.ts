/**
 * Online backup and restore (SQLite): `npskit-collector backup` copies the database of a collector that
 * keeps taking answers, `restore` puts the copy in a new data folder, and a collector started there
 * holds a consistent state of the source: every answer acknowledged before the backup began, only
 * answers that were sent, and figures that agree with exactly those answers. Once the source is quiet,
 * a backup restored elsewhere answers the same figures and the same export as the source.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey, readNps } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess, repoRoot } from '../harness/collector.ts'

const ORIGIN = 'https://shop.example'
const WORKERS = 8
const cli = join(repoRoot, 'collector/src/cli.ts')

/** Runs the collector's CLI with `args`; resolves with its exit code and output. */
function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NPSKIT_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString()
    })
    child.once('exit', (code) => resolve({ code, output }))
  })
}

async function exported(collector: CollectorProcess, surveyId: string, format: 'ndjson' | 'csv') {
  const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses?format=${format}`, {
    headers: { authorization: `Bearer ${collector.adminKey}` },
  })
  expect(res.status).toBe(200)
  return res.text()
}

const ids = (ndjson: string) =>
  ndjson
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { id: string }).id)

// PostgreSQL is backed up with its own tools (pg_dump), which the README describes.
describe.skipIf(Boolean(process.env.NPSKIT_DATABASE_URL?.trim()))('an online backup of SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-backup-'))
  const started: CollectorProcess[] = []
  let source: CollectorProcess
  let surveyId: string

  beforeAll(async () => {
    source = collectorProcess()
    started.push(source)
    await source.start()
    surveyId = (await createSurvey(source, { name: 'Backup', allowedOrigins: [ORIGIN] })).id
  })
  afterAll(async () => {
    for (const collector of started) await collector.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const restoredCollector = async (backup: string, folder: string) => {
    mkdirSync(join(dir, folder))
    const db = join(dir, folder, 'npskit.db')
    const restored = await run(['restore', '--from', backup, '--to', db])
    expect(restored.code, restored.output).toBe(0)
    const collector = collectorProcess({ env: { NPSKIT_DB: db } })
    started.push(collector)
    await collector.start()
    return collector
  }

  it('is consistent while answers keep arriving, and restores into a new data folder', async () => {
    const scores = new Map<string, number>()
    const acknowledged = new Set<string>()
    let running = true
    const worker = async () => {
      while (running) {
        const id = randomUUID()
        const score = Math.floor(Math.random() * 11)
        scores.set(id, score)
        const res = await fetch(`${source.url}/v1/surveys/${surveyId}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', origin: ORIGIN },
          body: JSON.stringify({ id, score }),
        })
        await res.arrayBuffer()
        if (res.status === 201) acknowledged.add(id)
      }
    }
    const workers = Array.from({ length: WORKERS }, worker)
    while (acknowledged.size < 500) await new Promise((r) => setTimeout(r, 20))

    const before = new Set(acknowledged)
    const backup = join(dir, 'under-load.db')
    const made = await run(['backup', '--from', source.dbPath, '--to', backup])
    const sentMeanwhile = acknowledged.size - before.size
    running = false
    await Promise.all(workers)
    expect(made.code, made.output).toBe(0)
    expect(made.output).toMatch(/backed up and checked: 1 survey, [\d,]+ answers/)
    // The load really ran during the backup.
    expect(sentMeanwhile).toBeGreaterThan(0)

    const restored = await restoredCollector(backup, 'restored')
    const held = ids(await exported(restored, surveyId, 'ndjson'))
    expect(new Set(held).size).toBe(held.length)
    for (const id of before) expect(held).toContain(id)
    for (const id of held) expect(scores.has(id)).toBe(true)

    // The figures are those of exactly the answers the copy holds: no write batch is torn.
    const distribution = Array.from({ length: 11 }, () => 0)
    for (const id of held) distribution[scores.get(id)!]! += 1
    const nps = await readNps(restored, surveyId)
    expect(nps.total).toBe(held.length)
    expect(nps.distribution).toEqual(distribution)

    // The restored collector takes new answers.
    const res = await fetch(`${restored.url}/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: ORIGIN },
      body: JSON.stringify({ id: randomUUID(), score: 10 }),
    })
    expect(res.status).toBe(201)
  }, 120_000)

  it('equals the source, figures and export, when taken while the source is quiet', async () => {
    const backup = join(dir, 'quiet.db')
    const made = await run(['backup', '--from', source.dbPath, '--to', backup])
    expect(made.code, made.output).toBe(0)
    const restored = await restoredCollector(backup, 'quiet')
    expect(await readNps(restored, surveyId)).toEqual(await readNps(source, surveyId))
    expect(await exported(restored, surveyId, 'csv')).toBe(await exported(source, surveyId, 'csv'))
  }, 120_000)

  it('refuses to overwrite a file, and to restore over a database without --replace', async () => {
    const backup = join(dir, 'quiet.db')
    const again = await run(['backup', '--from', source.dbPath, '--to', backup])
    expect(again.code).toBe(1)
    expect(again.output).toContain('exists already')
    const over = await run(['restore', '--from', backup, '--to', source.dbPath])
    expect(over.code).toBe(1)
    expect(over.output).toContain('--replace')
  }, 60_000)
})
