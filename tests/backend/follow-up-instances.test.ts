/**
 * Several collectors on one PostgreSQL database, each running the follow-up dispatcher and senders:
 * a delivery or an email goes to one of them only, deliveries of one order key go out one at a time
 * in order, a step of the dispatcher and a scheduled job are stored once, and case log entries and
 * answers written through different collectors never share a change number.
 */
import { randomUUID } from 'node:crypto'
import { type NewDelivery, type NewEmail, PostgresBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const HOUR = 3_600_000

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)(
  'several collectors sharing the follow-up outbox of one PostgreSQL database',
  () => {
    let database: Awaited<ReturnType<typeof createDatabase>>
    const backends: PostgresBackend[] = []
    /** Three claimers per collector, so that claims really overlap. */
    const claimers = () => [0, 1, 2, 3, 4, 5].map((i) => backends[i % 2]!)

    beforeAll(async () => {
      database = await createDatabase()
      for (let i = 0; i < 2; i++) backends.push(await PostgresBackend.connect(database.url, { poolSize: 4 }))
    })
    afterAll(async () => {
      for (const backend of backends) await backend.close()
      await database?.drop()
    })

    it('hands each delivery to one collector only, and one delivery of an order key at a time, in order', async () => {
      const one = backends[0]!
      const endpoint = await one.createEndpoint(
        {
          surveyId: null,
          url: 'https://hooks.example/in',
          format: 'standard',
          events: ['response.created'],
          filter: {},
          description: null,
          secret: 'whsec_test',
        },
        T0,
      )
      const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`)
      const made: NewDelivery[] = []
      for (let round = 0; round < 5; round++) {
        for (const key of keys) {
          made.push({
            id: `msg_${randomUUID()}`,
            endpointId: endpoint.id,
            surveyId: null,
            orderKey: key,
            responseId: null,
            eventType: 'response.created',
            payload: JSON.stringify({ key, round }),
          })
        }
      }
      // Enqueued through both collectors, in creation order.
      for (const [i, delivery] of made.entries()) await backends[i % 2]!.enqueueDeliveries([delivery], T0)

      const claimedBy = new Map<string, number>()
      const sentInOrder = new Map<string, string[]>()
      let passes = 0
      while (claimedBy.size < made.length) {
        expect(++passes).toBeLessThan(100)
        // A lease far longer than the test: a delivery claimed twice was handed out twice.
        const claims = await Promise.all(
          claimers().map((backend) => backend.claimDeliveries(T0 + 1, 4, HOUR)),
        )
        const inFlight = new Set<string>()
        for (const [claimer, claimed] of claims.entries()) {
          for (const delivery of claimed) {
            expect(claimedBy.get(delivery.id), `${delivery.id} claimed twice`).toBeUndefined()
            claimedBy.set(delivery.id, claimer)
            // Two deliveries of one key are never out at the same time.
            expect(inFlight.has(delivery.orderKey)).toBe(false)
            inFlight.add(delivery.orderKey)
            sentInOrder.set(delivery.orderKey, [...(sentInOrder.get(delivery.orderKey) ?? []), delivery.id])
          }
        }
        await Promise.all(
          claims.flatMap((claimed, claimer) =>
            claimed.map((delivery) =>
              backends[claimer % 2]!.recordAttempt(
                delivery.id,
                { at: T0 + 2, statusCode: 200, error: null, latencyMs: 1 },
                { status: 'delivered' },
                { failingSince: null },
              ),
            ),
          ),
        )
      }
      for (const key of keys) {
        expect(sentInOrder.get(key)).toEqual(made.filter((d) => d.orderKey === key).map((d) => d.id))
      }
      expect(await one.claimDeliveries(T0 + 10 * HOUR, 100, HOUR)).toEqual([])
    })

    it('hands each email to one collector only', async () => {
      const emails: NewEmail[] = Array.from({ length: 60 }, (_, i) => ({
        id: `eml_${randomUUID()}`,
        kind: 'alert',
        surveyId: null,
        responseId: null,
        to: ['team@example.com'],
        subject: `Alert ${i}`,
        text: 'NPS dropped',
        html: null,
      }))
      await backends[0]!.enqueueEmails(emails.slice(0, 30), T0)
      await backends[1]!.enqueueEmails(emails.slice(30), T0)
      const claimed: string[] = []
      for (let pass = 0; claimed.length < emails.length; pass++) {
        expect(pass).toBeLessThan(50)
        const claims = await Promise.all(claimers().map((backend) => backend.claimEmails(T0 + 1, 3, HOUR)))
        claimed.push(...claims.flat().map((email) => email.id))
      }
      expect(claimed).toHaveLength(emails.length)
      expect([...claimed].sort()).toEqual(emails.map((email) => email.id).sort())
    })

    it('stores one dispatcher step once when both collectors take it at the same moment', async () => {
      const [one, two] = backends as [PostgresBackend, PostgresBackend]
      const survey = (await one.createSurvey(defaultSurveySettings('Shared'), T0)).id
      const from = await one.followUpCursor(survey)
      const ids = Array.from({ length: 5 }, () => randomUUID())
      for (const id of ids) await two.writeResponse(survey, { id, score: 2, receivedAt: T0 })
      const page = await one.followUpChanges(survey, from, 100)
      expect(page.items).toHaveLength(ids.length)
      const step = (backend: PostgresBackend) =>
        backend.commitFollowUp(
          survey,
          from,
          page.next,
          {
            cases: ids.map((responseId) => ({
              surveyId: survey,
              responseId,
              assignee: null,
              dueAt: null,
              tags: [],
              openedBy: 'rule: detractors',
            })),
            deliveries: [],
            emails: [
              {
                id: `eml_${randomUUID()}`,
                kind: 'case',
                surveyId: survey,
                responseId: ids[0]!,
                to: ['team@example.com'],
                subject: 'New cases',
                text: '5 detractors',
                html: null,
              },
            ],
          },
          T0 + 1,
        )
      const results = await Promise.all([step(one), step(two), step(one), step(two)])
      expect(results.filter(Boolean)).toHaveLength(1)
      expect((await two.listCases({ surveyId: survey }, 100)).items).toHaveLength(ids.length)
      expect(await two.followUpCursor(survey)).toBe(page.next)
      const emails = await one.claimEmails(T0 + 2, 100, HOUR)
      expect(emails.filter((email) => email.surveyId === survey)).toHaveLength(1)
    })

    it('opens one case for an answer when both collectors open it at the same moment', async () => {
      const [one, two] = backends as [PostgresBackend, PostgresBackend]
      const survey = (await one.createSurvey(defaultSurveySettings('Cases'), T0)).id
      const responseId = randomUUID()
      await one.writeResponse(survey, { id: responseId, score: 0, receivedAt: T0 })
      const open = (backend: PostgresBackend, assignee: string) =>
        backend.openCase(
          { surveyId: survey, responseId, assignee, dueAt: null, tags: [], openedBy: 'admin' },
          T0,
        )
      const results = await Promise.all([open(one, 'ana'), open(two, 'bo'), open(one, 'cy'), open(two, 'di')])
      const cases = results.map((result) => ('case' in result ? result : undefined))
      expect(cases.filter((result) => result?.created)).toHaveLength(1)
      expect(new Set(cases.map((result) => result?.case.id)).size).toBe(1)
      expect((await two.listCases({ surveyId: survey }, 10)).items).toHaveLength(1)
    })

    it('sets a schedule mark once when both collectors run the job at the same moment', async () => {
      const survey = (await backends[0]!.createSurvey(defaultSurveySettings('Digest'), T0)).id
      const run = (backend: PostgresBackend) =>
        backend.commitSchedule(
          survey,
          'digest',
          undefined,
          { at: T0, data: { nps: 10 } },
          { deliveries: [], emails: [] },
        )
      const results = await Promise.all([
        run(backends[0]!),
        run(backends[1]!),
        run(backends[0]!),
        run(backends[1]!),
      ])
      expect(results.filter(Boolean)).toHaveLength(1)
      const next = (backend: PostgresBackend) =>
        backend.commitSchedule(
          survey,
          'digest',
          T0,
          { at: T0 + 1, data: null },
          { deliveries: [], emails: [] },
        )
      expect((await Promise.all([next(backends[0]!), next(backends[1]!)])).filter(Boolean)).toHaveLength(1)
    })

    it('numbers case log entries and answers written through both collectors from one counter', async () => {
      const [one, two] = backends as [PostgresBackend, PostgresBackend]
      const survey = (await one.createSurvey(defaultSurveySettings('Numbers'), T0)).id
      const cursor = await one.followUpCursor(survey)
      const first = randomUUID()
      await one.writeResponse(survey, { id: first, score: 1, receivedAt: T0 })
      const opened = await two.openCase(
        { surveyId: survey, responseId: first, assignee: null, dueAt: null, tags: [], openedBy: 'admin' },
        T0,
      )
      if ('missing' in opened) throw new Error('no answer')
      // Notes through one collector while answers arrive through the other.
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          two.changeCase(opened.case.id, { note: `note ${i}` }, 'ana', T0 + i),
        ),
        ...Array.from({ length: 20 }, () =>
          one.writeResponse(survey, { id: randomUUID(), score: 8, receivedAt: T0 }),
        ),
      ])
      const seqs: number[] = []
      for (let after = cursor; ; ) {
        const page = await two.followUpChanges(survey, after, 7)
        if (page.items.length === 0) break
        seqs.push(...page.items.map((item) => item.seq))
        after = page.next
      }
      // 21 answers, the opened entry and 20 notes: each its own number, read in number order.
      expect(seqs).toHaveLength(42)
      expect(new Set(seqs).size).toBe(42)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    })
  },
)
