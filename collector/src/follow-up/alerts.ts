/**
 * The metric alert (settings.notifications.alert): the NPS of the last `windowDays` against the
 * `windowDays` before them, by the two-period test of shared/src/nps.ts (the one the compare route
 * answers with). It fires on a significant drop only — p below `alpha` and the later period lower —
 * for the survey as a whole and for each listed segment on its own — and only when both periods have
 * at least MIN_MEANINGFUL_SAMPLE (30) answers: below that the figures say `lowSample`, too uncertain
 * to act on, and a handful of answers should not wake anybody.
 *
 * Not on every wobble, and not on every minute of one drop: once an alert fired for the survey (or a
 * segment), that one stays quiet until a whole window has passed, so the next alert compares answers
 * that were not part of the last one. The time it fired is the mark of the job `alert:<segment>`,
 * committed with the alert's email and webhook deliveries in one compare-and-set: two collectors
 * sharing a database send it once.
 *
 * @example
 * const fired = await runAlerts(backend, survey, Date.now(), { email: true, publicUrl })
 */
import { compare, type NotificationSettings, summarize } from '@npskit/shared'
import type { AnalyticsFilter, Awaitable, Backend, Survey } from '../backend/backend.ts'
import { DAY_MS } from '../backend/backend.ts'
import type { NewDelivery } from '../backend/follow-up.ts'
import { alertEmail } from './messages.ts'

type MetricAlert = NonNullable<NotificationSettings['alert']>

/** The figures of one period of an alert; times as ISO 8601, as the API and webhooks say them. */
export interface AlertPeriod {
  from: string
  /** Exclusive. */
  to: string
  nps: number
  ci95: [number, number]
  total: number
  promoters: number
  passives: number
  detractors: number
}

/** A significant drop, as the email says it and the `alert.nps_dropped` webhook carries it. */
export interface NpsAlert {
  surveyId: string
  /** [key, value] of the metadata segment; null: the survey as a whole. */
  segment: [key: string, value: string] | null
  windowDays: number
  alpha: number
  /** The last windowDays. */
  current: AlertPeriod
  /** The windowDays before them. */
  previous: AlertPeriod
  /** current.nps − previous.nps: negative. */
  delta: number
  z: number
  pValue: number
}

/** What a fired alert's mark keeps (the mark's `at` is when it fired). */
interface AlertMarkData {
  nps: number
  previousNps: number
  pValue: number
}

export interface AlertOptions {
  /** Queue the alert's email: only when a mailer exists (no SMTP, no email queued). */
  email: boolean
  /** config.publicUrl, for the link to the dashboard. */
  publicUrl: string | undefined
  /**
   * The webhook deliveries of an alert: the webhooks module builds them (its payloads, its endpoints'
   * filters), the lead wires it; absent: no webhook hears of alerts.
   */
  deliveriesFor?: ((alert: NpsAlert, survey: Survey, at: number) => Awaitable<NewDelivery[]>) | undefined
}

/**
 * The alert as the webhooks module's `alert.nps_dropped` event takes it (its NpsDropAlert): the NPS
 * before (`from`) and now (`to`), the p-value, the window and the segment. For the wiring:
 *
 * @example
 * deliveriesFor: async (alert, survey, at) =>
 *   buildDeliveries(await backend.listEndpoints(survey.id),
 *     { type: 'alert.nps_dropped', survey, alert: webhookAlert(alert) }, at, { publicUrl })
 */
export function webhookAlert(alert: NpsAlert) {
  return {
    from: alert.previous.nps,
    to: alert.current.nps,
    p: alert.pValue,
    windowDays: alert.windowDays,
    segment: alert.segment,
  }
}

type AlertBackend = Pick<Backend, 'distribution' | 'scheduleMark' | 'commitSchedule'>

/** `alert:all` for the survey, `alert:<key>=<value>` (each part URI-encoded) for a segment. */
export function alertJob(segment: readonly [string, string] | null): string {
  return segment ? `alert:${encodeURIComponent(segment[0])}=${encodeURIComponent(segment[1])}` : 'alert:all'
}

function period(counts: ReturnType<typeof summarize>, from: number, to: number): AlertPeriod | undefined {
  if (counts.nps === null || counts.ci95 === null) return undefined
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    nps: counts.nps,
    ci95: counts.ci95,
    total: counts.total,
    promoters: counts.promoters,
    passives: counts.passives,
    detractors: counts.detractors,
  }
}

/**
 * The drop of the rolling NPS at `now` for the survey or one segment, if it is a significant one;
 * undefined when NPS held, rose, or moved within what chance explains (or a period has no answers).
 */
export async function measureDrop(
  backend: Pick<Backend, 'distribution'>,
  surveyId: string,
  settings: MetricAlert,
  segment: readonly [string, string] | null,
  now: number,
): Promise<NpsAlert | undefined> {
  const span = settings.windowDays * DAY_MS
  const filter = (from: number, to: number): AnalyticsFilter => ({
    from,
    to,
    ...(segment ? { segments: [segment] } : {}),
  })
  const [after, before] = await Promise.all([
    backend.distribution(surveyId, filter(now - span, now)),
    backend.distribution(surveyId, filter(now - 2 * span, now - span)),
  ])
  const a = summarize(after)
  const b = summarize(before)
  const test = compare(a, b)
  const current = period(a, now - span, now)
  const previous = period(b, now - 2 * span, now - span)
  if (!current || !previous || test.delta === null || test.z === null || test.pValue === null)
    return undefined
  if (a.lowSample || b.lowSample) return undefined
  if (!(test.delta < 0 && test.pValue < settings.alpha)) return undefined
  return {
    surveyId,
    segment: segment ? [segment[0], segment[1]] : null,
    windowDays: settings.windowDays,
    alpha: settings.alpha,
    current,
    previous,
    delta: test.delta,
    z: test.z,
    pValue: test.pValue,
  }
}

/**
 * Checks the survey and each of its alert's segments at `now`; stores each alert that fires (its
 * mark, email and deliveries, in one commit) and answers them. Nothing without an alert setting.
 */
export async function runAlerts(
  backend: AlertBackend,
  survey: Survey,
  now: number,
  options: AlertOptions,
): Promise<NpsAlert[]> {
  const settings = survey.settings.notifications?.alert
  if (!settings) return []
  const fired: NpsAlert[] = []
  for (const segment of [null, ...settings.segments] as const) {
    const alert = await runAlert(backend, survey, settings, segment, now, options)
    if (alert) fired.push(alert)
  }
  return fired
}

async function runAlert(
  backend: AlertBackend,
  survey: Survey,
  settings: MetricAlert,
  segment: readonly [string, string] | null,
  now: number,
  options: AlertOptions,
): Promise<NpsAlert | undefined> {
  const job = alertJob(segment)
  const mark = await backend.scheduleMark(survey.id, job)
  // Quiet for a whole window after firing: the drop it reported is still in the figures until then.
  if (mark && now < mark.at + settings.windowDays * DAY_MS) return undefined
  const alert = await measureDrop(backend, survey.id, settings, segment, now)
  if (!alert) return undefined
  const email = options.email ? alertEmail(survey, alert, options.publicUrl) : undefined
  const deliveries = options.deliveriesFor ? await options.deliveriesFor(alert, survey, now) : []
  const data: AlertMarkData = {
    nps: alert.current.nps,
    previousNps: alert.previous.nps,
    pValue: alert.pValue,
  }
  const stored = await backend.commitSchedule(
    survey.id,
    job,
    mark?.at,
    { at: now, data },
    { emails: email ? [email] : [], deliveries },
  )
  // false: another collector fired this alert first, and sent it.
  return stored ? alert : undefined
}
