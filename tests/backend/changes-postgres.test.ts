/**
 * The change feed with several collectors writing to one PostgreSQL database: a change numbered while
 * another is still in flight commits after it, so a poller that resumes after the highest number it saw
 * never skips one that commits late, and a poller ends with exactly what the database holds.
 */
import { randomUUID } from 'node:crypto'
import { type Change, PostgresBackend, type StoredResponse } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'
import { allAnswers, applied, drain } from './changes-contract.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const idsOf = (changes: Change[]) =>
  changes.map((c) => (c.type === 'response.upserted' ? c.response.id : c.id))

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('the change feed with several collectors on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>
  let one: PostgresBackend
  let two: PostgresBackend
  let three: PostgresBackend
  let sql: postgres.Sql

  beforeAll(async () => {
    database = await createDatabase()
    one = await PostgresBackend.connect(database.url, { poolSize: 4 })
    two = await PostgresBackend.connect(database.url, { poolSize: 4 })
    three = await PostgresBackend.connect(database.url, { poolSize: 4 })
    sql = postgres(database.url, { max: 2, onnotice: () => {} })
  })
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close(), three?.close(), sql?.end()])
    await database?.drop()
  })

  it('holds a later write back until an earlier-numbered one commits, so a poller cannot pass it', async () => {
    const survey = (await one.createSurvey(defaultSurveySettings('Late'), T0)).id
    const start = await one.changes(survey, 0, 100)
    const late = randomUUID()
    const early = randomUUID()
    // A writer in flight, as an import holds it: a number taken, its answer not yet committed.
    const reserved = await sql.reserve()
    let later: Promise<unknown> | undefined
    try {
      await reserved`BEGIN`
      const [{ value }] = (await reserved`UPDATE change_counter SET value = value + 1 WHERE id = 1
        RETURNING value`) as unknown as [{ value: string }]
      await reserved`INSERT INTO responses (survey_id, id, created_at, updated_at, score, seq)
        VALUES (${survey}, ${late}, ${T0}, ${T0}, 4, ${value})`
      // Another collector's answer, meanwhile: it waits for the number after the one in flight.
      let settled = false
      later = two.writeResponse(survey, { id: early, score: 9, receivedAt: T0 }).finally(() => {
        settled = true
      })
      await sleep(200)
      expect(settled).toBe(false)
      expect(await three.changes(survey, start.next, 100)).toEqual({ items: [], next: start.next })
      await reserved`COMMIT`
    } finally {
      reserved.release()
    }
    await later
    const { changes } = await drain(three, survey, start.next)
    expect(idsOf(changes)).toEqual([late, early])
  })

  it('lets a poller end with exactly the database’s answers while three collectors write, merge and erase', async () => {
    const survey = (await one.createSurvey(defaultSurveySettings('Busy'), T0)).id
    const held = new Map<string, StoredResponse>()
    let next = 0
    let writing = true
    let polls = 0
    const poller = (async () => {
      while (writing) {
        const page = await three.changes(survey, next, 50)
        applied(page.items, held)
        next = page.next
        polls++
        await sleep(2)
      }
    })()
    const collectors = [one, two, three]
    const ids: string[] = []
    await Promise.all(
      collectors.map(async (backend, c) => {
        for (let round = 0; round < 15; round++) {
          const batch = Array.from({ length: 8 }, (_, i) => ({
            id: randomUUID(),
            respondent: `c${c}-r${round}-${i}`,
          }))
          ids.push(...batch.map((b) => b.id))
          await Promise.all(
            batch.map((b, i) =>
              backend.writeResponse(survey, {
                id: b.id,
                score: (round + i) % 11,
                respondentId: b.respondent,
                receivedAt: T0 + round,
              }),
            ),
          )
          // A comment merged later into an answer another collector may have written.
          const earlier = ids[(round * 7 + c) % ids.length]!
          await backend.writeResponse(survey, {
            id: earlier,
            score: 2,
            comment: `c${c} r${round}`,
            receivedAt: T0,
          })
          if (round % 5 === 4) await backend.eraseRespondent(`c${c}-r${round}-3`)
        }
      }),
    )
    writing = false
    await poller
    applied((await drain(three, survey, next)).changes, held)
    expect(polls).toBeGreaterThan(1)
    const stored = await allAnswers(one, survey)
    expect(held.size).toBe(stored.size)
    expect(new Map([...held].sort())).toEqual(new Map([...stored].sort()))
  })
})
