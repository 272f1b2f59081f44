/**
 * Reading an import (CSV or NDJSON) in two passes, so that a bad row means nothing is written and a
 * large file never sits in memory: pass one streams the body, validates every row and spools the valid
 * ones to a temporary file; only if every row was valid does pass two read that file back, row by row,
 * inside one backend transaction.
 */
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import {
  commentSchema,
  LIMITS,
  localeSchema,
  metadataSchema,
  scoreSchema,
  storedRespondentIdSchema,
  textOf,
  urlSchema,
} from '@npskit/shared'
import { parse } from 'csv-parse'
import { z } from 'zod'
import type { MetadataValue, StoredResponse } from '../backend/backend.ts'
import { parseJson, tooLarge } from '../http/body.ts'
import { pathOf } from '../http/client.ts'
import { ApiError, issuesOf } from '../http/errors.ts'
import { CSV_COLUMNS, fromCsvMetadata, fromCsvText } from './format.ts'

export type ImportFormat = 'csv' | 'ndjson'

/** At most this many bad rows are listed; the count says how many there were in all. */
export const MAX_LISTED_ERRORS = 1000

/**
 * Past this many distinct metadata keys an import is refused while it is read: its keys are admitted
 * (http/metadata.ts) before it is written, and no survey takes this many.
 */
const MAX_IMPORT_METADATA_KEYS = 2 * LIMITS.surveyMetadataKeys

export const importRowSchema = z.strictObject({
  id: textOf(LIMITS.id, 1),
  score: scoreSchema,
  comment: commentSchema.nullish(),
  // Any id ever stored, `.` and `..` too: an export made before they were refused imports as it is
  // (DELETE /v1/respondents?respondentId=… erases them).
  respondentId: storedRespondentIdSchema.nullish(),
  createdAt: z.iso.datetime({ offset: true, error: 'createdAt must be an ISO 8601 date-time' }).nullish(),
  locale: localeSchema.nullish(),
  url: urlSchema.nullish(),
  device: z.enum(['desktop', 'mobile', 'tablet']).nullish(),
  metadata: metadataSchema.nullish(),
  // Derived fields that export writes; accepted so an export imports as it is, then recomputed.
  category: z.unknown().optional(),
  path: z.unknown().optional(),
})

export interface RowError {
  line: number
  message: string
  issues?: { path: string; message: string }[]
}

/** A spooled, fully valid import, ready to be read back inside a transaction. */
export interface SpooledImport {
  count: number
  /** The distinct metadata keys of the rows, to admit before they are written (http/metadata.ts). */
  metadataKeys: string[]
  rows(): Iterable<StoredResponse>
  dispose(): void
}

export function importFormatOf(mediaType: string, query: string | undefined): ImportFormat | undefined {
  if (query === 'csv' || query === 'ndjson') return query
  if (mediaType === 'text/csv' || mediaType === 'application/csv') return 'csv'
  if (
    ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'].includes(
      mediaType,
    )
  ) {
    return 'ndjson'
  }
  return undefined
}

function toStored(row: z.output<typeof importRowSchema>, receivedAt: number): StoredResponse {
  return {
    id: row.id,
    createdAt: row.createdAt ? Date.parse(row.createdAt) : receivedAt,
    score: row.score,
    comment: row.comment ?? null,
    respondentId: row.respondentId ?? null,
    locale: row.locale ?? null,
    url: row.url ?? null,
    path: pathOf(row.url ?? undefined),
    device: row.device ?? null,
    metadata: row.metadata ?? null,
  }
}

/** Counts bytes as they pass and fails the stream past the cap. */
function byteCap(limit: number): Transform {
  let size = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > limit) done(tooLarge(limit))
      else done(null, chunk)
    },
  })
}

/** NDJSON lines with their 1-based line numbers; blank lines are skipped. */
async function* ndjsonRows(
  input: Readable,
): AsyncGenerator<{ line: number; value: unknown; message?: string | undefined }> {
  let rest = ''
  let line = 0
  const decoder = new TextDecoder('utf-8')
  const emit = function* (text: string) {
    line++
    if (text.trim() === '') return
    try {
      yield { line, value: parseJson(text) }
    } catch (error) {
      // A refused key (__proto__) is a bad row like any other, reported with its reason.
      const message = error instanceof ApiError ? error.message : undefined
      yield { line, value: Symbol.for('npskit.invalid-json'), message }
    }
  }
  for await (const chunk of input) {
    rest += decoder.decode(chunk as Buffer, { stream: true })
    let start = 0
    let newline = rest.indexOf('\n')
    while (newline >= 0) {
      yield* emit(rest.slice(start, newline).replace(/\r$/, ''))
      start = newline + 1
      newline = rest.indexOf('\n', start)
    }
    rest = rest.slice(start)
  }
  rest += decoder.decode()
  if (rest !== '') yield* emit(rest.replace(/\r$/, ''))
}

const KNOWN_CSV_COLUMNS = new Set<string>(CSV_COLUMNS)

/** CSV records as import rows (empty cell = absent; format.ts undoes export's marks and metadata types). */
async function* csvRows(input: Readable): AsyncGenerator<{ line: number; value: unknown }> {
  const parser = input.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (header: string[]) => {
        for (const name of header) {
          if (!KNOWN_CSV_COLUMNS.has(name) && !/^metadata\..+/.test(name)) {
            throw new ApiError(400, 'invalid_import', `unknown column "${name}"`)
          }
          if (name === 'metadata.__proto__') {
            // Copied into the row it would set a prototype instead of a field: refused, not dropped.
            throw new ApiError(
              400,
              'invalid_import',
              'column "metadata.__proto__": metadata key __proto__ is not allowed',
            )
          }
        }
        if (!header.includes('id') || !header.includes('score')) {
          throw new ApiError(400, 'invalid_import', 'the header must name at least the id and score columns')
        }
        return header
      },
    }),
  )
  input.on('error', (error) => parser.destroy(error))
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>
    info: { lines: number }
  }>) {
    const row: Record<string, unknown> = {}
    let metadata: Record<string, MetadataValue> | undefined
    for (const [column, cell] of Object.entries(record)) {
      if (cell === '') continue
      if (column.startsWith('metadata.')) {
        metadata ??= {}
        metadata[column.slice('metadata.'.length)] = fromCsvMetadata(cell)
      } else if (column === 'score') {
        row.score = /^(10|[0-9])$/.test(cell) ? Number(cell) : cell
      } else {
        row[column] = fromCsvText(cell)
      }
    }
    if (metadata) row.metadata = metadata
    yield { line: info.lines, value: row }
  }
}

/**
 * Pass one: validates every row of the body and spools the valid ones. Throws a 400 listing every bad
 * row by line (nothing spooled survives), or 413 past `limit` bytes.
 */
export async function spoolImport(
  body: ReadableStream<Uint8Array> | null,
  format: ImportFormat,
  limit: number,
  receivedAt: number,
): Promise<SpooledImport> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-import-'))
  const file = join(dir, 'rows.ndjson')
  const dispose = () => rmSync(dir, { recursive: true, force: true })
  try {
    const input = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([])
    const capped = input.pipe(byteCap(limit))
    input.on('error', (error) => capped.destroy(error))
    const rows = format === 'csv' ? csvRows(capped) : ndjsonRows(capped)
    // Opened synchronously so that no late asynchronous open can race the clean-up on a failed import.
    const out = createWriteStream(file, { fd: openSync(file, 'w') })
    let writeError: Error | undefined
    out.on('error', (error) => {
      writeError = error
    })
    const errors: RowError[] = []
    let bad = 0
    let count = 0
    const metadataKeys = new Set<string>()
    try {
      for await (const { line, value, message } of rows as AsyncIterable<{
        line: number
        value: unknown
        message?: string | undefined
      }>) {
        if (value === Symbol.for('npskit.invalid-json')) {
          bad++
          if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, message: message ?? 'not valid JSON' })
          continue
        }
        const parsed = importRowSchema.safeParse(value)
        if (!parsed.success) {
          bad++
          if (errors.length < MAX_LISTED_ERRORS) {
            const issues = issuesOf(parsed.error)
            const first = issues[0]
            errors.push({
              line,
              message: first ? `${first.path || 'row'}: ${first.message}` : 'invalid row',
              issues,
            })
          }
          continue
        }
        if (bad > 0) continue
        for (const key in parsed.data.metadata) metadataKeys.add(key)
        if (metadataKeys.size > MAX_IMPORT_METADATA_KEYS) {
          throw new ApiError(
            400,
            'invalid_body',
            `the rows hold more than ${MAX_IMPORT_METADATA_KEYS} distinct metadata keys; a survey collects at most ${LIMITS.surveyMetadataKeys}`,
          )
        }
        count++
        if (!out.write(`${JSON.stringify(toStored(parsed.data, receivedAt))}\n`)) {
          await new Promise<void>((resolve) => out.once('drain', resolve))
        }
      }
    } catch (error) {
      out.destroy()
      if (error instanceof ApiError) throw error
      const csvLine = (error as { lines?: number }).lines
      const message = error instanceof Error ? error.message : String(error)
      throw new ApiError(400, 'invalid_import', `the file cannot be read: ${message}`, [
        { line: csvLine ?? 0, message },
      ])
    }
    await new Promise<void>((resolve) => {
      out.once('close', resolve)
      out.end()
    })
    if (writeError) throw writeError
    if (bad > 0) {
      throw new ApiError(
        400,
        'invalid_rows',
        `${bad} row${bad === 1 ? ' is' : 's are'} invalid; nothing was imported`,
        errors,
      )
    }
    return { count, metadataKeys: [...metadataKeys], rows: () => readSpool(file), dispose }
  } catch (error) {
    dispose()
    throw error
  }
}

/** Pass two: the spooled rows, read synchronously in chunks so a transaction can consume them. */
function* readSpool(file: string): Generator<StoredResponse> {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(1 << 20)
    const decoder = new TextDecoder('utf-8')
    let rest = ''
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null)
      if (read === 0) break
      rest += decoder.decode(buffer.subarray(0, read), { stream: true })
      let start = 0
      let newline = rest.indexOf('\n')
      while (newline >= 0) {
        yield JSON.parse(rest.slice(start, newline)) as StoredResponse
        start = newline + 1
        newline = rest.indexOf('\n', start)
      }
      rest = rest.slice(start)
    }
  } finally {
    closeSync(fd)
  }
}
