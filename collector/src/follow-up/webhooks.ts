/**
 * What webhooks decide, once for every engine: which endpoint hears of which event (`buildDeliveries`,
 * with each endpoint's survey, events and answer filter), the exact body it is sent (Standard Webhooks
 * JSON, or a Slack message from slack.ts), how it is signed, when a failed attempt is tried again, and
 * when an endpoint that keeps failing is switched off. The storage only keeps what this answers; the
 * sender (webhook-sender.ts) only carries it out.
 *
 * Retries: after the first failed attempt, 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, then every
 * 8 h (each ±20 %, so receivers that went down together are not hit together when they come back),
 * until an attempt fails more than 24 hours after the delivery was made: then it is `failed`. A 410
 * Gone fails the delivery and disables the endpoint at once (the receiver says it is gone for good).
 * An endpoint whose attempts have all failed for 24 hours is disabled; PATCH enabled:true re-enables it.
 *
 * @example
 * work.deliveries.push(...buildDeliveries(endpoints, { type: 'response.created', survey, response }, now))
 * const headers = signatureHeaders(endpoint.secret, delivery.id, delivery.payload, now)
 */
import { randomBytes } from 'node:crypto'
import { type Category, classify } from '@npskit/shared'
import { Webhook } from 'standardwebhooks'
import type { MetadataValue, StoredResponse, Survey } from '../backend/backend.ts'
import { HOUR_MS } from '../backend/backend.ts'
import type {
  AttemptOutcome,
  Case,
  CaseLogEntry,
  Delivery,
  EndpointHealth,
  NewDelivery,
  WebhookEndpoint,
  WebhookFilter,
} from '../backend/follow-up.ts'
import { randomId } from '../backend/secrets.ts'
import { responseJson } from '../transfer/format.ts'
import { caseJson, caseLogEntryJson } from './json.ts'
import { hasSegments } from './rules.ts'
import { slackMessage } from './slack.ts'

/** The figures of a metric alert: the rolling NPS fell from `from` to `to`, a drop with p-value `p`. */
export interface NpsDropAlert {
  /** The NPS of the window before. */
  from: number
  /** The NPS of the latest window. */
  to: number
  /** The two-sided p-value of the two-period test. */
  p: number
  windowDays: number
  /** The segment that dropped; null: the survey as a whole. */
  segment: [key: string, value: string] | null
}

/** Something that happened, which endpoints may hear of. */
export type WebhookEvent =
  | { type: 'response.created' | 'response.updated'; survey: Survey; response: StoredResponse }
  | {
      type: 'case.opened' | 'case.updated'
      survey: Survey
      case: Case
      /** The case's answer; null once it is gone. */
      response: StoredResponse | null
      /** The log entry this event is about (`opened` for case.opened). */
      entry: CaseLogEntry
    }
  | { type: 'alert.nps_dropped'; survey: Survey; alert: NpsDropAlert }
  | { type: 'webhook.test' }

export interface DeliveryOptions {
  /** config.publicUrl: where links in messages point (`${publicUrl}/dashboard/…`); unset: no links. */
  publicUrl?: string | undefined
}

// ── filters ────────────────────────────────────────────────────────────────────────────────────────

/** What a filter is tried on: the answer, or for a case whose answer is gone, the case's own score. */
interface Answered {
  score: number
  category: Category
  metadata: Record<string, MetadataValue> | null
}

/** Whether an answer passes an endpoint's filter: every condition given must hold. */
export function filterMatches(filter: WebhookFilter, answer: Answered): boolean {
  if (filter.categories && !filter.categories.includes(answer.category)) return false
  if (filter.minScore !== undefined && answer.score < filter.minScore) return false
  if (filter.maxScore !== undefined && answer.score > filter.maxScore) return false
  return hasSegments(answer.metadata, filter.segments)
}

function answeredOf(event: WebhookEvent): Answered | undefined {
  if (event.type === 'response.created' || event.type === 'response.updated') {
    const { score, metadata } = event.response
    return { score, category: classify(score), metadata }
  }
  if (event.type === 'case.opened' || event.type === 'case.updated') {
    const { score, category } = event.case
    return { score, category, metadata: event.response?.metadata ?? null }
  }
  return undefined
}

/** Whether `endpoint` hears of `event`: enabled, subscribed, of its survey, and passing its filter. */
export function endpointHears(endpoint: WebhookEndpoint, event: WebhookEvent): boolean {
  if (!endpoint.enabled) return false
  // A test ping is sent to the endpoint it was asked for, whatever it subscribes to.
  if (event.type === 'webhook.test') return true
  if (!endpoint.events.includes(event.type)) return false
  if (endpoint.surveyId !== null && endpoint.surveyId !== event.survey.id) return false
  const answered = answeredOf(event)
  return answered === undefined || filterMatches(endpoint.filter, answered)
}

// ── payloads ───────────────────────────────────────────────────────────────────────────────────────

/** The `data` of a Standard Webhooks body: the event's objects in the API's own JSON. */
function standardData(event: WebhookEvent, endpoint: WebhookEndpoint) {
  if (event.type === 'webhook.test') {
    return { endpointId: endpoint.id, message: 'a test message from npskit' }
  }
  const survey = { id: event.survey.id, name: event.survey.settings.name }
  switch (event.type) {
    case 'response.created':
    case 'response.updated':
      return { survey, response: responseJson(event.response) }
    case 'case.opened':
    case 'case.updated':
      return {
        survey,
        case: caseJson(event.case),
        response: event.response && responseJson(event.response),
        change: caseLogEntryJson(event.entry),
      }
    case 'alert.nps_dropped': {
      const { from, to, p, windowDays, segment } = event.alert
      return {
        survey,
        alert: {
          from,
          to,
          p,
          windowDays,
          segment: segment && { key: segment[0], value: segment[1] },
        },
      }
    }
  }
}

/**
 * The body sent to `endpoint` for `event`, exactly as it is signed: Standard Webhooks JSON
 * `{ type, timestamp, data }`, or a Slack incoming-webhook message.
 */
export function webhookPayload(
  endpoint: WebhookEndpoint,
  event: WebhookEvent,
  at: number,
  options: DeliveryOptions = {},
): string {
  if (endpoint.format === 'slack') return JSON.stringify(slackMessage(event, options.publicUrl))
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(at).toISOString(),
    data: standardData(event, endpoint),
  })
}

function responseIdOf(event: WebhookEvent): string | null {
  if (event.type === 'response.created' || event.type === 'response.updated') return event.response.id
  if (event.type === 'case.opened' || event.type === 'case.updated') return event.case.responseId
  return null
}

/**
 * One delivery per endpoint that hears of `event` (see endpointHears), with its body. Deliveries about
 * one answer (its response and case events) share an order key, so an endpoint gets them one at a
 * time, in order; pings and alerts have none to wait for.
 */
export function buildDeliveries(
  endpoints: readonly WebhookEndpoint[],
  event: WebhookEvent,
  at: number,
  options: DeliveryOptions = {},
): NewDelivery[] {
  const responseId = responseIdOf(event)
  return endpoints
    .filter((endpoint) => endpointHears(endpoint, event))
    .map((endpoint) => {
      const id = randomId('msg')
      return {
        id,
        endpointId: endpoint.id,
        surveyId: event.type === 'webhook.test' ? endpoint.surveyId : event.survey.id,
        orderKey: responseId ?? id,
        responseId,
        eventType: event.type,
        payload: webhookPayload(endpoint, event, at, options),
      }
    })
}

// ── secrets and signatures ─────────────────────────────────────────────────────────────────────────

/** A new signing secret: `whsec_` and 32 random bytes in base64, the form Standard Webhooks libraries read. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the delivery's id, the same on every
 * attempt, for the receiver to drop repeats), `webhook-timestamp` (seconds) and `webhook-signature`
 * (`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`).
 */
export function signatureHeaders(secret: string, id: string, payload: string, at: number) {
  const timestamp = new Date(at)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, payload),
  }
}

// ── retries and endpoint health ────────────────────────────────────────────────────────────────────

/** The pause after the n-th failed attempt (the last one repeats), before jitter. */
export const RETRY_DELAYS_MS = [
  5_000,
  30_000,
  2 * 60_000,
  10 * 60_000,
  30 * 60_000,
  HOUR_MS,
  2 * HOUR_MS,
  4 * HOUR_MS,
  8 * HOUR_MS,
] as const

/** A delivery is tried until an attempt fails this long after it was made. */
export const RETRY_FOR_MS = 24 * HOUR_MS

/** An endpoint whose attempts have all failed for this long is disabled. */
export const DISABLE_AFTER_MS = 24 * HOUR_MS

export const FAILING_REASON = 'failing for 24 hours'
export const GONE_REASON = 'the receiver answered 410 Gone'

/** The pause after the `failures`-th failed attempt (1 for the first), with ±20 % jitter. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(failures, 1), RETRY_DELAYS_MS.length) - 1]!
  return Math.round(base * (0.8 + 0.4 * random()))
}

export const isSuccess = (statusCode: number | null) =>
  statusCode !== null && statusCode >= 200 && statusCode < 300

/**
 * What an attempt at `at` that got `statusCode` (null: no answer) leads to. `delivery.attempts` is the
 * number of attempts before this one.
 */
export function attemptOutcome(
  delivery: Pick<Delivery, 'attempts' | 'createdAt'>,
  statusCode: number | null,
  at: number,
  random: () => number = Math.random,
): AttemptOutcome {
  if (isSuccess(statusCode)) return { status: 'delivered' }
  if (statusCode === 410 || at - delivery.createdAt >= RETRY_FOR_MS) return { status: 'failed' }
  return { status: 'pending', nextAttemptAt: at + retryDelay(delivery.attempts + 1, random) }
}

/** How an endpoint stands after an attempt at `at` that got `statusCode` (null: no answer). */
export function endpointHealth(
  endpoint: Pick<WebhookEndpoint, 'failingSince'>,
  statusCode: number | null,
  at: number,
): EndpointHealth {
  if (isSuccess(statusCode)) return { failingSince: null }
  const failingSince = endpoint.failingSince ?? at
  if (statusCode === 410) return { failingSince, disable: GONE_REASON }
  if (at - failingSince >= DISABLE_AFTER_MS) return { failingSince, disable: FAILING_REASON }
  return { failingSince }
}
