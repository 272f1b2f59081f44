/**
 * The rows both engines read, as their tables name the columns (both schemas use the same names and
 * units: milliseconds, text ids), and the one mapping from each to the contract's types. Only how a
 * column arrives differs by engine: SQLite hands JSON over as text, PostgreSQL parses it; each engine
 * says which with `J`.
 */

import type { SurveySettings } from '@npskit/shared'
import type {
  ApiKeyInfo,
  Awaitable,
  Change,
  ChangePage,
  ContactRequest,
  Cursor,
  DataBatch,
  Device,
  EventRecord,
  KeyScope,
  LifecycleRun,
  MetadataValue,
  Page,
  ResponseSource,
  StoredResponse,
  Survey,
} from './backend.ts'
import {
  type CaseLogRow,
  type CaseRow,
  type EndpointRow,
  toCaseWithLog,
  toEndpoint,
} from './follow-up-rows.ts'

export interface SurveyRow<J> {
  id: string
  settings: J
  created_at: number
  updated_at: number
}

export interface KeyRow {
  id: string
  name: string
  scope: KeyScope
  hash: string
  last4: string | null
  created_at: number
  revoked_at: number | null
}

export interface ResponseRow<J> {
  id: string
  created_at: number
  score: number
  comment: string | null
  respondent_id: string | null
  locale: string | null
  url: string | null
  path: string | null
  device: Device | null
  metadata: J | null
  /** ContactRequest as JSON (text in SQLite, jsonb in PostgreSQL), or NULL. */
  contact?: string | ContactRequest | null
  source?: ResponseSource | null
}

/** A change of the feed: an answer as it is now, or (with `erased_at`) the tombstone of an erased one. */
export type ChangeRow<J> = ResponseRow<J> & { seq: number; erased_at: number | null }

/** A page of the feed from rows in number order; `next` stays at `after` when there are none. */
export function changePage(
  rows: ChangeRow<string | Record<string, MetadataValue>>[],
  after: number,
): ChangePage {
  const items = rows.map(
    (row): Change =>
      row.erased_at === null
        ? { type: 'response.upserted', seq: row.seq, response: toResponse(row) }
        : { type: 'response.erased', seq: row.seq, id: row.id, erasedAt: row.erased_at },
  )
  return { items, next: items.at(-1)?.seq ?? after }
}

export interface EventRow {
  survey_id: string
  type: 'shown' | 'dismissed'
  respondent_id: string
  response_id: string | null
  created_at: number
}

/** JSON as SQLite stores it (text) or as PostgreSQL hands it over (parsed). */
const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T

export function toSurvey(row: SurveyRow<string | SurveySettings>): Survey {
  return {
    id: row.id,
    settings: parsed<SurveySettings>(row.settings),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toKey(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    last4: row.last4,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

export function toResponse(row: ResponseRow<string | Record<string, MetadataValue>>): StoredResponse {
  return {
    id: row.id,
    createdAt: row.created_at,
    score: row.score,
    comment: row.comment,
    respondentId: row.respondent_id,
    locale: row.locale,
    url: row.url,
    path: row.path,
    device: row.device,
    metadata: row.metadata === null ? null : parsed<Record<string, MetadataValue>>(row.metadata),
    contact: row.contact == null ? null : parsed<ContactRequest>(row.contact),
    source: row.source ?? null,
  }
}

function toEventRecord(row: EventRow): EventRecord {
  return {
    surveyId: row.survey_id,
    type: row.type,
    respondentId: row.respondent_id,
    responseId: row.response_id,
    createdAt: row.created_at,
  }
}

/** A row of lifecycle_runs (policy and filter as JSON text in both engines). */
export interface LifecycleRunRow {
  id: string
  survey_id: string
  kind: LifecycleRun['kind']
  policy: string | null
  filter: string | null
  cutoff: number | string | null
  started_at: number | string
  finished_at: number | string
  deleted: number
  anonymised: number
}

export function toLifecycleRun(row: LifecycleRunRow): LifecycleRun {
  return {
    id: row.id,
    surveyId: row.survey_id,
    kind: row.kind,
    policy: row.policy === null ? null : JSON.parse(row.policy),
    filter: row.filter === null ? null : JSON.parse(row.filter),
    cutoff: row.cutoff === null ? null : Number(row.cutoff),
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    deleted: row.deleted,
    anonymised: row.anonymised,
  }
}

/** A run as lifecycle_runs stores it. */
export function lifecycleRunRow(run: LifecycleRun): LifecycleRunRow {
  return {
    id: run.id,
    survey_id: run.surveyId,
    kind: run.kind,
    policy: run.policy === null ? null : JSON.stringify(run.policy),
    filter: run.filter === null ? null : JSON.stringify(run.filter),
    cutoff: run.cutoff,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    deleted: run.deleted,
    anonymised: run.anonymised,
  }
}

/** Metadata with only the keys anonymisation keeps; null when none is left. */
export function keptMetadata(
  metadata: Record<string, MetadataValue> | null,
  keep: readonly string[],
): Record<string, MetadataValue> | null {
  if (!metadata) return null
  const kept = Object.entries(metadata).filter(([key]) => keep.includes(key))
  return kept.length > 0 ? Object.fromEntries(kept) : null
}

/** A page of at most `limit` items from `limit + 1` rows: the extra row says there is a next page. */
export function pageOf<T extends { createdAt: number; id: string }>(
  rows: T[],
  limit: number,
): Page<T, Cursor> {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null }
}

/** An engine's tables read a page at a time, each in key order after the key given (exclusive). */
export interface TablePages {
  surveys(afterId: string, limit: number): Awaitable<SurveyRow<string | SurveySettings>[]>
  keys(afterId: string, limit: number): Awaitable<KeyRow[]>
  responses(
    surveyId: string,
    afterId: string,
    limit: number,
  ): Awaitable<ResponseRow<string | Record<string, MetadataValue>>[]>
  events(afterSeq: number, limit: number): Awaitable<(EventRow & { seq: number })[]>
  cases(afterId: string, limit: number): Awaitable<CaseRow<unknown>[]>
  /** The log entries of these cases, each case's in number order. */
  caseLogs(caseIds: readonly string[]): Awaitable<CaseLogRow[]>
  endpoints(afterId: string, limit: number): Awaitable<EndpointRow<unknown>[]>
}

/** Keyset pages of one table until it has no more rows. */
async function* pagesOf<R, K>(
  read: (after: K, limit: number) => Awaitable<R[]>,
  first: K,
  keyOf: (row: R) => K,
  limit: number,
): AsyncIterable<R[]> {
  for (let after = first; ; ) {
    const rows = await read(after, limit)
    if (rows.length === 0) return
    yield rows
    after = keyOf(rows.at(-1)!)
  }
}

/**
 * Everything an engine holds as {@link DataBatch}es, in the one order both engines export (and a copy's
 * fingerprint hashes): surveys by id, keys by id, each survey's answers by id, events by seq, cases by
 * id (with their logs), webhook endpoints by id.
 */
export async function* exportBatches(pages: TablePages, batchSize: number): AsyncIterable<DataBatch> {
  const surveyIds: string[] = []
  for await (const rows of pagesOf(pages.surveys, '', (row) => row.id, batchSize)) {
    surveyIds.push(...rows.map((row) => row.id))
    yield { kind: 'surveys', rows: rows.map(toSurvey) }
  }
  for await (const rows of pagesOf(pages.keys, '', (row) => row.id, batchSize)) {
    yield { kind: 'keys', rows: rows.map((row) => ({ ...toKey(row), hash: row.hash })) }
  }
  for (const surveyId of surveyIds) {
    const read = (after: string, limit: number) => pages.responses(surveyId, after, limit)
    for await (const rows of pagesOf(read, '', (row) => row.id, batchSize)) {
      yield { kind: 'responses', surveyId, rows: rows.map(toResponse) }
    }
  }
  for await (const rows of pagesOf(pages.events, 0, (row) => row.seq, batchSize)) {
    yield { kind: 'events', rows: rows.map(toEventRecord) }
  }
  for await (const rows of pagesOf(pages.cases, '', (row) => row.id, batchSize)) {
    const logs = new Map<string, CaseLogRow[]>(rows.map((row) => [row.id, []]))
    for (const entry of await pages.caseLogs(rows.map((row) => row.id))) logs.get(entry.case_id)?.push(entry)
    // The answer is copied with the answers; a case carries only its own fields and log.
    yield { kind: 'cases', rows: rows.map((row) => toCaseWithLog(row, logs.get(row.id)!, undefined)) }
  }
  for await (const rows of pagesOf(pages.endpoints, '', (row) => row.id, batchSize)) {
    yield { kind: 'endpoints', rows: rows.map(toEndpoint) }
  }
}
