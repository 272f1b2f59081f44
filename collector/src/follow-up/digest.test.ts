import { join } from 'node:path'
import { defaultSurveySettings, type NotificationSettings, summarizeScores } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import type { Case } from '../backend/follow-up.ts'
import { SqliteBackend } from '../backend/sqlite/sqlite-backend.ts'
import { tempDir } from '../testing.ts'
import { DIGEST_JOB, digestPeriod, runDigest } from './digest.ts'
import { answersBetween, DAY, PUBLIC_URL } from './testing.ts'

const HOUR = 3_600_000
/** Monday 2 March 2026, 09:00 UTC: the weekly digest of 23 Feb 08:00 – 2 Mar 08:00 is due. */
const MONDAY = Date.UTC(2026, 2, 2, 9)
const PERIOD = { from: Date.UTC(2026, 1, 23, 8), to: Date.UTC(2026, 2, 2, 8) }

describe('digestPeriod', () => {
  it('ends a daily digest at the last 08:00 UTC and covers the day before it', () => {
    expect(digestPeriod('daily', Date.UTC(2026, 2, 4, 8))).toEqual({
      from: Date.UTC(2026, 2, 3, 8),
      to: Date.UTC(2026, 2, 4, 8),
    })
    expect(digestPeriod('daily', Date.UTC(2026, 2, 4, 7, 59))).toEqual({
      from: Date.UTC(2026, 2, 2, 8),
      to: Date.UTC(2026, 2, 3, 8),
    })
  })

  it('ends a weekly digest at the last Monday 08:00 UTC and covers the week before it', () => {
    expect(digestPeriod('weekly', MONDAY)).toEqual(PERIOD)
    expect(digestPeriod('weekly', Date.UTC(2026, 2, 8, 23))).toEqual(PERIOD)
    // Monday before 08:00: still last week's.
    expect(digestPeriod('weekly', Date.UTC(2026, 2, 2, 7))).toEqual({
      from: Date.UTC(2026, 1, 16, 8),
      to: Date.UTC(2026, 1, 23, 8),
    })
  })
})

describe('runDigest, over a real SQLite backend', () => {
  let dir: ReturnType<typeof tempDir>
  let backend: SqliteBackend

  beforeEach(() => {
    dir = tempDir()
    backend = new SqliteBackend(join(dir.dir, 'npskit.db'))
  })

  afterEach(async () => {
    await backend.close()
    dir.remove()
  })

  async function digestSurvey(
    notifications: Partial<NotificationSettings> = {},
    createdAt = MONDAY - 30 * DAY,
  ) {
    const settings = defaultSurveySettings('Checkout')
    settings.notifications = {
      emails: ['team@shop.example'],
      caseEmails: false,
      digest: 'weekly',
      alert: null,
      ...notifications,
    }
    return backend.createSurvey(settings, createdAt)
  }

  const detractor = (hoursBeforeEnd: number, comment: string | null): StoredResponse => ({
    ...answersBetween(0, 1, { promoters: 0, passives: 0, detractors: 1 })[0]!,
    createdAt: PERIOD.to - hoursBeforeEnd * HOUR,
    score: 2,
    comment,
  })

  async function openCase(survey: Survey, responseId: string, dueAt: number | null): Promise<Case> {
    const opened = await backend.openCase(
      {
        surveyId: survey.id,
        responseId,
        assignee: 'Ana',
        dueAt,
        tags: [],
        openedBy: 'rule: Every detractor',
      },
      PERIOD.from,
    )
    if ('missing' in opened) throw new Error('no such answer')
    return opened.case
  }

  async function outbox() {
    return backend.claimEmails(MONDAY + 400 * DAY, 100, 60_000)
  }

  it('reports the week’s NPS with its interval, the new detractors, their latest comments and the overdue cases', async () => {
    const survey = await digestSurvey()
    const detractors = [
      detractor(1, 'checkout froze'),
      detractor(2, null),
      detractor(3, 'no <b>PayPal</b>'),
      detractor(4, 'slow'),
      detractor(5, 'too old to quote'),
      ...answersBetween(PERIOD.from, PERIOD.to - 6 * HOUR, { promoters: 0, passives: 0, detractors: 5 }),
    ]
    const week = [
      ...answersBetween(PERIOD.from, PERIOD.to, { promoters: 15, passives: 5, detractors: 0 }),
      ...detractors,
    ]
    // The week before and the hours since the period ended are not in it.
    const outside = [
      ...answersBetween(PERIOD.from - 7 * DAY, PERIOD.from, { promoters: 0, passives: 0, detractors: 20 }),
      ...answersBetween(PERIOD.to, MONDAY, { promoters: 0, passives: 0, detractors: 3 }),
    ]
    await backend.importResponses(survey.id, [...week, ...outside], MONDAY)
    const overdue = await openCase(survey, detractors[0]!.id, MONDAY - HOUR)
    await openCase(survey, detractors[1]!.id, MONDAY + DAY)
    const resolved = await openCase(survey, detractors[2]!.id, MONDAY - DAY)
    await backend.changeCase(resolved.id, { status: 'resolved' }, 'test', MONDAY - 2 * HOUR)

    const digest = await runDigest(backend, survey, MONDAY, { publicUrl: PUBLIC_URL })
    const expected = summarizeScores(week.map((r) => r.score))
    expect(digest).toMatchObject({
      cadence: 'weekly',
      ...PERIOD,
      summary: { total: 30, promoters: 15, detractors: 10, nps: expected.nps, ci95: expected.ci95 },
      previousNps: null,
      change: null,
      detractors: {
        count: 10,
        latest: [
          { score: 2, comment: 'checkout froze' },
          { score: 2, comment: 'no <b>PayPal</b>' },
          { score: 2, comment: 'slow' },
        ],
      },
      overdue: { count: 1, more: false, cases: [{ id: overdue.id, assignee: 'Ana', dueAt: MONDAY - HOUR }] },
    })
    expect(expected.nps).toBeCloseTo(16.67, 2)

    const [email] = await outbox()
    expect(email).toMatchObject({
      kind: 'digest',
      surveyId: survey.id,
      to: ['team@shop.example'],
      subject: 'Weekly NPS for Checkout: NPS 17',
    })
    const [low, high] = expected.ci95 as [number, number]
    expect(email?.text).toContain(`NPS: 17 (95% interval ${Math.round(low)} to ${Math.round(high)})`)
    expect(email?.text).toContain('New detractors: 10. The latest comments:')
    expect(email?.text).toContain(
      `Overdue cases: 1\n- 2/10, due ${new Date(MONDAY - HOUR).toISOString().slice(0, 16).replace('T', ' ')} UTC, assigned to Ana`,
    )
    expect(email?.html).toContain('no &lt;b&gt;PayPal&lt;/b&gt;')
  })

  it('is sent once per period, also by two collectors at once, and says the change since the last one', async () => {
    const survey = await digestSurvey()
    await backend.importResponses(
      survey.id,
      answersBetween(PERIOD.from, PERIOD.to, { promoters: 10, passives: 5, detractors: 5 }),
      MONDAY,
    )
    const [a, b] = await Promise.all([
      runDigest(backend, survey, MONDAY, { publicUrl: PUBLIC_URL }),
      runDigest(backend, survey, MONDAY, { publicUrl: PUBLIC_URL }),
    ])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    expect(await runDigest(backend, survey, MONDAY + HOUR, { publicUrl: PUBLIC_URL })).toBeUndefined()
    expect(await runDigest(backend, survey, MONDAY + 6 * DAY, { publicUrl: PUBLIC_URL })).toBeUndefined()
    expect(await backend.scheduleMark(survey.id, DIGEST_JOB)).toMatchObject({ at: MONDAY })

    // The next week NPS is 50: 25 points up on the 25 the last digest said.
    await backend.importResponses(
      survey.id,
      answersBetween(PERIOD.to, PERIOD.to + 7 * DAY, { promoters: 12, passives: 6, detractors: 2 }),
      MONDAY + 7 * DAY,
    )
    const next = await runDigest(backend, survey, MONDAY + 7 * DAY, { publicUrl: PUBLIC_URL })
    expect(next).toMatchObject({ from: PERIOD.to, previousNps: 25, change: 25, summary: { nps: 50 } })
    const emails = await outbox()
    expect(emails.map((e) => e.subject)).toEqual([
      'Weekly NPS for Checkout: NPS 25',
      'Weekly NPS for Checkout: NPS 50',
    ])
    expect(emails[1]?.text).toContain('Change: +25.0 points since the last digest (25)')
  })

  it('sends nothing when the digest is off, there is nobody to send it to, or the survey is newer than the period', async () => {
    const off = await digestSurvey({ digest: 'off' })
    const nobody = await digestSurvey({ emails: [] })
    const newer = await digestSurvey({}, PERIOD.to + HOUR)
    for (const survey of [off, nobody, newer]) {
      expect(await runDigest(backend, survey, MONDAY, { publicUrl: PUBLIC_URL })).toBeUndefined()
    }
    expect(await outbox()).toEqual([])
  })

  it('sends a daily digest every day after 08:00 UTC', async () => {
    const survey = await digestSurvey({ digest: 'daily' })
    const sent: number[] = []
    for (let hour = 0; hour < 72; hour++) {
      const digest = await runDigest(backend, survey, Date.UTC(2026, 2, 2) + hour * HOUR, {
        publicUrl: undefined,
      })
      if (digest) sent.push(digest.to)
    }
    // Midnight Monday: Sunday's 08:00 digest was not sent yet, so it goes first.
    expect(sent.map((t) => new Date(t).toISOString())).toEqual([
      '2026-03-01T08:00:00.000Z',
      '2026-03-02T08:00:00.000Z',
      '2026-03-03T08:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
    ])
  })
})
