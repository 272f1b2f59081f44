/**
 * The follow-up tables as both engines name their columns (snake_case, ms since the epoch, text ids),
 * and the one mapping from each row to the contract's types (follow-up.ts). As in rows.ts, `J` is how
 * a JSON column arrives: text from SQLite, parsed from PostgreSQL's jsonb.
 *
 * Columns whose JSON may be a bare string or null (a log entry's `from`/`to`, a schedule mark's `data`)
 * are text holding JSON in both engines: a jsonb string would arrive as a JS string, which could not be
 * told apart from JSON text.
 *
 * Tables (both engines):
 * - `cases` (unique survey_id + response_id), `case_log` (seq from the change counter),
 * - `webhook_endpoints`, `webhook_deliveries` (+ a creation number `n`, the order within an order key),
 *   `delivery_attempts` (delivery_id, n, …),
 * - `emails` (+ `n`), `follow_up_cursors` (survey_id, seq), `schedule_marks` (survey_id, job, at, data),
 * - `responses.first_seq` (the seq of the live insert; NULL for imported or copied rows) and
 *   `responses.contact` (ContactRequest as JSON, or NULL).
 */
import { classify } from '@npskit/shared'
import type { MetadataValue } from './backend.ts'
import type {
  Case,
  CaseLogEntry,
  CaseLogKind,
  CaseStatus,
  CaseWithLog,
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  Email,
  EmailKind,
  FollowUpChange,
  FollowUpPage,
  WebhookEndpoint,
  WebhookEventType,
  WebhookFilter,
  WebhookFormat,
} from './follow-up.ts'
import { type ResponseRow, toResponse } from './rows.ts'

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T
/** A column that holds JSON as text in both engines; SQL NULL reads as null. */
const fromText = (value: string | null): unknown => (value === null ? null : JSON.parse(value))

export interface CaseRow<J> {
  id: string
  survey_id: string
  response_id: string
  status: CaseStatus
  assignee: string | null
  due_at: number | null
  /** string[] */
  tags: J
  score: number
  answered_at: number
  opened_at: number
  opened_by: string
  updated_at: number
  first_contact_at: number | null
  closed_at: number | null
}

export interface CaseLogRow {
  seq: number
  case_id: string
  survey_id: string
  at: number
  actor: string
  kind: CaseLogKind
  note: string | null
  /** JSON text (both engines), or NULL. */
  from_value: string | null
  to_value: string | null
}

export interface EndpointRow<J> {
  id: string
  survey_id: string | null
  url: string
  format: WebhookFormat
  /** WebhookEventType[] */
  events: J
  /** WebhookFilter */
  filter: J
  description: string | null
  secret: string
  /** SQLite: 0/1; PostgreSQL: boolean. */
  enabled: boolean | number
  disabled_reason: string | null
  failing_since: number | null
  created_at: number
  updated_at: number
}

export interface DeliveryRow {
  id: string
  endpoint_id: string
  survey_id: string | null
  order_key: string
  response_id: string | null
  event_type: WebhookEventType
  payload: string
  created_at: number
  status: DeliveryStatus
  attempts: number
  next_attempt_at: number | null
  last_attempt_at: number | null
  last_status_code: number | null
  last_error: string | null
  last_latency_ms: number | null
  delivered_at: number | null
}

export interface DeliveryAttemptRow {
  delivery_id: string
  at: number
  status_code: number | null
  error: string | null
  latency_ms: number
}

export interface EmailRow<J> {
  id: string
  kind: EmailKind
  survey_id: string | null
  response_id: string | null
  /** string[] */
  recipients: J
  subject: string
  body_text: string
  body_html: string | null
  created_at: number
  status: DeliveryStatus
  attempts: number
  next_attempt_at: number | null
  last_error: string | null
  sent_at: number | null
}

export interface ScheduleMarkRow {
  survey_id: string
  job: string
  at: number
  /** JSON text (both engines). */
  data: string
}

/** An answer as the follow-up feed reads it: the response columns, its survey and both numbers. */
export type FollowUpResponseRow<J> = ResponseRow<J> & { survey_id: string; seq: number; first_seq: number }

type AnyJson = string | Record<string, MetadataValue>

export function toCase(row: CaseRow<unknown>): Case {
  return {
    id: row.id,
    surveyId: row.survey_id,
    responseId: row.response_id,
    status: row.status,
    assignee: row.assignee,
    dueAt: row.due_at,
    tags: parsed<string[]>(row.tags),
    score: row.score,
    category: classify(row.score),
    answeredAt: row.answered_at,
    openedAt: row.opened_at,
    openedBy: row.opened_by,
    updatedAt: row.updated_at,
    firstContactAt: row.first_contact_at,
    closedAt: row.closed_at,
  }
}

export function toCaseLogEntry(row: CaseLogRow): CaseLogEntry {
  return {
    seq: row.seq,
    caseId: row.case_id,
    at: row.at,
    actor: row.actor,
    kind: row.kind,
    note: row.note,
    from: fromText(row.from_value),
    to: fromText(row.to_value),
  }
}

/** A case with its log (oldest first) and its answer, the row of which the engine read (or none). */
export function toCaseWithLog(
  row: CaseRow<unknown>,
  log: readonly CaseLogRow[],
  response: ResponseRow<AnyJson> | undefined,
): CaseWithLog {
  return { ...toCase(row), response: response ? toResponse(response) : null, log: log.map(toCaseLogEntry) }
}

export function toEndpoint(row: EndpointRow<unknown>): WebhookEndpoint {
  return {
    id: row.id,
    surveyId: row.survey_id,
    url: row.url,
    format: row.format,
    events: parsed<WebhookEventType[]>(row.events),
    filter: parsed<WebhookFilter>(row.filter),
    description: row.description,
    secret: row.secret,
    enabled: Boolean(row.enabled),
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    surveyId: row.survey_id,
    orderKey: row.order_key,
    responseId: row.response_id,
    eventType: row.event_type,
    payload: row.payload,
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    lastLatencyMs: row.last_latency_ms,
    deliveredAt: row.delivered_at,
  }
}

export function toDeliveryAttempt(row: DeliveryAttemptRow): DeliveryAttempt {
  return { at: row.at, statusCode: row.status_code, error: row.error, latencyMs: row.latency_ms }
}

export function toEmail(row: EmailRow<unknown>): Email {
  return {
    id: row.id,
    kind: row.kind,
    surveyId: row.survey_id,
    responseId: row.response_id,
    to: parsed<string[]>(row.recipients),
    subject: row.subject,
    text: row.body_text,
    html: row.body_html,
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
  }
}

/**
 * One page of the follow-up feed from the two kinds of change, each read in number order (at most
 * `limit` of each, after `after`): merged by number, cut at `limit`. `next` stays at `after` when empty.
 */
export function followUpPage(
  responses: readonly FollowUpResponseRow<AnyJson>[],
  entries: readonly { entry: CaseLogRow; case: CaseRow<unknown> }[],
  after: number,
  limit: number,
): FollowUpPage {
  const items: FollowUpChange[] = []
  let r = 0
  let e = 0
  while (items.length < limit && (r < responses.length || e < entries.length)) {
    const response = responses[r]
    const entry = entries[e]
    if (response && (!entry || response.seq < entry.entry.seq)) {
      items.push({
        type: 'response',
        seq: response.seq,
        created: response.first_seq > after,
        surveyId: response.survey_id,
        response: toResponse(response),
      })
      r++
    } else if (entry) {
      items.push({
        type: 'case',
        seq: entry.entry.seq,
        surveyId: entry.entry.survey_id,
        case: toCase(entry.case),
        entry: toCaseLogEntry(entry.entry),
      })
      e++
    }
  }
  return { items, next: items.at(-1)?.seq ?? after }
}
