/**
 * The storage contract of the collector. Every route talks to a `Store`, never to SQL, so that a
 * PostgreSQL store for multi-instance deployments can follow without touching the routes. Methods may
 * answer synchronously (SQLite) or with a promise (a networked database): callers always `await`.
 */
import type { Category, EventSubmission, SurveySettings } from '@npskit/shared'

export type Awaitable<T> = T | Promise<T>

export type Device = 'desktop' | 'mobile' | 'tablet'

export interface Survey {
  id: string
  settings: SurveySettings
  /** ms since the epoch */
  createdAt: number
  updatedAt: number
}

export interface ApiKeyInfo {
  id: string
  name: string
  /** The first characters of the secret, to tell keys apart in a list. */
  prefix: string
  createdAt: number
  revokedAt: number | null
}

export type MetadataValue = string | number | boolean

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
}

/** What the write path hands the store: the submission plus what the server derived. */
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
  /** The server's receipt time; kept only if this is the first receipt. */
  receivedAt: number
}

export interface ResponseWriteResult {
  /** true the first time this id arrives, false when it merged into an existing row */
  created: boolean
  category: Category
}

export interface ResponseFilter {
  /** inclusive, ms */
  from?: number | undefined
  /** exclusive, ms */
  to?: number | undefined
  category?: Category | undefined
}

/** Keyset position in a list ordered by (createdAt, id). */
export interface Cursor {
  createdAt: number
  id: string
}

export interface Page<T, C> {
  items: T[]
  next: C | null
}

export interface ImportResult {
  created: number
  updated: number
}

export interface ErasureResult {
  responses: number
  events: number
}

export interface Store {
  createSurvey(settings: SurveySettings, at: number): Awaitable<Survey>
  getSurvey(id: string): Awaitable<Survey | undefined>
  listSurveys(limit: number, after?: Cursor): Awaitable<Page<Survey, Cursor>>
  updateSurvey(id: string, settings: SurveySettings, at: number): Awaitable<Survey | undefined>
  /** Deletes the survey with its responses and events; false when it did not exist. */
  deleteSurvey(id: string): Awaitable<boolean>

  /** Stores the hash of a secret made elsewhere (a new key, or `NPSKIT_ADMIN_KEY`). */
  addApiKey(key: { name: string; secret: string }, at: number): Awaitable<ApiKeyInfo>
  /** The active key whose secret this is, compared by hash in constant time. */
  verifyApiKey(secret: string): Awaitable<ApiKeyInfo | undefined>
  listApiKeys(): Awaitable<ApiKeyInfo[]>
  revokeApiKey(id: string, at: number): Awaitable<ApiKeyInfo | undefined>
  countActiveApiKeys(): Awaitable<number>

  /** Inserts, or merges into the row with the same id; resolves once durable. */
  writeResponse(surveyId: string, response: ResponseWrite): Promise<ResponseWriteResult>
  /** Resolves once durable. */
  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void>
  /** All rows in one transaction: all are written or none. Rows with an existing id replace it. */
  importResponses(surveyId: string, rows: Iterable<StoredResponse>, at: number): Promise<ImportResult>
  /** One page in export order (createdAt, id), after the cursor. */
  listResponses(
    surveyId: string,
    filter: ResponseFilter,
    limit: number,
    after?: Cursor,
  ): Awaitable<Page<StoredResponse, Cursor>>
  /** The metadata keys that occur in the filtered responses, sorted; CSV export needs them up front. */
  metadataKeys(surveyId: string, filter: ResponseFilter): Awaitable<string[]>
  /** Removes every response and event of one respondent, across every survey. */
  eraseRespondent(respondentId: string): Promise<ErasureResult>

  /** Finishes queued writes and releases the database. */
  close(): Promise<void>
}

/** Thrown by a write whose survey does not exist (or was deleted while the write was queued). */
export class UnknownSurveyError extends Error {
  constructor(readonly surveyId: string) {
    super(`no survey ${surveyId}`)
    this.name = 'UnknownSurveyError'
  }
}
