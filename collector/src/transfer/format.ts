/**
 * The one wire form of a stored response, shared by JSON, NDJSON and CSV export and read back by
 * import, so that an export imports unchanged. `category` and `path` are derived (from score and url)
 * and are ignored on import; CSV spreads metadata over `metadata.<key>` columns.
 */
import { classify } from '@npskit/shared'
import type { StoredResponse } from '../backend/backend.ts'

export const CSV_COLUMNS = [
  'id',
  'createdAt',
  'score',
  'category',
  'comment',
  'respondentId',
  'locale',
  'url',
  'path',
  'device',
] as const

export function responseJson(r: StoredResponse) {
  return {
    id: r.id,
    createdAt: new Date(r.createdAt).toISOString(),
    score: r.score,
    category: classify(r.score),
    comment: r.comment,
    respondentId: r.respondentId,
    locale: r.locale,
    url: r.url,
    path: r.path,
    device: r.device,
    metadata: r.metadata,
  }
}

/** One CSV record: the fixed columns, then one cell per metadata key (empty when absent). */
export function csvRecord(r: StoredResponse, metadataKeys: readonly string[]): string[] {
  const json = responseJson(r)
  const fixed = CSV_COLUMNS.map((column) => {
    const value = json[column]
    return value === null || value === undefined ? '' : String(value)
  })
  const meta = metadataKeys.map((key) => {
    const value = r.metadata?.[key]
    return value === undefined ? '' : String(value)
  })
  return [...fixed, ...meta]
}

export function csvHeader(metadataKeys: readonly string[]): string[] {
  return [...CSV_COLUMNS, ...metadataKeys.map((key) => `metadata.${key}`)]
}
