/**
 * Crash safety: answers are posted under concurrent load while the collector process is killed with
 * SIGKILL (no shutdown hook runs) several times and started again on the same database (its SQLite file,
 * or its PostgreSQL database when the suite runs on PostgreSQL). An answer the collector acknowledged with
 * a 2xx must have been committed before the acknowledgement, so it must be in the database afterwards —
 * exactly once, and a retry of it must merge rather than count again. (Two collectors sharing one
 * PostgreSQL database, one of them killed: postgres-crash.test.ts.)
 */
import { randomUUID } from 'node:crypto'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'
import { openDatabase } from '../harness/database.ts'

/** The one page origin every reliability survey allows. */
const ORIGIN = 'https://shop.example'

const KILLS = 5
const WORKERS = 24
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a collector killed with SIGKILL under load', () => {
  let collector: CollectorProcess
  let surveyId: string
  const acknowledged = new Map<string, string>()
  const statuses = new Map<number, number>()

  beforeAll(async () => {
    collector = collectorProcess()
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Reliability', allowedOrigins: [ORIGIN] })).id

    let running = true
    const post = async (body: string) =>
      fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body,
      })
    const worker = async () => {
      while (running) {
        const id = randomUUID()
        const body = JSON.stringify({ id, score: Math.floor(Math.random() * 11), respondentId: `u-${id}` })
        try {
          const res = await post(body)
          await res.arrayBuffer()
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          if (res.status >= 200 && res.status < 300) acknowledged.set(id, body)
        } catch {
          // Connection refused or reset: the process is down or was killed mid-request. Not acknowledged.
          await sleep(5)
        }
      }
    }
    const workers = Array.from({ length: WORKERS }, worker)

    for (let kill = 0; kill < KILLS; kill++) {
      // Let this incarnation acknowledge a fair number of answers, then kill it at a random moment.
      const target = acknowledged.size + 100
      const deadline = Date.now() + 10_000
      while (acknowledged.size < target && Date.now() < deadline) await sleep(5)
      await sleep(Math.random() * 100)
      await collector.kill('SIGKILL')
      await collector.start()
    }
    const target = acknowledged.size + 100
    const deadline = Date.now() + 10_000
    while (acknowledged.size < target && Date.now() < deadline) await sleep(5)
    running = false
    await Promise.all(workers)
  }, 120_000)

  afterAll(async () => {
    await collector?.close()
  })

  it('acknowledged a substantial number of answers across every restart', () => {
    expect(acknowledged.size).toBeGreaterThan(KILLS * 100)
    const serverErrors = [...statuses].filter(([status]) => status >= 500)
    expect(serverErrors).toEqual([])
  })

  /** The ids stored for the survey, read from the database itself. */
  const storedIds = async () => {
    const db = await openDatabase(collector)
    try {
      const rows = await db.query<{ id: string }>('SELECT id FROM responses WHERE survey_id = ?', [surveyId])
      return rows.map((row) => row.id)
    } finally {
      await db.close()
    }
  }

  it('keeps every acknowledged answer, none twice', async () => {
    const counts = new Map<string, number>()
    for (const id of await storedIds()) counts.set(id, (counts.get(id) ?? 0) + 1)
    const missing = [...acknowledged.keys()].filter((id) => !counts.has(id))
    const twice = [...counts].filter(([, n]) => n > 1)
    expect({ missing, twice }).toEqual({ missing: [], twice: [] })
  })

  it('leaves an intact database: the file checks out on SQLite, the counts agree with the rows everywhere', async () => {
    if (collector.engine === 'sqlite') {
      const file = new Database(collector.dbPath, { readonly: true })
      try {
        expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        file.close()
      }
    }
    // On PostgreSQL the killed process is only a client; what a kill could break there is what the
    // collector keeps: the hourly counts must still equal the rows.
    const db = await openDatabase(collector)
    try {
      const [rolled] = await db.query<{ n: number }>(
        `SELECT coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10), 0) AS n FROM response_hours
         WHERE survey_id = ?`,
        [surveyId],
      )
      expect(Number(rolled!.n)).toBe((await storedIds()).length)
    } finally {
      await db.close()
    }
  })

  it('merges a retry of an acknowledged answer after the restarts instead of counting it again', async () => {
    const count = async () => (await storedIds()).length
    const before = await count()
    const sample = [...acknowledged.values()].slice(0, 25)
    for (const body of sample) {
      const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body,
      })
      expect(res.status, await res.text()).toBe(200)
    }
    expect(await count()).toBe(before)
  })
})
