/**
 * The data lifecycle on every engine (sqlite.test.ts, postgres.test.ts): a retention run over two years
 * of answers leaves nothing older than its period that holds a comment or a respondent (anonymise) or
 * exists at all (delete), and deletion by id or by filter removes exactly what it names — while the
 * hourly counts and the breakdown rollups stay equal to a recount from the answers that remain, and the
 * change feed tells integrations what changed.
 */
import { randomUUID } from 'node:crypto'
import type { AnalyticsFilter, Backend, StoredResponse, Window } from '@npskit/collector'
import { defaultSurveySettings, type RetentionSettings } from '@npskit/shared'
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
    async function twoYears(retention: RetentionSettings) {
      const survey = await backend.createSurvey(
        { ...defaultSurveySettings('Two years'), breakdowns: ['locale', 'metadata.plan'], retention },
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
  })
}
