/**
 * The embedded engine: one SQLite file through better-sqlite3, in WAL mode, migrated at start-up. The
 * default backend, and the right one while one machine is enough (README, "Beyond one machine").
 *
 * Durability: every write resolves only once it would survive a power loss, not just a process crash.
 * `synchronous = FULL` would get there by fsyncing the WAL inside each commit, blocking the event loop
 * for the length of a disk flush per batch. We run `synchronous = NORMAL` (commits append to the WAL
 * without waiting for the disk; checkpoints still sync) and make the WAL durable ourselves with an
 * `fdatasync` on it before any write is acknowledged. Frames that reached the disk before a crash are
 * exactly what SQLite's recovery replays, so an acknowledged write is as durable as under FULL, while
 * the server keeps serving during the flush. Where WAL is not available (an in-memory database, an odd
 * filesystem) we fall back to FULL.
 *
 * Answers and widget events, the hot path, are committed by a writer thread with its own connection
 * (writer.ts), which keeps SQLite off the HTTP thread; every other write goes through a group commit on
 * this connection (group-commit.ts), after the writer has answered every write sent before it, so each
 * write is durable when answered and all are committed in the order they arrived. All reads stay here:
 * in WAL mode this connection sees each commit at once. Without WAL (an in-memory database) the hot
 * writes take the group commit too, through the same AnswerWriter the writer thread uses.
 *
 * @example
 * const backend = new SqliteBackend('./data/npskit.db')
 * const survey = await backend.createSurvey(defaultSurveySettings('Checkout'), Date.now())
 * await backend.writeResponse(survey.id, { id: crypto.randomUUID(), score: 9, receivedAt: Date.now() })
 * await backend.close()
 */
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fdatasync, mkdirSync, openSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { classify, type EventSubmission, type SurveySettings } from '@npskit/shared'
import type Database from 'better-sqlite3'
import {
  type AccountGroup,
  type AccountWeight,
  type AnalyticsFilter,
  type ApiKeyInfo,
  type Backend,
  BackendStartError,
  type ChangePage,
  type CommentQuery,
  type CommentVisitor,
  type Cursor,
  type DataBatch,
  type DataCounts,
  type Dimension,
  type ErasureResult,
  type EventCounts,
  type Group,
  type ImportResult,
  type KeyScope,
  type LifecycleRun,
  type Mover,
  type MoverScope,
  type Page,
  type RespondentAnswer,
  type ResponseFilter,
  type ResponseOrder,
  type ResponseSource,
  type ResponseWrite,
  type ResponseWriteResult,
  type SessionInfo,
  type StoredResponse,
  type Survey,
  UnknownSurveyError,
  type Window,
} from '../backend.ts'
import { BreakdownFill } from '../breakdown-fill.ts'
import type {
  AttemptOutcome,
  Case,
  CaseChange,
  CaseCursor,
  CaseFilter,
  CaseTiming,
  CaseWithLog,
  Delivery,
  DeliveryAttempt,
  DeliveryCursor,
  DeliveryWithAttempts,
  Email,
  EndpointChange,
  EndpointHealth,
  FollowUpPage,
  FollowUpWork,
  NewCase,
  NewDelivery,
  NewEmail,
  NewEndpoint,
  ScheduleMark,
  WebhookEndpoint,
} from '../follow-up.ts'
import type { CaseLogRow, CaseRow, EndpointRow } from '../follow-up-rows.ts'
import { KnownMetadataKeys, type Registration, registration } from '../metadata-keys.ts'
import {
  type ChangeRow,
  changePage,
  type EventRow,
  exportBatches,
  type KeyRow,
  keptMetadata,
  type LifecycleRunRow,
  lifecycleRunRow,
  pageOf,
  type ResponseRow as RowOfResponse,
  type SurveyRow as RowOfSurvey,
  toKey,
  toLifecycleRun,
  toResponse,
  toSurvey,
} from '../rows.ts'
import { hashSecret, last4, randomId, sameHash } from '../secrets.ts'
import { type BackendStats, sizeHistogram, snapshot } from '../stats.ts'
import { listingSql, registerFunctions, SqliteAnalytics } from './analytics.ts'
import { AnswerWriter, ChangeCounter, type EventValues, type ResponseValues } from './answers.js'
import { breakdownsPending, fillBreakdownBatch, forgetBreakdowns, syncBreakdowns } from './breakdowns.ts'
import { Chains } from './chains.js'
import { Checkpointer } from './checkpointer.ts'
import { openConnection, WalGuard } from './connection.js'
import { SqliteFollowUp } from './follow-up.ts'
import { GroupCommit } from './group-commit.ts'
import { CHAIN_ALL_SQL, migrate, SUPERSEDED_HOURS_SQL } from './migrations.ts'
import {
  countsAsWidget,
  EVENT_COLUMN,
  EVENT_HOURS,
  HourlyCounts,
  RESPONSE_HOURS,
  SUPERSEDED_COLUMN,
  WIDGET_COLUMN,
} from './rollups.js'
import { RESPONSE_COLUMNS, Statements } from './statements.ts'
import { Writer } from './writer.ts'

type SurveyRow = RowOfSurvey<string>
/** What deleting an answer reads back to take its counts and follow-up with it. */
type DeletedAnswer = {
  survey_id: string
  id: string
  created_at: number
  score: number
  source: ResponseSource | null
  respondent_id: string | null
  superseded_at: number | null
}

/** The columns RETURNING gives a {@link DeletedAnswer}. */
const DELETED_COLUMNS = 'survey_id, id, created_at, score, source, respondent_id, superseded_at'

/**
 * Answers of @survey created before @before that still hold something anonymising removes; @keep is a
 * JSON array of the metadata keys it keeps. Walks the survey's time index up to @before.
 */
const IDENTIFIABLE = `survey_id = @survey AND created_at < @before AND (comment IS NOT NULL
  OR respondent_id IS NOT NULL OR url IS NOT NULL OR path IS NOT NULL OR contact IS NOT NULL
  OR (metadata IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(metadata) AS m
    WHERE m.key NOT IN (SELECT value FROM json_each(@keep)))))`
type ResponseRow = RowOfResponse<string>

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
    return fromWriter(surveyId)(error as { code?: string })
  }
}

export interface SqliteBackendOptions {
  /**
   * `full` (default): a write is acknowledged once it survives a power loss. `normal`: once it survives
   * a crash of this process (not of the machine) — no disk flush per batch, for more throughput.
   */
  sync?: 'full' | 'normal'
  /** Past this size the WAL is checkpointed and truncated; default 64 MiB. */
  maxWalBytes?: number
  /** Answers counted per transaction when a newly declared breakdown is counted; default 20,000. */
  breakdownBatch?: number
  /** `on` (default): deleted content is overwritten with zeros on every connection (connection.js). */
  secureDelete?: 'on' | 'off'
}

export class SqliteBackend implements Backend {
  readonly engine = 'sqlite'
  readonly location: string
  /** The open database: for this engine's own tests and tools, never for routes. */
  readonly db: Database.Database
  readonly #commits: GroupCommit
  /** The writer thread of answers and events; none for an in-memory or non-WAL database. */
  readonly #writer: Writer | undefined
  /** Answers and events written on this connection (no writer thread), counted at each commit. */
  readonly #answers: AnswerWriter
  /** Numbers the changes that admin writes (import, erasure, a copy) make to answers on this connection. */
  readonly #changes: ChangeCounter
  readonly #analytics: SqliteAnalytics
  readonly #savepoint: (run: () => unknown) => unknown
  /** Surveys are read on every public request and change rarely; this process is their only writer. */
  readonly #surveys = new Map<string, Survey | undefined>()
  readonly #metadataKeys = new KnownMetadataKeys()
  readonly #statements: Statements
  readonly #followUp: SqliteFollowUp
  #closed = false
  #loading = false
  #walFd: number | undefined
  readonly #walGuard: WalGuard | undefined
  #checkpointer: Checkpointer | undefined
  readonly #breakdownBatch: number
  /** Counts newly declared breakdowns, a batch per write transaction. */
  readonly #breakdownFill = new BreakdownFill(
    () => this.#write(() => fillBreakdownBatch((sql) => this.#prepare(sql), this.#breakdownBatch)),
    () => this.#closed,
  )

  constructor(path: string, options: SqliteBackendOptions = {}) {
    this.location = path
    const secureDelete = options.secureDelete !== 'off'
    let opened: ReturnType<typeof openConnection>
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
      opened = openConnection(path, { secureDelete })
    } catch (error) {
      throw new BackendStartError(`cannot open the SQLite database ${path}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    const { db, wal } = opened
    this.db = db
    try {
      migrate(db)
    } catch (error) {
      db.close()
      if (error instanceof BackendStartError) throw error
      throw new BackendStartError(`cannot migrate the SQLite database ${path}: ${(error as Error).message}`, {
        cause: error,
      })
    }
    const maxWalBytes = options.maxWalBytes ?? 64 * 1024 * 1024
    const powerSafe = options.sync !== 'normal'
    registerFunctions(db)
    this.#statements = new Statements(db)
    this.#answers = new AnswerWriter(db)
    this.#changes = new ChangeCounter(db)
    this.#analytics = new SqliteAnalytics(db)
    this.#followUp = new SqliteFollowUp(
      (sql) => this.#prepare(sql),
      (run) => this.#write(run),
      this.#changes,
    )
    this.#savepoint = db.transaction((run: () => unknown) => run())
    this.#commits = new GroupCommit(
      db,
      wal && powerSafe ? (done) => this.#syncWal(`${path}-wal`, done) : undefined,
      { beforeCommit: () => this.#answers.flush() },
    )
    if (wal) {
      // Checkpoints happen in a worker thread instead of inside some request's commit (checkpointer.ts).
      this.#walGuard = new WalGuard(db, `${path}-wal`, maxWalBytes)
      this.#checkpointer = new Checkpointer(path, { secureDelete })
      this.#writer = new Writer(path, { sync: powerSafe, maxWalBytes, secureDelete })
    }
    this.#breakdownBatch = options.breakdownBatch ?? 20_000
    // A count cut short by a stop goes on where it was.
    if (breakdownsPending((sql) => this.#prepare(sql))) this.#fillInBackground()
  }

  /** fdatasync of the WAL file, on libuv's thread pool; fsync on any descriptor flushes the whole file. */
  #syncWal(walPath: string, done: (error: Error | null) => void): void {
    try {
      this.#walFd ??= openSync(walPath, 'r+')
    } catch (error) {
      done(error as Error)
      return
    }
    fdatasync(this.#walFd, (error) => {
      done(error)
      if (!error && !this.#closed) this.#walGuard?.check()
    })
  }

  /**
   * Any write but an answer or an event, on this connection, in a savepoint of its own, so a failure
   * undoes all of it (its hourly counts included) and nothing else.
   */
  #write<T>(run: () => T): Promise<T> {
    if (this.#loading) return Promise.reject(new Error('the backend is loading a copy'))
    const enqueue = () => this.#commits.enqueue(() => this.#savepoint(run) as T, { atomic: false })
    // Hot writes handed to the writer thread earlier go first, as with one queue: a survey deleted or a
    // respondent erased after an answer was sent takes that answer with it.
    const earlier = this.#writer?.settled()
    return earlier ? earlier.then(enqueue) : enqueue()
  }

  /**
   * The hourly counts and respondent chains of one admin write: flushed inside its savepoint, so they
   * roll back with it.
   */
  #rollups() {
    return {
      responses: new HourlyCounts(this.db, RESPONSE_HOURS),
      events: new HourlyCounts(this.db, EVENT_HOURS),
      chains: new Chains(this.db),
      flush() {
        this.chains.flush(this.responses)
        this.responses.flush()
        this.events.flush()
      },
    }
  }

  #prepare(sql: string): Database.Statement {
    return this.#statements.get(sql)
  }

  // ── surveys ──────────────────────────────────────────────────────────────────────────────────────

  createSurvey(settings: SurveySettings, at: number): Promise<Survey> {
    return this.#write(() => {
      const survey: Survey = { id: randomId('srv'), settings, createdAt: at, updatedAt: at }
      this.#insertSurvey(survey)
      // The dispatcher starts here: every answer from now on is new to it.
      this.#followUp.startCursorInTransaction(survey.id)
      return survey
    })
  }

  #insertSurvey(survey: Survey): void {
    this.#prepare('INSERT INTO surveys (id, settings, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
      survey.id,
      JSON.stringify(survey.settings),
      survey.createdAt,
      survey.updatedAt,
    )
    syncBreakdowns((sql) => this.#prepare(sql), survey.id, survey.settings.breakdowns ?? [])
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
    return pageOf(rows.map(toSurvey), limit)
  }

  async updateSurvey(id: string, settings: SurveySettings, at: number): Promise<Survey | undefined> {
    const survey = await this.#write(() => {
      const row = this.#prepare(
        'UPDATE surveys SET settings = ?, updated_at = ? WHERE id = ? RETURNING *',
      ).get(JSON.stringify(settings), at, id) as SurveyRow | undefined
      if (row) syncBreakdowns((sql) => this.#prepare(sql), id, settings.breakdowns ?? [])
      this.#surveys.delete(id)
      return row && toSurvey(row)
    })
    // A dimension declared now is counted from the answers so far, in batches after this commit.
    if (survey?.settings.breakdowns?.length) this.#fillInBackground()
    return survey
  }

  /**
   * Counts every declared dimension not counted yet, a batch per write transaction, so answers and
   * other writes take turns with it; resolves when none is left. The backend starts it by itself after
   * a dimension is declared and at open; call it to wait for that.
   */
  fillBreakdowns(): Promise<void> {
    return this.#breakdownFill.run()
  }

  #fillInBackground(): void {
    // A failed batch (a copy loading, the database closing) is tried again at the next open or
    // declaration; until then the dimension's breakdowns are scans, slower and still exact.
    this.fillBreakdowns().catch(() => {})
  }

  deleteSurvey(id: string): Promise<boolean> {
    // Writes queued before this delete commit first and go with the survey; later ones find none.
    return this.#write(() => {
      this.#answers.forget(id)
      this.#prepare('DELETE FROM response_hours WHERE survey_id = ?').run(id)
      this.#prepare('DELETE FROM event_hours WHERE survey_id = ?').run(id)
      forgetBreakdowns((sql) => this.#prepare(sql), id)
      this.#followUp.forgetSurveyInTransaction(id)
      // Its answers, events, cases, own endpoints, emails, cursor and marks go with it (ON DELETE CASCADE).
      const { changes } = this.#prepare('DELETE FROM surveys WHERE id = ?').run(id)
      this.#surveys.delete(id)
      this.#metadataKeys.forget(id)
      return changes > 0
    })
  }

  // ── API keys ─────────────────────────────────────────────────────────────────────────────────────

  #signing = new Map<string, Promise<string>>()

  signingSecret(name: 'links', at: number): Promise<string> {
    // Never changes once made: read once per process.
    let secret = this.#signing.get(name)
    if (!secret) {
      secret = this.#write(() => {
        this.#prepare(
          'INSERT INTO signing_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        ).run(name, randomBytes(32).toString('base64url'), at)
        return (
          this.#prepare('SELECT secret FROM signing_secrets WHERE name = ?').get(name) as { secret: string }
        ).secret
      })
      secret.catch(() => this.#signing.delete(name))
      this.#signing.set(name, secret)
    }
    return secret
  }

  addApiKey(key: { name: string; secret: string; scope?: KeyScope }, at: number): Promise<ApiKeyInfo> {
    return this.#write(() => {
      const hash = hashSecret(key.secret)
      const existing = this.#prepare('SELECT * FROM api_keys WHERE hash = ?').get(hash) as KeyRow | undefined
      if (existing) {
        // The same secret again (NPSKIT_ADMIN_KEY on every start): the key it is, revoked or not; a
        // key stored before last4 was kept gets it now.
        if (existing.last4 !== null) return toKey(existing)
        this.#prepare('UPDATE api_keys SET last4 = ? WHERE id = ?').run(last4(key.secret), existing.id)
        return toKey({ ...existing, last4: last4(key.secret) })
      }
      const row: KeyRow = {
        id: randomId('key'),
        name: key.name,
        scope: key.scope ?? 'admin',
        hash,
        last4: last4(key.secret),
        created_at: at,
        revoked_at: null,
      }
      this.#insertKey(row)
      return toKey(row)
    })
  }

  #insertKey(row: KeyRow): void {
    this.#prepare(
      'INSERT INTO api_keys (id, name, scope, hash, last4, created_at, revoked_at) VALUES (@id, @name, @scope, @hash, @last4, @created_at, @revoked_at)',
    ).run(row)
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
      this.#prepare('DELETE FROM sessions WHERE key_id = ?').run(id)
      const row = this.#prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined
      return row && toKey(row)
    })
  }

  countActiveApiKeys(): number {
    return this.#prepare('SELECT count(*) FROM api_keys WHERE revoked_at IS NULL').pluck().get() as number
  }

  // ── dashboard sessions ───────────────────────────────────────────────────────────────────────────

  createSession(
    session: { token: string; keyId: string; expiresAt: number },
    at: number,
  ): Promise<SessionInfo | undefined> {
    return this.#write(() => {
      // Sessions nobody signed out of would pile up: each sign-in clears the expired ones.
      this.#prepare('DELETE FROM sessions WHERE expires_at <= ?').run(at)
      const key = this.#prepare('SELECT * FROM api_keys WHERE id = ? AND revoked_at IS NULL').get(
        session.keyId,
      ) as KeyRow | undefined
      if (!key) return undefined
      this.#prepare('INSERT INTO sessions (hash, key_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
        hashSecret(session.token),
        key.id,
        at,
        session.expiresAt,
      )
      return { key: toKey(key), createdAt: at, expiresAt: session.expiresAt }
    })
  }

  async verifySession(token: string, now: number): Promise<SessionInfo | undefined> {
    const hash = hashSecret(token)
    const row = this.#prepare(
      `SELECT s.hash AS session_hash, s.created_at AS session_created_at, s.expires_at, k.*
       FROM sessions AS s JOIN api_keys AS k ON k.id = s.key_id WHERE s.hash = ?`,
    ).get(hash) as
      | (KeyRow & { session_hash: string; session_created_at: number; expires_at: number })
      | undefined
    if (!row || !sameHash(row.session_hash, hash)) return undefined
    if (row.expires_at <= now) {
      await this.endSession(token)
      return undefined
    }
    if (row.revoked_at !== null) return undefined
    return { key: toKey(row), createdAt: row.session_created_at, expiresAt: row.expires_at }
  }

  endSession(token: string): Promise<boolean> {
    return this.#write(
      () => this.#prepare('DELETE FROM sessions WHERE hash = ?').run(hashSecret(token)).changes > 0,
    )
  }

  // ── the write path ───────────────────────────────────────────────────────────────────────────────

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
      r.contact ? JSON.stringify(r.contact) : null,
      r.source ?? 'api',
    ]
    if (this.#loading) return Promise.reject(new Error('the backend is loading a copy'))
    // The category once stored: a score the database refuses then rejects, never throws here.
    if (this.#writer) {
      return this.#writer
        .write(['r', ...values])
        .then((inserted) => ({ created: inserted === 1, category: classify(r.score) }), fromWriter(surveyId))
    }
    return this.#commits.enqueue(
      () => ({
        created: onUnknownSurvey(surveyId, () => this.#answers.write(['r', ...values])) === 1,
        category: classify(r.score),
      }),
      // Whatever runs writes with one statement, which undoes itself when it fails.
      { atomic: false },
    )
  }

  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void> {
    const values: EventValues = [surveyId, event.type, event.respondentId, event.responseId ?? null, at]
    if (this.#loading) return Promise.reject(new Error('the backend is loading a copy'))
    if (this.#writer) {
      return this.#writer.write(['e', ...values]).then(() => undefined, fromWriter(surveyId))
    }
    return this.#commits.enqueue(
      () => {
        onUnknownSurvey(surveyId, () => this.#answers.write(['e', ...values]))
      },
      { atomic: false },
    )
  }

  importResponses(surveyId: string, rows: Iterable<StoredResponse>, at: number): Promise<ImportResult> {
    return this.#write(() => {
      if (!this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(surveyId)) {
        throw new UnknownSurveyError(surveyId)
      }
      const existing = this.#prepare(
        'SELECT created_at, score, source, respondent_id, superseded_at FROM responses WHERE survey_id = ? AND id = ?',
      )
      const upsert = this.#prepare(
        // first_seq stays NULL (or as it was): an import is history, which opens no case.
        `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url, path, device, metadata, contact, source, seq)
         VALUES (@surveyId, @id, @createdAt, @at, @score, @comment, @respondentId, @locale, @url, @path, @device, @metadata, @contact, @source, @seq)
         ON CONFLICT (survey_id, id) DO UPDATE SET created_at = excluded.created_at, updated_at = excluded.updated_at, seq = excluded.seq,
           score = excluded.score, comment = excluded.comment, respondent_id = excluded.respondent_id,
           locale = excluded.locale, url = excluded.url, path = excluded.path, device = excluded.device,
           metadata = excluded.metadata, contact = excluded.contact, source = excluded.source,
           superseded_at = NULL`,
      )
      const result: ImportResult = { created: 0, updated: 0 }
      const hours = this.#rollups()
      for (const row of rows) {
        const old = existing.get(surveyId, row.id) as Omit<DeletedAnswer, 'survey_id' | 'id'> | undefined
        const source = row.source ?? 'import'
        upsert.run({
          ...row,
          surveyId,
          at,
          metadata: row.metadata ? JSON.stringify(row.metadata) : null,
          contact: row.contact ? JSON.stringify(row.contact) : null,
          source,
          seq: this.#changes.next(),
        })
        if (old) {
          result.updated++
          hours.responses.add(surveyId, old.created_at, old.score, -1)
          if (countsAsWidget(old.source)) hours.responses.add(surveyId, old.created_at, WIDGET_COLUMN, -1)
          // The replaced row starts unchained (superseded_at NULL above); its respondent's are chained again.
          if (old.superseded_at !== null) {
            hours.responses.add(surveyId, old.created_at, SUPERSEDED_COLUMN + old.score, -1)
          }
          hours.chains.touch(surveyId, old.respondent_id)
        } else result.created++
        hours.responses.add(surveyId, row.createdAt, row.score)
        if (countsAsWidget(source)) hours.responses.add(surveyId, row.createdAt, WIDGET_COLUMN)
        hours.chains.touch(surveyId, row.respondentId)
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
    order: ResponseOrder = 'oldest',
  ): Page<StoredResponse, Cursor> {
    const { sql, params } = listingSql(surveyId, filter, limit + 1, after, order)
    const rows = this.#prepare(sql).all(params) as ResponseRow[]
    return pageOf(rows.map(toResponse), limit)
  }

  respondentHistory(respondentId: string, limit: number, after?: Cursor): Page<RespondentAnswer, Cursor> {
    // Each survey's range of the respondent's chain index, then one sort of what they found.
    const rows = this.#prepare(
      `SELECT survey_id, ${RESPONSE_COLUMNS} FROM responses
       WHERE survey_id IN (SELECT id FROM surveys) AND respondent_id = @respondent AND (created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))
       ORDER BY created_at, id LIMIT @limit`,
    ).all({
      respondent: respondentId,
      afterAt: after?.createdAt ?? Number.MIN_SAFE_INTEGER,
      afterId: after?.id ?? '',
      limit: limit + 1,
    }) as (ResponseRow & { survey_id: string })[]
    return pageOf(
      rows.map((row) => ({ surveyId: row.survey_id, ...toResponse(row) })),
      limit,
    )
  }

  changes(surveyId: string, after: number, limit: number): ChangePage {
    // Each arm walks its own index from `after`; the two are merged by number.
    const rows = this.#prepare(
      `SELECT * FROM (SELECT seq, ${RESPONSE_COLUMNS}, NULL AS erased_at FROM responses
          WHERE survey_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)
       UNION ALL
       SELECT * FROM (SELECT seq, id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, erased_at
          FROM response_tombstones WHERE survey_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3)
       ORDER BY seq LIMIT ?3`,
    ).all({ 1: surveyId, 2: after, 3: limit }) as ChangeRow<string>[]
    return changePage(rows, after)
  }

  metadataKeys(surveyId: string): string[] {
    return this.#registeredKeys(surveyId)
  }

  #registeredKeys(surveyId: string): string[] {
    return this.#prepare('SELECT key FROM metadata_keys WHERE survey_id = ? ORDER BY key')
      .pluck()
      .all(surveyId) as string[]
  }

  admitMetadataKeys(surveyId: string, keys: readonly string[], limit?: number): string[] | Promise<string[]> {
    return this.#metadataKeys.admit(surveyId, keys, limit, (missing) =>
      // One writer (this process), so the count and the inserts in one savepoint are exact.
      this.#write((): Registration => {
        if (!this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(surveyId)) {
          throw new UnknownSurveyError(surveyId)
        }
        const { add, result } = registration(this.#registeredKeys(surveyId), missing, limit)
        const insert = this.#prepare('INSERT INTO metadata_keys (survey_id, key) VALUES (?, ?)')
        for (const key of add) insert.run(surveyId, key)
        return result
      }),
    )
  }

  eraseRespondent(respondentId: string, at = Date.now()): Promise<ErasureResult> {
    return this.#write(() => {
      const hours = this.#rollups()
      // Per survey through the time index, which carries the respondent: reads each survey's index
      // entries, never the table; an index by respondent would cost a random write on every answer.
      const responses = this.#prepare(
        `DELETE FROM responses WHERE survey_id IN (SELECT id FROM surveys) AND respondent_id = ?
         RETURNING ${DELETED_COLUMNS}`,
      ).all(respondentId) as DeletedAnswer[]
      const followUp = this.#forgetDeleted(responses, at, hours)
      const events = this.#prepare(
        'DELETE FROM events WHERE respondent_id = ? RETURNING survey_id, created_at, type',
      ).all(respondentId) as EventRow[]
      for (const e of events) hours.events.add(e.survey_id, e.created_at, EVENT_COLUMN[e.type], -1)
      hours.flush()
      return { responses: responses.length, events: events.length, ...followUp }
    })
  }

  /**
   * What deleting answers takes with it, inside the deleting transaction: their hourly counts, a
   * tombstone each, their cases and what has not gone out about them. The caller flushes `hours`.
   */
  #forgetDeleted(responses: DeletedAnswer[], at: number, hours: { responses: HourlyCounts; chains: Chains }) {
    const tombstone = this.#prepare(
      'INSERT INTO response_tombstones (survey_id, seq, id, erased_at) VALUES (?, ?, ?, ?)',
    )
    // Numbered in (survey, id) order, as PostgreSQL numbers them, so both feeds read alike.
    const order = (a: DeletedAnswer, b: DeletedAnswer) =>
      a.survey_id < b.survey_id ? -1 : a.survey_id > b.survey_id ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    for (const r of responses.sort(order)) {
      hours.responses.add(r.survey_id, r.created_at, r.score, -1)
      if (countsAsWidget(r.source)) hours.responses.add(r.survey_id, r.created_at, WIDGET_COLUMN, -1)
      if (r.superseded_at !== null)
        hours.responses.add(r.survey_id, r.created_at, SUPERSEDED_COLUMN + r.score, -1)
      hours.chains.touch(r.survey_id, r.respondent_id)
      tombstone.run(r.survey_id, this.#changes.next(), r.id, at)
    }
    return this.#followUp.eraseInTransaction(responses)
  }

  // ── the data lifecycle ───────────────────────────────────────────────────────────────────────────

  deleteResponses(surveyId: string, ids: readonly string[], at: number): Promise<ErasureResult> {
    return this.#write(() => {
      const hours = this.#rollups()
      const remove = this.#prepare(
        `DELETE FROM responses WHERE survey_id = ? AND id = ? RETURNING ${DELETED_COLUMNS}`,
      )
      const responses: DeletedAnswer[] = []
      for (const id of new Set(ids)) {
        const row = remove.get(surveyId, id) as DeletedAnswer | undefined
        if (row) responses.push(row)
      }
      const followUp = this.#forgetDeleted(responses, at, hours)
      hours.flush()
      return { responses: responses.length, events: 0, ...followUp }
    })
  }

  anonymiseResponses(
    surveyId: string,
    before: number,
    keepMetadata: readonly string[],
    limit: number,
    at: number,
  ): Promise<number> {
    return this.#write(() => {
      const rows = this.#prepare(
        `SELECT id, metadata, created_at, score, respondent_id, superseded_at FROM responses
         WHERE ${IDENTIFIABLE} ORDER BY created_at, id LIMIT @limit`,
      ).all({ survey: surveyId, before, keep: JSON.stringify(keepMetadata), limit }) as (Omit<
        DeletedAnswer,
        'survey_id' | 'source'
      > & { metadata: string | null })[]
      // Score, time, locale, device and source stay: the score counts do not move; the breakdown
      // triggers move an answer whose metadata changed to the group it now belongs to. Without its
      // respondent an answer is no one's earlier answer: it leaves the chain, and those left are chained again.
      const update = this.#prepare(
        `UPDATE responses SET comment = NULL, respondent_id = NULL, url = NULL, path = NULL, contact = NULL,
           superseded_at = NULL, metadata = ?, updated_at = ?, seq = ? WHERE survey_id = ? AND id = ?`,
      )
      const hours = this.#rollups()
      for (const row of rows) {
        const metadata = keptMetadata(row.metadata && JSON.parse(row.metadata), keepMetadata)
        update.run(metadata && JSON.stringify(metadata), at, this.#changes.next(), surveyId, row.id)
        if (row.superseded_at !== null) {
          hours.responses.add(surveyId, row.created_at, SUPERSEDED_COLUMN + row.score, -1)
        }
        hours.chains.touch(surveyId, row.respondent_id)
      }
      hours.flush()
      this.#followUp.eraseInTransaction(
        rows.map((row) => ({ survey_id: surveyId, id: row.id })),
        { keepCases: true },
      )
      return rows.length
    })
  }

  countToAnonymise(surveyId: string, before: number, keepMetadata: readonly string[]): number {
    return this.#prepare(`SELECT count(*) FROM responses WHERE ${IDENTIFIABLE}`)
      .pluck()
      .get({ survey: surveyId, before, keep: JSON.stringify(keepMetadata) }) as number
  }

  recordLifecycleRun(run: Omit<LifecycleRun, 'id'>): Promise<LifecycleRun> {
    return this.#write(() => {
      const stored: LifecycleRun = { id: randomId('run'), ...run }
      this.#prepare(
        `INSERT INTO lifecycle_runs (id, survey_id, kind, policy, filter, cutoff, started_at, finished_at, deleted, anonymised)
         VALUES (@id, @survey_id, @kind, @policy, @filter, @cutoff, @started_at, @finished_at, @deleted, @anonymised)`,
      ).run(lifecycleRunRow(stored))
      return stored
    })
  }

  listLifecycleRuns(surveyId: string, limit: number, after?: Cursor): Page<LifecycleRun, Cursor> {
    const rows = this.#prepare(
      `SELECT * FROM lifecycle_runs WHERE survey_id = @survey
         AND (started_at < @afterAt OR (started_at = @afterAt AND id < @afterId))
       ORDER BY started_at DESC, id DESC LIMIT @limit`,
    ).all({
      survey: surveyId,
      afterAt: after?.createdAt ?? Number.MAX_SAFE_INTEGER,
      afterId: after?.id ?? '',
      limit: limit + 1,
    }) as LifecycleRunRow[]
    const items = rows.slice(0, limit).map(toLifecycleRun)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.startedAt, id: last.id } : null }
  }

  async scrub(): Promise<boolean> {
    // Writes queued before the scrub commit first: what they deleted is what it makes unreadable.
    await this.#write(() => undefined)
    return this.#checkpointer ? this.#checkpointer.truncate() : true
  }

  // ── analytics ────────────────────────────────────────────────────────────────────────────────────

  distribution(surveyId: string, filter: AnalyticsFilter): number[] {
    return this.#analytics.distribution(surveyId, filter)
  }

  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): number[][] {
    return this.#analytics.distributions(surveyId, filter, windows)
  }

  eventCounts(surveyId: string, windows: readonly Window[]): EventCounts[] {
    return this.#analytics.eventCounts(surveyId, windows)
  }

  firstAnswerAt(surveyId: string): number | null {
    return this.#analytics.firstAnswerAt(surveyId)
  }

  accounts(
    surveyId: string,
    filter: AnalyticsFilter,
    key: string,
    weight: AccountWeight = 'answer',
  ): AccountGroup[] {
    return this.#analytics.accounts(surveyId, filter, key, weight)
  }

  movers(
    surveyId: string,
    filter: AnalyticsFilter,
    scope: MoverScope,
    direction: 'down' | 'up',
    limit: number,
    after?: Cursor,
  ): Page<Mover, Cursor> {
    return this.#analytics.movers(surveyId, filter, scope, direction, limit, after)
  }

  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Group[] {
    return this.#analytics.breakdown(surveyId, filter, dimension)
  }

  breakdownRollup(surveyId: string, dimension: Dimension): 'counted' | 'counting' | undefined {
    return this.#analytics.breakdownRollup(surveyId, dimension)
  }

  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: CommentVisitor,
  ): number {
    return this.#analytics.forEachComment(surveyId, filter, query, visit)
  }

  // ── copying ──────────────────────────────────────────────────────────────────────────────────────

  async isEmpty(): Promise<boolean> {
    return (
      this.#prepare(
        `SELECT NOT EXISTS (SELECT 1 FROM surveys) AND NOT EXISTS (SELECT 1 FROM api_keys)
           AND NOT EXISTS (SELECT 1 FROM responses) AND NOT EXISTS (SELECT 1 FROM events)
           AND NOT EXISTS (SELECT 1 FROM webhook_endpoints)`,
      )
        .pluck()
        .get() === 1
    )
  }

  /**
   * One read transaction on a connection of its own (in memory: this one), so the export is one
   * snapshot however long its reader takes, while this backend goes on writing.
   */
  async *exportData(batchSize = 1000): AsyncIterable<DataBatch> {
    const own = this.location !== ':memory:'
    const db = own ? openConnection(this.location).db : this.db
    const statements = own ? new Statements(db) : this.#statements
    const prepare = (sql: string) => statements.get(sql)
    if (own) db.exec('BEGIN')
    try {
      yield* this.#export(prepare, batchSize)
    } finally {
      if (own) {
        db.exec('COMMIT')
        db.close()
      }
    }
  }

  #export(prepare: (sql: string) => Database.Statement, batchSize: number): AsyncIterable<DataBatch> {
    return exportBatches(
      {
        surveys: (after, limit) =>
          prepare('SELECT * FROM surveys WHERE id > ? ORDER BY id LIMIT ?').all(after, limit) as SurveyRow[],
        keys: (after, limit) =>
          prepare('SELECT * FROM api_keys WHERE id > ? ORDER BY id LIMIT ?').all(after, limit) as KeyRow[],
        responses: (surveyId, after, limit) =>
          prepare(
            `SELECT ${RESPONSE_COLUMNS} FROM responses WHERE survey_id = ? AND id > ? ORDER BY id LIMIT ?`,
          ).all(surveyId, after, limit) as ResponseRow[],
        events: (after, limit) =>
          prepare(
            'SELECT seq, survey_id, type, respondent_id, response_id, created_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
          ).all(after, limit) as (EventRow & { seq: number })[],
        cases: (after, limit) =>
          prepare('SELECT * FROM cases WHERE id > ? ORDER BY id LIMIT ?').all(
            after,
            limit,
          ) as CaseRow<string>[],
        caseLogs: (ids) =>
          prepare(
            'SELECT * FROM case_log WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, seq',
          ).all(JSON.stringify(ids)) as CaseLogRow[],
        endpoints: (after, limit) =>
          prepare('SELECT * FROM webhook_endpoints WHERE id > ? ORDER BY id LIMIT ?').all(
            after,
            limit,
          ) as EndpointRow<string>[],
      },
      batchSize,
    )
  }

  async importData(batches: AsyncIterable<DataBatch>): Promise<DataCounts> {
    if (this.#loading) throw new Error('the backend is already loading a copy')
    // One transaction that spans the source's awaits: nothing else may write meanwhile.
    this.#loading = true
    try {
      await this.#writer?.settled()
      await this.#commits.idle()
      if (!(await this.isEmpty())) throw new Error(`${this.location} is not empty`)
      const counts: DataCounts = { surveys: 0, keys: 0, responses: 0, events: 0, cases: 0, endpoints: 0 }
      const hours = this.#rollups()
      const insertResponse = this.#prepare(
        `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url, path, device, metadata, contact, source, seq)
         VALUES (@surveyId, @id, @createdAt, @createdAt, @score, @comment, @respondentId, @locale, @url, @path, @device, @metadata, @contact, @source, @seq)`,
      )
      const insertEvent = this.#prepare(
        'INSERT INTO events (survey_id, type, respondent_id, response_id, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      this.db.exec('BEGIN IMMEDIATE')
      try {
        for await (const batch of batches) {
          if (batch.kind === 'surveys') for (const survey of batch.rows) this.#insertSurvey(survey)
          else if (batch.kind === 'keys') {
            for (const key of batch.rows) {
              this.#insertKey({
                id: key.id,
                name: key.name,
                scope: key.scope,
                hash: key.hash,
                last4: key.last4,
                created_at: key.createdAt,
                revoked_at: key.revokedAt,
              })
            }
          } else if (batch.kind === 'responses') {
            for (const row of batch.rows) {
              insertResponse.run({
                ...row,
                surveyId: batch.surveyId,
                metadata: row.metadata ? JSON.stringify(row.metadata) : null,
                contact: row.contact ? JSON.stringify(row.contact) : null,
                // A copy keeps where each answer came from (null stays unknown).
                source: row.source ?? null,
                // A copy numbers its answers afresh: pollers of the new database start from the beginning.
                seq: this.#changes.next(),
              })
              hours.responses.add(batch.surveyId, row.createdAt, row.score)
              if (countsAsWidget(row.source))
                hours.responses.add(batch.surveyId, row.createdAt, WIDGET_COLUMN)
            }
          } else if (batch.kind === 'cases') {
            for (const c of batch.rows) this.#followUp.importCaseInTransaction(c)
          } else if (batch.kind === 'endpoints') {
            for (const e of batch.rows) this.#followUp.importEndpointInTransaction(e)
          } else {
            for (const e of batch.rows) {
              insertEvent.run(e.surveyId, e.type, e.respondentId, e.responseId, e.createdAt)
              hours.events.add(e.surveyId, e.createdAt, EVENT_COLUMN[e.type])
            }
          }
          counts[batch.kind] += batch.rows.length
        }
        hours.flush()
        // The chains and their hourly counts from the answers copied, in one sort, as migration 21 did.
        this.db.exec(CHAIN_ALL_SQL)
        this.db.exec(SUPERSEDED_HOURS_SQL)
        // The registry is rebuilt from the answers copied, as migration 10 first filled it.
        this.db.exec(`INSERT OR IGNORE INTO metadata_keys (survey_id, key)
          SELECT DISTINCT r.survey_id, j.key FROM responses AS r, json_each(r.metadata) AS j
          WHERE r.metadata IS NOT NULL`)
        this.db.exec('COMMIT')
      } catch (error) {
        this.db.exec('ROLLBACK')
        throw error
      }
      this.#surveys.clear()
      this.#metadataKeys.forget()
      return counts
    } finally {
      this.#loading = false
    }
  }

  // ── follow-up (follow-up.ts) ─────────────────────────────────────────────────────────────────────

  openCase(newCase: NewCase, at: number) {
    return this.#followUp.openCase(newCase, at)
  }

  getCase(id: string): CaseWithLog | undefined {
    return this.#followUp.getCase(id)
  }

  listCases(filter: CaseFilter, limit: number, after?: CaseCursor): Page<Case, CaseCursor> {
    return this.#followUp.listCases(filter, limit, after)
  }

  changeCase(id: string, change: CaseChange, actor: string, at: number): Promise<CaseWithLog | undefined> {
    return this.#followUp.changeCase(id, change, actor, at)
  }

  caseTimings(surveyId: string, from: number, to: number): CaseTiming[] {
    return this.#followUp.caseTimings(surveyId, from, to)
  }

  createEndpoint(endpoint: NewEndpoint, at: number): Promise<WebhookEndpoint> {
    return this.#followUp.createEndpoint(endpoint, at)
  }

  getEndpoint(id: string): WebhookEndpoint | undefined {
    return this.#followUp.getEndpoint(id)
  }

  listEndpoints(surveyId?: string): WebhookEndpoint[] {
    return this.#followUp.listEndpoints(surveyId)
  }

  updateEndpoint(id: string, change: EndpointChange, at: number): Promise<WebhookEndpoint | undefined> {
    return this.#followUp.updateEndpoint(id, change, at)
  }

  deleteEndpoint(id: string): Promise<boolean> {
    return this.#followUp.deleteEndpoint(id)
  }

  enqueueDeliveries(deliveries: readonly NewDelivery[], at: number): Promise<void> {
    return this.#followUp.enqueueDeliveries(deliveries, at)
  }

  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.#followUp.claimDeliveries(now, limit, leaseMs)
  }

  recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
    health: EndpointHealth,
  ): Promise<void> {
    return this.#followUp.recordAttempt(deliveryId, attempt, outcome, health)
  }

  listDeliveries(endpointId: string, limit: number, after?: DeliveryCursor): Page<Delivery, DeliveryCursor> {
    return this.#followUp.listDeliveries(endpointId, limit, after)
  }

  getDelivery(id: string): DeliveryWithAttempts | undefined {
    return this.#followUp.getDelivery(id)
  }

  redeliver(id: string, at: number): Promise<Delivery | undefined> {
    return this.#followUp.redeliver(id, at)
  }

  enqueueEmails(emails: readonly NewEmail[], at: number): Promise<void> {
    return this.#followUp.enqueueEmails(emails, at)
  }

  claimEmails(now: number, limit: number, leaseMs: number): Promise<Email[]> {
    return this.#followUp.claimEmails(now, limit, leaseMs)
  }

  recordEmailAttempt(id: string, at: number, error: string | null, outcome: AttemptOutcome): Promise<void> {
    return this.#followUp.recordEmailAttempt(id, at, error, outcome)
  }

  followUpCursor(surveyId: string): Promise<number> {
    return this.#followUp.followUpCursor(surveyId)
  }

  followUpChanges(surveyId: string, after: number, limit: number): FollowUpPage {
    return this.#followUp.followUpChanges(surveyId, after, limit)
  }

  commitFollowUp(
    surveyId: string,
    from: number,
    to: number,
    work: FollowUpWork,
    at: number,
  ): Promise<boolean> {
    return this.#followUp.commitFollowUp(surveyId, from, to, work, at)
  }

  scheduleMark(surveyId: string, job: string): ScheduleMark | undefined {
    return this.#followUp.scheduleMark(surveyId, job)
  }

  commitSchedule(
    surveyId: string,
    job: string,
    expectedAt: number | undefined,
    mark: ScheduleMark,
    work: Omit<FollowUpWork, 'cases'>,
  ): Promise<boolean> {
    return this.#followUp.commitSchedule(surveyId, job, expectedAt, mark, work)
  }

  stats(): BackendStats {
    const wal = `${this.location}-wal`
    return {
      // Without a writer thread (an in-memory database) writes commit as they come: nothing queues.
      queuedWrites: this.#writer?.queued ?? 0,
      commitSizes: snapshot(this.#writer?.commitSizes ?? sizeHistogram()),
      walBytes: this.location !== ':memory:' && existsSync(wal) ? statSync(wal).size : 0,
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#breakdownFill.settled()
    // The writer thread first: writes queued behind it then still find their turn.
    await this.#writer?.close()
    await this.#commits.close()
    await this.#checkpointer?.close()
    if (this.#walFd !== undefined) closeSync(this.#walFd)
    this.db.close()
  }
}
