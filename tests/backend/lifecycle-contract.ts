/**
 * The data lifecycle on every engine (sqlite.test.ts, postgres.test.ts): a retention run over two years
 * of answers leaves nothing older than its period that holds a comment or a respondent (anonymise) or
 * exists at all (delete), and deletion by id or by filter removes exactly what it names — while the
 * hourly counts and the breakdown rollups stay equal to a recount from the answers that remain, and the
 * change feed tells integrations what changed. And expiry, through the HTTP API: with a 180-day lifetime,
 * every analytics read asked for `current=true` counts exactly the answers of the last 180 days (a
 * recount from the rows), before and after a 365-day retention run.
 */
import { randomUUID } from 'node:crypto'
import {
  type AnalyticsFilter,
  type Backend,
  createApp,
  defaultConfig,
  type StoredResponse,
  type Window,
} from '@npskit/collector'
import { defaultSurveySettings, type RetentionSettings, type SurveySettings, summarize } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deleteMatching, retentionDue, runRetention } from '../../collector/src/lifecycle/retention.ts'
import { stored } from './contract.ts'
import type { Engine } from './engines.ts'

const DAY = 86_400_000
const NOW = Date.parse('2026-12-01T12:30:00Z')
const LOCALES = ['en', 'de', 'fr'] as const
const PLANS = ['free', 'pro', 'team'] as const

/** Every answer of a survey, read page by page. */
async function everyAnswer(backend: Backend, surveyId: string, filter: AnalyticsFilter = {}) {
  const rows: StoredResponse[] = []
  let after: { createdAt: number; id: string } | undefined
  do {
    const page = await backend.listResponses(surveyId, filter, 1000, after)
    rows.push(...page.items)
    after = page.next ?? undefined
  } while (after)
  return rows
}

const distributionOf = (rows: readonly StoredResponse[]) => {
  const counts = Array.from({ length: 11 }, () => 0)
  for (const row of rows) counts[row.score]!++
  return counts
}

/** Months of the two years, on and off the hour, and the whole range. */
const windows = (): Window[] => {
  const list: Window[] = [{ start: NOW - 800 * DAY, end: NOW + DAY }]
  for (let start = NOW - 740 * DAY; start < NOW; start += 30 * DAY) {
    list.push({ start, end: start + 30 * DAY }, { start: start + 1_234_567, end: start + 17 * DAY + 99 })
  }
  return list
}

/** The backend's counts — rollups for whole hours, rows at the edges — against a recount of the rows. */
async function expectCountsOfRemainingRows(backend: Backend, surveyId: string): Promise<void> {
  const rows = await everyAnswer(backend, surveyId)
  const ws = windows()
  const counted = await backend.distributions(surveyId, {}, ws)
  ws.forEach((w, i) => {
    const recount = distributionOf(rows.filter((r) => r.createdAt >= w.start && r.createdAt < w.end))
    expect(counted[i], `window ${new Date(w.start).toISOString()}`).toEqual(recount)
  })
  for (const w of ws.slice(0, 6)) {
    const inWindow = rows.filter((r) => r.createdAt >= w.start && r.createdAt < w.end)
    for (const [by, groupOf] of [
      ['locale', (r: StoredResponse) => r.locale],
      ['plan', (r: StoredResponse) => (r.metadata?.plan as string | undefined) ?? null],
    ] as const) {
      const dimension =
        by === 'locale' ? ({ kind: 'locale' } as const) : ({ kind: 'metadata', key: 'plan' } as const)
      const groups = await backend.breakdown(surveyId, { from: w.start, to: w.end }, dimension)
      const expected = new Map<string | null, StoredResponse[]>()
      for (const r of inWindow) expected.set(groupOf(r), [...(expected.get(groupOf(r)) ?? []), r])
      const byValue = (g: { value: string | null }) => String(g.value)
      expect(
        groups
          .map((g) => ({ value: g.value, distribution: g.distribution }))
          .sort((a, b) => byValue(a).localeCompare(byValue(b))),
        `breakdown by ${by}`,
      ).toEqual(
        [...expected]
          .map(([value, list]) => ({ value, distribution: distributionOf(list) }))
          .sort((a, b) => byValue(a).localeCompare(byValue(b))),
      )
    }
  }
}

export function describeLifecycleContract(engine: Engine): void {
  describe(`the ${engine.name} backend (data lifecycle)`, () => {
    let backend: Backend
    beforeEach(async () => {
      backend = await engine.open()
    })
    afterEach(async () => {
      await backend.close()
    })
    afterAll(() => engine.cleanup())

    /** A survey with two years of answers (three a day, imported) and a few live ones of today. */
    async function twoYears(retention: RetentionSettings, settings: Partial<SurveySettings> = {}) {
      const survey = await backend.createSurvey(
        {
          ...defaultSurveySettings('Two years'),
          breakdowns: ['locale', 'metadata.plan'],
          retention,
          ...settings,
        },
        NOW - 800 * DAY,
      )
      await backend.admitMetadataKeys(survey.id, ['plan', 'email'])
      const rows: StoredResponse[] = []
      for (let day = 730; day >= 1; day--) {
        for (let k = 0; k < 3; k++) {
          const i = day * 3 + k
          rows.push(
            stored({
              createdAt: NOW - day * DAY + k * 3_700_000 + (i % 7) * 61_000,
              score: (i * 7) % 11,
              comment: `comment ${i} from ${day} days ago`,
              respondentId: `person-${i % 97}`,
              locale: LOCALES[i % 3]!,
              url: `https://shop.example/order/${i}`,
              path: `/order/${i}`,
              device: i % 2 ? 'mobile' : 'desktop',
              metadata: { plan: PLANS[i % 3]!, email: `p${i}@example.com` },
              contact: i % 5 === 0 ? { email: `p${i}@example.com` } : null,
            }),
          )
        }
      }
      for (let i = 0; i < rows.length; i += 500)
        await backend.importResponses(survey.id, rows.slice(i, i + 500), NOW - DAY)
      for (let i = 0; i < 5; i++) {
        await backend.writeResponse(survey.id, {
          id: randomUUID(),
          score: i,
          comment: 'today',
          respondentId: `live-${i}`,
          locale: 'de',
          metadata: { plan: 'pro' },
          receivedAt: NOW - i * 60_000,
          source: 'widget',
        })
      }
      return { survey, rows }
    }

    it('anonymises every answer older than 365 days: no comment, respondent, URL or other metadata; counts stay exact', async () => {
      const policy: RetentionSettings = { days: 365, action: 'anonymise', keepMetadata: ['plan'] }
      const { survey, rows } = await twoYears(policy)
      const cutoff = NOW - 365 * DAY
      const old = rows.filter((r) => r.createdAt < cutoff)
      const before = await backend.changes(survey.id, 0, 1)
      const since = (await backend.changes(survey.id, 0, 100_000)).next
      expect(before.items.length).toBe(1)
      expect((await retentionDue(backend, survey, NOW)).answers).toBe(old.length)

      const run = await runRetention(backend, survey, NOW, { batch: 200, pauseMs: 0 })
      expect(run).toMatchObject({ kind: 'retention', policy, cutoff, anonymised: old.length, deleted: 0 })

      const remaining = await everyAnswer(backend, survey.id)
      expect(remaining.length).toBe(rows.length + 5)
      const past = remaining.filter((r) => r.createdAt < cutoff)
      expect(past.length).toBe(old.length)
      for (const r of past) {
        expect(r).toMatchObject({ comment: null, respondentId: null, url: null, path: null, contact: null })
        expect(Object.keys(r.metadata ?? {})).toEqual(['plan'])
      }
      // What stays is what trends need: score, time, locale, device, source.
      const original = new Map(rows.map((r) => [r.id, r]))
      for (const r of past) {
        const was = original.get(r.id)!
        expect([r.score, r.createdAt, r.locale, r.device, r.source]).toEqual([
          was.score,
          was.createdAt,
          was.locale,
          was.device,
          was.source,
        ])
      }
      for (const r of remaining.filter((r) => r.createdAt >= cutoff)) expect(r.comment).not.toBeNull()
      await expectCountsOfRemainingRows(backend, survey.id)

      // The feed tells integrations each answer changed, as it is now.
      const feed = await backend.changes(survey.id, since, 100_000)
      expect(feed.items.length).toBe(old.length)
      expect(feed.items.every((c) => c.type === 'response.upserted' && c.response.comment === null)).toBe(
        true,
      )
      // Nothing is left to do; the run is recorded.
      expect((await retentionDue(backend, survey, NOW)).answers).toBe(0)
      expect((await backend.listLifecycleRuns(survey.id, 10)).items).toEqual([run])
    })

    it('deletes every answer older than 365 days under delete; counts, breakdowns and the feed follow', async () => {
      const policy: RetentionSettings = { days: 365, action: 'delete' }
      const { survey, rows } = await twoYears(policy)
      const cutoff = NOW - 365 * DAY
      const old = rows.filter((r) => r.createdAt < cutoff)
      const since = (await backend.changes(survey.id, 0, 100_000)).next
      expect((await retentionDue(backend, survey, NOW)).answers).toBe(old.length)

      const run = await runRetention(backend, survey, NOW, { batch: 300, pauseMs: 0 })
      expect(run).toMatchObject({ deleted: old.length, anonymised: 0 })
      expect((await everyAnswer(backend, survey.id, { to: cutoff })).length).toBe(0)
      expect((await everyAnswer(backend, survey.id)).length).toBe(rows.length - old.length + 5)
      expect(await backend.distribution(survey.id, { to: cutoff })).toEqual(Array(11).fill(0))
      await expectCountsOfRemainingRows(backend, survey.id)
      const feed = await backend.changes(survey.id, since, 100_000)
      expect(
        feed.items
          .filter((c) => c.type === 'response.erased')
          .map((c) => (c as { id: string }).id)
          .sort(),
      ).toEqual(old.map((r) => r.id).sort())
    })

    it('runs once per period, and not while another run holds the survey', async () => {
      const { survey } = await twoYears({ days: 365, action: 'delete' })
      const first = await runRetention(backend, survey, NOW, { everyMs: 3_600_000, pauseMs: 0 })
      expect(first?.deleted).toBeGreaterThan(0)
      expect(await runRetention(backend, survey, NOW + 60_000, { everyMs: 3_600_000 })).toBeUndefined()
      // An hour on, the answers that crossed the cutoff meanwhile go.
      const crossed = (await retentionDue(backend, survey, NOW + 3_600_000)).answers
      const later = await runRetention(backend, survey, NOW + 3_600_000, { everyMs: 3_600_000 })
      expect(later).toMatchObject({ kind: 'retention', deleted: crossed })
      // A claim another collector holds (a run under way) is respected.
      const mark = await backend.scheduleMark(survey.id, 'retention')
      await backend.commitSchedule(
        survey.id,
        'retention',
        mark?.at,
        { at: NOW + 7_200_000, data: { runningUntil: NOW + 9_000_000 } },
        { deliveries: [], emails: [] },
      )
      expect(await runRetention(backend, survey, NOW + 8_000_000, {})).toBeUndefined()
      await expect(runRetention(backend, survey, NOW + 8_000_000, { force: true })).rejects.toThrow(
        /under way/,
      )
      expect((await backend.listLifecycleRuns(survey.id, 10)).items.length).toBe(2)
    })

    it('deletes one answer by id and every answer a filter selects, and nothing else, counts exact', async () => {
      const { survey, rows } = await twoYears({ days: 3650, action: 'delete' })
      const one = rows[100]!
      const since = (await backend.changes(survey.id, 0, 100_000)).next
      expect(await backend.deleteResponses(survey.id, [one.id, 'no-such-id'], NOW)).toMatchObject({
        responses: 1,
      })
      expect(await backend.deleteResponses(survey.id, [one.id], NOW)).toMatchObject({ responses: 0 })
      const feed = await backend.changes(survey.id, since, 10)
      expect(feed.items).toEqual([
        { type: 'response.erased', seq: expect.any(Number), id: one.id, erasedAt: NOW },
      ])

      const from = NOW - 400 * DAY
      const to = NOW - 200 * DAY
      const filter = { from, to, segments: [['plan', 'pro']] as [string, string][] }
      const selected = rows.filter(
        (r) => r.id !== one.id && r.createdAt >= from && r.createdAt < to && r.metadata?.plan === 'pro',
      )
      const run = await deleteMatching(backend, survey.id, filter, { from: 'x' }, NOW, {
        batch: 50,
        pauseMs: 0,
      })
      expect(run).toMatchObject({ kind: 'deletion', deleted: selected.length, filter: { from: 'x' } })
      const remaining = await everyAnswer(backend, survey.id)
      expect(remaining.length).toBe(rows.length + 5 - 1 - selected.length)
      const gone = new Set(selected.map((r) => r.id))
      expect(remaining.some((r) => gone.has(r.id))).toBe(false)
      await expectCountsOfRemainingRows(backend, survey.id)
    })

    it('takes a deleted answer’s case with it; an anonymised answer keeps its case', async () => {
      const settings = {
        ...defaultSurveySettings('Cases'),
        retention: { days: 30, action: 'anonymise' as const },
      }
      const survey = await backend.createSurvey(settings, NOW - 100 * DAY)
      const a = stored({ createdAt: NOW - 60 * DAY, score: 2, comment: 'bad' })
      const b = stored({ createdAt: NOW - 60 * DAY + 1, score: 3, comment: 'worse' })
      await backend.importResponses(survey.id, [a, b], NOW)
      for (const r of [a, b]) {
        await backend.openCase(
          { surveyId: survey.id, responseId: r.id, dueAt: null, openedBy: 'ana', tags: [], assignee: null },
          NOW,
        )
      }
      expect((await backend.deleteResponses(survey.id, [a.id], NOW)).cases).toBe(1)
      await runRetention(backend, survey, NOW, { pauseMs: 0 })
      const cases = await backend.listCases({ surveyId: survey.id }, 10)
      expect(cases.items.map((c) => c.responseId)).toEqual([b.id])
    })
    describe('expiry: current figures over a 180-day lifetime', () => {
      const LIFETIME = 180
      const from = NOW - LIFETIME * DAY

      /** The app over this backend, its clock at NOW, and a GET that answers JSON (200 expected). */
      async function api() {
        const key = `npk_${randomUUID().replaceAll('-', '')}`
        await backend.addApiKey({ name: 'expiry', secret: key }, NOW - 800 * DAY)
        const app = createApp({ backend, config: defaultConfig({ rateLimit: 0 }), clock: { now: () => NOW } })
        // biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read field by field in the assertions
        return async (path: string): Promise<any> => {
          const res = await app.request(`/v1/surveys/${path}`, {
            headers: { authorization: `Bearer ${key}` },
          })
          expect(res.status, path).toBe(200)
          return res.json()
        }
      }

      const isCurrent = (r: StoredResponse) => r.createdAt >= from && r.createdAt < NOW

      /** Two years of answers with a 180-day lifetime, and one answer on each side of its start. */
      async function expiring(retention: RetentionSettings) {
        const { survey } = await twoYears(retention, {
          responseLifetimeDays: LIFETIME,
          accounts: { key: 'plan' },
        })
        await backend.importResponses(
          survey.id,
          [
            stored({ createdAt: from, score: 10, comment: 'just current', metadata: { plan: 'pro' } }),
            stored({ createdAt: from - 1, score: 0, comment: 'just expired', metadata: { plan: 'pro' } }),
          ],
          NOW,
        )
        return survey
      }
      const counted = { from: new Date(from).toISOString(), to: new Date(NOW).toISOString(), current: true }

      /** Every figure asked with current=true against a recount of the rows of the last 180 days. */
      async function expectCurrentFigures(get: Awaited<ReturnType<typeof api>>, surveyId: string) {
        const rows = await everyAnswer(backend, surveyId)
        const current = rows.filter(isCurrent)
        // The dataset has answers on both sides of the cut, one exactly on it (from is inclusive).
        expect(current.length).toBeGreaterThan(500)
        expect(rows.length).toBeGreaterThan(current.length)
        expect(current.some((r) => r.createdAt === from)).toBe(true)
        expect(rows.some((r) => r.createdAt === from - 1)).toBe(true)
        const window = { ...counted, lifetimeDays: LIFETIME }

        const nps = await get(`${surveyId}/nps?current=true`)
        expect(nps).toMatchObject({ ...summarize(distributionOf(current)), counted: window })
        expect(nps.from).toBe(counted.from)
        // The same without current: every answer, and a window that says so.
        const all = await get(`${surveyId}/nps`)
        expect(all.total).toBe(rows.length)
        expect(all.counted).toEqual({ from: null, to: null, current: false })

        // A from/to intersects the lifetime; one before it counts nothing.
        const half = NOW - 90 * DAY
        const cut = await get(
          `${surveyId}/nps?current=true&from=${new Date(NOW - 400 * DAY).toISOString()}&to=${new Date(half).toISOString()}`,
        )
        expect(cut.distribution).toEqual(distributionOf(current.filter((r) => r.createdAt < half)))
        expect(cut.counted).toEqual({ ...window, to: new Date(half).toISOString() })
        const before = await get(`${surveyId}/nps?current=true&to=${new Date(NOW - 200 * DAY).toISOString()}`)
        expect(before.total).toBe(0)
        expect(before.counted.from).toBe(before.counted.to)

        // The monthly trend over the two years: each point counts only its overlap with the lifetime.
        const trend = await get(
          `${surveyId}/nps/trend?interval=month&current=true&from=${new Date(NOW - 740 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`,
        )
        expect(trend.counted).toEqual(window)
        expect(trend.points.length).toBeGreaterThan(20)
        for (const point of trend.points) {
          const start = Date.parse(point.start)
          const end = Date.parse(point.end)
          expect(point.distribution, point.start).toEqual(
            distributionOf(current.filter((r) => r.createdAt >= start && r.createdAt < end)),
          )
        }
        expect(trend.points.reduce((n: number, p: { total: number }) => n + p.total, 0)).toBe(current.length)

        const byLocale = await get(`${surveyId}/nps/breakdown?by=locale&current=true`)
        expect(byLocale.total).toBe(current.length)
        expect(byLocale.counted).toEqual(window)
        for (const group of byLocale.groups) {
          expect(group.distribution, String(group.value)).toEqual(
            distributionOf(current.filter((r) => r.locale === group.value)),
          )
        }

        const compare = await get(
          `${surveyId}/nps/compare?current=true&aFrom=${new Date(NOW - 90 * DAY).toISOString()}&aTo=${new Date(NOW).toISOString()}&bFrom=${new Date(NOW - 270 * DAY).toISOString()}&bTo=${new Date(NOW - 90 * DAY).toISOString()}`,
        )
        expect(compare.a.distribution).toEqual(distributionOf(current.filter((r) => r.createdAt >= half)))
        expect(compare.b.distribution).toEqual(distributionOf(current.filter((r) => r.createdAt < half)))
        expect(compare.b.from).toBe(counted.from)
        expect(compare.counted).toEqual(window)

        const themes = await get(`${surveyId}/themes?category=detractor&current=true`)
        expect(themes.answers).toBe(current.length)
        expect(themes.comments).toBe(current.filter((r) => r.score <= 6 && r.comment).length)

        const accounts = await get(`${surveyId}/accounts?current=true`)
        expect(accounts.counted).toEqual(window)
        for (const item of accounts.items) {
          expect(item.n, item.account).toBe(current.filter((r) => r.metadata?.plan === item.account).length)
        }
        expect(accounts.items.length).toBe(3)

        const movers = await get(`${surveyId}/movers?current=true&limit=1000`)
        expect(movers.items.length).toBeGreaterThan(0)
        for (const m of movers.items) expect(Date.parse(m.before.createdAt)).toBeGreaterThanOrEqual(from)

        const benchmark = await get(`${surveyId}/benchmark?current=true`)
        expect(benchmark.current.total).toBe(current.length)
        const target = await get(`${surveyId}/target`)
        expect(target.current.total).toBe(current.length)
        expect(target.counted).toEqual(window)

        const listed = await get(`${surveyId}/responses?current=true&limit=1000`)
        expect(listed.items.map((r: { id: string }) => r.id).sort()).toEqual(current.map((r) => r.id).sort())
        expect(listed.counted).toEqual(window)
      }

      it('counts exactly the answers of the last 180 days on every read, before and after a 365-day retention run', async () => {
        const survey = await expiring({ days: 365, action: 'anonymise', keepMetadata: ['plan'] })
        const get = await api()
        await expectCurrentFigures(get, survey.id)
        const anonymised = await runRetention(backend, survey, NOW, { pauseMs: 0 })
        expect(anonymised?.anonymised).toBeGreaterThan(0)
        // Retention keeps longer than the lifetime: nothing current changes.
        await expectCurrentFigures(get, survey.id)
        for (const r of await everyAnswer(backend, survey.id, { to: NOW - 365 * DAY })) {
          expect([r.comment, r.respondentId]).toEqual([null, null])
        }
        await expectCountsOfRemainingRows(backend, survey.id)
      })

      it('counts current figures alike after a deleting retention run, which leaves nothing older than 365 days', async () => {
        const survey = await expiring({ days: 365, action: 'delete' })
        const get = await api()
        const run = await runRetention(backend, survey, NOW, { pauseMs: 0 })
        expect(run?.deleted).toBeGreaterThan(0)
        expect((await everyAnswer(backend, survey.id, { to: NOW - 365 * DAY })).length).toBe(0)
        await expectCurrentFigures(get, survey.id)
        await expectCountsOfRemainingRows(backend, survey.id)
      })

      it('counts a respondent’s latest answer only while it has not expired', async () => {
        const survey = await backend.createSurvey(
          { ...defaultSurveySettings('Latest'), responseLifetimeDays: LIFETIME },
          NOW - 800 * DAY,
        )
        await backend.importResponses(
          survey.id,
          [
            // Ana's latest answer is 200 days old, her earlier one 400: neither is current.
            stored({ respondentId: 'ana', score: 10, createdAt: NOW - 400 * DAY }),
            stored({ respondentId: 'ana', score: 0, createdAt: NOW - 200 * DAY }),
            // Ben's latest (100 days) counts, his earlier one (400 days) does not.
            stored({ respondentId: 'ben', score: 3, createdAt: NOW - 400 * DAY }),
            stored({ respondentId: 'ben', score: 9, createdAt: NOW - 100 * DAY }),
          ],
          NOW,
        )
        const get = await api()
        const latest = await get(`${survey.id}/nps?current=true&latestPerRespondent=true`)
        expect(latest.distribution).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        // Without current, every respondent's latest counts: Ana's 0 and Ben's 9.
        const ever = await get(`${survey.id}/nps?latestPerRespondent=true`)
        expect(ever.distribution).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
        const trend = await get(
          `${survey.id}/nps/trend?interval=month&window=365&current=true&latestPerRespondent=true&from=${new Date(NOW - 60 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`,
        )
        for (const point of trend.points) expect(point.total).toBeLessThanOrEqual(1)
        expect(trend.points.at(-1).distribution).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
      })
    })
  })
}
