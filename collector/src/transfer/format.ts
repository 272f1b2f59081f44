/**
 * The one wire form of a stored response, shared by JSON, NDJSON and CSV export and read back by
 * import, so that an export imports unchanged. `category` and `path` are derived (from score and url)
 * and are ignored on import; CSV spreads metadata over `metadata.<key>` columns.
 *
 * CSV cells are safe to open in a spreadsheet: a text that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return (what a spreadsheet reads as a formula, OWASP's list) is written with a leading `'`,
 * and so is a text that starts with `'` itself, so the mark is unambiguous: import removes one leading
 * `'` from every cell, exactly undoing export. Metadata keeps its type the same way: a number or a
 * boolean is written bare (`-5`, `true`; a number is never a formula), and a text that would read back
 * as one (`"12"`, `"true"`) or is empty is marked, so import reads a bare number or boolean as one.
 *
 * Consent to be contacted is `contact` in JSON (`{ "email": … }` or null) and two CSV columns:
 * `contactRequested` (`true` or `false`) and `contactEmail` (the address, empty when none was given).
 * `source` (where the answer came from) is written as stored and kept by import; a row without one
 * imports as `import`.
 */
import { classify } from '@npskit/shared'
import type { MetadataValue, StoredResponse } from '../backend/backend.ts'

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
  'contactRequested',
  'contactEmail',
  'source',
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
    // A row a storage engine read without the contact columns counts as no consent.
    contact: r.contact ?? null,
    // widget, api, import or link; null: stored before sources were recorded. Import reads it back.
    source: r.source ?? null,
  }
}

/** What a spreadsheet would start a formula with (OWASP), and our own mark. */
const MARKED = /^[=+\-@\t\r']/
/** A JSON number, the form export writes a metadata number in. */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/

/** A text as a CSV cell: marked with a leading `'` when a spreadsheet would run it as a formula. */
export function csvText(text: string): string {
  return MARKED.test(text) ? `'${text}` : text
}

/** Undoes {@link csvText}: one leading `'` goes. */
export function fromCsvText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell
}

/** A metadata value as a CSV cell: numbers and booleans bare, texts marked where they would pass for one. */
export function csvMetadata(value: MetadataValue): string {
  if (typeof value !== 'string') return String(value)
  const typed = value === '' || value === 'true' || value === 'false' || JSON_NUMBER.test(value)
  return typed ? `'${value}` : csvText(value)
}

/** Undoes {@link csvMetadata}: a marked cell is text; a bare number or boolean is one. */
export function fromCsvMetadata(cell: string): MetadataValue {
  if (cell.startsWith("'")) return cell.slice(1)
  if (cell === 'true' || cell === 'false') return cell === 'true'
  if (JSON_NUMBER.test(cell)) {
    const number = Number(cell)
    if (Number.isFinite(number)) return number
  }
  return cell
}

/** One CSV record: the fixed columns, then one cell per metadata key (empty when absent). */
export function csvRecord(r: StoredResponse, metadataKeys: readonly string[]): string[] {
  const json = {
    ...responseJson(r),
    contactRequested: r.contact != null,
    contactEmail: r.contact?.email ?? null,
  }
  const fixed = CSV_COLUMNS.map((column) => {
    const value = json[column]
    if (value === null || value === undefined) return ''
    return typeof value === 'string' ? csvText(value) : String(value)
  })
  const metadata = r.metadata
  // Own keys only: `constructor` or `toString` must not read Object.prototype's.
  const meta = metadataKeys.map((key) =>
    metadata && Object.hasOwn(metadata, key) ? csvMetadata(metadata[key]!) : '',
  )
  return [...fixed, ...meta]
}

export function csvHeader(metadataKeys: readonly string[]): string[] {
  return [...CSV_COLUMNS, ...metadataKeys.map((key) => `metadata.${key}`)]
}
