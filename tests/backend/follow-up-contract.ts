/**
 * The follow-up part of the backend contract (backend/follow-up.ts), run unchanged against every engine:
 * cases and their logs, webhook endpoints, the delivery and email outboxes with their leases, the
 * dispatcher's feed, cursor and schedule marks, and what erasure, deleting a survey and a copy do to
 * all of it. The engines store; nothing here tests a decision made in follow-up/.
 *
 * @example
 * describeFollowUpContract(sqliteEngine())
 */
import { randomUUID } from 'node:crypto'
import type {
  Backend,
  CaseFilter,
  CaseLogEntry,
  FollowUpChange,
  NewCase,
  NewDelivery,
  NewEmail,
  NewEndpoint,
} from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exported, stored } from './contract.ts'
import type { Engine } from './engines.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const MINUTE = 60_000
const HOUR = 3_600_000

const newCase = (surveyId: string, responseId: string, fields: Partial<NewCase> = {}): NewCase => ({
  surveyId,
  responseId,
  assignee: null,
  dueAt: null,
  tags: [],
  openedBy: 'admin',
  ...fields,
})

const newEndpoint = (fields: Partial<NewEndpoint> = {}): NewEndpoint => ({
  surveyId: null,
  url: 'https://hooks.example/in',
  format: 'standard',
  events: ['response.created'],
  filter: {},
  description: null,
  secret: `whsec_${randomUUID()}`,
  ...fields,
})

let deliveryNumber = 0
const newDelivery = (endpointId: string, fields: Partial<NewDelivery> = {}): NewDelivery => ({
  id: `msg_${String(++deliveryNumber).padStart(6, '0')}_${randomUUID()}`,
  endpointId,
  surveyId: null,
  orderKey: 'k',
  responseId: null,
  eventType: 'response.created',
  payload: JSON.stringify({ n: deliveryNumber }),
  ...fields,
})

const newEmail = (fields: Partial<NewEmail> = {}): NewEmail => ({
  id: `eml_${randomUUID()}`,
  kind: 'case',
  surveyId: null,
  responseId: null,
  to: ['team@example.com'],
  subject: 'A detractor',
  text: 'Score 2',
  html: null,
  ...fields,
})

const withoutSeq = (log: CaseLogEntry[]) => log.map(({ seq: _, ...entry }) => entry)

export function describeFollowUpContract(engine: Engine): void {
  describe(`the ${engine.name} backend's follow-up store (contract)`, () => {
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

    /** A live answer (writeResponse), its id. */
    const answer = async (
      surveyId: string,
      score = 3,
      fields: { respondentId?: string; at?: number } = {},
    ) => {
      const id = randomUUID()
      await backend.writeResponse(surveyId, {
        id,
        score,
        ...(fields.respondentId ? { respondentId: fields.respondentId } : {}),
        receivedAt: fields.at ?? T0,
      })
      return id
    }

    const opened = async (surveyId: string, responseId: string, fields: Partial<NewCase> = {}, at = T0) => {
      const result = await backend.openCase(newCase(surveyId, responseId, fields), at)
      if ('missing' in result) throw new Error('no answer')
      return result.case
    }

    const feed = async (surveyId: string, after = 0) => {
      const items: FollowUpChange[] = []
      let next = after
      for (;;) {
        const page = await backend.followUpChanges(surveyId, next, 2)
        items.push(...page.items)
        if (page.items.length === 0) return { items, next }
        next = page.next
      }
    }

    describe('answers', () => {
      it('keeps the consent to be contacted with the answer, and a repeat without it does not take it back', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        await backend.writeResponse(survey, {
          id,
          score: 2,
          contact: { email: 'ana@example.com' },
          receivedAt: T0,
        })
        await backend.writeResponse(survey, { id, score: 2, comment: 'late again', receivedAt: T0 + 1 })
        expect((await backend.listResponses(survey, {}, 10)).items).toEqual([
          stored({
            id,
            score: 2,
            comment: 'late again',
            contact: { email: 'ana@example.com' },
            source: 'api',
          }),
        ])
        await backend.writeResponse(survey, { id, score: 2, contact: { email: null }, receivedAt: T0 + 2 })
        expect((await backend.listResponses(survey, {}, 10)).items[0]?.contact).toEqual({ email: null })
        const other = await answer(survey)
        const page = await backend.listResponses(survey, {}, 10)
        expect(page.items.find((r) => r.id === other)?.contact).toBeNull()
      })

      it('imports and exports the consent with the answer', async () => {
        const survey = await newSurvey()
        const row = stored({ contact: { email: null } })
        await backend.importResponses(survey, [row], T0)
        expect((await backend.listResponses(survey, {}, 10)).items).toEqual([row])
        const changes = await backend.changes(survey, 0, 10)
        expect(changes.items[0]).toMatchObject({ response: { contact: { email: null } } })
      })
    })

    describe('cases', () => {
      it('opens a case for an answer with an opened entry and the first note, and its answer', async () => {
        const survey = await newSurvey()
        const id = await answer(survey, 2, { at: T0 - HOUR })
        const result = await backend.openCase(
          newCase(survey, id, {
            assignee: 'ana',
            dueAt: T0 + HOUR,
            tags: ['billing', 'vip'],
            openedBy: 'rule: detractors',
            note: 'Call back',
          }),
          T0,
        )
        expect(result).toMatchObject({ created: true })
        if ('missing' in result) throw new Error('missing')
        const c = result.case
        expect(c.id).toMatch(/^case_/)
        expect(c).toMatchObject({
          surveyId: survey,
          responseId: id,
          status: 'open',
          assignee: 'ana',
          dueAt: T0 + HOUR,
          tags: ['billing', 'vip'],
          score: 2,
          category: 'detractor',
          answeredAt: T0 - HOUR,
          openedAt: T0,
          openedBy: 'rule: detractors',
          updatedAt: T0,
          firstContactAt: null,
          closedAt: null,
        })
        expect(c.response).toMatchObject({ id, score: 2 })
        expect(c.log.map(({ kind, actor, at, note }) => ({ kind, actor, at, note }))).toEqual([
          { kind: 'opened', actor: 'rule: detractors', at: T0, note: null },
          { kind: 'note', actor: 'rule: detractors', at: T0, note: 'Call back' },
        ])
        expect(c.log[0]!.seq).toBeLessThan(c.log[1]!.seq)
        expect(c.log.every((e) => e.caseId === c.id)).toBe(true)
        expect(await backend.getCase(c.id)).toEqual(c)
        expect(await backend.getCase('case_missing')).toBeUndefined()
      })

      it('answers the existing case when the answer has one, and missing when there is no such answer', async () => {
        const survey = await newSurvey()
        const id = await answer(survey)
        const first = await opened(survey, id)
        const again = await backend.openCase(newCase(survey, id, { assignee: 'bo' }), T0 + 1)
        expect(again).toEqual({ case: first, created: false })
        expect(await backend.openCase(newCase(survey, randomUUID()), T0)).toEqual({ missing: 'response' })
        expect(await backend.openCase(newCase('srv_missing', id), T0)).toEqual({ missing: 'response' })
      })

      it('logs each field that changes, and the note, with who and when; unchanged fields log nothing', async () => {
        const survey = await newSurvey()
        const c = await opened(survey, await answer(survey), { tags: ['a'] })
        const changed = await backend.changeCase(
          c.id,
          { status: 'contacted', assignee: 'ana', dueAt: T0 + HOUR, tags: ['a', 'b'], note: 'Called' },
          'key: support',
          T0 + MINUTE,
        )
        expect(changed).toMatchObject({
          status: 'contacted',
          assignee: 'ana',
          dueAt: T0 + HOUR,
          tags: ['a', 'b'],
        })
        expect(changed!.updatedAt).toBe(T0 + MINUTE)
        const entries = changed!.log.slice(1)
        expect(
          entries.map(({ kind, from, to, note, actor, at }) => ({ kind, from, to, note, actor, at })),
        ).toEqual([
          {
            kind: 'status',
            from: 'open',
            to: 'contacted',
            note: null,
            actor: 'key: support',
            at: T0 + MINUTE,
          },
          { kind: 'assignee', from: null, to: 'ana', note: null, actor: 'key: support', at: T0 + MINUTE },
          { kind: 'due', from: null, to: T0 + HOUR, note: null, actor: 'key: support', at: T0 + MINUTE },
          { kind: 'tags', from: ['a'], to: ['a', 'b'], note: null, actor: 'key: support', at: T0 + MINUTE },
          { kind: 'note', from: null, to: null, note: 'Called', actor: 'key: support', at: T0 + MINUTE },
        ])
        const seqs = changed!.log.map((e) => e.seq)
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
        expect(new Set(seqs).size).toBe(seqs.length)

        const same = await backend.changeCase(
          c.id,
          { status: 'contacted', assignee: 'ana', tags: ['a', 'b'] },
          'key: support',
          T0 + 2 * MINUTE,
        )
        expect(same!.log).toHaveLength(changed!.log.length)
        expect(same!.updatedAt).toBe(T0 + MINUTE)
        const unassigned = await backend.changeCase(
          c.id,
          { assignee: null, dueAt: null },
          'bo',
          T0 + 3 * MINUTE,
        )
        expect(unassigned).toMatchObject({ assignee: null, dueAt: null })
        expect(unassigned!.log.slice(-2).map(({ kind, from, to }) => ({ kind, from, to }))).toEqual([
          { kind: 'assignee', from: 'ana', to: null },
          { kind: 'due', from: T0 + HOUR, to: null },
        ])
        expect(await backend.changeCase('case_missing', { status: 'resolved' }, 'bo', T0)).toBeUndefined()
      })

      it('sets the first contact once, and the close time each time a case closes', async () => {
        const survey = await newSurvey()
        const c = await opened(survey, await answer(survey))
        const contacted = await backend.changeCase(c.id, { status: 'contacted' }, 'a', T0 + 1)
        expect(contacted).toMatchObject({ firstContactAt: T0 + 1, closedAt: null })
        const resolved = await backend.changeCase(c.id, { status: 'resolved' }, 'a', T0 + 2)
        expect(resolved).toMatchObject({ firstContactAt: T0 + 1, closedAt: T0 + 2 })
        const reopened = await backend.changeCase(c.id, { status: 'open' }, 'a', T0 + 3)
        expect(reopened).toMatchObject({ firstContactAt: T0 + 1, closedAt: null })
        const dismissed = await backend.changeCase(c.id, { status: 'dismissed' }, 'a', T0 + 4)
        expect(dismissed).toMatchObject({ firstContactAt: T0 + 1, closedAt: T0 + 4 })

        // Resolved without being contacted first: that was the contact.
        const d = await opened(survey, await answer(survey))
        expect(await backend.changeCase(d.id, { status: 'resolved' }, 'a', T0 + 5)).toMatchObject({
          firstContactAt: T0 + 5,
          closedAt: T0 + 5,
        })
        // Dismissed is no contact.
        const e = await opened(survey, await answer(survey))
        expect(await backend.changeCase(e.id, { status: 'dismissed' }, 'a', T0 + 6)).toMatchObject({
          firstContactAt: null,
          closedAt: T0 + 6,
        })
      })

      it('lists cases by status, assignee (or nobody), overdue, category and answer time, newest first, page by page', async () => {
        const survey = await newSurvey()
        const other = await newSurvey('Other')
        const a = await opened(
          survey,
          await answer(survey, 2, { at: T0 }),
          { assignee: 'ana', dueAt: T0 + HOUR },
          T0 + 1,
        )
        const b = await opened(
          survey,
          await answer(survey, 8, { at: T0 + HOUR }),
          { dueAt: T0 + 2 * HOUR },
          T0 + 2,
        )
        const c = await opened(
          survey,
          await answer(survey, 10, { at: T0 + 2 * HOUR }),
          { assignee: 'bo' },
          T0 + 3,
        )
        const d = await opened(survey, await answer(survey, 0, { at: T0 + 3 * HOUR }), { dueAt: T0 }, T0 + 4)
        const elsewhere = await opened(other, await answer(other, 1), {}, T0 + 5)
        await backend.changeCase(d.id, { status: 'resolved' }, 'x', T0 + 10)
        await backend.changeCase(c.id, { status: 'contacted' }, 'x', T0 + 10)

        const ids = async (filter: CaseFilter) =>
          (await backend.listCases({ surveyId: survey, ...filter }, 100)).items.map((x) => x.id)
        expect(await ids({})).toEqual([d.id, c.id, b.id, a.id])
        expect((await backend.listCases({}, 100)).items.map((x) => x.id)).toEqual([
          elsewhere.id,
          d.id,
          c.id,
          b.id,
          a.id,
        ])
        expect(await ids({ status: ['open'] })).toEqual([b.id, a.id])
        expect(await ids({ status: ['contacted', 'resolved'] })).toEqual([d.id, c.id])
        expect(await ids({ assignee: 'ana' })).toEqual([a.id])
        expect(await ids({ assignee: null })).toEqual([d.id, b.id])
        // d is past due but resolved; c has no due time.
        expect(await ids({ overdueAt: T0 + 90 * MINUTE })).toEqual([a.id])
        expect(await ids({ overdueAt: T0 + 3 * HOUR })).toEqual([b.id, a.id])
        expect(await ids({ category: 'detractor' })).toEqual([d.id, a.id])
        expect(await ids({ category: 'passive' })).toEqual([b.id])
        expect(await ids({ from: T0 + HOUR, to: T0 + 3 * HOUR })).toEqual([c.id, b.id])
        expect(await ids({ category: 'detractor', status: ['open'], assignee: 'ana' })).toEqual([a.id])

        const first = await backend.listCases({ surveyId: survey }, 3)
        expect(first.items.map((x) => x.id)).toEqual([d.id, c.id, b.id])
        expect(first.next).toEqual({ openedAt: b.openedAt, id: b.id })
        const second = await backend.listCases({ surveyId: survey }, 3, first.next!)
        expect(second).toEqual({ items: [expect.objectContaining({ id: a.id })], next: null })
        expect(second.items[0]).not.toHaveProperty('log')
      })

      it('pages cases opened at the same millisecond by id, each once', async () => {
        const survey = await newSurvey()
        const cases = []
        for (let i = 0; i < 5; i++) cases.push(await opened(survey, await answer(survey), {}, T0))
        const seen: string[] = []
        let after: Parameters<Backend['listCases']>[2]
        for (;;) {
          const page = await backend.listCases({ surveyId: survey }, 2, after)
          seen.push(...page.items.map((c) => c.id))
          if (!page.next) break
          after = page.next
        }
        expect(seen).toEqual(
          cases
            .map((c) => c.id)
            .sort()
            .reverse(),
        )
      })

      it('answers the timings of the cases whose answers fall in a period', async () => {
        const survey = await newSurvey()
        const a = await opened(
          survey,
          await answer(survey, 2, { at: T0 }),
          { assignee: 'ana', dueAt: T0 + HOUR },
          T0 + 1,
        )
        await backend.changeCase(a.id, { status: 'contacted' }, 'x', T0 + 5)
        await backend.changeCase(a.id, { status: 'resolved' }, 'x', T0 + 9)
        await opened(survey, await answer(survey, 7, { at: T0 + 2 * HOUR }), {}, T0 + 2)
        const timings = await backend.caseTimings(survey, T0, T0 + HOUR)
        expect(timings).toEqual([
          {
            assignee: 'ana',
            category: 'detractor',
            status: 'resolved',
            openedAt: T0 + 1,
            dueAt: T0 + HOUR,
            firstContactAt: T0 + 5,
            closedAt: T0 + 9,
          },
        ])
        expect(await backend.caseTimings(survey, T0, T0 + 3 * HOUR)).toHaveLength(2)
        expect(await backend.caseTimings(await newSurvey('Empty'), T0, T0 + HOUR)).toEqual([])
      })
    })

    describe('webhook endpoints', () => {
      it('creates, reads, lists, changes and deletes endpoints', async () => {
        const survey = await newSurvey()
        const other = await newSurvey('Other')
        const everywhere = await backend.createEndpoint(newEndpoint({ description: 'all' }), T0)
        const own = await backend.createEndpoint(
          newEndpoint({
            surveyId: survey,
            format: 'slack',
            events: ['case.opened', 'case.updated'],
            filter: { categories: ['detractor'], minScore: 0, maxScore: 6, segments: [['plan', 'pro']] },
          }),
          T0 + 1,
        )
        const theirs = await backend.createEndpoint(newEndpoint({ surveyId: other }), T0 + 2)
        expect(everywhere).toMatchObject({
          surveyId: null,
          url: 'https://hooks.example/in',
          format: 'standard',
          events: ['response.created'],
          filter: {},
          description: 'all',
          enabled: true,
          disabledReason: null,
          failingSince: null,
          createdAt: T0,
          updatedAt: T0,
        })
        expect(everywhere.id).toMatch(/^whe_/)
        expect(everywhere.secret).toMatch(/^whsec_/)
        expect(await backend.getEndpoint(own.id)).toEqual(own)
        expect(own.filter).toEqual({
          categories: ['detractor'],
          minScore: 0,
          maxScore: 6,
          segments: [['plan', 'pro']],
        })
        expect(await backend.getEndpoint('whe_missing')).toBeUndefined()
        expect((await backend.listEndpoints(survey)).map((e) => e.id)).toEqual([everywhere.id, own.id])
        expect((await backend.listEndpoints()).map((e) => e.id)).toEqual([everywhere.id, own.id, theirs.id])

        const changed = await backend.updateEndpoint(
          own.id,
          { url: 'https://hooks.example/two', events: ['response.updated'], description: null, filter: {} },
          T0 + 10,
        )
        expect(changed).toMatchObject({
          url: 'https://hooks.example/two',
          events: ['response.updated'],
          format: 'slack',
          description: null,
          filter: {},
          updatedAt: T0 + 10,
          createdAt: T0 + 1,
        })
        const disabled = await backend.updateEndpoint(
          own.id,
          { enabled: false, disabledReason: 'disabled by ops' },
          T0 + 11,
        )
        expect(disabled).toMatchObject({ enabled: false, disabledReason: 'disabled by ops' })
        expect(await backend.updateEndpoint('whe_missing', { url: 'https://x.example' }, T0)).toBeUndefined()

        expect(await backend.deleteEndpoint(own.id)).toBe(true)
        expect(await backend.deleteEndpoint(own.id)).toBe(false)
        expect(await backend.getEndpoint(own.id)).toBeUndefined()
      })

      it('re-enabling clears the failure and its reason', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const [delivery] = [newDelivery(endpoint.id)]
        await backend.enqueueDeliveries([delivery!], T0)
        await backend.recordAttempt(
          delivery!.id,
          { at: T0, statusCode: 500, error: 'HTTP 500', latencyMs: 10 },
          { status: 'failed' },
          { failingSince: T0, disable: 'failing for 24 hours' },
        )
        expect(await backend.getEndpoint(endpoint.id)).toMatchObject({
          enabled: false,
          disabledReason: 'failing for 24 hours',
          failingSince: T0,
        })
        expect(await backend.updateEndpoint(endpoint.id, { enabled: true }, T0 + 1)).toMatchObject({
          enabled: true,
          disabledReason: null,
          failingSince: null,
        })
      })
    })

    describe('deliveries', () => {
      it('stores deliveries pending, due at once, without attempts', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const d = newDelivery(endpoint.id, { responseId: 'r-1', surveyId: null, eventType: 'webhook.test' })
        await backend.enqueueDeliveries([d], T0 + 5)
        expect(await backend.getDelivery(d.id)).toEqual({
          ...d,
          createdAt: T0 + 5,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: T0 + 5,
          lastAttemptAt: null,
          lastStatusCode: null,
          lastError: null,
          lastLatencyMs: null,
          deliveredAt: null,
          history: [],
        })
        expect(await backend.getDelivery('msg_missing')).toBeUndefined()
      })

      it('claims only the oldest pending delivery of each endpoint and order key, when due', async () => {
        const one = await backend.createEndpoint(newEndpoint(), T0)
        const two = await backend.createEndpoint(newEndpoint(), T0)
        const a1 = newDelivery(one.id, { orderKey: 'a' })
        const a2 = newDelivery(one.id, { orderKey: 'a' })
        const b1 = newDelivery(one.id, { orderKey: 'b' })
        const c1 = newDelivery(two.id, { orderKey: 'a' })
        await backend.enqueueDeliveries([a1, a2, b1], T0)
        await backend.enqueueDeliveries([c1], T0 + 10)
        expect(await backend.claimDeliveries(T0 + 5, 10, MINUTE)).toEqual([
          expect.objectContaining({ id: a1.id }),
          expect.objectContaining({ id: b1.id }),
        ])
        // c1 is due now; the claimed ones are leased.
        const claimed = await backend.claimDeliveries(T0 + 10, 10, MINUTE)
        expect(claimed.map((d) => d.id)).toEqual([c1.id])
        expect(claimed[0]).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 10 + MINUTE })
        expect(await backend.claimDeliveries(T0 + 20, 10, MINUTE)).toEqual([])

        // Once a1 is delivered, a2 is next in its order.
        await backend.recordAttempt(
          a1.id,
          { at: T0 + 30, statusCode: 200, error: null, latencyMs: 12 },
          { status: 'delivered' },
          { failingSince: null },
        )
        expect((await backend.claimDeliveries(T0 + 40, 10, MINUTE)).map((d) => d.id)).toEqual([a2.id])
        // A lease that ran out: claimed again.
        expect((await backend.claimDeliveries(T0 + 5 + MINUTE, 10, MINUTE)).map((d) => d.id)).toEqual([b1.id])
      })

      it('claims at most the limit, the longest due first', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const ds = [0, 1, 2, 3].map((i) => newDelivery(endpoint.id, { orderKey: `k${i}` }))
        for (const [i, d] of ds.entries()) await backend.enqueueDeliveries([d], T0 + i)
        // The first one failed once and is due again later than the others.
        await backend.recordAttempt(
          ds[0]!.id,
          { at: T0 + 1, statusCode: 503, error: 'HTTP 503', latencyMs: 2 },
          { status: 'pending', nextAttemptAt: T0 + 8 },
          { failingSince: T0 + 1 },
        )
        expect((await backend.claimDeliveries(T0 + 10, 2, MINUTE)).map((d) => d.id)).toEqual([
          ds[1]!.id,
          ds[2]!.id,
        ])
        expect((await backend.claimDeliveries(T0 + 10, 5, MINUTE)).map((d) => d.id)).toEqual([
          ds[3]!.id,
          ds[0]!.id,
        ])
      })

      it('claims nothing of a disabled endpoint', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const d = newDelivery(endpoint.id)
        await backend.enqueueDeliveries([d], T0)
        await backend.updateEndpoint(endpoint.id, { enabled: false, disabledReason: 'disabled by ops' }, T0)
        expect(await backend.claimDeliveries(T0 + 1, 10, MINUTE)).toEqual([])
        await backend.updateEndpoint(endpoint.id, { enabled: true }, T0)
        expect((await backend.claimDeliveries(T0 + 1, 10, MINUTE)).map((x) => x.id)).toEqual([d.id])
      })

      it('records each attempt and its outcome, and the endpoint health with it', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const d = newDelivery(endpoint.id)
        await backend.enqueueDeliveries([d], T0)
        await backend.recordAttempt(
          d.id,
          { at: T0 + 1, statusCode: null, error: 'connection refused', latencyMs: 3 },
          { status: 'pending', nextAttemptAt: T0 + MINUTE },
          { failingSince: T0 + 1 },
        )
        expect(await backend.getDelivery(d.id)).toMatchObject({
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + MINUTE,
          lastAttemptAt: T0 + 1,
          lastStatusCode: null,
          lastError: 'connection refused',
          lastLatencyMs: 3,
          deliveredAt: null,
        })
        expect((await backend.getEndpoint(endpoint.id))?.failingSince).toBe(T0 + 1)
        expect(await backend.claimDeliveries(T0 + 2, 10, MINUTE)).toEqual([])

        await backend.recordAttempt(
          d.id,
          { at: T0 + MINUTE, statusCode: 204, error: null, latencyMs: 40 },
          { status: 'delivered' },
          { failingSince: null },
        )
        const delivered = await backend.getDelivery(d.id)
        expect(delivered).toMatchObject({
          status: 'delivered',
          attempts: 2,
          nextAttemptAt: null,
          lastAttemptAt: T0 + MINUTE,
          lastStatusCode: 204,
          lastError: null,
          lastLatencyMs: 40,
          deliveredAt: T0 + MINUTE,
        })
        expect(delivered?.history).toEqual([
          { at: T0 + 1, statusCode: null, error: 'connection refused', latencyMs: 3 },
          { at: T0 + MINUTE, statusCode: 204, error: null, latencyMs: 40 },
        ])
        expect((await backend.getEndpoint(endpoint.id))?.failingSince).toBeNull()

        const given = newDelivery(endpoint.id, { orderKey: 'other' })
        await backend.enqueueDeliveries([given], T0)
        await backend.recordAttempt(
          given.id,
          { at: T0 + 2, statusCode: 410, error: 'HTTP 410', latencyMs: 5 },
          { status: 'failed' },
          { failingSince: T0 + 2 },
        )
        expect(await backend.getDelivery(given.id)).toMatchObject({
          status: 'failed',
          nextAttemptAt: null,
          attempts: 1,
        })
        expect(await backend.getEndpoint(endpoint.id)).toMatchObject({ failingSince: T0 + 2, enabled: true })
      })

      it('lists an endpoint’s deliveries newest first, page by page, and makes one pending again', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const otherEndpoint = await backend.createEndpoint(newEndpoint(), T0)
        const ds = [0, 1, 2, 3, 4].map(() => newDelivery(endpoint.id))
        for (const [i, d] of ds.entries()) await backend.enqueueDeliveries([d], T0 + Math.floor(i / 2))
        await backend.enqueueDeliveries([newDelivery(otherEndpoint.id)], T0)
        const seen: string[] = []
        let after: Parameters<Backend['listDeliveries']>[2]
        for (;;) {
          const page = await backend.listDeliveries(endpoint.id, 2, after)
          seen.push(...page.items.map((d) => d.id))
          if (!page.next) break
          expect(page.next).toEqual({ createdAt: page.items.at(-1)!.createdAt, id: page.items.at(-1)!.id })
          after = page.next
        }
        const newestFirst = [...ds].sort((a, b) => {
          const ta = T0 + Math.floor(ds.indexOf(a) / 2)
          const tb = T0 + Math.floor(ds.indexOf(b) / 2)
          return tb - ta || (a.id < b.id ? 1 : -1)
        })
        expect(seen).toEqual(newestFirst.map((d) => d.id))

        const d = ds[0]!
        await backend.recordAttempt(
          d.id,
          { at: T0 + 1, statusCode: 500, error: 'HTTP 500', latencyMs: 9 },
          { status: 'failed' },
          { failingSince: T0 + 1 },
        )
        const again = await backend.redeliver(d.id, T0 + HOUR)
        expect(again).toMatchObject({ id: d.id, status: 'pending', nextAttemptAt: T0 + HOUR, attempts: 1 })
        expect((await backend.getDelivery(d.id))?.history).toHaveLength(1)
        expect(await backend.redeliver('msg_missing', T0)).toBeUndefined()
      })

      it('deletes an endpoint’s deliveries with it', async () => {
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const d = newDelivery(endpoint.id)
        await backend.enqueueDeliveries([d], T0)
        await backend.recordAttempt(
          d.id,
          { at: T0, statusCode: 200, error: null, latencyMs: 1 },
          { status: 'delivered' },
          { failingSince: null },
        )
        await backend.deleteEndpoint(endpoint.id)
        expect(await backend.getDelivery(d.id)).toBeUndefined()
      })
    })

    describe('emails', () => {
      it('stores emails pending, claims the due ones under a lease, and records attempts', async () => {
        const e1 = newEmail({ to: ['a@example.com', 'b@example.com'], html: '<p>Score 2</p>' })
        const e2 = newEmail({ kind: 'digest' })
        await backend.enqueueEmails([e1], T0)
        await backend.enqueueEmails([e2], T0 + 10)
        const claimed = await backend.claimEmails(T0 + 5, 10, MINUTE)
        expect(claimed).toEqual([
          {
            ...e1,
            createdAt: T0,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: T0 + 5 + MINUTE,
            lastError: null,
            sentAt: null,
          },
        ])
        expect((await backend.claimEmails(T0 + 10, 10, MINUTE)).map((e) => e.id)).toEqual([e2.id])
        expect(await backend.claimEmails(T0 + 20, 10, MINUTE)).toEqual([])

        await backend.recordEmailAttempt(e1.id, T0 + 30, 'connection refused', {
          status: 'pending',
          nextAttemptAt: T0 + 2 * MINUTE,
        })
        expect(await backend.claimEmails(T0 + 5 + MINUTE, 10, MINUTE)).toEqual([])
        // e2's lease ran out before e1 was due again: the longest due first.
        const retried = await backend.claimEmails(T0 + 2 * MINUTE, 10, MINUTE)
        expect(retried).toEqual([
          expect.objectContaining({ id: e2.id, attempts: 0, lastError: null }),
          expect.objectContaining({ id: e1.id, attempts: 1, lastError: 'connection refused' }),
        ])
        await backend.recordEmailAttempt(e1.id, T0 + 3 * MINUTE, null, { status: 'delivered' })
        await backend.recordEmailAttempt(e2.id, T0 + 3 * MINUTE, '550 no such user', { status: 'failed' })
        // Neither is claimed again, however late.
        expect(await backend.claimEmails(T0 + 100 * HOUR, 10, MINUTE)).toEqual([])
      })

      it('claims at most the limit, the longest due first', async () => {
        const es = [0, 1, 2].map(() => newEmail())
        for (const [i, e] of es.entries()) await backend.enqueueEmails([e], T0 + i)
        expect((await backend.claimEmails(T0 + 5, 2, MINUTE)).map((e) => e.id)).toEqual([
          es[0]!.id,
          es[1]!.id,
        ])
      })
    })

    describe('the dispatcher', () => {
      it('starts a new survey’s cursor before its first answer, and keeps it', async () => {
        const survey = await newSurvey()
        const id = await answer(survey)
        const cursor = await backend.followUpCursor(survey)
        expect(await backend.followUpCursor(survey)).toBe(cursor)
        const { items } = await feed(survey, cursor)
        expect(items).toEqual([
          {
            type: 'response',
            seq: expect.any(Number),
            created: true,
            surveyId: survey,
            response: stored({ id, score: 3, source: 'api' }),
          },
        ])
      })

      it('starts the cursor of a survey that has none (a copy) at the current number: history opens nothing', async () => {
        const survey = await newSurvey()
        await answer(survey)
        await answer(survey)
        const target = await engine.open()
        try {
          await target.importData(backend.exportData())
          const cursor = await target.followUpCursor(survey)
          expect(await target.followUpChanges(survey, cursor, 10)).toEqual({ items: [], next: cursor })
          const id = randomUUID()
          await target.writeResponse(survey, { id, score: 9, receivedAt: T0 })
          const page = await target.followUpChanges(survey, cursor, 10)
          expect(page.items).toMatchObject([{ type: 'response', created: true, response: { id } }])
          expect(await target.followUpCursor(survey)).toBe(cursor)
        } finally {
          await target.close()
        }
      })

      it('reads live answers and case log entries in number order, never imported answers', async () => {
        const survey = await newSurvey()
        const other = await newSurvey('Other')
        const start = await backend.followUpCursor(survey)
        const first = await answer(survey, 2)
        await backend.importResponses(survey, [stored({ score: 1 })], T0)
        await answer(other, 1)
        const c = await opened(survey, first, { note: 'hello' })
        const second = await answer(survey, 10)
        await backend.changeCase(c.id, { status: 'contacted' }, 'ana', T0 + 1)

        const { items, next } = await feed(survey, start)
        expect(
          items.map((i) => (i.type === 'response' ? `response ${i.response.id}` : `case ${i.entry.kind}`)),
        ).toEqual([`response ${first}`, 'case opened', 'case note', `response ${second}`, 'case status'])
        const seqs = items.map((i) => i.seq)
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
        expect(next).toBe(seqs.at(-1))
        expect(items.every((i) => i.surveyId === survey)).toBe(true)
        const status = items.at(-1)!
        expect(status).toMatchObject({
          type: 'case',
          case: { id: c.id, status: 'contacted', responseId: first },
          entry: { kind: 'status', from: 'open', to: 'contacted', actor: 'ana', caseId: c.id },
        })
        expect(status.type === 'case' && status.case).not.toHaveProperty('log')
        expect(await backend.followUpChanges(survey, next, 10)).toEqual({ items: [], next })
      })

      it('tells an answer first received after the cursor from a live answer changed again', async () => {
        const survey = await newSurvey()
        const id = await answer(survey, 4)
        const { next } = await feed(survey, await backend.followUpCursor(survey))
        await backend.writeResponse(survey, { id, score: 4, comment: 'still broken', receivedAt: T0 + 1 })
        const later = await answer(survey, 9)
        const { items } = await feed(survey, next)
        expect(items).toMatchObject([
          { type: 'response', created: false, response: { id, comment: 'still broken' } },
          { type: 'response', created: true, response: { id: later } },
        ])
        // Read again from the very start, the merged answer counts as created.
        const all = await feed(survey, 0)
        expect(all.items).toMatchObject([
          { created: true, response: { id } },
          { created: true, response: { id: later } },
        ])
      })

      it('stores the work and moves the cursor only from where it was', async () => {
        const survey = await newSurvey()
        const endpoint = await backend.createEndpoint(newEndpoint({ surveyId: survey }), T0)
        const cursor = await backend.followUpCursor(survey)
        const first = await answer(survey, 1)
        const second = await answer(survey, 2)
        const page = await backend.followUpChanges(survey, cursor, 10)
        const delivery = newDelivery(endpoint.id, { surveyId: survey, responseId: first })
        const email = newEmail({ surveyId: survey, responseId: first })
        const work = {
          cases: [newCase(survey, first, { openedBy: 'rule: all' }), newCase(survey, randomUUID())],
          deliveries: [delivery],
          emails: [email],
        }
        // Another collector got there first: nothing is stored.
        expect(await backend.commitFollowUp(survey, cursor + 1, page.next, work, T0 + 5)).toBe(false)
        expect(await backend.getDelivery(delivery.id)).toBeUndefined()
        expect((await backend.listCases({ surveyId: survey }, 10)).items).toEqual([])
        expect(await backend.followUpCursor(survey)).toBe(cursor)

        expect(await backend.commitFollowUp(survey, cursor, page.next, work, T0 + 5)).toBe(true)
        expect(await backend.followUpCursor(survey)).toBe(page.next)
        expect(await backend.getDelivery(delivery.id)).toMatchObject({ status: 'pending', createdAt: T0 + 5 })
        expect((await backend.claimEmails(T0 + 5, 10, MINUTE)).map((e) => e.id)).toEqual([email.id])
        const cases = (await backend.listCases({ surveyId: survey }, 10)).items
        expect(cases).toMatchObject([{ responseId: first, openedBy: 'rule: all', openedAt: T0 + 5 }])
        // The same step again is refused: the cursor has moved on.
        expect(await backend.commitFollowUp(survey, cursor, page.next, work, T0 + 6)).toBe(false)

        // The case opened is the next change, after the cursor; an answer with a case opens no second one.
        const { items, next } = await feed(survey, page.next)
        expect(items).toMatchObject([
          { type: 'case', entry: { kind: 'opened', actor: 'rule: all' }, case: { id: cases[0]!.id } },
        ])
        expect(items[0]!.seq).toBeGreaterThan(page.next)
        expect(
          await backend.commitFollowUp(
            survey,
            page.next,
            next,
            { cases: [newCase(survey, first), newCase(survey, second)], deliveries: [], emails: [] },
            T0 + 7,
          ),
        ).toBe(true)
        expect((await backend.listCases({ surveyId: survey }, 10)).items.map((c) => c.responseId)).toEqual([
          second,
          first,
        ])

        // An endpoint deleted since the work was computed gets nothing; the rest of the work is stored.
        const gone = await backend.createEndpoint(newEndpoint(), T0)
        await backend.deleteEndpoint(gone.id)
        const orphan = newDelivery(gone.id)
        const kept = newDelivery(endpoint.id, { surveyId: survey })
        const cursorNow = await backend.followUpCursor(survey)
        expect(
          await backend.commitFollowUp(
            survey,
            cursorNow,
            cursorNow,
            { cases: [], deliveries: [orphan, kept], emails: [] },
            T0 + 8,
          ),
        ).toBe(true)
        expect(await backend.getDelivery(orphan.id)).toBeUndefined()
        expect(await backend.getDelivery(kept.id)).toMatchObject({ status: 'pending' })
        expect(
          await backend.commitFollowUp('srv_missing', 0, 1, { cases: [], deliveries: [], emails: [] }, T0),
        ).toBe(false)
      })

      it('keeps one mark per survey and job, set only from the mark expected', async () => {
        const survey = await newSurvey()
        const other = await newSurvey('Other')
        expect(await backend.scheduleMark(survey, 'digest')).toBeUndefined()
        const email = newEmail({ kind: 'digest', surveyId: survey })
        const mark = { at: T0, data: { nps: 42, note: 'weekly' } }
        expect(
          await backend.commitSchedule(survey, 'digest', undefined, mark, {
            deliveries: [],
            emails: [email],
          }),
        ).toBe(true)
        expect(await backend.scheduleMark(survey, 'digest')).toEqual(mark)
        expect(await backend.scheduleMark(survey, 'alert:nps')).toBeUndefined()
        expect(await backend.scheduleMark(other, 'digest')).toBeUndefined()
        expect((await backend.claimEmails(T0, 10, MINUTE)).map((e) => e.id)).toEqual([email.id])

        const late = newEmail({ kind: 'digest', surveyId: survey })
        expect(
          await backend.commitSchedule(
            survey,
            'digest',
            undefined,
            { at: T0 + 1, data: null },
            { deliveries: [], emails: [late] },
          ),
        ).toBe(false)
        expect(
          await backend.commitSchedule(
            survey,
            'digest',
            T0 - 1,
            { at: T0 + 1, data: null },
            { deliveries: [], emails: [late] },
          ),
        ).toBe(false)
        // The first email is leased; the refused one was never stored.
        expect(await backend.claimEmails(T0 + 1, 10, MINUTE)).toEqual([])
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const alert = newDelivery(endpoint.id, { surveyId: survey, eventType: 'alert.nps_dropped' })
        expect(
          await backend.commitSchedule(
            survey,
            'digest',
            T0,
            { at: T0 + 1, data: 'text' },
            { deliveries: [alert], emails: [] },
          ),
        ).toBe(true)
        expect(await backend.scheduleMark(survey, 'digest')).toEqual({ at: T0 + 1, data: 'text' })
        expect(await backend.getDelivery(alert.id)).toMatchObject({ status: 'pending' })
      })
    })

    describe('erasure, deletion and copies', () => {
      it('erases a respondent’s cases and logs, and what has not yet gone out about their answers', async () => {
        const survey = await newSurvey()
        const endpoint = await backend.createEndpoint(newEndpoint(), T0)
        const gone = await answer(survey, 1, { respondentId: 'gone' })
        const kept = await answer(survey, 2, { respondentId: 'kept' })
        const goneCase = await opened(survey, gone, { note: 'call them' })
        const keptCase = await opened(survey, kept)
        const pending = newDelivery(endpoint.id, { responseId: gone, orderKey: 'p' })
        const delivered = newDelivery(endpoint.id, { responseId: gone, orderKey: 'd' })
        const other = newDelivery(endpoint.id, { responseId: kept, orderKey: 'p' })
        await backend.enqueueDeliveries([pending, delivered, other], T0)
        await backend.recordAttempt(
          delivered.id,
          { at: T0, statusCode: 200, error: null, latencyMs: 1 },
          { status: 'delivered' },
          { failingSince: null },
        )
        const unsent = newEmail({ responseId: gone })
        const sent = newEmail({ responseId: gone })
        await backend.enqueueEmails([unsent, sent], T0)
        await backend.recordEmailAttempt(sent.id, T0, null, { status: 'delivered' })

        expect(await backend.eraseRespondent('gone', T0 + 1)).toEqual({
          responses: 1,
          events: 0,
          cases: 1,
          deliveries: 1,
          emails: 1,
        })
        expect(await backend.getCase(goneCase.id)).toBeUndefined()
        expect(await backend.getCase(keptCase.id)).toMatchObject({ id: keptCase.id })
        expect(await backend.getDelivery(pending.id)).toBeUndefined()
        expect(await backend.getDelivery(delivered.id)).toMatchObject({ status: 'delivered' })
        expect(await backend.getDelivery(other.id)).toMatchObject({ status: 'pending' })
        expect((await backend.claimEmails(T0 + 1, 10, MINUTE)).map((e) => e.id)).toEqual([])
        // Nothing of theirs is left in the feed either.
        const everything = await feed(survey, 0)
        expect(JSON.stringify(everything.items)).not.toContain(gone)
        expect((await backend.listCases({}, 10)).items.map((c) => c.id)).toEqual([keptCase.id])
      })

      it('deletes a survey with its cases, its own endpoints and deliveries, its emails, cursor and marks', async () => {
        const survey = await newSurvey()
        const other = await newSurvey('Other')
        const id = await answer(survey, 1)
        const c = await opened(survey, id)
        const own = await backend.createEndpoint(newEndpoint({ surveyId: survey }), T0)
        const everywhere = await backend.createEndpoint(newEndpoint(), T0)
        const theirs = await backend.createEndpoint(newEndpoint({ surveyId: other }), T0)
        const ownDelivery = newDelivery(own.id, { surveyId: survey })
        const sharedDelivery = newDelivery(everywhere.id, { surveyId: survey, responseId: id })
        const otherDelivery = newDelivery(everywhere.id, { surveyId: other })
        await backend.enqueueDeliveries([ownDelivery, sharedDelivery, otherDelivery], T0)
        await backend.enqueueEmails([newEmail({ surveyId: survey })], T0)
        const otherEmail = newEmail({ surveyId: other })
        await backend.enqueueEmails([otherEmail], T0)
        await backend.commitSchedule(
          survey,
          'digest',
          undefined,
          { at: T0, data: 1 },
          { deliveries: [], emails: [] },
        )
        await backend.commitSchedule(
          other,
          'digest',
          undefined,
          { at: T0, data: 2 },
          { deliveries: [], emails: [] },
        )
        await backend.commitFollowUp(
          survey,
          await backend.followUpCursor(survey),
          10_000,
          { cases: [], deliveries: [], emails: [] },
          T0,
        )

        expect(await backend.deleteSurvey(survey)).toBe(true)
        expect(await backend.getCase(c.id)).toBeUndefined()
        expect(await backend.getEndpoint(own.id)).toBeUndefined()
        expect(await backend.getEndpoint(everywhere.id)).toMatchObject({ id: everywhere.id })
        expect(await backend.getEndpoint(theirs.id)).toMatchObject({ id: theirs.id })
        expect(await backend.getDelivery(ownDelivery.id)).toBeUndefined()
        // Its answers were the payload: they go, whichever endpoint they were for.
        expect(await backend.getDelivery(sharedDelivery.id)).toBeUndefined()
        expect(await backend.getDelivery(otherDelivery.id)).toMatchObject({ id: otherDelivery.id })
        expect((await backend.claimEmails(T0, 10, MINUTE)).map((e) => e.id)).toEqual([otherEmail.id])
        expect(await backend.scheduleMark(survey, 'digest')).toBeUndefined()
        expect(await backend.scheduleMark(other, 'digest')).toEqual({ at: T0, data: 2 })
        expect((await backend.listCases({}, 10)).items).toEqual([])
      })

      it('copies cases with their logs and endpoints; deliveries, emails, cursors and marks stay behind', async () => {
        const survey = await newSurvey()
        const id = await answer(survey, 2)
        const c = await opened(survey, id, { assignee: 'ana', tags: ['x'], note: 'first' })
        await backend.changeCase(c.id, { status: 'contacted', note: 'called' }, 'bo', T0 + 1)
        const second = await opened(survey, await answer(survey, 5))
        const everywhere = await backend.createEndpoint(newEndpoint({ description: 'all' }), T0)
        const own = await backend.createEndpoint(
          newEndpoint({ surveyId: survey, format: 'slack', filter: { minScore: 3 } }),
          T0,
        )
        await backend.updateEndpoint(own.id, { enabled: false, disabledReason: 'disabled by ops' }, T0 + 2)
        const delivery = newDelivery(own.id, { surveyId: survey })
        await backend.enqueueDeliveries([delivery], T0)
        await backend.enqueueEmails([newEmail({ surveyId: survey })], T0)
        await backend.commitSchedule(
          survey,
          'digest',
          undefined,
          { at: T0, data: 1 },
          { deliveries: [], emails: [] },
        )

        const batches = await exported(backend)
        const caseRows = batches.flatMap((b) => (b.kind === 'cases' ? b.rows : []))
        expect(caseRows.map((r) => r.id)).toEqual([c.id, second.id].sort())
        expect(caseRows.every((r) => r.response === null)).toBe(true)
        expect(batches.flatMap((b) => (b.kind === 'endpoints' ? b.rows.map((r) => r.id) : []))).toEqual(
          [everywhere.id, (await backend.getEndpoint(own.id))!.id].sort(),
        )
        const kinds = batches.map((b) => b.kind)
        expect(kinds.indexOf('cases')).toBeGreaterThan(kinds.lastIndexOf('responses'))
        expect(kinds.lastIndexOf('cases')).toBeLessThan(kinds.indexOf('endpoints'))

        const target = await engine.open()
        try {
          const counts = await target.importData(backend.exportData(1))
          expect(counts).toEqual({ surveys: 1, keys: 0, responses: 2, events: 0, cases: 2, endpoints: 2 })
          const copied = await target.getCase(c.id)
          const original = await backend.getCase(c.id)
          expect({ ...copied, log: withoutSeq(copied!.log) }).toEqual({
            ...original,
            log: withoutSeq(original!.log),
          })
          expect(copied!.log.map((e) => e.kind)).toEqual(['opened', 'note', 'status', 'note'])
          expect(await target.getEndpoint(own.id)).toEqual(await backend.getEndpoint(own.id))
          expect(await target.listEndpoints()).toEqual(await backend.listEndpoints())
          expect(await target.getDelivery(delivery.id)).toBeUndefined()
          expect(await target.claimEmails(T0 + HOUR, 10, MINUTE)).toEqual([])
          expect(await target.scheduleMark(survey, 'digest')).toBeUndefined()
          // A copied case's log is history: the new database's dispatcher does not act on it.
          const cursor = await target.followUpCursor(survey)
          expect((await target.followUpChanges(survey, cursor, 10)).items).toEqual([])
          // A copied answer keeps its case: opening another answers the same one.
          expect(await target.openCase(newCase(survey, id), T0 + 9)).toMatchObject({
            created: false,
            case: { id: c.id },
          })
        } finally {
          await target.close()
        }
      })

      it('counts a collector-wide endpoint as something a copy must not overwrite', async () => {
        await backend.createEndpoint(newEndpoint(), T0)
        expect(await backend.isEmpty()).toBe(false)
      })
    })
  })
}
