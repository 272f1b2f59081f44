/**
 * The API's JSON of cases and their log: times as ISO 8601 strings, as everywhere in the API. Shared by
 * the webhook payloads and the case routes, so a receiver and a script see a case alike. Answers use
 * the one mapping of transfer/format.ts (`responseJson`).
 *
 * @example
 * const body = { case: caseJson(found), log: found.log.map(caseLogEntryJson) }
 */
import type { Case, CaseLogEntry } from '../backend/follow-up.ts'

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

export function caseJson(c: Case) {
  return {
    id: c.id,
    surveyId: c.surveyId,
    responseId: c.responseId,
    status: c.status,
    assignee: c.assignee,
    dueAt: isoOrNull(c.dueAt),
    tags: c.tags,
    score: c.score,
    category: c.category,
    answeredAt: iso(c.answeredAt),
    openedAt: iso(c.openedAt),
    openedBy: c.openedBy,
    updatedAt: iso(c.updatedAt),
    firstContactAt: isoOrNull(c.firstContactAt),
    closedAt: isoOrNull(c.closedAt),
  }
}

/** A log entry; a due time's old and new values are instants, so they are written as ISO too. */
export function caseLogEntryJson(entry: CaseLogEntry) {
  const value = (v: unknown) => (entry.kind === 'due' && typeof v === 'number' ? iso(v) : v)
  return {
    seq: entry.seq,
    at: iso(entry.at),
    actor: entry.actor,
    kind: entry.kind,
    note: entry.note,
    from: value(entry.from) ?? null,
    to: value(entry.to) ?? null,
  }
}
