/**
 * The one storage contract of the collector. Every route — public, admin and analytics — talks to a
 * `Backend` and to nothing else: no route sees SQL, a statement or a database handle. Each engine lives
 * in a folder of its own that owns all of its SQL and migrations (`sqlite/`, `postgres/`), and one
 * contract suite (tests/backend/) runs unchanged against every engine.
 *
 * Reads may answer synchronously (SQLite on this thread) or with a promise (a networked database), so
 * callers always `await`. Every write resolves only once it is durable: a 2xx never precedes a commit.
 * Counts (the score distributions behind every figure) are computed by the database, never by reading
 * answers into JavaScript.
 */

import type { Category, EventSubmission, EventType, RetentionSettings, SurveySettings } from '@npskit/shared'
import type { CaseWithLog, FollowUpStore, WebhookEndpoint } from './follow-up.ts'
import type { BackendStats } from './stats.ts'

export type { BackendStats } from './stats.ts'

export type Awaitable<T> = T | Promise<T>

export type Device = 'desktop' | 'mobile' | 'tablet'

export interface Survey {
  id: string
  settings: SurveySettings
  /** ms since the epoch */
  createdAt: number
  updatedAt: number
}

/**
 * What a key may do: `admin` everything; `read` the GET routes that read surveys, answers, figures and
 * exports (and /metrics), nothing that changes a setting, a key, an import or an erasure.
 */
export type KeyScope = 'admin' | 'read'

export interface ApiKeyInfo {
  id: string
  name: string
  /** Chosen when the key is made, never changed; keys made before scopes existed are `admin`. */
  scope: KeyScope
  /**
   * The last 4 characters of the secret, to tell keys apart in a list (as most providers show them);
   * null for a key stored before they were kept, until its secret is added again.
   */
  last4: string | null
  createdAt: number
  revokedAt: number | null
}

export type MetadataValue = string | number | boolean

/**
 * Where an answer came from: the widget's card, a client of the public API, an import, or a survey link
 * (reserved; nothing produces it yet). null: stored before sources were recorded (SQLite migration 16,
 * PostgreSQL 8), counted with the widget's answers as it was before.
 */
export type ResponseSource = 'widget' | 'api' | 'import' | 'link'
export const RESPONSE_SOURCES = ['widget', 'api', 'import', 'link'] as const

/** One stored answer, as export writes it and import reads it. */
export interface StoredResponse {
  id: string
  /** ms since the epoch: the first receipt, or the imported createdAt */
  createdAt: number
  score: number
  comment: string | null
  respondentId: string | null
  locale: string | null
  url: string | null
  path: string | null
  device: Device | null
  metadata: Record<string, MetadataValue> | null
  /** The respondent asked to be contacted about this answer; null: not asked, or they did not. */
  contact: ContactRequest | null
  /** Where it came from; kept through merges, export, import and copies. */
  source: ResponseSource | null
}

/**
 * Consent to be contacted, given on the card's follow-up step: with an address when the site had not
 * identified the visitor, without one (null) when the site's respondentId tells who they are.
 */
export interface ContactRequest {
  email: string | null
}

/** What the write path hands the backend: the submission plus what the server derived. */
export interface ResponseWrite {
  id: string
  score: number
  comment?: string | undefined
  respondentId?: string | undefined
  locale?: string | undefined
  url?: string | undefined
  path?: string | null | undefined
  device?: Device | null | undefined
  metadata?: Record<string, MetadataValue> | undefined
  /** Kept once given: a repeat without it (a retry) does not take the consent back. */
  contact?: ContactRequest | undefined
  /** The server's receipt time; kept only if this is the first receipt. */
  receivedAt: number
  /** Where it came from, kept from the first receipt: a merge does not change it. Absent: `api`. */
  source?: 'widget' | 'api' | 'link' | undefined
}

export interface ResponseWriteResult {
  /** true the first time this id arrives, false when it merged into an existing row */
  created: boolean
  category: Category
}

/**
 * Which stored answers a listing (and its export) reads: every analytics filter, with the same meaning
 * (`latestPerRespondent` picks each respondent's latest answer first), then the ones below, which narrow
 * what those select — so the comments a theme counts are the ones a listing with its category shows.
 */
export interface ResponseFilter extends AnalyticsFilter {
  category?: Category | undefined
  /** Scores from `minScore` to `maxScore`, inclusive (0–10). */
  minScore?: number | undefined
  maxScore?: number | undefined
  /**
   * The comment contains this text, ignoring case: a plain substring (`%` and `_` are characters like
   * any other), compared in Unicode lower case (see each engine's listResponses).
   */
  text?: string | undefined
}

/** An answer with the survey it belongs to (a respondent's history spans surveys). */
export interface RespondentAnswer extends StoredResponse {
  surveyId: string
}

/** A listing's order: `oldest` first (export order, the default) or `newest` first; ties by id alike. */
export type ResponseOrder = 'oldest' | 'newest'

/** Keyset position in a list ordered by (createdAt, id); ids compare by code point. */
export interface Cursor {
  createdAt: number
  id: string
}

export interface Page<T, C> {
  items: T[]
  next: C | null
}

/**
 * One entry of a survey's change feed: an answer created or changed (as it is now), or erased (a
 * tombstone: its id and when, nothing it held). `seq` is the change's number, increasing across the
 * database in the order the changes committed; an answer changed twice appears once, at its latest.
 */
export type Change =
  | { type: 'response.upserted'; seq: number; response: StoredResponse }
  | { type: 'response.erased'; seq: number; id: string; erasedAt: number }

/** Changes in number order, and the number to resume after: the last item's, or the one asked after. */
export interface ChangePage {
  items: Change[]
  next: number
}

export interface ImportResult {
  created: number
  updated: number
}

export interface ErasureResult {
  responses: number
  events: number
  /** Cases of the erased answers (with their logs). */
  cases: number
  /** Webhook deliveries not yet delivered that carried an erased answer. */
  deliveries: number
  /** Emails not yet sent that quoted an erased answer. */
  emails: number
}

// ── the data lifecycle ─────────────────────────────────────────────────────────────────────────────

/**
 * One pass of the data lifecycle over a survey: a retention run (the survey's policy applied to the
 * answers older than `cutoff`) or a deletion of the answers a filter selected; recorded when it ends.
 */
export interface LifecycleRun {
  id: string
  surveyId: string
  kind: 'retention' | 'deletion'
  /** The retention policy the run applied; null for a deletion. */
  policy: RetentionSettings | null
  /** A deletion's filter as the request gave it (query parameters); null for a retention run. */
  filter: Record<string, string> | null
  /** A retention run's bound: answers created before it (ms); null for a deletion. */
  cutoff: number | null
  startedAt: number
  finishedAt: number
  deleted: number
  anonymised: number
}

export interface Lifecycle {
  /**
   * Deletes these answers of the survey (ids it does not hold are skipped) as an erasure does: the
   * hourly and breakdown counts lose them, each leaves a tombstone in the change feed (erased at `at`),
   * and their cases and the deliveries and emails not yet sent that quote them go too. Ordinary DELETEs
   * on the answers, so every trigger on them runs. Callers batch (a few hundred ids per call).
   */
  deleteResponses(surveyId: string, ids: readonly string[], at: number): Promise<ErasureResult>
  /**
   * Anonymises at most `limit` of the survey's answers created before `before` that still hold
   * something anonymising removes (a comment, respondent id, URL, path, contact, or a metadata key not
   * in `keepMetadata`); answers how many it changed. Each changed answer is a change in the feed, and
   * the deliveries and emails not yet sent that quote it go; its case stays. Score, time, locale,
   * device and source stay, so the hourly counts do not move.
   */
  anonymiseResponses(
    surveyId: string,
    before: number,
    keepMetadata: readonly string[],
    limit: number,
    at: number,
  ): Promise<number>
  /** How many answers anonymiseResponses(surveyId, before, keepMetadata, ∞) would change. */
  countToAnonymise(surveyId: string, before: number, keepMetadata: readonly string[]): Awaitable<number>
  recordLifecycleRun(run: Omit<LifecycleRun, 'id'>): Promise<LifecycleRun>
  /** The survey's runs, the newest first (by startedAt, then id), after the cursor. */
  listLifecycleRuns(surveyId: string, limit: number, after?: Cursor): Awaitable<Page<LifecycleRun, Cursor>>
  /**
   * Makes what was deleted unreadable from the database's own files where the engine can: SQLite
   * overwrites freed content as it deletes (secure_delete) and this empties the WAL (a TRUNCATE
   * checkpoint); PostgreSQL does nothing here (dead tuples stay until VACUUM; see the README).
   * Answers whether the files are clean now (false: the checkpoint was busy; a later call retries).
   */
  scrub(): Promise<boolean>
}

// ── analytics ──────────────────────────────────────────────────────────────────────────────────────

/** Which answers count. Times are ms since the epoch; `from` inclusive, `to` exclusive. */
export interface AnalyticsFilter {
  from?: number | undefined
  to?: number | undefined
  /** `de` matches `de` and every `de-…` tag, ignoring case (language tags are case-insensitive). */
  locale?: string | undefined
  /** An exact path, or a prefix when it ends in `*` (`/checkout/*`). */
  path?: string | undefined
  device?: Device | undefined
  /**
   * metadata[key] equals value, compared as text: strings as they are, `true`/`false`, numbers in the
   * decimal form JSON gave them (`42`, `4.5`).
   */
  segments?: readonly (readonly [key: string, value: string])[] | undefined
  /**
   * Only each respondent's latest answer among those the other filters select counts: the greatest
   * createdAt, and of answers at the same millisecond the greatest id. Answers without a respondent
   * all count.
   */
  latestPerRespondent?: boolean | undefined
}

/** A time span in ms: start inclusive, end exclusive. */
export interface Window {
  start: number
  end: number
}

export type Dimension = { kind: 'locale' | 'path' | 'device' } | { kind: 'metadata'; key: string }

/** A dimension as settings.breakdowns names it: `locale`, `path`, `device` or `metadata.<key>`. */
export function dimensionName(dimension: Dimension): string {
  return dimension.kind === 'metadata' ? `metadata.${dimension.key}` : dimension.kind
}

/** The dimension settings.breakdowns names (the inverse of {@link dimensionName}). */
export function dimensionOf(name: string): Dimension {
  return name.startsWith('metadata.')
    ? { kind: 'metadata', key: name.slice('metadata.'.length) }
    : { kind: name as 'locale' | 'path' | 'device' }
}

export interface EventCounts {
  shown: number
  dismissed: number
  /** Answers the widget stored in the window (source widget, or null: stored before sources were) */
  widgetAnswers: number
}

export interface Group {
  /** The dimension's value as text (metadata as in `segments`); null for answers without one. */
  value: string | null
  distribution: number[]
}

/** One comment with its answer's score (0–10) and time (ms since the epoch). */
export type CommentVisitor = (comment: string, score: number, createdAt: number) => void
/**
 * One account's answers among those a filter selects (Analytics.accounts): the account is the text of
 * metadata[key] (as `segments` compare it); answers without the key belong to no account.
 */
export interface AccountGroup {
  account: string
  distribution: number[]
  /** Distinct respondents among the counted answers (answers without a respondent add none). */
  respondents: number
  /** ms since the epoch: the latest counted answer. */
  lastAt: number
  /**
   * Respondents with two consecutive answers in the range (by createdAt, then id; every answer, even
   * with `latestPerRespondent`) in this account where a promoter's answer was followed by a detractor's.
   */
  fell: number
}

/** Who moves: a respondent (their consecutive answers), or a respondent within an account. */
export type MoverScope = { by: 'respondent' } | { by: 'account'; key: string }

/**
 * Two consecutive answers of one respondent (within one account, by account) whose category fell
 * (promoter → passive or detractor, passive → detractor) or rose.
 */
export interface Mover {
  respondentId: string
  /** metadata[key] as text (by account); null by respondent. */
  account: string | null
  before: { id: string; createdAt: number; score: number }
  after: { id: string; createdAt: number; score: number }
}

/** How an account's answers are weighed: each answer 1, or each respondent 1 (see Analytics.accounts). */
export type AccountWeight = 'answer' | 'respondent'

export interface CommentQuery {
  category: Category
  /** true: comments of answers in `category`; false: comments of every other category. */
  inCategory: boolean
  /** At most this many comments, the newest first (then by id, descending). */
  limit: number
}

// ── copying between backends ───────────────────────────────────────────────────────────────────────

/** An API key with its stored hash: what moves when a collector changes backend. */
export interface KeyRecord extends ApiKeyInfo {
  hash: string
}

export interface EventRecord {
  surveyId: string
  type: EventType
  respondentId: string
  responseId: string | null
  createdAt: number
}

/**
 * Everything a backend holds, in batches of one kind, in a fixed order: surveys by id, keys by id,
 * then each survey's answers by id, then events in the order they were stored, then cases by id (each
 * with its log; `response` is not part of a copy), then webhook endpoints by id. Deliveries and emails
 * in flight, follow-up cursors and schedule marks stay behind: the copy starts them afresh.
 */
export type DataBatch =
  | { kind: 'surveys'; rows: Survey[] }
  | { kind: 'keys'; rows: KeyRecord[] }
  | { kind: 'responses'; surveyId: string; rows: StoredResponse[] }
  | { kind: 'events'; rows: EventRecord[] }
  | { kind: 'cases'; rows: CaseWithLog[] }
  | { kind: 'endpoints'; rows: WebhookEndpoint[] }

export interface DataCounts {
  surveys: number
  keys: number
  responses: number
  events: number
  cases: number
  endpoints: number
}

// ── the contract ───────────────────────────────────────────────────────────────────────────────────

export interface Surveys {
  createSurvey(settings: SurveySettings, at: number): Promise<Survey>
  /**
   * A survey as of at most a few minutes ago on a backend shared by several collectors (the widget
   * config's cache time); as of now when this collector made the change.
   */
  getSurvey(id: string): Awaitable<Survey | undefined>
  listSurveys(limit: number, after?: Cursor): Awaitable<Page<Survey, Cursor>>
  /**
   * A dimension newly declared in settings.breakdowns on a survey with answers is counted from them
   * after the update, in batches that take turns with ingest; its breakdowns are scans until then.
   */
  updateSurvey(id: string, settings: SurveySettings, at: number): Promise<Survey | undefined>
  /**
   * Counts the declared breakdown dimensions not counted yet (the backend starts this itself after an
   * update and at start-up); resolves when none is left, for tests and tools that must wait for it.
   */
  fillBreakdowns(): Promise<void>
  /**
   * Deletes the survey with its responses, events, cases, its own webhook endpoints and their
   * deliveries, its emails and its follow-up cursor and marks; false when it did not exist.
   */
  deleteSurvey(id: string): Promise<boolean>
}

export interface Keys {
  /**
   * Stores the hash of a secret made elsewhere, with its scope (default `admin`) (a new key, or `NPSKIT_ADMIN_KEY`). The same secret
   * again (NPSKIT_ADMIN_KEY on every start) answers the key it already is, revoked or not: a revoked
   * secret stays revoked.
   */
  addApiKey(key: { name: string; secret: string; scope?: KeyScope }, at: number): Promise<ApiKeyInfo>
  /**
   * The active key whose secret this is, compared by hash in constant time. Never cached: a key
   * revoked through any collector is refused by every collector at once.
   */
  verifyApiKey(secret: string): Awaitable<ApiKeyInfo | undefined>
  listApiKeys(): Awaitable<ApiKeyInfo[]>
  /** Revokes a key and ends every session made with it. */
  revokeApiKey(id: string, at: number): Promise<ApiKeyInfo | undefined>
  countActiveApiKeys(): Awaitable<number>
  /**
   * The collector's own secret of this name (`links`: the HMAC key of personal survey links), made from
   * 32 random bytes on first use and the same ever after, for every collector on this database (two
   * making it at once agree on one).
   */
  signingSecret(name: 'links', at: number): Promise<string>
}

/** A dashboard sign-in, made from a key: its token is known to the browser only (the hash is stored). */
export interface SessionInfo {
  /** The key the session was made with; revoking it ends the session. */
  key: ApiKeyInfo
  createdAt: number
  expiresAt: number
}

/** Sessions are not part of a copy (exportData): after a move, people sign in again. */
export interface Sessions {
  /** Stores the hash of a token made elsewhere for an active key; undefined when the key is not active. */
  createSession(
    session: { token: string; keyId: string; expiresAt: number },
    at: number,
  ): Promise<SessionInfo | undefined>
  /**
   * The session whose token this is, if it has not expired at `now` and its key is still active; an
   * expired one is deleted as it is found. Never cached, as keys are not.
   */
  verifySession(token: string, now: number): Promise<SessionInfo | undefined>
  /** Ends a session at once; false when there was none. */
  endSession(token: string): Promise<boolean>
}

export interface Responses {
  /**
   * Inserts, or merges into the row with the same id (also when the two arrive at two collectors at
   * once); resolves once durable. Rejects with {@link UnknownSurveyError} for a survey that does not
   * exist, without failing writes sent alongside it.
   */
  writeResponse(surveyId: string, response: ResponseWrite): Promise<ResponseWriteResult>
  /** Resolves once durable; rejects with {@link UnknownSurveyError} as writeResponse does. */
  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void>
  /** All rows in one transaction: all are written or none. Rows with an existing id replace it. */
  importResponses(surveyId: string, rows: Iterable<StoredResponse>, at: number): Promise<ImportResult>
  /**
   * One page ordered by (createdAt, id), ascending (`oldest`, export order) or descending (`newest`),
   * after the cursor in that order.
   */
  listResponses(
    surveyId: string,
    filter: ResponseFilter,
    limit: number,
    after?: Cursor,
    order?: ResponseOrder,
  ): Awaitable<Page<StoredResponse, Cursor>>
  /**
   * Every answer of one respondent in every survey, one page ordered by (createdAt, id) after the
   * cursor, each with its survey.
   */
  respondentHistory(
    respondentId: string,
    limit: number,
    after?: Cursor,
  ): Awaitable<Page<RespondentAnswer, Cursor>>
  /**
   * At most `limit` changes of the survey's answers numbered after `after` (0: from the beginning), in
   * number order. No change that commits later ever gets a number at or below a `next` answered here,
   * also with several collectors writing to one database, so a poller that resumes from `next` misses
   * none.
   */
  changes(surveyId: string, after: number, limit: number): Awaitable<ChangePage>
  /**
   * The survey's metadata key registry, sorted by code point: every key its answers were admitted with
   * (see admitMetadataKeys), the columns of its CSV export. Keys stay when the answers that brought them
   * go (erasure, import replacing a row); a copy (importData) rebuilds the registry from the answers.
   */
  metadataKeys(surveyId: string): Awaitable<string[]>
  /**
   * Adds keys to the survey's registry before an answer (or an import) that carries them is written;
   * the caller must admit every key it writes. All or none, atomically, also across collectors sharing
   * a database: when the keys not yet registered would take the registry past `limit` keys, none is
   * added and those keys are answered (refused); otherwise []. Without `limit`, every key is added.
   * Known keys are remembered in memory (the registry only grows), so admitting them again does no
   * database work. Rejects with {@link UnknownSurveyError} for a survey that does not exist.
   */
  admitMetadataKeys(surveyId: string, keys: readonly string[], limit?: number): Awaitable<string[]>
  /**
   * Removes every response and event of one respondent, across every survey, with the cases of those
   * answers (and their logs) and the deliveries and emails not yet sent that quote them; each answer
   * leaves a tombstone in its survey's change feed, erased at `at` (default: now).
   */
  eraseRespondent(respondentId: string, at?: number): Promise<ErasureResult>
}

export interface Analytics {
  /** How many answers gave each score 0…10 (index = score). */
  distribution(surveyId: string, filter: AnalyticsFilter): Awaitable<number[]>
  /**
   * One distribution per window (windows may overlap, as rolling windows do), in the order given.
   * `filter.from`/`filter.to` are ignored: the windows say when.
   */
  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): Awaitable<number[][]>
  /** Cards shown and dismissed per window. Events carry no locale, path, device or metadata. */
  eventCounts(surveyId: string, windows: readonly Window[]): Awaitable<EventCounts[]>
  /**
   * When the survey's oldest stored answer was given (ms), whatever its filters; null without answers.
   * One index lookup: rolling trend points use it to say their window reaches before any answer.
   */
  firstAnswerAt(surveyId: string): Awaitable<number | null>
  /** A distribution per value of the dimension, every group, in no particular order. */
  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Awaitable<Group[]>
  /**
   * Whether a declared dimension's rollup holds every answer (`counted`) or its answers so far are still
   * being counted (`counting`: breakdowns are scans until then); undefined when not declared.
   */
  breakdownRollup(surveyId: string, dimension: Dimension): Awaitable<'counted' | 'counting' | undefined>
  /**
   * An {@link AccountGroup} per account the filter's answers name by metadata[key], in no order. With
   * `weight: 'respondent'` each respondent (an answer without one is a respondent of its own) weighs 1,
   * shared evenly by their answers in the account: the distribution holds those weights (fractions).
   */
  accounts(
    surveyId: string,
    filter: AnalyticsFilter,
    key: string,
    weight?: AccountWeight,
  ): Awaitable<AccountGroup[]>
  /**
   * The movers among the answers the filter selects (every answer: `latestPerRespondent` is ignored,
   * as a move needs two), one page ordered by the later answer's (createdAt, id), after the cursor.
   */
  movers(
    surveyId: string,
    filter: AnalyticsFilter,
    scope: MoverScope,
    direction: 'down' | 'up',
    limit: number,
    after?: Cursor,
  ): Awaitable<Page<Mover, Cursor>>
  /**
   * Calls `visit` with each non-empty comment, its answer's score and time (see {@link CommentQuery});
   * answers how many it visited.
   */
  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: CommentVisitor,
  ): Awaitable<number>
}

export interface Transfer {
  /** Whether the backend holds no survey, key, answer or event: the only target a copy accepts. */
  isEmpty(): Promise<boolean>
  /** Everything, in the order {@link DataBatch} describes. */
  exportData(batchSize?: number): AsyncIterable<DataBatch>
  /** Loads batches into an empty backend in one transaction: all of it is stored or nothing. */
  importData(batches: AsyncIterable<DataBatch>): Promise<DataCounts>
}

export interface Backend
  extends Surveys,
    Keys,
    Sessions,
    Responses,
    Lifecycle,
    Analytics,
    Transfer,
    FollowUpStore {
  /** `sqlite` or `postgres`. */
  readonly engine: string
  /** Where the data lives, for the start-up banner: a file, or a URL without its password. */
  readonly location: string
  /** What the engine is doing now and has done since it opened, for `/metrics`. */
  stats(): Awaitable<BackendStats>
  /** Finishes queued writes and releases the database. */
  close(): Promise<void>
}

// ── errors ─────────────────────────────────────────────────────────────────────────────────────────

/** Thrown by a write whose survey does not exist (or was deleted while the write was queued). */
export class UnknownSurveyError extends Error {
  constructor(readonly surveyId: string) {
    super(`no survey ${surveyId}`)
    this.name = 'UnknownSurveyError'
  }
}

/** The database cannot be reached just now (a networked engine lost its connection): try again. */
export class BackendUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BackendUnavailableError'
  }
}

/** The backend cannot start: a wrong URL, a refused connection, a missing database, a newer schema. */
export class BackendStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BackendStartError'
  }
}

// ── what every engine computes the same way ────────────────────────────────────────────────────────

/** The scores of each category, inclusive. */
export const CATEGORY_SCORES: Record<Category, readonly [low: number, high: number]> = {
  detractor: [0, 6],
  passive: [7, 8],
  promoter: [9, 10],
}

/** Filters that events cannot honour: events carry only a time and a respondent. */
export function hasDimensionFilters(filter: AnalyticsFilter): boolean {
  return (
    filter.locale !== undefined ||
    filter.path !== undefined ||
    filter.device !== undefined ||
    (filter.segments?.length ?? 0) > 0
  )
}

/** Outside every representable Date, so an open end of a range needs no second statement. */
export const BEFORE_ALL = -8.64e15
export const AFTER_ALL = 8.64e15

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS
