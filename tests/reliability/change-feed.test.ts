/**
 * A sync poller against a real collector process, through its HTTP API only: it polls the change feed
 * every few milliseconds, keeping `next`, while visitors answer, follow-up comments merge into earlier
 * answers, an import replaces some and adds others, and a respondent is erased. It sees every change once,
 * in increasing order, and ends with exactly the answers the database holds, read behind the collector's
 * back.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'
import { openDatabase } from '../harness/database.ts'

const ORIGIN = 'https://shop.example'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Change =
  | {
      type: 'response.upserted'
      seq: number
      response: { id: string; score: number; comment: string | null }
    }
  | { type: 'response.erased'; seq: number; id: string; erasedAt: string }

describe('a poller of the change feed while answers, merges, an import and an erasure happen', () => {
  let collector: CollectorProcess
  let surveyId: string

  beforeAll(async () => {
    collector = collectorProcess()
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Synced', allowedOrigins: [ORIGIN] })).id
  })
  afterAll(async () => {
    await collector?.close()
  })

  const answer = async (body: Record<string, unknown>) => {
    const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify(body),
    })
    expect(res.status, await res.text()).toBeLessThan(300)
  }

  it('ends with exactly the database’s answers, each change seen once and in order', async () => {
    const held = new Map<string, { score: number; comment: string | null }>()
    const seqs: number[] = []
    let next: string | undefined
    let writing = true
    let polls = 0
    let emptyPolls = 0
    const poll = async () => {
      const page = await admin<{ items: Change[]; next: string }>(
        collector,
        `/v1/surveys/${surveyId}/changes?limit=20${next ? `&since=${next}` : ''}`,
      )
      for (const change of page.items) {
        seqs.push(change.seq)
        if (change.type === 'response.upserted') {
          held.set(change.response.id, { score: change.response.score, comment: change.response.comment })
        } else held.delete(change.id)
      }
      expect(typeof page.next).toBe('string')
      if (page.items.length === 0) {
        expect(page.next).toBe(next ?? page.next)
        emptyPolls++
      }
      next = page.next
      polls++
      return page.items.length
    }
    const poller = (async () => {
      while (writing) {
        await poll()
        await sleep(3)
      }
    })()

    const ids: string[] = []
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 6 }, () => randomUUID())
      ids.push(...batch)
      await Promise.all(
        batch.map((id, i) => answer({ id, score: (round + i) % 11, respondentId: `visitor-${round}-${i}` })),
      )
      // The follow-up comment of an answer sent a while ago.
      const earlier = ids[Math.floor(ids.length / 3)]!
      await answer({ id: earlier, score: 4, comment: `comment in round ${round}` })
      if (round === 8) {
        const rows = [
          { id: ids[1], createdAt: '2026-01-01T00:00:00.000Z', score: 10, comment: 'imported over it' },
          { id: randomUUID(), createdAt: '2025-06-01T00:00:00.000Z', score: 2, comment: 'imported anew' },
        ]
        const imported = await admin<{ created: number; updated: number }>(
          collector,
          `/v1/surveys/${surveyId}/responses/import`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-ndjson' },
            body: `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`,
          },
        )
        expect(imported).toMatchObject({ created: 1, updated: 1 })
      }
      if (round === 14) {
        const erased = await admin<{ deleted: { responses: number } }>(
          collector,
          '/v1/respondents?respondentId=visitor-3-2',
          { method: 'DELETE' },
        )
        expect(erased.deleted.responses).toBe(1)
      }
      await sleep(5)
    }
    writing = false
    await poller
    while ((await poll()) > 0) {}

    expect(polls).toBeGreaterThan(10)
    expect(emptyPolls).toBeGreaterThan(0)
    // Every change once: the numbers only ever grow.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!)

    const db = await openDatabase(collector)
    try {
      const rows = await db.query<{ id: string; score: number; comment: string | null }>(
        'SELECT id, score, comment FROM responses WHERE survey_id = ? ORDER BY id',
        [surveyId],
      )
      expect(rows.length).toBe(20 * 6 + 1 - 1)
      const byId = (entries: [string, { score: number; comment: string | null }][]) =>
        entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      expect(byId([...held])).toEqual(byId(rows.map((r) => [r.id, { score: r.score, comment: r.comment }])))
    } finally {
      await db.close()
    }
    expect(held.get(ids[1]!)).toEqual({ score: 10, comment: 'imported over it' })
    const stones = (await admin<{ items: Change[] }>(collector, `/v1/surveys/${surveyId}/changes?limit=1000`))
      .items
    expect(stones.filter((c) => c.type === 'response.erased')).toHaveLength(1)
  })
})
