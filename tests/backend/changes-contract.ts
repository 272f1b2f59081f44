/**
 * The change feed's contract (Backend.changes), run unchanged against every engine: each answer appears
 * at its latest change (created, merged, imported), an erasure as a tombstone that holds nothing of the
 * answer, a survey's feed holds only its own answers, and a poller that resumes from `next` sees every
 * change exactly once in its latest form, also while writes go on.
 *
 * @example
 * describeChangeFeedContract(sqliteEngine())
 */
import { randomUUID } from 'node:crypto'
import type { Backend, Change, StoredResponse } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stored } from './contract.ts'
import type { Engine } from './engines.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

/** Reads the feed from `since` until a page comes back empty; answers every change and the last `next`. */
export async function drain(
  backend: Backend,
  surveyId: string,
  since = 0,
  limit = 100,
): Promise<{ changes: Change[]; next: number }> {
  const changes: Change[] = []
  let next = since
  for (;;) {
    const page = await backend.changes(surveyId, next, limit)
    changes.push(...page.items)
    next = page.next
    if (page.items.length === 0) return { changes, next }
  }
}

/**
 * What a poller knows after applying changes in order: the answers it holds, by id (the latest wins, a
 * tombstone removes).
 */
export function applied(changes: Change[], into = new Map<string, StoredResponse>()) {
  for (const change of changes) {
    if (change.type === 'response.upserted') into.set(change.response.id, change.response)
    else into.delete(change.id)
  }
  return into
}

/** Every answer of a survey, by id, as the listing reads it. */
export async function allAnswers(backend: Backend, surveyId: string): Promise<Map<string, StoredResponse>> {
  const answers = new Map<string, StoredResponse>()
  let after: Parameters<Backend['listResponses']>[3]
  for (;;) {
    const page = await backend.listResponses(surveyId, {}, 1000, after)
    for (const answer of page.items) answers.set(answer.id, answer)
    if (!page.next) return answers
    after = page.next
  }
}

const sorted = (answers: Map<string, StoredResponse>) =>
  [...answers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

export function describeChangeFeedContract(engine: Engine): void {
  describe(`the ${engine.name} backend's change feed (contract)`, () => {
    let backend: Backend
    beforeEach(async () => {
      backend = await engine.open()
    })
    afterEach(async () => {
      await backend.close()
    })
    afterAll(() => engine.cleanup())

    const newSurvey = async (label = 'Checkout') =>
      (await backend.createSurvey(defaultSurveySettings(label), T0)).id

    it('answers nothing for a survey without answers, and a next that stays where it was', async () => {
      const survey = await newSurvey()
      expect(await backend.changes(survey, 0, 100)).toEqual({ items: [], next: 0 })
      expect(await backend.changes(survey, 42, 100)).toEqual({ items: [], next: 42 })
    })

    it('lists new answers in the order they were stored, with increasing numbers', async () => {
      const survey = await newSurvey()
      const ids = [randomUUID(), randomUUID(), randomUUID()]
      for (const [i, id] of ids.entries()) {
        await backend.writeResponse(survey, { id, score: 7 + i, receivedAt: T0 + i })
      }
      const { items, next } = await backend.changes(survey, 0, 100)
      expect(items.map((c) => c.type === 'response.upserted' && c.response.id)).toEqual(ids)
      const seqs = items.map((c) => c.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
      expect(new Set(seqs).size).toBe(3)
      expect(next).toBe(seqs[2])
      expect(items[0]).toEqual({
        type: 'response.upserted',
        seq: seqs[0],
        response: stored({ id: ids[0], createdAt: T0, score: 7, source: 'api' }),
      })
    })

    it('moves a merged answer (a comment sent later) after the changes since, once, with the comment', async () => {
      const survey = await newSurvey()
      const first = randomUUID()
      const second = randomUUID()
      await backend.writeResponse(survey, { id: first, score: 3, receivedAt: T0 })
      await backend.writeResponse(survey, { id: second, score: 9, receivedAt: T0 + 1 })
      const before = await backend.changes(survey, 0, 100)
      await backend.writeResponse(survey, {
        id: first,
        score: 3,
        comment: 'billing errors again',
        receivedAt: T0 + 2,
      })

      const after = await backend.changes(survey, before.next, 100)
      expect(after.items).toEqual([
        {
          type: 'response.upserted',
          seq: after.next,
          response: stored({
            id: first,
            createdAt: T0,
            score: 3,
            comment: 'billing errors again',
            source: 'api',
          }),
        },
      ])
      expect(after.next).toBeGreaterThan(before.next)
      // From the beginning, each answer appears once, at its latest change.
      const all = await backend.changes(survey, 0, 100)
      expect(all.items.map((c) => c.type === 'response.upserted' && c.response.id)).toEqual([second, first])
    })

    it('numbers a merge that changes the score as well', async () => {
      const survey = await newSurvey()
      const id = randomUUID()
      await backend.writeResponse(survey, { id, score: 4, receivedAt: T0 })
      const { next } = await backend.changes(survey, 0, 100)
      await backend.writeResponse(survey, { id, score: 10, receivedAt: T0 + 1 })
      const { items } = await backend.changes(survey, next, 100)
      expect(items).toMatchObject([{ type: 'response.upserted', response: { id, score: 10 } }])
    })

    it('shows imported answers, new and replaced, after the changes before the import', async () => {
      const survey = await newSurvey()
      const kept = randomUUID()
      const replaced = randomUUID()
      await backend.writeResponse(survey, { id: kept, score: 8, receivedAt: T0 })
      await backend.writeResponse(survey, { id: replaced, score: 2, receivedAt: T0 })
      const { next } = await backend.changes(survey, 0, 100)
      const fresh = stored({ id: randomUUID(), score: 10, createdAt: T0 - 1000 })
      const update = stored({ id: replaced, score: 6, comment: 'fixed by support', createdAt: T0 })
      expect(await backend.importResponses(survey, [fresh, update], T0 + 5)).toEqual({
        created: 1,
        updated: 1,
      })

      const { items } = await backend.changes(survey, next, 100)
      expect(items.map((c) => c.type === 'response.upserted' && c.response)).toEqual([fresh, update])
      expect(applied((await drain(backend, survey)).changes)).toEqual(await allAnswers(backend, survey))
    })

    it('leaves a tombstone for each erased answer: its id, number and time, nothing it held', async () => {
      const survey = await newSurvey()
      const gone = randomUUID()
      const stays = randomUUID()
      await backend.writeResponse(survey, {
        id: gone,
        score: 1,
        comment: 'call me at 555-0100',
        respondentId: 'user-erased',
        metadata: { email: 'erased@example.com' },
        receivedAt: T0,
      })
      await backend.writeResponse(survey, { id: stays, score: 9, respondentId: 'user-kept', receivedAt: T0 })
      const { next } = await backend.changes(survey, 0, 100)
      const before = Date.now()
      expect(await backend.eraseRespondent('user-erased')).toEqual({
        responses: 1,
        events: 0,
        cases: 0,
        deliveries: 0,
        emails: 0,
      })

      const { items } = await backend.changes(survey, next, 100)
      expect(items).toHaveLength(1)
      const [stone] = items as [Extract<Change, { type: 'response.erased' }>]
      expect(stone).toEqual({ type: 'response.erased', seq: stone.seq, id: gone, erasedAt: stone.erasedAt })
      expect(stone.seq).toBeGreaterThan(next)
      expect(stone.erasedAt).toBeGreaterThanOrEqual(before)
      expect(stone.erasedAt).toBeLessThanOrEqual(Date.now())
      // From the beginning: the erased answer's content is nowhere in the feed.
      const whole = JSON.stringify((await drain(backend, survey)).changes)
      for (const secret of ['555-0100', 'user-erased', 'erased@example.com'])
        expect(whole).not.toContain(secret)
      expect(applied((await drain(backend, survey)).changes)).toEqual(await allAnswers(backend, survey))
    })

    it('pages through the feed with next until a page is empty, each change once', async () => {
      const survey = await newSurvey()
      const ids: string[] = []
      for (let i = 0; i < 23; i++) {
        const id = randomUUID()
        ids.push(id)
        await backend.writeResponse(survey, { id, score: i % 11, receivedAt: T0 + i })
      }
      const pages: number[] = []
      let next = 0
      const seen: string[] = []
      for (;;) {
        const page = await backend.changes(survey, next, 5)
        pages.push(page.items.length)
        for (const c of page.items) if (c.type === 'response.upserted') seen.push(c.response.id)
        if (page.items.length === 0) {
          expect(page.next).toBe(next)
          break
        }
        expect(page.next).toBeGreaterThan(next)
        next = page.next
      }
      expect(pages).toEqual([5, 5, 5, 5, 3, 0])
      expect(seen).toEqual(ids)
      // Nothing new: the same position again, however often asked.
      expect(await backend.changes(survey, next, 5)).toEqual({ items: [], next })
    })

    it('shows a survey only its own answers and tombstones', async () => {
      const a = await newSurvey('A')
      const b = await newSurvey('B')
      const ofA = randomUUID()
      await backend.writeResponse(a, { id: ofA, score: 9, respondentId: 'r-a', receivedAt: T0 })
      await backend.writeResponse(b, { id: randomUUID(), score: 5, respondentId: 'r-b', receivedAt: T0 })
      await backend.writeResponse(b, { id: randomUUID(), score: 6, respondentId: 'r-b', receivedAt: T0 })
      await backend.eraseRespondent('r-b')
      const { changes } = await drain(backend, a)
      expect(changes.map((c) => (c.type === 'response.upserted' ? c.response.id : c.id))).toEqual([ofA])
      expect((await drain(backend, b)).changes.map((c) => c.type)).toEqual([
        'response.erased',
        'response.erased',
      ])
    })

    it('lets a poller that resumes from next end with every answer exactly as stored, while writes go on', async () => {
      const survey = await newSurvey()
      const other = await newSurvey('Other')
      const held = new Map<string, StoredResponse>()
      let next = 0
      let polls = 0
      let writing = true
      const poller = (async () => {
        while (writing || polls === 0) {
          const page = await backend.changes(survey, next, 7)
          applied(page.items, held)
          expect(page.next).toBeGreaterThanOrEqual(next)
          next = page.next
          polls++
          await new Promise((resolve) => setTimeout(resolve, 1))
        }
      })()
      const ids: string[] = []
      for (let round = 0; round < 12; round++) {
        const batch = Array.from({ length: 5 }, (_, i) => ({
          id: randomUUID(),
          respondent: `r${round}-${i}`,
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
        await backend.writeResponse(other, { id: randomUUID(), score: 5, receivedAt: T0 })
        // Comments that come later, on an answer of an earlier round.
        const earlier = ids[Math.floor(ids.length / 2)]!
        await backend.writeResponse(survey, {
          id: earlier,
          score: 0,
          comment: `round ${round}`,
          receivedAt: T0 + round,
        })
        if (round % 4 === 3) await backend.eraseRespondent(`r${round}-2`)
        if (round === 6) {
          await backend.importResponses(survey, [stored({ id: ids[0]!, score: 10, comment: 'imported' })], T0)
        }
      }
      writing = false
      await poller
      applied((await drain(backend, survey, next)).changes, held)
      expect(polls).toBeGreaterThan(1)
      expect(sorted(held)).toEqual(sorted(await allAnswers(backend, survey)))
    })
  })
}
