import { join } from 'node:path'
import { defaultSurveySettings } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NewDelivery } from '../backend/follow-up.ts'
import { SqliteBackend } from '../backend/sqlite/sqlite-backend.ts'
import { manualClock, tempDir } from '../testing.ts'
import { Scheduler } from './scheduler.ts'
import { answersBetween, DAY } from './testing.ts'

const MONDAY = Date.UTC(2026, 2, 2, 9)

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

/** A survey with a weekly digest and the metric alert, whose NPS fell from 41 to 20; and one without either. */
async function surveys() {
  const settings = defaultSurveySettings('Checkout')
  settings.notifications = {
    emails: ['team@shop.example'],
    caseEmails: true,
    digest: 'weekly',
    alert: { windowDays: 14, alpha: 0.05, segments: [] },
  }
  const notifying = await backend.createSurvey(settings, MONDAY - 60 * DAY)
  await backend.importResponses(
    notifying.id,
    [
      ...answersBetween(MONDAY - 28 * DAY, MONDAY - 14 * DAY, {
        promoters: 100,
        passives: 82,
        detractors: 18,
      }),
      ...answersBetween(MONDAY - 14 * DAY, MONDAY, { promoters: 80, passives: 80, detractors: 40 }),
    ],
    MONDAY,
  )
  const quiet = defaultSurveySettings('Quiet')
  delete quiet.notifications
  await backend.createSurvey(quiet, MONDAY - 60 * DAY)
  return notifying
}

const outbox = () => backend.claimEmails(MONDAY + 400 * DAY, 100, 60_000)

describe('Scheduler', () => {
  it('runs every survey’s digest and alert once, and tells when it queued something', async () => {
    const notifying = await surveys()
    const onQueued = vi.fn()
    const scheduler = new Scheduler({
      backend,
      clock: manualClock(MONDAY),
      email: true,
      publicUrl: undefined,
      onQueued,
    })
    const run = await scheduler.runOnce(MONDAY)
    expect(run.digests.map((d) => d.surveyId)).toEqual([notifying.id])
    expect(run.alerts.map((a) => [a.surveyId, a.current.nps])).toEqual([[notifying.id, 20]])
    expect(onQueued).toHaveBeenCalledTimes(1)
    expect(await scheduler.runOnce(MONDAY + 60_000)).toEqual({ digests: [], alerts: [], retention: [] })
    expect(onQueued).toHaveBeenCalledTimes(1)
    expect((await outbox()).map((e) => e.kind).sort()).toEqual(['alert', 'digest'])
  })

  it('without a mailer queues no email, and still hands the alert to the webhooks', async () => {
    const notifying = await surveys()
    const endpoint = await backend.createEndpoint(
      {
        surveyId: null,
        url: 'https://hooks.shop.example/nps',
        format: 'slack',
        events: ['alert.nps_dropped'],
        filter: {},
        description: null,
        secret: 'whsec_test',
      },
      MONDAY,
    )
    const deliveriesFor = (): NewDelivery[] => [
      {
        id: 'msg_alert',
        endpointId: endpoint.id,
        surveyId: notifying.id,
        orderKey: 'alert',
        responseId: null,
        eventType: 'alert.nps_dropped',
        payload: '{}',
      },
    ]
    const scheduler = new Scheduler({
      backend,
      clock: manualClock(MONDAY),
      email: false,
      publicUrl: undefined,
      deliveriesFor,
    })
    const run = await scheduler.runOnce(MONDAY)
    expect(run.digests).toEqual([])
    expect(run.alerts).toHaveLength(1)
    expect(await outbox()).toEqual([])
    expect((await backend.claimDeliveries(MONDAY, 10, 60_000)).map((d) => d.id)).toEqual(['msg_alert'])
  })

  it('runs at start and stops', async () => {
    await surveys()
    const onQueued = vi.fn()
    const scheduler = new Scheduler({
      backend,
      clock: manualClock(MONDAY),
      email: true,
      publicUrl: undefined,
      onQueued,
    })
    scheduler.start()
    await vi.waitFor(() => expect(onQueued).toHaveBeenCalled(), { timeout: 10_000 })
    await scheduler.stop()
    expect((await outbox()).map((e) => e.kind).sort()).toEqual(['alert', 'digest'])
  })

  it('applies a retention policy at start-up, then at most every retentionEveryMs', async () => {
    const settings = {
      ...defaultSurveySettings('Kept a year'),
      retention: { days: 365, action: 'delete' as const },
    }
    const survey = await backend.createSurvey(settings, MONDAY - 800 * DAY)
    await backend.importResponses(
      survey.id,
      answersBetween(MONDAY - 500 * DAY, MONDAY - 100 * DAY, { promoters: 40, passives: 0, detractors: 0 }),
      MONDAY,
    )
    const old = (await backend.distribution(survey.id, { to: MONDAY - 365 * DAY })).reduce((a, b) => a + b)
    expect(old).toBeGreaterThan(0)
    const clock = manualClock(MONDAY)
    const scheduler = new Scheduler({
      backend,
      clock,
      email: false,
      publicUrl: undefined,
      retentionEveryMs: DAY,
    })
    scheduler.start()
    await vi.waitFor(
      async () => expect((await backend.listLifecycleRuns(survey.id, 10)).items).toHaveLength(1),
      {
        timeout: 10_000,
      },
    )
    await scheduler.stop()
    const [run] = (await backend.listLifecycleRuns(survey.id, 10)).items
    expect(run).toMatchObject({ kind: 'retention', deleted: old, cutoff: MONDAY - 365 * DAY })
    expect((await scheduler.runOnce(MONDAY + 60_000)).retention).toEqual([])
    expect((await scheduler.runOnce(MONDAY + DAY)).retention).toHaveLength(1)
  })
})
