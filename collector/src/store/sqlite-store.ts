/**
 * The embedded store: one SQLite file through better-sqlite3, in WAL mode, migrated at start-up.
 *
 * Durability: every write resolves only once it would survive a power loss, not just a process crash.
 * `synchronous = FULL` would get there by fsyncing the WAL inside each commit, blocking the event loop
 * for the length of a disk flush per batch. We run `synchronous = NORMAL` (commits append to the WAL
 * without waiting for the disk; checkpoints still sync) and make the WAL durable ourselves with an
 * asynchronous `fdatasync` on it before any write is acknowledged (group-commit.ts). Frames that reached
 * the disk before a crash are exactly what SQLite's recovery replays, so an acknowledged write is as
 * durable as under FULL, while the server keeps serving during the flush. Where WAL is not available
 * (an in-memory database, an odd filesystem) we fall back to FULL.
 *
 * Answers and widget events, the hot path, are committed by a writer thread with its own connection
 * (writer.ts), which keeps SQLite off the HTTP thread; every other write goes through a group commit on
 * this connection (group-commit.ts), after the writer has answered every write sent before it, so each
 * write is durable when answered and all are committed in the order they arrived. All reads stay here:
 * in WAL mode this connection sees each commit at once. Without WAL (an in-memory database) the hot
 * writes take the group commit too.
 *
 * @example
 * const store = new SqliteStore('./data/npskit.db')
 * const survey = await store.createSurvey(defaultSurveySettings('Checkout'), Date.now())
 * await store.writeResponse(survey.id, { id: crypto.randomUUID(), score: 9, receivedAt: Date.now() })
 * await store.close()
 */
import { closeSync, fdatasync, fstat, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { type Category, classify, type EventSubmission, type SurveySettings } from '@npskit/shared'
import Database from 'better-sqlite3'
import { Checkpointer } from './checkpointer.ts'
import { GroupCommit } from './group-commit.ts'
import { HourCounts, UPSERT_HOUR_COUNTS } from './hour-counts.ts'
import { hashSecret, randomId, sameHash } from './keys.ts'
import { migrate } from './migrations.ts'
import type {
  ApiKeyInfo,
  Cursor,
  Device,
  ErasureResult,
  ImportResult,
  MetadataValue,
  Page,
  ResponseFilter,
  ResponseWrite,
  ResponseWriteResult,
  Store,
  StoredResponse,
  Survey,
} from './store.ts'
import { UnknownSurveyError } from './store.ts'
import { type EventValues, type ResponseValues, Writer, type WriterSql } from './writer.ts'

interface SurveyRow {
  id: string
  settings: string
  created_at: number
  updated_at: number
}

interface KeyRow {
  id: string
  name: string
  hash: string
  prefix: string
  created_at: number
  revoked_at: number | null
}

interface ResponseRow {
  id: string
  created_at: number
  score: number
  comment: string | null
  respondent_id: string | null
  locale: string | null
  url: string | null
  path: string | null
  device: Device | null
  metadata: string | null
}

const SCORE_RANGE: Record<Category, [number, number]> = {
  detractor: [0, 6],
  passive: [7, 8],
  promoter: [9, 10],
}

/**
 * The hot writes, run by the writer thread (writer.ts) or, without one, on this connection. Parameters
 * are numbered as in ResponseValues and EventValues (better-sqlite3 binds `?NNN` from an object keyed by
 * number, about half the cost of named ones).
 */
const WRITE_SQL: WriterSql = {
  // One statement on the common path (a new id); the foreign key refuses an unknown survey.
  insertResponse: `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url, path, device, metadata)
    VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
    ON CONFLICT (survey_id, id) DO NOTHING`,
  // A repeat (the follow-up comment, a retry): the first receipt time stays; what the repeat leaves out
  // keeps its earlier value; the score may change if the visitor changed it.
  mergeResponse: `UPDATE responses SET updated_at = ?3, score = ?4,
      comment = coalesce(?5, comment), respondent_id = coalesce(?6, respondent_id),
      locale = coalesce(?7, locale), url = coalesce(?8, url), path = coalesce(?9, path),
      device = coalesce(?10, device), metadata = coalesce(?11, metadata)
    WHERE survey_id = ?1 AND id = ?2`,
  insertEvent:
    'INSERT INTO events (survey_id, type, respondent_id, response_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)',
  upsertHourCounts: UPSERT_HOUR_COUNTS,
}

/** better-sqlite3 binds `?NNN` parameters from an object keyed by number. */
function numbered(values: readonly unknown[]): Record<number, unknown> {
  const params: Record<number, unknown> = {}
  for (let i = 0; i < values.length; i++) params[i + 1] = values[i]
  return params
}

/** A writer-thread failure as the in-process path would throw it. */
function fromWriter(surveyId: string) {
  return (error: { code?: string }): never => {
    if (error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new UnknownSurveyError(surveyId)
    throw error
  }
}

/** Runs a write, turning a foreign-key failure (no such survey) into UnknownSurveyError. */
function onUnknownSurvey<T>(surveyId: string, write: () => T): T {
  try {
    return write()
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
      throw new UnknownSurveyError(surveyId)
    throw error
  }
}

function toSurvey(row: SurveyRow): Survey {
  return {
    id: row.id,
    settings: JSON.parse(row.settings) as SurveySettings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toKey(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

function toResponse(row: ResponseRow): StoredResponse {
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
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, MetadataValue>),
  }
}

/** The WHERE clause of a filtered read of one survey's responses, with named parameters. */
function whereOf(filter: ResponseFilter): { sql: string; params: Record<string, number> } {
  const parts = ['survey_id = @surveyId']
  const params: Record<string, number> = {}
  if (filter.from !== undefined) {
    parts.push('created_at >= @from')
    params.from = filter.from
  }
  if (filter.to !== undefined) {
    parts.push('created_at < @to')
    params.to = filter.to
  }
  if (filter.category) {
    const [low, high] = SCORE_RANGE[filter.category]
    parts.push('score BETWEEN @low AND @high')
    params.low = low
    params.high = high
  }
  return { sql: parts.join(' AND '), params }
}

export interface SqliteStoreOptions {
  /**
   * `full` (default): a write is acknowledged once it survives a power loss. `normal`: once it survives
   * a crash of this process (not of the machine) — no disk flush per batch, for more throughput.
   */
  sync?: 'full' | 'normal'
  /** Past this size the WAL is checkpointed and truncated on the main thread; default 64 MiB. */
  maxWalBytes?: number
}

export class SqliteStore implements Store {
  /** The open database, for modules that read it directly (analytics). */
  readonly db: Database.Database
  readonly #commits: GroupCommit
  /** The writer thread of answers and events; none for an in-memory or non-WAL database. */
  readonly #writer: Writer | undefined
  /** The hourly counts of answers inserted in the current batch, added when it commits. */
  readonly #hours: HourCounts
  readonly #savepoint: (run: () => unknown) => unknown
  /** Surveys are read on every public request and change rarely; this process is their only writer. */
  readonly #surveys = new Map<string, Survey | undefined>()
  readonly #statements = new Map<string, Database.Statement>()
  #closed = false
  #walFd: number | undefined
  #checkpointer: Checkpointer | undefined
  #truncating = false
  #walSizeSeenAt = 0
  readonly #maxWalBytes: number

  constructor(path: string, options: SqliteStoreOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    this.db = new Database(path)
    const wal = path !== ':memory:' && this.db.pragma('journal_mode = WAL', { simple: true }) === 'wal'
    this.db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    try {
      migrate(this.db)
    } catch (error) {
      this.db.close()
      throw error
    }
    this.#maxWalBytes = options.maxWalBytes ?? 64 * 1024 * 1024
    const powerSafe = options.sync !== 'normal'
    this.#hours = new HourCounts(this.db)
    this.#savepoint = this.db.transaction((run: () => unknown) => run())
    this.#commits = new GroupCommit(
      this.db,
      wal && powerSafe ? (done) => this.#syncWal(`${path}-wal`, done) : undefined,
      { beforeCommit: () => this.#hours.flush() },
    )
    if (wal) {
      // Checkpoints happen in a worker thread instead of inside some request's commit (checkpointer.ts).
      this.db.pragma('wal_autocheckpoint = 0')
      this.#checkpointer = new Checkpointer(path)
      this.#writer = new Writer(path, WRITE_SQL, { sync: powerSafe, maxWalBytes: this.#maxWalBytes })
    }
  }

  /** fdatasync of the WAL file, on libuv's thread pool; fsync on any descriptor flushes the whole file. */
  #syncWal(walPath: string, done: (error: Error | null) => void): void {
    try {
      this.#walFd ??= openSync(walPath, 'r+')
    } catch (error) {
      done(error as Error)
      return
    }
    const fd = this.#walFd
    fdatasync(fd, (error) => {
      done(error)
      if (!error) this.#limitWal(fd)
    })
  }

  /**
   * The size guard of background checkpoints: a WAL that outgrew them is truncated here, once. A look
   * at its size costs a round trip to the thread pool, so it is taken at most every 100 ms.
   */
  #limitWal(fd: number): void {
    const now = Date.now()
    if (this.#truncating || now - this.#walSizeSeenAt < 100) return
    this.#walSizeSeenAt = now
    this.#truncating = true
    fstat(fd, (error, stats) => {
      this.#truncating = false
      if (error || this.#closed || stats.size <= this.#maxWalBytes) return
      // Without waiting: if the worker is mid-checkpoint, a later guard tries again.
      this.db.pragma('busy_timeout = 0')
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)')
      } catch {
        // Busy: the worker's next checkpoint or a later guard will catch up.
      } finally {
        this.db.pragma('busy_timeout = 5000')
      }
    })
  }

  /**
   * Any write but an answer or an event, on this connection: the hourly counts of answers inserted before
   * it in this batch are added first, since its triggers may adjust them (an update, a deletion); then
   * it runs in a savepoint of its own, so a failure undoes all of it and nothing else.
   */
  #write<T>(run: () => T): Promise<T> {
    const enqueue = () =>
      this.#commits.enqueue(
        () => {
          this.#hours.flush()
          return this.#savepoint(run) as T
        },
        { atomic: false },
      )
    // Hot writes handed to the writer thread earlier go first, as with one queue: a survey deleted or a
    // respondent erased after an answer was sent takes that answer with it.
    const earlier = this.#writer?.settled()
    return earlier ? earlier.then(enqueue) : enqueue()
  }

  #prepare(sql: string): Database.Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  // ── surveys ──────────────────────────────────────────────────────────────────────────────────────

  createSurvey(settings: SurveySettings, at: number): Promise<Survey> {
    return this.#write(() => {
      const survey: Survey = { id: randomId('srv'), settings, createdAt: at, updatedAt: at }
      this.#prepare('INSERT INTO surveys (id, settings, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
        survey.id,
        JSON.stringify(settings),
        at,
        at,
      )
      return survey
    })
  }

  getSurvey(id: string): Survey | undefined {
    if (this.#surveys.has(id)) return this.#surveys.get(id)
    const row = this.#prepare('SELECT * FROM surveys WHERE id = ?').get(id) as SurveyRow | undefined
    const survey = row && toSurvey(row)
    // Unknown ids are not cached: anyone can send them, and the cache must not grow without bound.
    if (survey) this.#surveys.set(id, survey)
    return survey
  }

  listSurveys(limit: number, after?: Cursor): Page<Survey, Cursor> {
    const rows = (
      after
        ? this.#prepare(
            'SELECT * FROM surveys WHERE created_at > ? OR (created_at = ? AND id > ?) ORDER BY created_at, id LIMIT ?',
          ).all(after.createdAt, after.createdAt, after.id, limit + 1)
        : this.#prepare('SELECT * FROM surveys ORDER BY created_at, id LIMIT ?').all(limit + 1)
    ) as SurveyRow[]
    const items = rows.slice(0, limit).map(toSurvey)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  updateSurvey(id: string, settings: SurveySettings, at: number): Promise<Survey | undefined> {
    return this.#write(() => {
      const row = this.#prepare(
        'UPDATE surveys SET settings = ?, updated_at = ? WHERE id = ? RETURNING *',
      ).get(JSON.stringify(settings), at, id) as SurveyRow | undefined
      this.#surveys.delete(id)
      return row && toSurvey(row)
    })
  }

  deleteSurvey(id: string): Promise<boolean> {
    // Writes queued before this delete commit first and go with the survey; later ones find none.
    return this.#write(() => {
      const { changes } = this.#prepare('DELETE FROM surveys WHERE id = ?').run(id)
      this.#surveys.delete(id)
      return changes > 0
    })
  }

  // ── API keys ─────────────────────────────────────────────────────────────────────────────────────

  addApiKey(key: { name: string; secret: string }, at: number): Promise<ApiKeyInfo> {
    return this.#write(() => this.#addApiKey(key, at))
  }

  #addApiKey(key: { name: string; secret: string }, at: number): ApiKeyInfo {
    const hash = hashSecret(key.secret)
    const existing = this.#prepare('SELECT * FROM api_keys WHERE hash = ?').get(hash) as KeyRow | undefined
    if (existing) {
      // The same secret again (NPSKIT_ADMIN_KEY on every start): reactivate rather than duplicate.
      this.#prepare('UPDATE api_keys SET revoked_at = NULL WHERE id = ?').run(existing.id)
      return toKey({ ...existing, revoked_at: null })
    }
    const row: KeyRow = {
      id: randomId('key'),
      name: key.name,
      hash,
      prefix: key.secret.slice(0, 8),
      created_at: at,
      revoked_at: null,
    }
    this.#prepare(
      'INSERT INTO api_keys (id, name, hash, prefix, created_at, revoked_at) VALUES (@id, @name, @hash, @prefix, @created_at, @revoked_at)',
    ).run(row)
    return toKey(row)
  }

  verifyApiKey(secret: string): ApiKeyInfo | undefined {
    const hash = hashSecret(secret)
    // The lookup is by hash, so its timing tells nothing usable about the secret; the final comparison
    // is constant-time anyway.
    const row = this.#prepare('SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hash) as
      | KeyRow
      | undefined
    return row && sameHash(row.hash, hash) ? toKey(row) : undefined
  }

  listApiKeys(): ApiKeyInfo[] {
    return (this.#prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as KeyRow[]).map(toKey)
  }

  revokeApiKey(id: string, at: number): Promise<ApiKeyInfo | undefined> {
    return this.#write(() => {
      this.#prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id)
      const row = this.#prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined
      return row && toKey(row)
    })
  }

  countActiveApiKeys(): number {
    const row = this.#prepare('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL').get() as {
      n: number
    }
    return row.n
  }

  // ── the write path ───────────────────────────────────────────────────────────────────────────────

  #requireSurvey(surveyId: string): void {
    if (!this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(surveyId)) {
      throw new UnknownSurveyError(surveyId)
    }
  }

  writeResponse(surveyId: string, r: ResponseWrite): Promise<ResponseWriteResult> {
    const values: ResponseValues = [
      surveyId,
      r.id,
      r.receivedAt,
      r.score,
      r.comment ?? null,
      r.respondentId ?? null,
      r.locale ?? null,
      r.url ?? null,
      r.path ?? null,
      r.device ?? null,
      r.metadata ? JSON.stringify(r.metadata) : null,
    ]
    const category = classify(r.score)
    if (this.#writer) {
      return this.#writer
        .write(['r', ...values])
        .then((inserted) => ({ created: inserted === 1, category }), fromWriter(surveyId))
    }
    return this.#commits.enqueue(
      () =>
        onUnknownSurvey(surveyId, () => {
          const params = numbered(values)
          if (this.#prepare(WRITE_SQL.insertResponse).run(params).changes > 0) {
            this.#hours.add(surveyId, r.receivedAt, r.score)
            return { created: true, category }
          }
          // A merge may change the score: its trigger adjusts the counts, which must be complete first.
          this.#hours.flush()
          this.#prepare(WRITE_SQL.mergeResponse).run(params)
          return { created: false, category }
        }),
      // The insert and the update never both write: whichever runs is one statement.
      { atomic: false },
    )
  }

  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void> {
    const values: EventValues = [surveyId, event.type, event.respondentId, event.responseId ?? null, at]
    if (this.#writer) {
      return this.#writer.write(['e', ...values]).then(() => undefined, fromWriter(surveyId))
    }
    return this.#commits.enqueue(
      () =>
        onUnknownSurvey(surveyId, () => {
          this.#prepare(WRITE_SQL.insertEvent).run(numbered(values))
        }),
      { atomic: false },
    )
  }

  importResponses(surveyId: string, rows: Iterable<StoredResponse>, at: number): Promise<ImportResult> {
    return this.#write(() => {
      this.#requireSurvey(surveyId)
      const exists = this.#prepare('SELECT 1 FROM responses WHERE survey_id = ? AND id = ?')
      const upsert = this.#prepare(
        `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url, path, device, metadata)
         VALUES (@surveyId, @id, @createdAt, @at, @score, @comment, @respondentId, @locale, @url, @path, @device, @metadata)
         ON CONFLICT (survey_id, id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at,
           score = excluded.score, comment = excluded.comment, respondent_id = excluded.respondent_id,
           locale = excluded.locale, url = excluded.url, path = excluded.path, device = excluded.device,
           metadata = excluded.metadata`,
      )
      const result: ImportResult = { created: 0, updated: 0 }
      // Its own counts, kept apart from the batch's: a failed import rolls back with them.
      const hours = new HourCounts(this.db)
      for (const row of rows) {
        const existed = exists.get(surveyId, row.id) !== undefined
        // Updating a row (say, an id twice in one file) adjusts the counts by trigger: complete them first.
        if (existed) hours.flush()
        upsert.run({
          ...row,
          surveyId,
          at,
          metadata: row.metadata ? JSON.stringify(row.metadata) : null,
        })
        if (existed) result.updated++
        else {
          result.created++
          hours.add(surveyId, row.createdAt, row.score)
        }
      }
      hours.flush()
      return result
    })
  }

  listResponses(
    surveyId: string,
    filter: ResponseFilter,
    limit: number,
    after?: Cursor,
  ): Page<StoredResponse, Cursor> {
    const where = whereOf(filter)
    const keyset = after ? ' AND (created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))' : ''
    const rows = this.#prepare(
      `SELECT id, created_at, score, comment, respondent_id, locale, url, path, device, metadata
       FROM responses WHERE ${where.sql}${keyset} ORDER BY created_at, id LIMIT @limit`,
    ).all({
      ...where.params,
      surveyId,
      limit: limit + 1,
      ...(after ? { afterAt: after.createdAt, afterId: after.id } : {}),
    }) as ResponseRow[]
    const items = rows.slice(0, limit).map(toResponse)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  metadataKeys(surveyId: string, filter: ResponseFilter): string[] {
    const where = whereOf(filter)
    const rows = this.#prepare(
      `SELECT DISTINCT j.key AS key FROM responses, json_each(responses.metadata) AS j
       WHERE ${where.sql} AND responses.metadata IS NOT NULL ORDER BY j.key`,
    ).all({ ...where.params, surveyId }) as { key: string }[]
    return rows.map((r) => r.key)
  }

  eraseRespondent(respondentId: string): Promise<ErasureResult> {
    return this.#write(() => ({
      // Per survey through the time index, which carries the respondent: reads each survey's index
      // entries, never the table; an index by respondent would cost a random write on every answer.
      responses: this.#prepare(
        'DELETE FROM responses WHERE survey_id IN (SELECT id FROM surveys) AND respondent_id = ?',
      ).run(respondentId).changes,
      events: this.#prepare('DELETE FROM events WHERE respondent_id = ?').run(respondentId).changes,
    }))
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    // The writer thread first: writes queued behind it then still find their turn.
    await this.#writer?.close()
    await this.#commits.close()
    await this.#checkpointer?.close()
    if (this.#walFd !== undefined) closeSync(this.#walFd)
    this.db.close()
  }
}
