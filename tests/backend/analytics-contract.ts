/**
 * The analytics contract: every figure the API answers — Summary, trend, breakdown, compare, target,
 * themes and their filters — on known data, through the HTTP API over a backend of the engine under
 * test. It runs unchanged against every engine (sqlite.test.ts, postgres.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AnalyticsFixture, analyticsFixture, expectedInterval } from './analytics-data.ts'
import type { Engine } from './engines.ts'

export function describeAnalyticsContract(engine: Engine): void {
  describe(`the ${engine.name} backend (analytics contract)`, () => {
    let f: AnalyticsFixture
    beforeAll(async () => {
      f = await analyticsFixture(engine, '2026-06-15T12:00:00Z')
    })
    afterAll(async () => {
      await f.close()
      await engine.cleanup()
    })

    const DAY = 86_400_000

    /** 50 promoters, 30 passives and 20 detractors: the worked example (NPS 30, ci95 ≈ [14.05, 44.20]). */
    async function worked(surveyId: string, at: string): Promise<void> {
      await f.answers(surveyId, 25, { at, score: 10 })
      await f.answers(surveyId, 25, { at, score: 9 })
      await f.answers(surveyId, 30, { at, score: 8 })
      await f.answers(surveyId, 12, { at, score: 6 })
      await f.answers(surveyId, 8, { at, score: 0 })
    }

    describe('GET /surveys/:id/nps', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
        await worked(id, '2026-05-10T10:00:00Z')
        // Imported history: old answers keep their createdAt and fall outside a recent range.
        await f.answers(id, 10, { at: '2019-03-01T08:00:00Z', score: 2 })
        await f.event(id, 'shown', '2026-05-10T09:59:00Z', 200)
        await f.event(id, 'dismissed', '2026-05-11T10:00:00Z', 7)
        await f.event(id, 'dismissed', '2019-03-01T08:00:00Z', 3)
      })

      it('answers the worked example with counts, NPS and the adjusted-Wald interval', async () => {
        const { status, body } = await f.get(`/surveys/${id}/nps?from=2026-05-01&to=2026-06-01`)
        expect(status).toBe(200)
        expect(body).toMatchObject({ total: 100, promoters: 50, passives: 30, detractors: 20, nps: 30 })
        expect(body.distribution).toEqual([8, 0, 0, 0, 0, 0, 12, 0, 30, 25, 25])
        const expected = expectedInterval(50, 30, 20)
        expect(body.ci95[0]).toBeCloseTo(expected.ci95[0], 10)
        expect(body.ci95[1]).toBeCloseTo(expected.ci95[1], 10)
        expect(body.ci95[0]).toBeCloseTo(14.05, 2)
        expect(body.ci95[1]).toBeCloseTo(44.2, 2)
        expect(body.marginOfError).toBeCloseTo(15.08, 2)
        expect(body.lowSample).toBe(false)
        expect(body).toMatchObject({ from: '2026-05-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' })
      })

      it('counts dismissals and shown cards apart from the answers, and gives the response rate', async () => {
        const { body } = await f.get(`/surveys/${id}/nps?from=2026-05-01&to=2026-06-01`)
        expect(body).toMatchObject({ dismissed: 7, shown: 200, responseRate: 0.5, total: 100 })
      })

      it('counts imported history with its old createdAt when the range reaches back to it', async () => {
        const { body } = await f.get(`/surveys/${id}/nps`)
        expect(body).toMatchObject({ total: 110, detractors: 30, dismissed: 10, from: null, to: null })
        expect(body.nps).toBeCloseTo((100 * (50 - 30)) / 110, 10)
        const old = await f.get(`/surveys/${id}/nps?to=2020-01-01`)
        expect(old.body).toMatchObject({
          total: 10,
          nps: -100,
          lowSample: true,
          shown: 0,
          responseRate: null,
        })
      })

      it('treats from as inclusive and to as exclusive', async () => {
        const at = '2026-05-10T10:00:00Z'
        expect((await f.get(`/surveys/${id}/nps?from=${at}`)).body.total).toBe(100)
        expect((await f.get(`/surveys/${id}/nps?from=2026-05-01&to=${at}`)).body.total).toBe(0)
      })

      it('reads dates of any four-digit year, the first century included', async () => {
        const { status, body } = await f.get(`/surveys/${id}/nps?from=0001-01-01&to=0099-12-31T23:59:59.999Z`)
        expect(status).toBe(200)
        expect(body).toMatchObject({
          total: 0,
          from: '0001-01-01T00:00:00.000Z',
          to: '0099-12-31T23:59:59.999Z',
        })
      })

      it('answers nps and ci95 null when nobody answered', async () => {
        const { body } = await f.get(`/surveys/${id}/nps?from=2025-01-01&to=2025-02-01`)
        expect(body).toMatchObject({ total: 0, nps: null, ci95: null, marginOfError: null })
      })

      describe('filters', () => {
        let seg: string
        beforeAll(async () => {
          seg = await f.survey()
          await f.answer(
            seg,
            { at: '2026-05-01T00:00:00Z', score: 10, locale: 'de', path: '/checkout', device: 'mobile' },
            {
              at: '2026-05-01T00:00:00Z',
              score: 3,
              locale: 'de-AT',
              path: '/checkout/done',
              device: 'desktop',
            },
            { at: '2026-05-01T00:00:00Z', score: 9, locale: 'en', path: '/pricing', device: 'mobile' },
            {
              at: '2026-05-01T00:00:00Z',
              score: 8,
              locale: 'en-GB',
              metadata: { plan: 'pro', beta: true, seats: 5 },
            },
            { at: '2026-05-01T00:00:00Z', score: 0, metadata: { plan: 'free', beta: false, seats: 50 } },
            { at: '2026-05-01T00:00:00Z', score: 10, metadata: { plan: 'pro', beta: false } },
          )
          await f.event(seg, 'dismissed', '2026-05-01T00:00:00Z', 4)
        })

        it('matches a language and all its regional tags with locale', async () => {
          const { body } = await f.get(`/surveys/${seg}/nps?locale=de`)
          expect(body).toMatchObject({ total: 2, promoters: 1, detractors: 1, nps: 0 })
        })

        it('matches an exact path, or a prefix ending in *', async () => {
          expect((await f.get(`/surveys/${seg}/nps?path=/checkout`)).body.total).toBe(1)
          expect((await f.get(`/surveys/${seg}/nps?path=/checkout*`)).body.total).toBe(2)
        })

        it('filters by device', async () => {
          expect((await f.get(`/surveys/${seg}/nps?device=mobile`)).body).toMatchObject({
            total: 2,
            nps: 100,
          })
        })

        it('filters by any metadata key with segment.<key>, strings, booleans and numbers alike', async () => {
          expect((await f.get(`/surveys/${seg}/nps?segment.plan=pro`)).body).toMatchObject({
            total: 2,
            nps: 50,
          })
          expect((await f.get(`/surveys/${seg}/nps?segment.beta=false`)).body).toMatchObject({
            total: 2,
            nps: 0,
          })
          expect((await f.get(`/surveys/${seg}/nps?segment.seats=50`)).body).toMatchObject({
            total: 1,
            nps: -100,
          })
          const both = await f.get(`/surveys/${seg}/nps?segment.plan=pro&segment.beta=true`)
          expect(both.body).toMatchObject({ total: 1, passives: 1 })
        })

        it('leaves out dismissals and shown cards when a filter events cannot honour is set', async () => {
          const all = await f.get(`/surveys/${seg}/nps`)
          expect(all.body.dismissed).toBe(4)
          const filtered = await f.get(`/surveys/${seg}/nps?locale=de`)
          expect(filtered.body).not.toHaveProperty('dismissed')
          expect(filtered.body).not.toHaveProperty('responseRate')
        })
      })

      it("counts only each respondent's latest answer with latestPerRespondent=true", async () => {
        const lp = await f.survey()
        await f.answer(
          lp,
          { at: '2026-04-01T00:00:00Z', score: 0, respondent: 'ann' },
          { at: '2026-04-02T00:00:00Z', score: 1, respondent: 'ann' },
          { at: '2026-04-03T00:00:00Z', score: 10, respondent: 'ann' },
          { at: '2026-04-01T00:00:00Z', score: 9, respondent: 'bob' },
          { at: '2026-04-05T00:00:00Z', score: 7, respondent: 'bob' },
          { at: '2026-04-01T00:00:00Z', score: 2 },
          { at: '2026-04-01T00:00:00Z', score: 3 },
        )
        const all = await f.get(`/surveys/${lp}/nps`)
        expect(all.body.total).toBe(7)
        const latest = await f.get(`/surveys/${lp}/nps?latestPerRespondent=true`)
        // ann → 10, bob → 7, and both answers without a respondent id.
        expect(latest.body.distribution).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1])
        // Latest inside the range: before bob's 7 arrived, his 9 was his latest.
        const early = await f.get(`/surveys/${lp}/nps?latestPerRespondent=true&to=2026-04-04`)
        expect(early.body.distribution).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1])
      })
    })

    describe('the response rate', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
        // 30 answers from the card, each after a card shown; 10 from the public API and 60 imported, with
        // no card shown for them. Counting every answer, the rate would be 105 / 40.
        await f.answers(id, 30, { at: '2026-05-10T10:30:00Z', score: 9 })
        await f.answers(id, 10, { at: '2026-05-10T10:40:00Z', score: 7, source: 'api' })
        await f.answers(id, 60, { at: '2026-05-10T11:00:00Z', score: 3, source: null })
        // 5 through survey links (an email): they count in every figure, but no card was shown for them.
        await f.answers(id, 5, { at: '2026-05-10T10:50:00Z', score: 10, source: 'link' })
        await f.event(id, 'shown', '2026-05-10T10:20:00Z', 40)
      })

      it('counts only the widget’s answers per card shown, so an import never takes it past 1', async () => {
        const { body } = await f.get(`/surveys/${id}/nps?from=2026-05-01&to=2026-06-01`)
        expect(body).toMatchObject({ total: 105, shown: 40, responseRate: 30 / 40 })
        expect(body.responseRate).toBeLessThanOrEqual(1)
      })

      it('counts the widget’s answers at a window’s partial hours too, and per point of a trend', async () => {
        const edge = await f.get(`/surveys/${id}/nps?from=2026-05-10T10:15:00Z&to=2026-05-10T10:45:00Z`)
        expect(edge.body).toMatchObject({ total: 40, shown: 40, responseRate: 30 / 40 })
        const trend = await f.get(`/surveys/${id}/nps/trend?interval=day&from=2026-05-09&to=2026-05-12`)
        expect(trend.body.points.map((p: { responseRate: number | null }) => p.responseRate)).toEqual([
          null,
          30 / 40,
          null,
        ])
      })

      it('lists where each answer came from', async () => {
        const { body } = await f.get(`/surveys/${id}/responses?limit=200`)
        const sources = new Map<string, number>()
        for (const r of body.items) sources.set(r.source, (sources.get(r.source) ?? 0) + 1)
        expect(Object.fromEntries(sources)).toEqual({ widget: 30, api: 10, import: 60, link: 5 })
      })
    })

    describe('GET /surveys/:id/nps/trend', () => {
      it('buckets by calendar month in the time zone given, including empty months', async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-01-31T23:30:00Z', score: 10 }, // 1 Feb 00:30 in Berlin
          { at: '2026-02-01T00:30:00Z', score: 0 },
          { at: '2026-04-15T12:00:00Z', score: 9 },
        )
        const utc = await f.get(`/surveys/${id}/nps/trend?interval=month&from=2026-01-01&to=2026-05-01`)
        expect(utc.status).toBe(200)
        expect(utc.body).toMatchObject({ interval: 'month', window: null, tz: 'UTC' })
        expect(utc.body.points.map((p: { start: string }) => p.start)).toEqual([
          '2026-01-01T00:00:00.000Z',
          '2026-02-01T00:00:00.000Z',
          '2026-03-01T00:00:00.000Z',
          '2026-04-01T00:00:00.000Z',
        ])
        expect(utc.body.points.map((p: { total: number }) => p.total)).toEqual([1, 1, 0, 1])
        expect(utc.body.points[2]).toMatchObject({ total: 0, nps: null, ci95: null })

        const berlin = await f.get(
          `/surveys/${id}/nps/trend?interval=month&from=2026-01-01&to=2026-05-01&tz=Europe/Berlin`,
        )
        expect(berlin.body.points.map((p: { start: string }) => p.start)).toEqual([
          '2025-12-31T23:00:00.000Z',
          '2026-01-31T23:00:00.000Z',
          '2026-02-28T23:00:00.000Z',
          '2026-03-31T22:00:00.000Z', // April starts in summer time
        ])
        expect(berlin.body.points.map((p: { total: number }) => p.total)).toEqual([0, 2, 0, 1])
        expect(berlin.body.points[1]).toMatchObject({ nps: 0, end: '2026-02-28T23:00:00.000Z' })
      })

      it('gives the day clocks spring forward 23 hours and buckets its edges by local midnight', async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-03-28T22:30:00Z', score: 1 }, // 28 Mar 23:30 CET
          { at: '2026-03-28T23:30:00Z', score: 2 }, // 29 Mar 00:30 CET
          { at: '2026-03-29T21:30:00Z', score: 3 }, // 29 Mar 23:30 CEST
          { at: '2026-03-29T22:30:00Z', score: 4 }, // 30 Mar 00:30 CEST
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-03-28&to=2026-03-31&tz=Europe/Berlin`,
        )
        const points = body.points as { start: string; end: string; distribution: number[] }[]
        expect(points.map((p) => [p.start, p.end])).toEqual([
          ['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
          ['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
          ['2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
        ])
        expect(points.map((p) => p.distribution.findIndex((n) => n > 0))).toEqual([1, 2, 4])
        expect(points[1]!.distribution[3]).toBe(1)
      })

      it('starts weeks on Monday in the time zone, and a fall-back week lasts 169 hours', async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-10-18T23:30:00Z', score: 9 }, // Monday 19 Oct 00:30 BST
          { at: '2026-10-25T23:30:00Z', score: 9 }, // Sunday 25 Oct 23:30 GMT, clocks went back that night
          { at: '2026-10-26T00:30:00Z', score: 9 }, // Monday 26 Oct 00:30 GMT
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=week&from=2026-10-20&to=2026-11-02&tz=Europe/London`,
        )
        const points = body.points as { start: string; end: string; total: number }[]
        expect(points.map((p) => p.start)).toEqual(['2026-10-18T23:00:00.000Z', '2026-10-26T00:00:00.000Z'])
        expect(Date.parse(points[0]!.end) - Date.parse(points[0]!.start)).toBe(169 * 3_600_000)
        expect(points.map((p) => p.total)).toEqual([2, 1])
      })

      it('makes each point a rolling window of N days ending at the period end with window=N', async () => {
        const id = await f.survey()
        const start = Date.parse('2026-01-01T00:00:00Z')
        const raw: { at: number; score: number }[] = []
        for (let day = 0; day < 40; day++) {
          for (let k = 0; k < (day * 7) % 5; k++)
            raw.push({ at: start + day * DAY + k * 3_600_000, score: (day + k * 3) % 11 })
        }
        await f.answer(id, ...raw)
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-01-10&to=2026-02-05&window=7`,
        )
        expect(body.window).toBe(7)
        expect(body.points).toHaveLength(26)
        for (const point of body.points as {
          start: string
          end: string
          from: string
          distribution: number[]
        }[]) {
          const end = Date.parse(point.end)
          expect(Date.parse(point.from)).toBe(end - 7 * DAY)
          const expected = new Array(11).fill(0)
          for (const a of raw) if (a.at >= end - 7 * DAY && a.at < end) expected[a.score]++
          expect(point.distribution).toEqual(expected)
        }
      })

      it('says which rolling points reach before the survey’s first answer', async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-01-05T12:00:00Z', score: 10 },
          { at: '2026-01-20T00:00:00Z', score: 0, locale: 'de' },
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-01-08&to=2026-01-15&window=7`,
        )
        expect(body.firstAnswerAt).toBe('2026-01-05T12:00:00.000Z')
        // Day N's window is [N − 6, N + 1): it starts before Jan 5 12:00 up to the point of Jan 11.
        expect(
          body.points.map((p: { start: string; partialWindow: boolean }) => [
            p.start.slice(0, 10),
            p.partialWindow,
          ]),
        ).toEqual([
          ['2026-01-08', true],
          ['2026-01-09', true],
          ['2026-01-10', true],
          ['2026-01-11', true],
          ['2026-01-12', false],
          ['2026-01-13', false],
          ['2026-01-14', false],
        ])
        // Without a rolling window a point is its own period: never partial. The first answer ignores filters.
        const plain = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-01-04&to=2026-01-06&locale=de`,
        )
        expect(plain.body.firstAnswerAt).toBe('2026-01-05T12:00:00.000Z')
        expect(plain.body.points.map((p: { partialWindow: boolean }) => p.partialWindow)).toEqual([
          false,
          false,
        ])
      })

      it('finds the survey’s first answer in the backend, and none for a survey without answers', async () => {
        const id = await f.survey()
        expect(await f.backend.firstAnswerAt(id)).toBeNull()
        await f.answer(
          id,
          { at: '2026-03-01T00:00:00Z', score: 9, respondent: 'late' },
          { at: '2025-11-30T08:00:00.123Z', score: 3, respondent: 'early' },
        )
        expect(await f.backend.firstAnswerAt(id)).toBe(Date.parse('2025-11-30T08:00:00.123Z'))
        // Erasing the earliest respondent moves the first answer to the next one.
        await f.backend.eraseRespondent('early')
        expect(await f.backend.firstAnswerAt(id)).toBe(Date.parse('2026-03-01T00:00:00Z'))
        expect(await f.backend.firstAnswerAt('srv_none')).toBeNull()
      })

      it('sums rolling monthly windows the same way, whatever the month lengths', async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-01-20T00:00:00Z', score: 10 },
          { at: '2026-02-10T00:00:00Z', score: 0 },
          { at: '2026-03-25T00:00:00Z', score: 9 },
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=month&from=2026-01-01&to=2026-04-01&window=45`,
        )
        // Windows end 1 Feb, 1 Mar, 1 Apr and reach back 45 days: 18 Dec, 15 Jan, 15 Feb.
        expect(body.points.map((p: { from: string }) => p.from)).toEqual([
          '2025-12-18T00:00:00.000Z',
          '2026-01-15T00:00:00.000Z',
          '2026-02-15T00:00:00.000Z',
        ])
        expect(body.points.map((p: { total: number; nps: number | null }) => [p.total, p.nps])).toEqual([
          [1, 100],
          [2, 0],
          [1, 100],
        ])
      })

      it("applies latestPerRespondent inside each period's window", async () => {
        const id = await f.survey()
        await f.answer(
          id,
          { at: '2026-02-01T10:00:00Z', score: 0, respondent: 'ann' },
          { at: '2026-02-01T11:00:00Z', score: 10, respondent: 'ann' },
          { at: '2026-02-02T10:00:00Z', score: 5, respondent: 'ann' },
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-02-01&to=2026-02-03&latestPerRespondent=true`,
        )
        expect(body.points.map((p: { distribution: number[] }) => p.distribution.indexOf(1))).toEqual([10, 5])
      })

      it("counts each rolling window's own latest answers, as a recount of that window does", async () => {
        const id = await f.survey()
        const who = ['ann', 'bob', 'cy', undefined]
        await f.answer(
          id,
          ...Array.from({ length: 40 }, (_, i) => {
            const respondent = who[i % who.length]
            const at = new Date(Date.UTC(2026, 1, 1 + ((i * 7) % 12), (i * 5) % 24)).toISOString()
            return { at, score: (i * 3) % 11, ...(respondent ? { respondent } : {}) }
          }),
        )
        const { body } = await f.get(
          `/surveys/${id}/nps/trend?interval=day&from=2026-02-03&to=2026-02-14&window=4&latestPerRespondent=true`,
        )
        expect(body.points).toHaveLength(11)
        for (const point of body.points as { from: string; to: string; distribution: number[] }[]) {
          const recount = await f.get(
            `/surveys/${id}/nps?latestPerRespondent=true&from=${point.from}&to=${point.to}`,
          )
          expect(point.distribution).toEqual(recount.body.distribution)
        }
      })

      it('counts events per period too', async () => {
        const id = await f.survey()
        await f.event(id, 'shown', '2026-03-01T05:00:00Z', 4)
        await f.event(id, 'dismissed', '2026-03-02T05:00:00Z', 2)
        await f.answers(id, 2, { at: '2026-03-01T06:00:00Z', score: 9 })
        const { body } = await f.get(`/surveys/${id}/nps/trend?from=2026-03-01&to=2026-03-03`)
        expect(body.points.map((p: { shown: number; dismissed: number }) => [p.shown, p.dismissed])).toEqual([
          [4, 0],
          [0, 2],
        ])
        expect(body.points[0].responseRate).toBe(0.5)
      })

      it('defaults to the last 30 days by day, ending now', async () => {
        const id = await f.survey()
        const { body } = await f.get(`/surveys/${id}/nps/trend`)
        expect(body.interval).toBe('day')
        expect(body.points.at(-1).start).toBe('2026-06-15T00:00:00.000Z')
        expect(body.points).toHaveLength(31)
      })
    })

    describe('GET /surveys/:id/nps/breakdown', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
        const at = '2026-05-05T00:00:00Z'
        await f.answers(id, 5, { at, score: 10, locale: 'fr', metadata: { manager: 'Ines' } })
        await f.answers(id, 3, { at, score: 0, locale: 'de', metadata: { manager: 'Jonas' } })
        await f.answers(id, 3, { at, score: 8, locale: 'ar', metadata: { manager: 'Ines' } })
        await f.answers(id, 4, { at, score: 9, device: 'tablet' })
      })

      it('gives a Summary per group, largest first, ties by value, answers without one last', async () => {
        const { status, body } = await f.get(`/surveys/${id}/nps/breakdown?by=locale`)
        expect(status).toBe(200)
        expect(body.by).toBe('locale')
        expect(body.groups.map((g: { value: string | null; total: number }) => [g.value, g.total])).toEqual([
          ['fr', 5],
          [null, 4],
          ['ar', 3],
          ['de', 3],
        ])
        const fr = body.groups[0]
        expect(fr).toMatchObject({ nps: 100, promoters: 5, lowSample: true })
        const expected = expectedInterval(5, 0, 0)
        expect(fr.ci95[0]).toBeCloseTo(expected.ci95[0], 10)
        expect(fr.ci95[1]).toBeCloseTo(expected.ci95[1], 10)
      })

      it('ranks the people a metadata key names (the NPS of those each manager served)', async () => {
        const { body } = await f.get(`/surveys/${id}/nps/breakdown?by=metadata.manager`)
        expect(
          body.groups.map((g: { value: string | null; total: number; nps: number }) => [
            g.value,
            g.total,
            g.nps,
          ]),
        ).toEqual([
          ['Ines', 8, (100 * 5) / 8],
          [null, 4, 100],
          ['Jonas', 3, -100],
        ])
      })

      it('groups by device and honours limit', async () => {
        const { body } = await f.get(`/surveys/${id}/nps/breakdown?by=device&limit=1`)
        expect(body.groups).toHaveLength(1)
        expect(body.groups[0]).toMatchObject({ value: null, total: 11 })
      })

      it('says whether a dimension is declared and counted, and answers the same groups either way', async () => {
        const survey = await f.survey()
        await f.answers(survey, 3, { at: '2026-05-10T10:00:00Z', score: 9, locale: 'de' })
        await f.answers(survey, 2, { at: '2026-05-11T10:00:00Z', score: 4, locale: 'en' })
        const scanned = (await f.get(`/surveys/${survey}/nps/breakdown?by=locale`)).body
        expect(scanned.rollup).toBe('undeclared')
        const settings = (await f.backend.getSurvey(survey))!.settings
        await f.backend.updateSurvey(
          survey,
          { ...settings, breakdowns: ['locale'] },
          Date.parse('2026-06-01'),
        )
        const declared = (await f.get(`/surveys/${survey}/nps/breakdown?by=locale`)).body
        expect(['counting', 'counted']).toContain(declared.rollup)
        await f.backend.fillBreakdowns()
        const counted = (await f.get(`/surveys/${survey}/nps/breakdown?by=locale`)).body
        expect(counted.rollup).toBe('counted')
        for (const body of [declared, counted]) expect(body.groups).toEqual(scanned.groups)
      })
    })

    describe('GET /surveys/:id/nps/breakdown: fair comparisons of groups', () => {
      // 30 agents of 300 answers each: 26 alike (NPS 30), two clearly better (NPS 73), two clearly worse
      // (NPS −30); and a new agent with 8 answers, all 10s: a big difference, measured on too few.
      const better = ['agent-03', 'agent-17']
      const worse = ['agent-08', 'agent-25']
      const agents = Array.from({ length: 30 }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`)
      const split = (agent: string) =>
        better.includes(agent) ? [240, 40, 20] : worse.includes(agent) ? [60, 90, 150] : [150, 90, 60]
      let id: string
      type Row = { value: string | null; verdict: string; precision: string; [k: string]: unknown }
      const byValue = (groups: Row[]) => new Map(groups.map((g) => [g.value, g]))
      beforeAll(async () => {
        id = await f.survey()
        const at = '2026-05-05T00:00:00Z'
        for (const agent of agents) {
          const [p, a, d] = split(agent)
          await f.answers(id, p!, { at, score: 10, metadata: { agent } })
          await f.answers(id, a!, { at, score: 7, metadata: { agent } })
          await f.answers(id, d!, { at, score: 3, metadata: { agent } })
        }
        await f.answers(id, 8, { at, score: 10, metadata: { agent: 'agent-new' } })
      })

      it('finds exactly the planted better and worse agents, and calls the small one imprecise', async () => {
        const { status, body } = await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent`)
        expect(status).toBe(200)
        expect(body).toMatchObject({ groupCount: 31, excludedGroups: 0, total: 9008, correction: 'holm' })
        const groups: Row[] = body.groups
        const verdicts = (v: string) =>
          groups
            .filter((g) => g.verdict === v)
            .map((g) => g.value)
            .sort()
        expect(verdicts('above')).toEqual(better)
        expect(verdicts('below')).toEqual(worse)
        const newcomer = byValue(groups).get('agent-new')!
        expect(newcomer).toMatchObject({
          nps: 100,
          verdict: 'no clear difference',
          precision: 'low',
          lowSample: true,
        })
        // On its own it would pass at 0.05; among 31 groups it does not.
        expect(newcomer.pValue).toBeLessThan(0.05)
        expect(newcomer.adjustedP).toBeGreaterThan(0.05)
        for (const g of groups) expect(g.adjustedP as number).toBeGreaterThanOrEqual(g.pValue as number)
        // 300 answers are ±8 to ±10 points: precise enough; the rest of a group is everyone else.
        expect(byValue(groups).get('agent-01')).toMatchObject({ precision: 'ok', lowSample: false })
        const rest = summarizeRest(groups, 'agent-03')
        expect(byValue(groups).get('agent-03')!.delta).toBeCloseTo(73.3333333333 - rest, 6)
      })

      it('ranks by the lower end of the interval, so the 8 perfect answers come after the 600 clearly better ones', async () => {
        const lower = (await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent&sort=lower&limit=3`)).body
        expect(
          lower.groups
            .slice(0, 2)
            .map((g: Row) => g.value)
            .sort(),
        ).toEqual(better)
        // Its interval's lower end (≈ 38) is still above the others' (≈ 21): third, not first.
        expect(lower.groups[2].value).toBe('agent-new')
        const nps = (await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent&sort=nps&limit=1`)).body
        expect(nps.groups[0].value).toBe('agent-new')
        const worst = (await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent&sort=lower&order=asc`))
          .body
        expect(
          worst.groups
            .slice(0, 2)
            .map((g: Row) => g.value)
            .sort(),
        ).toEqual(worse)
      })

      it('pages through every group with next, each with the same correction over all of them', async () => {
        const all = byValue((await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent`)).body.groups)
        const seen: Row[] = []
        let offset: number | null = 0
        while (offset !== null) {
          const { body } = await f.get(
            `/surveys/${id}/nps/breakdown?by=metadata.agent&limit=7&offset=${offset}`,
          )
          expect(body.groupCount).toBe(31)
          seen.push(...body.groups)
          offset = body.next
        }
        expect(seen.map((g) => g.value).sort()).toEqual([...all.keys()].sort())
        for (const g of seen) expect(g.adjustedP).toBe(all.get(g.value)!.adjustedP)
      })

      it('leaves groups under minCount out of the list and the correction, but in the rest', async () => {
        const { body } = await f.get(`/surveys/${id}/nps/breakdown?by=metadata.agent&minCount=100`)
        expect(body).toMatchObject({ groupCount: 30, excludedGroups: 1, total: 9008 })
        const groups: Row[] = body.groups
        expect(groups.map((g) => g.value)).not.toContain('agent-new')
        expect(
          groups
            .filter((g) => g.verdict !== 'no clear difference')
            .map((g) => g.value)
            .sort(),
        ).toEqual([...better, ...worse].sort())
        // The rest of agent-03 still holds the newcomer's 8 answers.
        expect(byValue(groups).get('agent-03')!.delta).toBeCloseTo(
          73.3333333333 - summarizeRest(groups, 'agent-03', [8, 0, 0]),
          6,
        )
      })
    })

    describe('unknown metadata keys', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
        await f.answers(id, 3, {
          at: '2026-05-05T00:00:00Z',
          score: 9,
          metadata: { agent: 'Ines', plan: 'pro' },
        })
      })

      it.each([
        ['nps/breakdown?by=metadata.agnet', 'by'],
        ['nps?segment.plna=x', 'segment.plna'],
        ['nps/trend?segment.plna=x', 'segment.plna'],
        ['nps/breakdown?by=locale&segment.plna=x', 'segment.plna'],
        ['target?segment.plna=x', 'segment.plna'],
        ['themes?category=detractor&segment.plna=x', 'segment.plna'],
        ['responses?segment.plna=x', 'segment.plna'],
        ['responses?format=csv&segment.plna=x', 'segment.plna'],
      ])(
        'answers 400 invalid_query for %s, naming %s and the keys the survey knows',
        async (path, parameter) => {
          const { status, body } = await f.get(`/surveys/${id}/${path}`)
          expect(status).toBe(400)
          expect(body.error.code).toBe('invalid_query')
          expect(body.error.message).toContain(parameter)
          expect(body.error.message).toContain('its keys are "agent", "plan"')
          expect(body.error.issues[0].path).toBe(parameter)
        },
      )

      it('still answers total 0 for a value nobody sent of a key that exists', async () => {
        const { status, body } = await f.get(`/surveys/${id}/nps?segment.plan=Enterprise`)
        expect(status).toBe(200)
        expect(body.total).toBe(0)
      })

      it('takes a key the survey declares before any answer brings it', async () => {
        const declared = await f.survey({ metadataKeys: ['team'] })
        expect((await f.get(`/surveys/${declared}/nps?segment.team=a`)).body.total).toBe(0)
        const refused = await f.get(`/surveys/${declared}/nps/breakdown?by=metadata.tema`)
        expect(refused.status).toBe(400)
        expect(refused.body.error.message).toContain('its keys are "team"')
      })
    })

    describe('GET /surveys/:id/nps/compare', () => {
      it('reproduces the published example: 120/50/30 against 100/50/50 gives z ≈ 2.53, p ≈ 0.012', async () => {
        const id = await f.survey()
        const a = '2026-02-10T00:00:00Z'
        const b = '2026-01-10T00:00:00Z'
        await f.answers(id, 120, { at: a, score: 9 })
        await f.answers(id, 50, { at: a, score: 7 })
        await f.answers(id, 30, { at: a, score: 5 })
        await f.answers(id, 100, { at: b, score: 10 })
        await f.answers(id, 50, { at: b, score: 8 })
        await f.answers(id, 50, { at: b, score: 1 })
        const { status, body } = await f.get(
          `/surveys/${id}/nps/compare?aFrom=2026-02-01&aTo=2026-03-01&bFrom=2026-01-01&bTo=2026-02-01`,
        )
        expect(status).toBe(200)
        expect(body.a).toMatchObject({ total: 200, nps: 45, from: '2026-02-01T00:00:00.000Z' })
        expect(body.b).toMatchObject({ total: 200, nps: 25 })
        expect(body.delta).toBeCloseTo(20, 10)
        const ea = expectedInterval(120, 50, 30)
        const eb = expectedInterval(100, 50, 50)
        const z = (ea.s - eb.s) / Math.sqrt(ea.variance / ea.n + eb.variance / eb.n)
        expect(body.z).toBeCloseTo(z, 8)
        expect(body.z).toBeCloseTo(2.53, 2)
        expect(body.pValue).toBeCloseTo(0.012, 3)
        expect(body.significant).toBe(true)
        // 200 answers a side still leave margins of ±10.2 and ±11.4 points: significant, and said to be imprecise.
        expect(body.precision).toBe('low')
        expect(body.precisionReasons).toEqual([
          expect.stringMatching(/^a: 95% margin ±1\d\.\d > ±10 points$/),
          expect.stringMatching(/^b: 95% margin ±1\d\.\d > ±10 points$/),
        ])
      })

      it('never calls 3 answers against 2 significant, and says why', async () => {
        const id = await f.survey()
        await f.answers(id, 3, { at: '2026-02-10T00:00:00Z', score: 10 })
        await f.answers(id, 2, { at: '2026-01-10T00:00:00Z', score: 0 })
        const { body } = await f.get(
          `/surveys/${id}/nps/compare?aFrom=2026-02-01&aTo=2026-03-01&bFrom=2026-01-01&bTo=2026-02-01`,
        )
        expect(body.pValue).toBeLessThan(0.05)
        expect(body).toMatchObject({
          significant: false,
          precision: 'low',
          precisionReasons: ['a: n = 3 < 30 answers', 'b: n = 2 < 30 answers'],
        })
      })

      it('calls a small difference not significant', async () => {
        const id = await f.survey()
        await f.answers(id, 10, { at: '2026-02-10T00:00:00Z', score: 9 })
        await f.answers(id, 9, { at: '2026-01-10T00:00:00Z', score: 9 })
        await f.answers(id, 1, { at: '2026-01-10T00:00:00Z', score: 0 })
        const { body } = await f.get(
          `/surveys/${id}/nps/compare?aFrom=2026-02-01&aTo=2026-03-01&bFrom=2026-01-01&bTo=2026-02-01`,
        )
        expect(body.significant).toBe(false)
        expect(body.pValue).toBeGreaterThan(0.05)
      })
    })

    describe('GET /surveys/:id/target', () => {
      /** The worked example (ci95 ≈ [14.05, 44.20]) inside the lifetime, plus old detractors outside it. */
      async function surveyWithTarget(target: number | null): Promise<string> {
        const id = await f.survey({
          target: target === null ? null : { nps: target, deadline: '2026-12-31' },
          responseLifetimeDays: 90,
        })
        await worked(id, '2026-06-01T00:00:00Z')
        await f.answers(id, 40, { at: Date.parse('2026-06-15T12:00:00Z') - 91 * DAY, score: 0 })
        return id
      }

      it('says met when the interval lower end is at or above the target, counting only the lifetime', async () => {
        const { status, body } = await f.get(`/surveys/${await surveyWithTarget(10)}/target`)
        expect(status).toBe(200)
        expect(body).toMatchObject({
          target: { nps: 10, deadline: '2026-12-31' },
          lifetimeDays: 90,
          status: 'met',
          gap: -20,
        })
        expect(body.current).toMatchObject({ total: 100, nps: 30, to: '2026-06-15T12:00:00.000Z' })
        expect(body.current.from).toBe(new Date(Date.parse('2026-06-15T12:00:00Z') - 90 * DAY).toISOString())
      })

      it('says below (not missed) when the interval upper end is under the target before the deadline', async () => {
        const { body } = await f.get(`/surveys/${await surveyWithTarget(60)}/target`)
        expect(body).toMatchObject({ status: 'below', deadlinePassed: false, gap: 30 })
      })

      it('keeps the same status words after the deadline, says it has passed, and projects nothing', async () => {
        const id = await f.survey({ target: { nps: 60, deadline: '2026-06-01' } })
        await worked(id, '2026-06-01T00:00:00Z')
        const { body } = await f.get(`/surveys/${id}/target`)
        expect(body).toMatchObject({
          status: 'below',
          deadlinePassed: true,
          projection: null,
          projectionReason: 'the deadline has passed',
        })
      })

      it('says uncertain when the target lies inside the interval, with the sample size needed to tell', async () => {
        const { body } = await f.get(`/surveys/${await surveyWithTarget(40)}/target`)
        expect(body).toMatchObject({ status: 'uncertain', gap: 10 })
        const { variance } = expectedInterval(50, 30, 20)
        // A margin of |30 − 40| = 10 points: n = 1.96² σ² / 0.1² − 3.
        expect(body.sampleSizeNeeded).toBe(Math.ceil((1.96 ** 2 * variance) / 0.1 ** 2 - 3))
        expect(body.sampleSizeNeeded).toBeGreaterThan(100)
      })

      it('projects to the deadline from the monthly trend, and not from too few months', async () => {
        const thin = await f.get(`/surveys/${await surveyWithTarget(40)}/target`)
        expect(thin.body.projection).toBeNull()
        expect(thin.body.projectionReason).toBe(
          'answers in 2 of the last 12 calendar months; a projection needs at least 3',
        )
        expect(thin.body.projectionMethod).toMatch(/least-squares/)

        const id = await f.survey({ target: { nps: 50, deadline: '2026-12-31' } })
        // January −20, February 0, … June +80: NPS rises 20 points a month.
        for (let month = 0; month < 6; month++) {
          const at = Date.UTC(2026, month, month === 5 ? 8 : 15)
          const promoters = 4 + month
          await f.answers(id, promoters, { at, score: 10 })
          await f.answers(id, 10 - promoters, { at, score: 0 })
        }
        const { body } = await f.get(`/surveys/${id}/target`)
        expect(body.projection.months).toBe(6)
        expect(body.projection.slopePerMonth).toBeCloseTo(20, -1)
        expect(body.projection.at).toBe('2027-01-01T00:00:00.000Z')
        // Six more months of +20 points from +80 in June reaches the ceiling.
        expect(body.projection.nps).toBe(100)
        expect(body.projection.onTrack).toBe(true)
        expect(body.projection.answers).toBe(60)
        // Where it stands now (the last 90 days, NPS ≈ +65 on 20 answers) is a separate answer.
        expect(body.status).toBe('uncertain')
        expect(body.projection.ci95[1]).toBe(100)
        expect(body.projection.ci95[0]).toBeLessThan(body.projection.nps)
        expect(body.projectionReason).toBeNull()
      })

      it('makes no projection from months with too few answers, and says so', async () => {
        const id = await f.survey({ target: { nps: 50, deadline: '2026-12-31' } })
        for (let month = 0; month < 4; month++)
          await f.answers(id, 5, { at: Date.UTC(2026, month, 15), score: 9 })
        const { body } = await f.get(`/surveys/${id}/target`)
        expect(body.projection).toBeNull()
        expect(body.projectionReason).toBe('20 answers in the last 12 months; a projection needs at least 30')
      })

      it('answers status null without a target', async () => {
        const { body } = await f.get(`/surveys/${await surveyWithTarget(null)}/target`)
        expect(body).toMatchObject({
          target: null,
          status: null,
          deadlinePassed: null,
          gap: null,
          projection: null,
          projectionReason: 'the survey has no target',
        })
        expect(body.current.total).toBe(100)
      })
    })

    describe('GET /surveys/:id/themes', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
        const at = '2026-05-20T00:00:00Z'
        const detractors = [
          'The checkout is so slow.',
          'Slow checkout, and the app crashes',
          'Everything is slow and support never answers',
          'Support never answers my emails',
          'Die Lieferung ist nicht pünktlich',
          'Slow!!!',
        ]
        const promoters = [
          'Love the product, checkout was easy',
          'I love it',
          'Great support team',
          'Easy to use, love the design',
        ]
        await f.answer(id, ...detractors.map((comment) => ({ at, score: 3, comment })))
        await f.answer(id, ...promoters.map((comment) => ({ at, score: 10, comment })))
        await f.answer(
          id,
          { at, score: 7, comment: 'ok I guess' },
          { at, score: 2 },
          { at, score: 1, comment: '' },
        )
      })

      it('ranks detractor themes by the NPS points they cost, with count, share, floored lift and impact', async () => {
        const { status, body } = await f.get(`/surveys/${id}/themes?category=detractor`)
        expect(status).toBe(200)
        // 13 answers: 4 promoters, 1 passive, 8 detractors (two of them without a comment).
        expect(body).toMatchObject({
          category: 'detractor',
          answers: 13,
          comments: 6,
          otherComments: 5,
          maxComments: 20000,
          complete: true,
        })
        expect(body.nps).toBeCloseTo((100 * (4 - 8)) / 13, 9)
        const terms = body.terms as {
          term: string
          count: number
          share: number
          lift: number
          impact: number
        }[]
        const slow = terms[0]!
        expect(slow.term).toBe('slow')
        expect(slow.count).toBe(4)
        expect(slow.share).toBeCloseTo(4 / 6, 12)
        // No other comment says "slow": the other share is floored at 1%.
        expect(slow.lift).toBeCloseTo(4 / 6 / 0.01, 9)
        // Without the four answers that mention it: 4 promoters, 1 passive, 4 detractors, NPS 0.
        expect(slow.impact).toBeCloseTo((100 * (4 - 8)) / 13 - 0, 9)
        expect(slow).toMatchObject({ mentions: 4, source: 'discovered' })
        const names = terms.map((t) => t.term)
        // "never answers" is folded to "never answer" and absorbs both its words (all their mentions),
        // and "support never", written with it in both comments, as one complaint.
        const never = terms.find((t) => t.term === 'never answer') as unknown as { absorbed: string[] }
        expect(never.absorbed).toEqual(expect.arrayContaining(['never', 'answer', 'support never']))
        expect(names).not.toContain('never')
        expect(names).not.toContain('support never')
        // "checkout" is also praised: it costs fewer points than "never answer".
        expect(names.indexOf('checkout')).toBeGreaterThan(names.indexOf('never answer'))
        expect(names).not.toContain('the')
        expect(names).not.toContain('and')
      })

      it('finds what promoters praise, the most rewarding first', async () => {
        const { body } = await f.get(`/surveys/${id}/themes?category=promoter&minCount=2`)
        expect(body.terms[0]).toMatchObject({ term: 'love', count: 3 })
        // Without the three "love" answers: 1 promoter, 1 passive, 8 detractors.
        expect(body.terms[0].impact).toBeCloseTo((100 * (4 - 8)) / 13 - (100 * (1 - 8)) / 10, 9)
        expect(body.terms.map((t: { term: string }) => t.term)).toContain('easy')
      })

      it('keeps negations, so a phrase like "nicht pünktlich" survives (folded)', async () => {
        const { body } = await f.get(`/surveys/${id}/themes?category=detractor&minCount=1&limit=100`)
        const names = body.terms.map((t: { term: string }) => t.term)
        expect(names).toContain('nicht puenktlich')
        expect(names).toContain('slow checkout')
      })
    })

    describe('a planted theme that costs points, in English and German', () => {
      let id: string
      const week1 = '2026-05-05T10:00:00Z'
      const week2 = '2026-05-12T10:00:00Z'
      beforeAll(async () => {
        id = await f.survey({ themes: { dictionary: { billing: ['billing', 'invoice', 'Rechnung'] } } })
        for (const at of [week1, week2]) {
          await f.answers(id, 40, { at, score: 10, comment: 'Great product, love it' })
          await f.answers(id, 10, { at, score: 4, comment: 'The app is slow' })
        }
        await f.answers(id, 20, { at: week2, score: 2, comment: 'Billing errors again!' })
        await f.answers(id, 10, { at: week2, score: 1, comment: 'Die Rechnung ist schon wieder falsch' })
        await f.answers(id, 10, { at: week2, score: 8 })
      })

      it('puts the dictionary theme first with its impact, its German spelling counted, and examples', async () => {
        const { body } = await f.get(`/surveys/${id}/themes?category=detractor`)
        const [billing] = body.terms
        // 140 answers: 80 promoters, 10 passives, 50 detractors; 30 of the detractors mention billing.
        const all = (100 * (80 - 50)) / 140
        const without = (100 * (80 - 20)) / 110
        expect(billing).toMatchObject({ term: 'billing', source: 'dictionary', count: 30, mentions: 30 })
        expect(billing.impact).toBeCloseTo(all - without, 9)
        expect(billing.impactCi95[0]).toBeLessThan(billing.impact)
        expect(billing.impactCi95[1]).toBeLessThan(0)
        expect(billing.npsMentioning).toBe(-100)
        expect(billing.absorbed).toEqual(expect.arrayContaining(['billing', 'rechnung']))
        // Distinct comments only, newest first: the German ones came last.
        expect(billing.examples).toEqual(['Die Rechnung ist schon wieder falsch', 'Billing errors again!'])
        // The English phrase stays, having absorbed "error" (all its mentions).
        const names = body.terms.map((t: { term: string }) => t.term)
        expect(body.terms.find((t: { term: string }) => t.term === 'billing error')).toMatchObject({
          absorbed: ['error'],
        })
        expect(names).not.toContain('error')
        expect(names).not.toContain('rechnung')
        expect(names.indexOf('slow')).toBeGreaterThan(0)
      })

      it('answers the theme per week: mentions, share of comments and impact', async () => {
        const { status, body } = await f.get(
          `/surveys/${id}/themes/trend?theme=billing&interval=week&from=2026-05-04&to=2026-05-18`,
        )
        expect(status).toBe(200)
        expect(body).toMatchObject({ theme: 'billing', interval: 'week', tz: 'UTC', complete: true })
        expect(body.points).toHaveLength(2)
        expect(body.points[0]).toMatchObject({ answers: 50, comments: 50, mentions: 0, impact: null })
        expect(body.points[1]).toMatchObject({ answers: 90, comments: 80, mentions: 30, share: 30 / 80 })
        // Week two: 40 promoters, 10 passives, 40 detractors (NPS 0); without billing NPS 50.
        expect(body.points[1].impact).toBeCloseTo(0 - 50, 9)
      })

      it('follows a discovered term too, and refuses a theme of stop words only', async () => {
        const slow = await f.get(
          `/surveys/${id}/themes/trend?theme=slow&interval=week&from=2026-05-04&to=2026-05-18`,
        )
        expect(slow.body.points.map((p: { mentions: number }) => p.mentions)).toEqual([10, 10])
        const bad = await f.get(`/surveys/${id}/themes/trend?theme=the&from=2026-05-04&to=2026-05-18`)
        expect(bad.status).toBe(400)
        expect(bad.body.error.field ?? bad.text).toContain('theme')
      })
    })

    describe('bad requests', () => {
      let id: string
      beforeAll(async () => {
        id = await f.survey()
      })

      it.each([
        ['nps/trend?interval=year', 'interval'],
        ['nps/trend?from=2026-03-01&to=2026-02-01', 'from'],
        ['nps?from=2026-03-01&to=2026-03-01', 'from'],
        ['nps/trend?window=0', 'window'],
        ['nps/trend?window=-3', 'window'],
        ['nps/trend?window=2.5', 'window'],
        ['nps/trend?tz=Mars/Olympus', 'tz'],
        ['nps/trend?interval=day&from=2000-01-01&to=2026-01-01', 'interval'],
        ['nps?from=2026-02-30', 'from'],
        ['nps?to=yesterday', 'to'],
        ['nps?from=2026-01-01T25:00:00Z', 'from'],
        ['nps?device=fridge', 'device'],
        ['nps?locale=not a locale', 'locale'],
        ['nps?latestPerRespondent=yes', 'latestPerRespondent'],
        ['nps?segment.=x', 'segment.'],
        ['nps?intervall=week', 'intervall'],
        ['nps/breakdown?by=country', 'by'],
        ['nps/breakdown?by=metadata.', 'by'],
        ['nps/breakdown', 'by'],
        ['nps/breakdown?by=locale&limit=0', 'limit'],
        ['nps/compare?aFrom=2026-01-01&aTo=2026-02-01&bFrom=2026-02-01', 'bTo'],
        ['nps/compare?aFrom=2026-02-01&aTo=2026-01-01&bFrom=2026-02-01&bTo=2026-03-01', 'aFrom'],
        [
          'nps/compare?from=2026-01-01&aFrom=2026-01-01&aTo=2026-02-01&bFrom=2026-02-01&bTo=2026-03-01',
          'from',
        ],
        ['themes', 'category'],
        ['themes?category=angry', 'category'],
        ['target?from=2026-01-01', 'from'],
        ['nps?segment.plan=a%00b', 'segment.plan'],
        ['nps?path=/a%00', 'path'],
      ])('answers 400 invalid_query naming the parameter for %s', async (path, parameter) => {
        const { status, body } = await f.get(`/surveys/${id}/${path}`)
        expect(status).toBe(400)
        expect(body.error.code).toBe('invalid_query')
        expect(body.error.message).toContain(parameter)
      })

      it('answers 404 not_found for a survey that does not exist, as every other route does', async () => {
        for (const path of [
          'nps',
          'nps/trend',
          'nps/breakdown?by=locale',
          'target',
          'themes?category=detractor',
        ]) {
          const { status, body } = await f.get(`/surveys/srv_nope/${path}`)
          expect(status).toBe(404)
          expect(body.error).toEqual({ code: 'not_found', message: 'survey srv_nope not found' })
        }
        expect((await f.get('/surveys/not-an-id/nps')).status).toBe(404)
      })
    })
  })
}

/**
 * The NPS of every group but one, from the groups' own counts (plus `extra` promoters, passives,
 * detractors not listed): the rest a group is compared with, computed apart from the API.
 */
function summarizeRest(
  groups: { value: string | null; [k: string]: unknown }[],
  except: string,
  extra: [number, number, number] = [0, 0, 0],
): number {
  let [p, a, d] = extra
  for (const g of groups) {
    if (g.value === except) continue
    p += g.promoters as number
    a += g.passives as number
    d += g.detractors as number
  }
  return (100 * (p - d)) / (p + a + d)
}
