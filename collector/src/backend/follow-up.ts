/**
 * The follow-up part of the storage contract: cases, webhook endpoints and their deliveries, the email
 * outbox, and the cursors and schedule marks of the dispatcher (follow-up/dispatcher.ts).
 *
 * Nothing here decides anything: which answer opens a case, which endpoint gets which event, what an
 * email says and when a retry is due are computed once, in `follow-up/`, for every engine. The engines
 * store and hand back, each write in one transaction.
 *
 * The outbox is the change log. Every answer written (responses.seq) and every entry of a case's log
 * (case_log.seq) takes a number from the database's one change counter in the transaction that writes
 * it, so a committed change can never be missed. The dispatcher reads a survey's changes after its
 * cursor ({@link FollowUpStore.followUpChanges}) and stores what they cause — cases, deliveries, emails —
 * in the same transaction that moves the cursor past them ({@link FollowUpStore.commitFollowUp}): a crash
 * before that commit leaves the changes to be read again, one after it leaves the deliveries stored.
 */
import type { Category } from '@npskit/shared'
import type { Awaitable, Page, StoredResponse } from './backend.ts'

// ── cases ──────────────────────────────────────────────────────────────────────────────────────────

export type CaseStatus = 'open' | 'contacted' | 'resolved' | 'dismissed'

export interface Case {
  id: string
  surveyId: string
  responseId: string
  status: CaseStatus
  /** A free string: a name or an email address; null: nobody yet. */
  assignee: string | null
  /** ms since the epoch; null: no due time. */
  dueAt: number | null
  /** Distinct, in the order given. */
  tags: string[]
  /** The answer's score and category, kept with the case so lists and figures need no join. */
  score: number
  category: Category
  /** When the answer was first received (its createdAt): the period filter of lists and figures. */
  answeredAt: number
  openedAt: number
  /** The name of the key that opened it, or `rule: <name>` for a survey's rule. */
  openedBy: string
  updatedAt: number
  /** The first time the status became `contacted` (or `resolved` without `contacted` first); null: not yet. */
  firstContactAt: number | null
  /** When the status became `resolved` or `dismissed`, the last time; null while open or contacted. */
  closedAt: number | null
}

export type CaseLogKind = 'opened' | 'note' | 'status' | 'assignee' | 'due' | 'tags'

/** One entry of a case's append-only log. `from`/`to` are the field's old and new values (JSON). */
export interface CaseLogEntry {
  seq: number
  caseId: string
  at: number
  /** The name of the key that made the change, or `rule: <name>`. */
  actor: string
  kind: CaseLogKind
  /** The note's text (kind `note`), else null. */
  note: string | null
  from: unknown
  to: unknown
}

export interface CaseWithLog extends Case {
  /** The case's answer; null once it is gone (a case whose answer is erased goes with it). */
  response: StoredResponse | null
  /** Oldest first. */
  log: CaseLogEntry[]
}

export interface CaseFilter {
  /** Undefined: every survey. */
  surveyId?: string | undefined
  status?: readonly CaseStatus[] | undefined
  /** An exact assignee; null: cases nobody is assigned to. */
  assignee?: string | null | undefined
  /** Only cases still `open` or `contacted` whose due time is before this instant. */
  overdueAt?: number | undefined
  category?: Category | undefined
  /** answeredAt from (inclusive) … to (exclusive). */
  from?: number | undefined
  to?: number | undefined
}

/** Keyset position in the inbox, which lists the most recently opened first (then by id, descending). */
export interface CaseCursor {
  openedAt: number
  id: string
}

export interface NewCase {
  surveyId: string
  responseId: string
  assignee: string | null
  dueAt: number | null
  tags: string[]
  openedBy: string
  /** A first note (kind `note`), logged after `opened`. */
  note?: string | undefined
}

/** What a change to a case sets; absent fields stay. Each field that really changes is one log entry. */
export interface CaseChange {
  status?: CaseStatus | undefined
  assignee?: string | null | undefined
  dueAt?: number | null | undefined
  tags?: string[] | undefined
  note?: string | undefined
}

/** What figures are computed from (follow-up/figures.ts): one row per case, no answer text. */
export interface CaseTiming {
  assignee: string | null
  category: Category
  status: CaseStatus
  openedAt: number
  dueAt: number | null
  firstContactAt: number | null
  closedAt: number | null
}

// ── webhooks ───────────────────────────────────────────────────────────────────────────────────────

export const WEBHOOK_EVENTS = [
  'response.created',
  'response.updated',
  'case.opened',
  'case.updated',
  'alert.nps_dropped',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number] | 'webhook.test'

/** `standard`: Standard Webhooks JSON; `slack`: a Slack incoming-webhook message (`text`, `blocks`). */
export type WebhookFormat = 'standard' | 'slack'

/** Which answers an endpoint hears about (response and case events); every given condition must hold. */
export interface WebhookFilter {
  categories?: Category[] | undefined
  minScore?: number | undefined
  maxScore?: number | undefined
  /** metadata[key] equals value, compared as text (as analytics segments are). */
  segments?: [key: string, value: string][] | undefined
}

export interface WebhookEndpoint {
  id: string
  /** null: every survey of the collector. */
  surveyId: string | null
  url: string
  format: WebhookFormat
  events: WebhookEventType[]
  filter: WebhookFilter
  description: string | null
  /** `whsec_…`: the API shows it once, when the endpoint is made. */
  secret: string
  enabled: boolean
  /** Why it was disabled (`failing for 24 hours`, `disabled by <key>`); null while enabled. */
  disabledReason: string | null
  /** The first failed attempt since the last success; null while deliveries succeed. */
  failingSince: number | null
  createdAt: number
  updatedAt: number
}

export interface NewEndpoint {
  surveyId: string | null
  url: string
  format: WebhookFormat
  events: WebhookEventType[]
  filter: WebhookFilter
  description: string | null
  secret: string
}

export interface EndpointChange {
  url?: string | undefined
  format?: WebhookFormat | undefined
  events?: WebhookEventType[] | undefined
  filter?: WebhookFilter | undefined
  description?: string | null | undefined
  /** true re-enables (and clears failingSince and the reason); false disables with `disabledReason`. */
  enabled?: boolean | undefined
  disabledReason?: string | null | undefined
}

export interface NewDelivery {
  /** `msg_…`: the webhook-id header, the same on every attempt. */
  id: string
  endpointId: string
  surveyId: string | null
  /** Deliveries of one endpoint with the same key are sent one at a time, in id order of creation. */
  orderKey: string
  /** The answer the payload carries (erasure removes its deliveries); null for pings and alerts. */
  responseId: string | null
  eventType: WebhookEventType
  /** The body exactly as it is signed and sent. */
  payload: string
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed'

export interface Delivery extends NewDelivery {
  createdAt: number
  status: DeliveryStatus
  attempts: number
  /** When it may be tried next; null once delivered or given up. */
  nextAttemptAt: number | null
  lastAttemptAt: number | null
  lastStatusCode: number | null
  lastError: string | null
  lastLatencyMs: number | null
  deliveredAt: number | null
}

export interface DeliveryAttempt {
  at: number
  /** The receiver's HTTP status; null when no answer came (refused, timed out, a blocked address). */
  statusCode: number | null
  error: string | null
  latencyMs: number
}

export interface DeliveryWithAttempts extends Delivery {
  /** Every attempt, oldest first. */
  history: DeliveryAttempt[]
}

/** What an attempt led to, decided by follow-up/webhooks.ts. */
export type AttemptOutcome =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'failed' }

/** How the endpoint stands after the attempt, decided by follow-up/webhooks.ts. */
export interface EndpointHealth {
  failingSince: number | null
  /** Set: disable the endpoint with this reason. */
  disable?: string | undefined
}

/** Keyset position in a delivery log, newest first. */
export interface DeliveryCursor {
  createdAt: number
  id: string
}

// ── email ──────────────────────────────────────────────────────────────────────────────────────────

export type EmailKind = 'case' | 'alert' | 'digest'

export interface NewEmail {
  id: string
  kind: EmailKind
  surveyId: string | null
  /** The answer it quotes (erasure removes unsent ones); null for alerts and digests. */
  responseId: string | null
  to: string[]
  subject: string
  text: string
  html: string | null
}

export interface Email extends NewEmail {
  createdAt: number
  status: DeliveryStatus
  attempts: number
  nextAttemptAt: number | null
  lastError: string | null
  sentAt: number | null
}

// ── the dispatcher ─────────────────────────────────────────────────────────────────────────────────

/**
 * A change the dispatcher acts on, in number order: an answer received live (never an imported or
 * copied one: those are history and open nothing), or an entry of a case's log.
 */
export type FollowUpChange =
  | {
      type: 'response'
      seq: number
      /** true: the answer was first received after the cursor; false: a live answer changed again. */
      created: boolean
      surveyId: string
      response: StoredResponse
    }
  | { type: 'case'; seq: number; surveyId: string; case: Case; entry: CaseLogEntry }

export interface FollowUpPage {
  items: FollowUpChange[]
  /** The number to resume after: the last change's, or the one asked after. */
  next: number
}

/** What a step of the dispatcher stores, with the cursor's move, in one transaction. */
export interface FollowUpWork {
  /** Opened unless the answer already has a case (then skipped) or is gone. */
  cases: NewCase[]
  deliveries: NewDelivery[]
  emails: NewEmail[]
}

export interface ScheduleMark {
  /** ms since the epoch: when the job last ran. */
  at: number
  /** Whatever the job keeps between runs (the NPS of the last digest, the last alert's window). */
  data: unknown
}

export interface FollowUpStore {
  // cases
  /** Opens a case for an answer of the survey; `existing` when the answer already has one. */
  openCase(
    newCase: NewCase,
    at: number,
  ): Promise<{ case: CaseWithLog; created: boolean } | { missing: 'response' }>
  getCase(id: string): Awaitable<CaseWithLog | undefined>
  listCases(filter: CaseFilter, limit: number, after?: CaseCursor): Awaitable<Page<Case, CaseCursor>>
  /** Applies a change, logging each field that changed (and the note); undefined: no such case. */
  changeCase(id: string, change: CaseChange, actor: string, at: number): Promise<CaseWithLog | undefined>
  /** The cases of a survey opened in [from, to) (answeredAt), for figures. */
  caseTimings(surveyId: string, from: number, to: number): Awaitable<CaseTiming[]>

  // webhook endpoints
  createEndpoint(endpoint: NewEndpoint, at: number): Promise<WebhookEndpoint>
  getEndpoint(id: string): Awaitable<WebhookEndpoint | undefined>
  /** The survey's own endpoints and the collector-wide ones; undefined: every endpoint. */
  listEndpoints(surveyId?: string): Awaitable<WebhookEndpoint[]>
  updateEndpoint(id: string, change: EndpointChange, at: number): Promise<WebhookEndpoint | undefined>
  /** Deletes the endpoint with its deliveries. */
  deleteEndpoint(id: string): Promise<boolean>

  // deliveries
  /** Stores deliveries made outside the dispatcher (a test ping, a redelivery's copy). */
  enqueueDeliveries(deliveries: readonly NewDelivery[], at: number): Promise<void>
  /**
   * Up to `limit` pending deliveries due at `now`, of enabled endpoints, each the oldest pending one of
   * its (endpoint, orderKey), leased until `now + leaseMs` (nextAttemptAt moves there), so another
   * collector sharing the database does not send them too.
   */
  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<Delivery[]>
  /** Logs an attempt and its outcome; updates the endpoint's health in the same transaction. */
  recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
    health: EndpointHealth,
  ): Promise<void>
  /** An endpoint's deliveries, newest first. */
  listDeliveries(
    endpointId: string,
    limit: number,
    after?: DeliveryCursor,
  ): Awaitable<Page<Delivery, DeliveryCursor>>
  getDelivery(id: string): Awaitable<DeliveryWithAttempts | undefined>
  /** Makes a delivery pending again, due at `at`, its attempts kept; undefined: no such delivery. */
  redeliver(id: string, at: number): Promise<Delivery | undefined>

  // email
  enqueueEmails(emails: readonly NewEmail[], at: number): Promise<void>
  /** As claimDeliveries, for emails (no ordering between emails). */
  claimEmails(now: number, limit: number, leaseMs: number): Promise<Email[]>
  recordEmailAttempt(id: string, at: number, error: string | null, outcome: AttemptOutcome): Promise<void>

  // the dispatcher
  /**
   * The survey's cursor: the number of the last change acted on. A survey that has none yet (made
   * before follow-up existed, or by a copy) starts at the number its first call finds current, so
   * history opens nothing.
   */
  followUpCursor(surveyId: string): Promise<number>
  followUpChanges(surveyId: string, after: number, limit: number): Awaitable<FollowUpPage>
  /**
   * Stores the work and moves the cursor from `from` to `to`, in one transaction; false (and nothing
   * stored) when the cursor is no longer at `from` (another collector got there first).
   */
  commitFollowUp(surveyId: string, from: number, to: number, work: FollowUpWork, at: number): Promise<boolean>
  /** The last mark of a scheduled job (`digest`, `alert:<key>`) of a survey. */
  scheduleMark(surveyId: string, job: string): Awaitable<ScheduleMark | undefined>
  /**
   * Sets the mark and stores the work in one transaction; false (nothing stored) when the mark is no
   * longer `expectedAt` (undefined: none yet), so one collector sends a digest once.
   */
  commitSchedule(
    surveyId: string,
    job: string,
    expectedAt: number | undefined,
    mark: ScheduleMark,
    work: Omit<FollowUpWork, 'cases'>,
  ): Promise<boolean>
}
