import { join } from 'node:path'
import { compare, defaultSurveySettings, type NotificationSettings } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import type { NewDelivery } from '../backend/follow-up.ts'
import { randomId } from '../backend/secrets.ts'
import { SqliteBackend } from '../backend/sqlite/sqlite-backend.ts'
import { tempDir } from '../testing.ts'
import { type AlertOptions, alertJob, type NpsAlert, runAlerts } from './alerts.ts'
import { answersBetween, DAY, PUBLIC_URL } from './testing.ts'

const NOW = Date.UTC(2026, 2, 2, 9)
const WINDOW = 14 * DAY
/** NPS 41 in 200 answers, and NPS 20. */
const NPS_41 = { promoters: 100, passives: 82, detractors: 18 }
const NPS_20 = { promoters: 80, passives: 80, detractors: 40 }

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

async function alertingSurvey(notifications: Partial<NotificationSettings> = {}): Promise<Survey> {
  const settings = defaultSurveySettings('Checkout')
  settings.notifications = {
    emails: ['team@shop.example'],
    caseEmails: false,
    digest: 'off',
    alert: { windowDays: 14, alpha: 0.05, segments: [] },
    ...notifications,
  }
  return backend.createSurvey(settings, NOW - 60 * DAY)
}

/** The window before the last one at `before`, the last one at `after`. */
async function seed(survey: Survey, before: StoredResponse[], after: StoredResponse[]) {
  await backend.importResponses(survey.id, [...before, ...after], NOW)
}

const previousWindow = (counts: typeof NPS_41, fields?: Partial<StoredResponse>, end = NOW) =>
  answersBetween(end - 2 * WINDOW, end - WINDOW, counts, fields)
const lastWindow = (counts: typeof NPS_41, fields?: Partial<StoredResponse>, end = NOW) =>
  answersBetween(end - WINDOW, end, counts, fields)

const options: AlertOptions = { email: true, publicUrl: PUBLIC_URL }

async function outbox() {
  return backend.claimEmails(NOW + 400 * DAY, 100, 60_000)
}

describe('runAlerts', () => {
  it('fires on a significant drop of the last 14 days against the 14 before, with an email', async () => {
    const survey = await alertingSurvey()
    await seed(survey, previousWindow(NPS_41), lastWindow(NPS_20))
    // The test the compare route answers with says this is a real drop.
    const expected = compare(
      { promoters: 80, passives: 80, detractors: 40 },
      { promoters: 100, passives: 82, detractors: 18 },
    )
    expect(expected.pValue).toBeLessThan(0.05)

    const fired = await runAlerts(backend, survey, NOW, options)
    expect(fired).toEqual([
      expect.objectContaining({
        surveyId: survey.id,
        segment: null,
        windowDays: 14,
        current: expect.objectContaining({ nps: 20, total: 200, from: new Date(NOW - WINDOW).toISOString() }),
        previous: expect.objectContaining({ nps: 41, total: 200, to: new Date(NOW - WINDOW).toISOString() }),
        delta: -21,
        pValue: expected.pValue,
      }),
    ])
    const emails = await outbox()
    expect(emails).toHaveLength(1)
    expect(emails[0]).toMatchObject({
      kind: 'alert',
      surveyId: survey.id,
      to: ['team@shop.example'],
      subject: 'NPS fell from 41 to 20 on Checkout',
    })
    expect(emails[0]?.text).toContain(
      `NPS fell from 41 to 20 (p = ${(expected.pValue as number).toFixed(3)}) over the last 14 days.`,
    )
  })

  it('does not fire on a wobble, nor on a rise', async () => {
    const survey = await alertingSurvey()
    const NPS_37 = { promoters: 96, passives: 82, detractors: 22 }
    expect(compare(NPS_37, NPS_41).pValue).toBeGreaterThan(0.05)
    await seed(survey, previousWindow(NPS_41), lastWindow(NPS_37))
    expect(await runAlerts(backend, survey, NOW, options)).toEqual([])

    const rising = await alertingSurvey()
    await seed(rising, previousWindow(NPS_20), lastWindow(NPS_41))
    expect(await runAlerts(backend, rising, NOW, options)).toEqual([])
    expect(await outbox()).toEqual([])
  })

  it('fires once, then stays quiet for a whole window, then fires on the next drop', async () => {
    const survey = await alertingSurvey()
    await seed(survey, previousWindow(NPS_41), lastWindow(NPS_20))
    expect(await runAlerts(backend, survey, NOW, options)).toHaveLength(1)
    expect(await backend.scheduleMark(survey.id, 'alert:all')).toMatchObject({ at: NOW })
    // A minute, a day, almost a window later: the same drop is still in the figures, and not sent again.
    for (const later of [60_000, DAY, WINDOW - 1]) {
      expect(await runAlerts(backend, survey, NOW + later, options)).toEqual([])
    }
    // A window later, NPS fell again, from 20 to 0.
    await backend.importResponses(
      survey.id,
      lastWindow({ promoters: 50, passives: 100, detractors: 50 }, {}, NOW + WINDOW),
      NOW + WINDOW,
    )
    const again = await runAlerts(backend, survey, NOW + WINDOW, options)
    expect(again.map((a) => [a.previous.nps, a.current.nps])).toEqual([[20, 0]])
    expect((await outbox()).map((e) => e.subject)).toEqual([
      'NPS fell from 41 to 20 on Checkout',
      'NPS fell from 20 to 0 on Checkout',
    ])
  })

  it('is sent once when two collectors check at the same moment', async () => {
    const survey = await alertingSurvey()
    await seed(survey, previousWindow(NPS_41), lastWindow(NPS_20))
    const [a, b] = await Promise.all([
      runAlerts(backend, survey, NOW, options),
      runAlerts(backend, survey, NOW, options),
    ])
    expect(a.length + b.length).toBe(1)
    expect(await outbox()).toHaveLength(1)
  })

  it('tests each listed segment on its own: a drop in one segment fires for it alone', async () => {
    const survey = await alertingSurvey({
      alert: {
        windowDays: 14,
        alpha: 0.05,
        segments: [
          ['plan', 'pro'],
          ['plan', 'free'],
        ],
      },
    })
    // pro falls from 60 to 0 while free rises from 0 to 60: the survey as a whole stays at 30.
    await seed(
      survey,
      [
        ...previousWindow({ promoters: 70, passives: 20, detractors: 10 }, { metadata: { plan: 'pro' } }),
        ...previousWindow({ promoters: 30, passives: 40, detractors: 30 }, { metadata: { plan: 'free' } }),
      ],
      [
        ...lastWindow({ promoters: 30, passives: 40, detractors: 30 }, { metadata: { plan: 'pro' } }),
        ...lastWindow({ promoters: 70, passives: 20, detractors: 10 }, { metadata: { plan: 'free' } }),
      ],
    )
    const fired = await runAlerts(backend, survey, NOW, options)
    expect(fired.map((a) => [a.segment, a.previous.nps, a.current.nps])).toEqual([[['plan', 'pro'], 60, 0]])
    expect(await backend.scheduleMark(survey.id, alertJob(['plan', 'pro']))).toMatchObject({ at: NOW })
    expect(await backend.scheduleMark(survey.id, 'alert:all')).toBeUndefined()
    const [email] = await outbox()
    expect(email?.subject).toBe('NPS fell from 60 to 0 on Checkout (plan = pro)')
    expect(email?.text).toContain('over the last 14 days for plan = pro.')
  })

  it('stores the webhook deliveries built for the alert with it, and without a mailer only those', async () => {
    const survey = await alertingSurvey()
    await seed(survey, previousWindow(NPS_41), lastWindow(NPS_20))
    const endpoint = await backend.createEndpoint(
      {
        surveyId: survey.id,
        url: 'https://hooks.shop.example/nps',
        format: 'standard',
        events: ['alert.nps_dropped'],
        filter: {},
        description: null,
        secret: 'whsec_test',
      },
      NOW,
    )
    const seen: NpsAlert[] = []
    const deliveriesFor = (alert: NpsAlert): NewDelivery[] => {
      seen.push(alert)
      return [
        {
          id: randomId('msg'),
          endpointId: endpoint.id,
          surveyId: survey.id,
          orderKey: 'alert',
          responseId: null,
          eventType: 'alert.nps_dropped',
          payload: JSON.stringify({ type: 'alert.nps_dropped', data: alert }),
        },
      ]
    }
    const fired = await runAlerts(backend, survey, NOW, {
      email: false,
      publicUrl: PUBLIC_URL,
      deliveriesFor,
    })
    expect(seen).toEqual(fired)
    const deliveries = await backend.claimDeliveries(NOW, 10, 60_000)
    expect(deliveries.map((d) => [d.endpointId, d.eventType])).toEqual([[endpoint.id, 'alert.nps_dropped']])
    expect(JSON.parse(deliveries[0]?.payload ?? '{}').data.current.nps).toBe(20)
    expect(await outbox()).toEqual([])
  })

  it('does nothing for a survey without an alert, with no answers before, or with under 30 answers', async () => {
    const none = await alertingSurvey({ alert: null })
    await seed(none, previousWindow(NPS_41), lastWindow(NPS_20))
    expect(await runAlerts(backend, none, NOW, options)).toEqual([])

    const fresh = await alertingSurvey()
    await seed(fresh, [], lastWindow(NPS_20))
    // 29 promoters, then 29 detractors: the test would call it real, but so few answers wake nobody.
    const small = await alertingSurvey()
    const few = { promoters: 29, passives: 0, detractors: 0 }
    const fewer = { promoters: 0, passives: 0, detractors: 29 }
    expect(compare(fewer, few).pValue).toBeLessThan(0.001)
    await seed(small, previousWindow(few), lastWindow(fewer))
    expect(await runAlerts(backend, small, NOW, options)).toEqual([])
    expect(await runAlerts(backend, fresh, NOW, options)).toEqual([])
    expect(await outbox()).toEqual([])
  })
})
