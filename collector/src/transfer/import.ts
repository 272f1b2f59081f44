/**
 * Reading an import (CSV or NDJSON) in two passes, so that a bad row means nothing is written and a
 * large file never sits in memory: pass one streams the body, validates every row and spools the valid
 * ones to a file in the data folder; only if every row was valid does pass two read that file back and
 * hand it to the backend in batches of IMPORT_BATCH_ROWS, each its own transaction.
 *
 * Neither pass may hold the server: pass one lets other requests in every SLICE_MS of validation, and a
 * batch is a few milliseconds of the write lock, so answers arriving meanwhile are written between two
 * batches instead of after the whole file. Lines, columns and rows are capped, so no body can make one
 * step long (collector/README.md, "Imports").
 */
import { randomUUID } from 'node:crypto'
import { closeSync, createWriteStream, mkdirSync, openSync, readdirSync, readSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { setImmediate as nextTurn } from 'node:timers/promises'
import {
  commentSchema,
  contactEmailSchema,
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
import {
  type ImportResult,
  type MetadataValue,
  RESPONSE_SOURCES,
  type StoredResponse,
} from '../backend/backend.ts'
import type { Config } from '../config.ts'
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

/**
 * The longest NDJSON line or CSV record an import takes, in bytes (CSV: characters). The longest valid
 * row — a 2,000-character comment, a 2,048-character URL and 20 metadata values of 256 characters, all
 * escaped as `\uXXXX` — is under 64 KiB; a line past the cap is refused (413) before it is buffered.
 */
export const MAX_IMPORT_LINE_BYTES = 256 * 1024

/**
 * Metadata columns a CSV import takes besides the fixed ones. An export writes one per metadata key of
 * the survey; a header wider than this is refused (400) after reading only that much of it.
 */
export const MAX_IMPORT_METADATA_COLUMNS = 1000
export const MAX_IMPORT_COLUMNS = CSV_COLUMNS.length + MAX_IMPORT_METADATA_COLUMNS

/**
 * Rows per backend transaction in pass two: batches start at 250 rows and are resized after each to
 * take about IMPORT_BATCH_MS (a row costs 10–50 µs of the write lock depending on the machine's load),
 * between 50 and 2,000 rows.
 */
export const IMPORT_BATCH_ROWS = { first: 250, min: 50, max: 2000 } as const
const IMPORT_BATCH_MS = 15

/** Longest stretch of validation before other requests get their turn. */
const SLICE_MS = 10

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
  contact: z.strictObject({ email: contactEmailSchema.nullable() }).nullish(),
  source: z.enum(RESPONSE_SOURCES, { error: 'source must be widget, api, import or link' }).nullish(),
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
    contact: row.contact ? { email: row.contact.email } : null,
    // An export's row says where it first came from; any other row is imported history.
    source: row.source ?? 'import',
  }
}

/** The folder import spools live in: inside the collector's data folder, never the system's temp. */
export function importSpoolDir(dataDir: string): string {
  return join(dataDir, 'imports')
}

/**
 * Removes spools a killed collector left behind (at start-up, before any import can run). A data folder
 * belongs to one collector process. Returns how many files were removed.
 */
export function removeLeftoverSpools(dataDir: string): number {
  const dir = importSpoolDir(dataDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  for (const name of names) rmSync(join(dir, name), { recursive: true, force: true })
  return names.length
}

function lineTooLong(line: number): ApiError {
  return new ApiError(
    413,
    'line_too_long',
    `line ${line} is longer than ${MAX_IMPORT_LINE_BYTES} bytes, the most one row of an import may take`,
  )
}

function tooManyRows(limit: number): ApiError {
  return new ApiError(
    413,
    'too_many_rows',
    `an import takes at most ${limit} rows (NPSKIT_IMPORT_ROW_LIMIT); split the file and send each part`,
  )
}

function tooManyColumns(): ApiError {
  return new ApiError(
    400,
    'invalid_import',
    `the header has more than ${MAX_IMPORT_COLUMNS} columns, the most a CSV import takes (the ${CSV_COLUMNS.length} fixed columns and ${MAX_IMPORT_METADATA_COLUMNS} metadata.* columns)`,
  )
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

/** A row refused before validation (not JSON, a refused key, CSV contact columns that disagree). */
const REFUSED = Symbol.for('npskit.refused-row')

/** A row read from an import; a refused one may say why. */
interface NdjsonRow {
  line: number
  value: unknown
  message?: string | undefined
}

/**
 * NDJSON lines with their 1-based line numbers; blank lines are skipped. Lines are cut from the bytes
 * (a newline byte never occurs inside a UTF-8 sequence), each chunk scanned once, and a line longer than
 * MAX_IMPORT_LINE_BYTES fails as soon as that much of it has arrived: linear in the body, whatever its
 * lines.
 */
async function* ndjsonRows(input: Readable): AsyncGenerator<NdjsonRow> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  let line = 0
  const emit = (bytes: Buffer): NdjsonRow | undefined => {
    line++
    const text = bytes.toString('utf8').replace(/\r$/, '')
    if (text.trim() === '') return undefined
    try {
      return { line, value: parseJson(text) }
    } catch (error) {
      // A refused key (__proto__) is a bad row like any other, reported with its reason.
      return { line, value: REFUSED, message: error instanceof ApiError ? error.message : undefined }
    }
  }
  for await (const chunk of input as AsyncIterable<Buffer>) {
    let start = 0
    let newline = chunk.indexOf(0x0a)
    while (newline >= 0) {
      const part = chunk.subarray(start, newline)
      if (pendingBytes + part.length > MAX_IMPORT_LINE_BYTES) throw lineTooLong(line + 1)
      const row = emit(pending.length ? Buffer.concat([...pending, part]) : part)
      pending = []
      pendingBytes = 0
      if (row) yield row
      start = newline + 1
      newline = chunk.indexOf(0x0a, start)
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start
      if (pendingBytes > MAX_IMPORT_LINE_BYTES) throw lineTooLong(line + 1)
      pending.push(chunk.subarray(start))
    }
  }
  if (pendingBytes > 0) {
    const row = emit(Buffer.concat(pending))
    if (row) yield row
  }
}

/**
 * Counts the header's columns as its bytes pass (commas outside quotes, up to the first line break
 * outside quotes) and fails past MAX_IMPORT_COLUMNS, so a header of 200,000 columns is refused after
 * its first thousand instead of being parsed whole.
 */
function headerColumnCap(): Transform {
  let columns = 1
  let quoted = false
  let done = false
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      for (let i = 0; !done && i < chunk.length; i++) {
        const byte = chunk[i]
        if (byte === 0x22) quoted = !quoted
        else if (quoted) continue
        else if (byte === 0x2c && ++columns > MAX_IMPORT_COLUMNS) return next(tooManyColumns())
        else if (byte === 0x0a || byte === 0x0d) done = true
      }
      next(null, chunk)
    },
  })
}

const KNOWN_CSV_COLUMNS = new Set<string>(CSV_COLUMNS)

/** CSV records as import rows (empty cell = absent; format.ts undoes export's marks and metadata types). */
async function* csvRows(input: Readable): AsyncGenerator<NdjsonRow> {
  const counted = input.pipe(headerColumnCap())
  input.on('error', (error) => counted.destroy(error))
  const parser = counted.pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: MAX_IMPORT_LINE_BYTES,
      columns: (header: string[]) => {
        if (header.length > MAX_IMPORT_COLUMNS) throw tooManyColumns()
        const seen = new Set<string>()
        for (const name of header) {
          // The last of two cells would silently win; say which column is doubled instead.
          if (seen.has(name)) throw new ApiError(400, 'invalid_import', `the column "${name}" appears twice`)
          seen.add(name)
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
  counted.on('error', (error) => parser.destroy(error))
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
    const contact = csvContact(row)
    if (typeof contact === 'string') {
      yield { line: info.lines, value: REFUSED, message: contact }
      continue
    }
    if (contact) row.contact = contact
    yield { line: info.lines, value: row }
  }
}

/**
 * The two contact columns of a CSV row as the row's `contact` (taking them off the row), or a message
 * saying what is wrong with them: `contactRequested` is `true` or `false` (empty: false), and an address
 * comes only with `true`.
 */
function csvContact(row: Record<string, unknown>): { email: unknown } | undefined | string {
  const { contactRequested: requested, contactEmail: email } = row
  delete row.contactRequested
  delete row.contactEmail
  if (requested === 'true') return { email: email ?? null }
  if (requested !== undefined && requested !== 'false') {
    return `contactRequested must be true or false, got ${String(requested)}`
  }
  if (email !== undefined) return 'contactEmail is given but contactRequested is not true'
  return undefined
}

/** What was sent, as a message shows it: CSV cells as they are, NDJSON values as JSON. */
function shown(value: unknown, format: ImportFormat): string {
  return format === 'csv' && typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The issues of a refused row, each saying what is wrong in the row's own terms: a missing field is
 * "id is required" rather than zod's type error, and a bad score names what it got, which matters most
 * in CSV, where every cell is text.
 */
function rowIssues(
  error: z.ZodError,
  value: unknown,
  format: ImportFormat,
): { path: string; message: string }[] {
  const row = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const paths = issuesOf(error).map((issue) => issue.path)
  return error.issues.map((issue, i) => {
    // CSV has a column where JSON has a field.
    const path = format === 'csv' && paths[i] === 'contact.email' ? 'contactEmail' : (paths[i] ?? '')
    const input = issue.path.length === 1 ? row[String(issue.path[0])] : undefined
    if (issue.path.length === 1 && input === undefined && issue.code === 'invalid_type') {
      return { path, message: `${path} is required` }
    }
    if (path === 'score') {
      return { path, message: `score must be an integer from 0 to 10, got ${shown(input, format)}` }
    }
    const named = !path || issue.message.startsWith(path)
    return { path, message: named ? issue.message : `${path}: ${issue.message}` }
  })
}

/** Where the caps and the file folder come from. */
export type ImportOptions = Pick<Config, 'importLimit' | 'importRowLimit' | 'dataDir'>

/**
 * Pass one: validates every row of the body and spools the valid ones into the data folder. Throws a
 * 400 listing every bad row by line (nothing spooled survives), 413 past `importLimit` bytes, past
 * `importRowLimit` rows or for a line longer than MAX_IMPORT_LINE_BYTES, 400 for a bad CSV header.
 */
export async function spoolImport(
  body: ReadableStream<Uint8Array> | null,
  format: ImportFormat,
  options: ImportOptions,
  receivedAt: number,
): Promise<SpooledImport> {
  const dir = importSpoolDir(options.dataDir)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${randomUUID()}.ndjson`)
  const dispose = () => rmSync(file, { force: true })
  try {
    const input = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([])
    const capped = input.pipe(byteCap(options.importLimit))
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
    let seen = 0
    let slice = performance.now()
    try {
      for await (const { line, value, message } of rows as AsyncIterable<NdjsonRow>) {
        // Rows already buffered are validated without a turn of the event loop in between; give one.
        if (performance.now() - slice > SLICE_MS) {
          await nextTurn()
          slice = performance.now()
        }
        if (++seen > options.importRowLimit) throw tooManyRows(options.importRowLimit)
        if (value === REFUSED) {
          bad++
          if (errors.length < MAX_LISTED_ERRORS) errors.push({ line, message: message ?? 'not valid JSON' })
          continue
        }
        const parsed = importRowSchema.safeParse(value)
        if (!parsed.success) {
          bad++
          if (errors.length < MAX_LISTED_ERRORS) {
            const issues = rowIssues(parsed.error, value, format)
            errors.push({ line, message: issues[0]?.message ?? 'invalid row', issues })
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
      if ((error as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') throw lineTooLong(csvLine ?? seen + 1)
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

/**
 * Pass two: hands the spooled rows to `write` (the backend's importResponses) a batch at a time, each
 * batch its own transaction of a few milliseconds, and adds up what they did. Every row was valid in
 * pass one, so only storage can fail here; the batches before stay written, and since an import is
 * idempotent by id, sending the same file again completes it.
 */
export async function writeImport(
  spooled: SpooledImport,
  write: (rows: StoredResponse[]) => Promise<ImportResult>,
): Promise<ImportResult> {
  const total: ImportResult = { created: 0, updated: 0 }
  let size: number = IMPORT_BATCH_ROWS.first
  let batch: StoredResponse[] = []
  let batches = 0
  const flush = async () => {
    const started = performance.now()
    const result = await write(batch)
    const took = Math.max(performance.now() - started, 0.1)
    total.created += result.created
    total.updated += result.updated
    batches++
    batch = []
    const { min, max } = IMPORT_BATCH_ROWS
    size = Math.round(Math.min(max, Math.max(min, (size * IMPORT_BATCH_MS) / took, size / 2), size * 2))
  }
  for (const row of spooled.rows()) {
    batch.push(row)
    if (batch.length >= size) await flush()
  }
  // An empty import still asks the backend, which refuses a survey deleted meanwhile.
  if (batch.length > 0 || batches === 0) await flush()
  return total
}

/** Pass two's reader: the spooled rows, read synchronously in chunks of 1 MiB. */
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
