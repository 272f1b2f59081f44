/**
 * The accounts contract: GET /v1/surveys/:id/accounts — per-account NPS with its interval, the change
 * against the previous period, movers, staleness and status — on known data through the HTTP API over
 * a backend of the engine under test, on every engine (sqlite.test.ts, postgres.test.ts). Figures are
 * checked against the published recipe written out in the test (analytics-data.ts expectedInterval).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalyticsFixture, type Answer, analyticsFixture, expectedInterval } from './analytics-data.ts'
import type { Engine } from './engines.ts'

/** A small deterministic PRNG (mulberry32), so the planted dataset is the same on every run. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const npsOf = (scores: number[]) =>
  (100 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length

export function describeAccountsContract(engine: Engine): void {
  describe(`the ${engine.name} backend (accounts contract)`, () => {
    let f: AnalyticsFixture
    beforeAll(async () => {
      f = await analyticsFixture(engine, '2026-06-15T12:00:00Z')
    })
    afterAll(async () => {
      await f.close()
      await engine.cleanup()
    })

    const PERIOD = 'from=2026-05-01&to=2026-06-01'

    describe('GET /surveys/:id/accounts on a small known dataset', () => {
      let id: string
      const account = (accountId: string | number, answer: Answer): Answer => ({
        ...answer,
        metadata: { accountId, plan: 'pro' },
      })
      beforeAll(async () => {
        id = await f.survey({ accounts: { key: 'accountId' } })
        await f.answer(
          id,
          // acme: r1 goes from promoter to detractor within the period.
          account('acme', { at: '2026-05-02T10:00:00Z', score: 10, respondent: 'r1' }),
          account('acme', { at: '2026-05-10T10:00:00Z', score: 3, respondent: 'r1' }),
          account('acme', { at: '2026-05-03T10:00:00Z', score: 9, respondent: 'r2' }),
          account('acme', { at: '2026-05-04T10:00:00Z', score: 9, respondent: 'r2' }),
          account('acme', { at: '2026-05-05T10:00:00Z', score: 8, respondent: 'r3' }),
          account('acme', { at: '2026-04-20T10:00:00Z', score: 10, respondent: 'r1' }),
          // hooli: five detractors, NPS −100.
          ...Array.from({ length: 5 }, () => account('hooli', { at: '2026-05-20T00:00:00Z', score: 2 })),
          // initech: 100 before, 0 now — a significant fall.
          ...Array.from({ length: 20 }, () => account('initech', { at: '2026-04-10T00:00:00Z', score: 10 })),
          ...Array.from({ length: 10 }, () => account('initech', { at: '2026-05-10T00:00:00Z', score: 8 })),
          // 42 (a number in metadata, read as text), healthy.
          ...Array.from({ length: 6 }, (_, i) =>
            account(42, { at: '2026-05-11T00:00:00Z', score: 9 + (i % 2) }),
          ),
          // tiny: too few answers to tell.
          account('tiny', { at: '2026-05-12T00:00:00Z', score: 10 }),
          // No account: counted nowhere here.
          { at: '2026-05-12T00:00:00Z', score: 0 },
          { at: '2026-05-12T00:00:00Z', score: 0, metadata: { plan: 'pro' } },
        )
      })

      it('lists each account with its counts, NPS, interval, respondents, last answer and movers', async () => {
        const { status, body } = await f.get(`/surveys/${id}/accounts?${PERIOD}`)
        expect(status).toBe(200)
        expect(body).toMatchObject({
          key: 'accountId',
          count: 'answers',
          from: '2026-05-01T00:00:00.000Z',
          to: '2026-06-01T00:00:00.000Z',
          previousFrom: '2026-03-31T00:00:00.000Z',
          nextCursor: null,
        })
        const acme = body.items.find((a: { account: string }) => a.account === 'acme')
        expect(acme).toMatchObject({
          n: 5,
          promoters: 3,
          passives: 1,
          detractors: 1,
          nps: 40,
          respondents: 3,
          lastAnswerAt: '2026-05-10T10:00:00.000Z',
          stale: false,
          movers: 1,
          previous: { n: 1, nps: 100 },
          // One promoter who turned is a reason to look, not evidence the account is at risk.
          status: 'healthy',
          reasons: ['promoter to detractor'],
        })
        const expected = expectedInterval(3, 1, 1)
        expect(acme.ci95[0]).toBeCloseTo(expected.ci95[0], 9)
        expect(acme.ci95[1]).toBeCloseTo(expected.ci95[1], 9)
        expect(acme.change.delta).toBeCloseTo(40 - 100, 9)
        expect(body.items.map((a: { account: string }) => a.account).sort()).toEqual(
          ['42', 'acme', 'hooli', 'initech', 'tiny'].sort(),
        )
      })

      it('states each status by its rule and lists the worst first', async () => {
        const { body } = await f.get(`/surveys/${id}/accounts?${PERIOD}`)
        const rows = body.items.map((a: { account: string; status: string; reasons: string[] }) => [
          a.account,
          a.status,
          a.reasons,
        ])
        expect(rows).toEqual([
          ['hooli', 'at risk', ['negative nps']],
          ['initech', 'at risk', ['significant fall']],
          ['acme', 'healthy', ['promoter to detractor']],
          ['42', 'healthy', []],
          ['tiny', 'unknown', ['few answers']],
        ])
        const initech = body.items[1]
        expect(initech.change.significant).toBe(true)
        expect(initech.previous).toEqual({ n: 20, nps: 100 })
      })

      it('counts each respondent’s latest answer with count=latest, movers still from every answer', async () => {
        const { body } = await f.get(`/surveys/${id}/accounts?${PERIOD}&count=latest`)
        const acme = body.items.find((a: { account: string }) => a.account === 'acme')
        // r1's 3, r2's second 9 and r3's 8; answers without a respondent all count (hooli's five).
        expect(acme).toMatchObject({ n: 3, promoters: 1, passives: 1, detractors: 1, nps: 0, movers: 1 })
        expect(body.items.find((a: { account: string }) => a.account === 'hooli').n).toBe(5)
      })

      it('weighs each respondent 1, shared by their answers, with count=respondents', async () => {
        const { body } = await f.get(`/surveys/${id}/accounts?${PERIOD}&count=respondents`)
        const acme = body.items.find((a: { account: string }) => a.account === 'acme')
        // r1: ½ promoter + ½ detractor; r2: 1 promoter; r3: 1 passive.
        expect(acme.n).toBeCloseTo(3, 9)
        expect(acme.promoters).toBeCloseTo(1.5, 9)
        expect(acme.detractors).toBeCloseTo(0.5, 9)
        expect(acme.nps).toBeCloseTo((100 * (1.5 - 0.5)) / 3, 9)
        const expected = expectedInterval(1.5, 1, 0.5)
        expect(acme.ci95[0]).toBeCloseTo(expected.ci95[0], 9)
        expect(acme.ci95[1]).toBeCloseTo(expected.ci95[1], 9)
        // Answers without a respondent are a respondent each.
        expect(body.items.find((a: { account: string }) => a.account === 'hooli').n).toBeCloseTo(5, 9)
      })

      it('applies the other filters like every analytics route', async () => {
        const { body } = await f.get(`/surveys/${id}/accounts?${PERIOD}&segment.plan=free`)
        expect(body.items).toEqual([])
      })

      it('calls an account stale (unknown) when it has no answer within the response lifetime', async () => {
        const { body } = await f.get(`/surveys/${id}/accounts?from=2026-04-01&to=2026-12-01`)
        const initech = body.items.find((a: { account: string }) => a.account === 'initech')
        // Its last answer is 2026-05-10, more than 90 days before 2026-12-01.
        expect(initech).toMatchObject({ stale: true, status: 'unknown' })
        expect(initech.reasons).toContain('stale')
      })

      it('pages with limit and nextCursor', async () => {
        const first = await f.get(`/surveys/${id}/accounts?${PERIOD}&limit=2`)
        expect(first.body.items.map((a: { account: string }) => a.account)).toEqual(['hooli', 'initech'])
        const second = await f.get(
          `/surveys/${id}/accounts?${PERIOD}&limit=2&cursor=${first.body.nextCursor}`,
        )
        expect(second.body.items.map((a: { account: string }) => a.account)).toEqual(['acme', '42'])
        const third = await f.get(
          `/surveys/${id}/accounts?${PERIOD}&limit=2&cursor=${second.body.nextCursor}`,
        )
        expect(third.body).toMatchObject({ nextCursor: null })
        expect(third.body.items.map((a: { account: string }) => a.account)).toEqual(['tiny'])
      })

      it('refuses a survey without an account key, and bad input, with clear 4xx errors', async () => {
        const plain = await f.survey()
        const none = await f.get(`/surveys/${plain}/accounts`)
        expect(none.status).toBe(409)
        expect(none.body.error.code).toBe('no_account_key')
        const count = await f.get(`/surveys/${id}/accounts?count=everyone`)
        expect(count.status).toBe(400)
        expect(count.body.error.code).toBe('invalid_query')
        const cursor = await f.get(`/surveys/${id}/accounts?cursor=abc`)
        expect(cursor.status).toBe(400)
        const missing = await f.get('/surveys/srv_000000000000000000000000/accounts')
        expect(missing.status).toBe(404)
      })
    })

    describe('movers and histories', () => {
      let id: string
      let other: string
      const at = (day: string) => `2026-05-${day}T10:00:00Z`
      const answer = (respondent: string, account: string, when: string, score: number): Answer => ({
        at: when,
        score,
        respondent,
        metadata: { accountId: account },
      })
      beforeAll(async () => {
        id = await f.survey({ accounts: { key: 'accountId' } })
        other = await f.survey({ accounts: { key: 'accountId' } })
        await f.answer(
          id,
          answer('u1', 'a', at('02'), 10),
          answer('u1', 'a', at('03'), 7),
          answer('u1', 'a', at('04'), 2),
          answer('u1', 'a', at('05'), 9),
          // u2 rose from a 3 before the period: its earlier answer is outside, so no move inside.
          answer('u2', 'b', '2026-04-01T10:00:00Z', 3),
          answer('u2', 'b', at('02'), 8),
          answer('u2', 'b', at('03'), 8),
          // u3 fell, but from one account to another: a move of the respondent, not within an account.
          answer('u3', 'a', at('06'), 10),
          answer('u3', 'b', at('07'), 0),
          answer('h1', 'a', at('08'), 9),
        )
        await f.answer(other, answer('h1', 'z', at('09'), 4))
      })

      const pairs = (body: {
        items: { respondentId: string; before: { score: number }; after: { score: number } }[]
      }) => body.items.map((m) => `${m.respondentId} ${m.before.score}→${m.after.score}`)

      it('lists respondents whose category fell between consecutive answers in the period', async () => {
        const { status, body } = await f.get(`/surveys/${id}/movers?${PERIOD}&direction=down`)
        expect(status).toBe(200)
        expect(pairs(body)).toEqual(['u1 10→7', 'u1 7→2', 'u3 10→0'])
        expect(body.items[0]).toMatchObject({
          account: null,
          before: { createdAt: '2026-05-02T10:00:00.000Z', category: 'promoter' },
          after: { createdAt: '2026-05-03T10:00:00.000Z', category: 'passive' },
        })
      })

      it('lists the rises with direction=up, and moves within one account with by=account', async () => {
        const up = await f.get(`/surveys/${id}/movers?${PERIOD}&direction=up`)
        expect(pairs(up.body)).toEqual(['u1 2→9'])
        const byAccount = await f.get(`/surveys/${id}/movers?${PERIOD}&by=account`)
        expect(pairs(byAccount.body)).toEqual(['u1 10→7', 'u1 7→2'])
        expect(byAccount.body.items.map((m: { account: string }) => m.account)).toEqual(['a', 'a'])
      })

      it('pages movers with limit and nextCursor', async () => {
        const first = await f.get(`/surveys/${id}/movers?${PERIOD}&limit=2`)
        expect(pairs(first.body)).toEqual(['u1 10→7', 'u1 7→2'])
        const second = await f.get(`/surveys/${id}/movers?${PERIOD}&limit=2&cursor=${first.body.nextCursor}`)
        expect(pairs(second.body)).toEqual(['u3 10→0'])
        expect(second.body.nextCursor).toBeNull()
      })

      it('answers an account’s history in this survey, oldest first, paged', async () => {
        const first = await f.get(`/surveys/${id}/accounts/b/history?limit=3`)
        expect(first.status).toBe(200)
        expect(
          first.body.items.map((r: { score: number; category: string }) => [r.score, r.category]),
        ).toEqual([
          [3, 'detractor'],
          [8, 'passive'],
          [8, 'passive'],
        ])
        const second = await f.get(
          `/surveys/${id}/accounts/b/history?limit=3&cursor=${first.body.nextCursor}`,
        )
        expect(second.body.items.map((r: { score: number }) => r.score)).toEqual([0])
        expect(second.body.nextCursor).toBeNull()
      })

      it('answers a respondent’s history across every survey, oldest first', async () => {
        const { status, body } = await f.get('/respondents/h1/history')
        expect(status).toBe(200)
        expect(body.items.map((r: { surveyId: string; score: number }) => [r.surveyId, r.score])).toEqual([
          [id, 9],
          [other, 4],
        ])
        const none = await f.get('/respondents/nobody/history')
        expect(none.body).toEqual({ items: [], nextCursor: null })
      })

      it('refuses movers by account on a survey without an account key', async () => {
        const plain = await f.survey()
        expect((await f.get(`/surveys/${plain}/movers?by=account`)).status).toBe(409)
        expect((await f.get(`/surveys/${plain}/movers?by=respondent`)).status).toBe(200)
        expect((await f.get(`/surveys/${id}/movers?direction=sideways`)).status).toBe(400)
      })
    })

    describe('GET /surveys/:id/accounts on 800 accounts with planted risks', () => {
      let id: string
      /** Every answer of each account as [time, score], for the independent calculation. */
      const truth = new Map<string, { at: number; score: number }[]>()
      const planted = ['acct-0013', 'acct-0101', 'acct-0377', 'acct-0512', 'acct-0640', 'acct-0799']
      const detractorHeavy = new Set(planted.slice(0, 3))
      const moverAccounts = new Set(planted.slice(3))

      beforeAll(async () => {
        id = await f.survey({ accounts: { key: 'accountId' } })
        const next = random(16)
        const previousStart = Date.parse('2026-03-31T00:00:00Z')
        const start = Date.parse('2026-05-01T00:00:00Z')
        const span = 31 * 86_400_000
        const answers: Answer[] = []
        for (let i = 0; i < 800; i++) {
          const name = `acct-${String(i).padStart(4, '0')}`
          const size = 5 + Math.floor(next() * 6)
          // Healthy accounts: the same scores, all 7 or more, in both periods; one answer per respondent.
          const scores = Array.from({ length: size }, () => 7 + Math.floor(next() * 4))
          for (const [period, from] of [
            ['previous', previousStart],
            ['current', start],
          ] as const) {
            scores.forEach((score, k) => {
              let planted = score
              if (period === 'current' && detractorHeavy.has(name)) planted = k < size - 1 ? 2 : 6
              const at = from + Math.floor(next() * (span - 3_600_000))
              answers.push({ at, score: planted, metadata: { accountId: name } })
              if (period === 'current') truth.set(name, [...(truth.get(name) ?? []), { at, score: planted }])
            })
          }
          if (moverAccounts.has(name)) {
            // One respondent: a promoter early in the period, a detractor later.
            for (const [offset, score] of [
              [86_400_000, 10],
              [20 * 86_400_000, 1],
            ] as const) {
              const at = start + offset
              answers.push({ at, score, respondent: `${name}-champion`, metadata: { accountId: name } })
              truth.set(name, [...(truth.get(name) ?? []), { at, score }])
            }
          }
        }
        for (let i = 0; i < answers.length; i += 2000) await f.answer(id, ...answers.slice(i, i + 2000))
      })

      async function everyAccount(): Promise<{ account: string; [field: string]: unknown }[]> {
        const items = []
        let cursor: string | null = ''
        while (cursor !== null) {
          const { body } = await f.get(`/surveys/${id}/accounts?${PERIOD}&limit=500&cursor=${cursor || '0'}`)
          items.push(...body.items)
          cursor = body.nextCursor
        }
        return items
      }

      it('lists exactly the detractor-heavy accounts as at risk, first, and names the ones a promoter left', async () => {
        const items = await everyAccount()
        expect(items).toHaveLength(800)
        const heavy = [...detractorHeavy].sort()
        const atRisk = items.filter((a) => a.status === 'at risk').map((a) => a.account)
        expect(atRisk.sort()).toEqual(heavy)
        expect(
          items
            .slice(0, heavy.length)
            .map((a) => a.account)
            .sort(),
        ).toEqual(heavy)
        for (const a of items.slice(0, heavy.length)) expect(a.reasons).toContain('negative nps')
        // One champion who turned detractor is a reason beside healthy figures, and a mover.
        const left = items.filter((a) => moverAccounts.has(a.account))
        for (const a of left)
          expect(a).toMatchObject({ status: 'healthy', movers: 1, reasons: ['promoter to detractor'] })
        expect(items.slice(heavy.length).every((a) => a.status === 'healthy')).toBe(true)
      })

      it('answers every account’s figures as an independent calculation does', async () => {
        for (const a of await everyAccount()) {
          const answers = truth.get(a.account)!
          const scores = answers.map((x) => x.score)
          const promoters = scores.filter((s) => s >= 9).length
          const detractors = scores.filter((s) => s <= 6).length
          const expected = expectedInterval(promoters, scores.length - promoters - detractors, detractors)
          expect(a.n).toBe(scores.length)
          expect(a.nps as number).toBeCloseTo(npsOf(scores), 9)
          expect((a.ci95 as number[])[0]).toBeCloseTo(expected.ci95[0], 9)
          expect((a.ci95 as number[])[1]).toBeCloseTo(expected.ci95[1], 9)
          expect(a.lastAnswerAt).toBe(new Date(Math.max(...answers.map((x) => x.at))).toISOString())
        }
      })
    })
  })
}
