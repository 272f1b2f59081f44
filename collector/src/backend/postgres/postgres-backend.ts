/**
 * The networked engine: PostgreSQL through postgres.js, for collectors on more than one machine
 * (README, "Beyond one machine"). Chosen with `NPSKIT_DATABASE_URL=postgres://…`; migrated at start-up.
 *
 * The same promises as SQLite: a 2xx only after COMMIT (answers and events through group commit,
 * ingest.ts; every other write in its own transaction), a repeated id merges into one row even across
 * collectors, imports are all-or-nothing, erasure is complete, and every count is computed by the
 * database (analytics.ts, with hourly rollups kept by triggers, migrations.ts).
 *
 * Several collectors share one database, so nothing a change must reach them all may be cached for long:
 * API keys are checked against the database on every request (a revoked key is refused everywhere at
 * once); surveys, read on every public request, are cached, and each change or deletion is announced
 * with NOTIFY in the same transaction, so every collector LISTENing drops its copy as the change commits.
 * Should a notification be missed (the listening connection was down), the whole cache is dropped when
 * it reconnects, and no copy is older than `surveyCacheMs` in any case.
 *
 * @example
 * const backend = await PostgresBackend.connect('postgres://postgres@127.0.0.1:5432/npskit')
 * await backend.createSurvey(defaultSurveySettings('Checkout'), Date.now())
 * await backend.close()
 */
import { randomBytes } from 'node:crypto'
import { classify, type EventSubmission, type SurveySettings } from '@npskit/shared'
import type { ReservedSql, Sql, TransactionSql } from 'postgres'
import {
  type AccountGroup,
  type AccountWeight,
  AFTER_ALL,
  type AnalyticsFilter,
  type ApiKeyInfo,
  type Backend,
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
  type MetadataValue,
  type Mover,
  type MoverScope,
  type Page,
  type RespondentAnswer,
  type ResponseFilter,
  type ResponseOrder,
  type ResponseWrite,
  type ResponseWriteResult,
  type SessionInfo,
  type StoredResponse,
  type Survey,
  UnknownSurveyError,
  type Window,
} from '../backend.ts'
import { BreakdownFill } from '../breakdown-fill.ts'
import type { CaseLogRow, CaseRow, EndpointRow } from '../follow-up-rows.ts'
import { KnownMetadataKeys, type Registration, registration } from '../metadata-keys.ts'
import {
  type ChangeRow,
  changePage,
  type EventRow,
  exportBatches,
  type KeyRow,
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
import { type BackendStats, snapshot } from '../stats.ts'
import { listingSql, PostgresAnalytics } from './analytics.ts'
import { contractError, describeUrl, openPool, startError } from './connect.ts'
import { loadCases, loadEndpoints, PostgresFollowUp, RESPONSE_COLUMNS } from './follow-up.ts'
import { chainsIn, PostgresIngest, rechain } from './ingest.ts'
import { COUNT_BREAKDOWN_BATCH, FILL_CHAINS, fillMetadataKeys, migrate } from './migrations.ts'

type SurveyRow = RowOfSurvey<SurveySettings>
type ResponseRow = RowOfResponse<Record<string, MetadataValue>>

const SURVEY_CHANNEL = 'npskit_surveys'
/** Rows per statement of an import or a copy: well below the protocol's 65,535 parameters. */
const CHUNK = 2000

/**
 * Answers of the survey created before `before` that still hold something anonymising removes (a
 * comment, respondent id, URL, path, contact, or a metadata key it does not keep).
 */
function identifiable(sql: Sql | TransactionSql, surveyId: string, before: number, keep: readonly string[]) {
  return sql`survey_id = ${surveyId} AND created_at < ${before}::int8 AND (comment IS NOT NULL
    OR respondent_id IS NOT NULL OR url IS NOT NULL OR path IS NOT NULL OR contact IS NOT NULL
    OR (metadata IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_object_keys(metadata) AS k
      WHERE k <> ALL(${[...keep]}::text[]))))`
}

/**
 * A batch of rows as one JSON parameter, unpacked by `json_to_recordset` (as ingest.ts does): one native
 * JSON.stringify instead of an array parameter per column.
 */
const recordset = (rows: readonly object[]) => JSON.stringify(rows)

/** A batch of answers ($2) as rows of `i`; `ord` keeps the batch's order. */
const RESPONSE_ROWS = `ROWS FROM (json_to_recordset($2::text::json) AS (id text, "createdAt" int8, score int2,
    comment text, "respondentId" text, locale text, url text, path text, device text, metadata jsonb, contact jsonb,
    source text))
  WITH ORDINALITY AS i (id, created_at, score, comment, respondent_id, locale, url, path, device, metadata, contact,
    source, ord)`

export interface PostgresBackendOptions {
  /** Connections in this collector's pool (and its read pool); default 10. */
  poolSize?: number
  /**
   * A read replica of the database for the analytics reads (figures, breakdowns, themes), which may then
   * trail the primary by the replica's lag; every write, key, survey and response listing stays on the
   * primary.
   */
  readUrl?: string | undefined
  /** The longest a cached survey is used without a fresh read (NOTIFY normally drops it at once). */
  surveyCacheMs?: number
  /** Answers counted per transaction when a newly declared breakdown is counted; default 20,000. */
  breakdownBatch?: number
}

/** The follow-up store (cases, webhooks, emails, the dispatcher) is its own file, follow-up.ts. */
export class PostgresBackend extends PostgresFollowUp implements Backend {
  readonly engine = 'postgres'
  readonly location: string
  readonly #sql: Sql
  /** The pool the analytics read from: the read replica's, or the primary's. */
  readonly #read: Sql
  readonly #ingest: PostgresIngest
  readonly #analytics: PostgresAnalytics
  readonly #surveys = new Map<string, { survey: Survey; at: number }>()
  readonly #surveyCacheMs: number
  readonly #metadataKeys = new KnownMetadataKeys()
  #listening: Promise<unknown> | undefined
  #closed = false
  readonly #breakdownBatch: number
  /** Counts newly declared breakdowns, a batch per transaction. */
  readonly #breakdownFill = new BreakdownFill(
    () => this.#run(() => this.#fillBatch()),
    () => this.#closed,
  )

  private constructor(url: string, sql: Sql, read: Sql | undefined, options: PostgresBackendOptions) {
    super(sql)
    this.location = describeUrl(url) + (options.readUrl ? ` (reads: ${describeUrl(options.readUrl)})` : '')
    this.#sql = sql
    this.#read = read ?? sql
    this.#ingest = new PostgresIngest(sql)
    this.#analytics = new PostgresAnalytics(this.#read)
    this.#surveyCacheMs = options.surveyCacheMs ?? 60_000
    this.#breakdownBatch = options.breakdownBatch ?? 20_000
  }

  /**
   * Connects, checks durability, migrates and starts listening for survey changes; throws a
   * BackendStartError that says what is wrong (the URL, the server, the database, the login).
   */
  static async connect(url: string, options: PostgresBackendOptions = {}): Promise<PostgresBackend> {
    const probe = openPool(url, { max: 1 })
    let connection: Record<string, string> | undefined
    try {
      const [setting] = await probe<{ synchronous_commit: string }[]>`SHOW synchronous_commit`
      // An acknowledged answer must be on the server's disk: a server that does not flush its WAL at
      // commit gets this collector's connections set to flush.
      if (setting?.synchronous_commit === 'off') connection = { synchronous_commit: 'on' }
      await migrate(probe)
    } catch (error) {
      await probe.end({ timeout: 1 }).catch(() => {})
      throw startError(error, url)
    }
    await probe.end()
    let read: Sql | undefined
    if (options.readUrl) {
      read = openPool(options.readUrl, { max: options.poolSize ?? 10 })
      try {
        await read`SELECT 1`
      } catch (error) {
        await read.end({ timeout: 1 }).catch(() => {})
        throw startError(error, options.readUrl)
      }
    }
    const backend = new PostgresBackend(
      url,
      openPool(url, { max: options.poolSize ?? 10, connection }),
      read,
      options,
    )
    await backend.#listen()
    // A count cut short by a stop (of this collector or another) goes on where it was.
    backend.#fillInBackground()
    return backend
  }

  async #listen(): Promise<void> {
    this.#listening = this.#sql
      .listen(
        SURVEY_CHANNEL,
        (id) => this.#surveys.delete(id),
        // (Re)connected: notifications may have been missed meanwhile, so every copy goes.
        () => this.#surveys.clear(),
      )
      .catch((error) => {
        throw startError(error, this.location)
      })
    await this.#listening
  }

  /** Runs a query, turning a lost connection into BackendUnavailableError. */
  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      throw contractError(error)
    }
  }

  // ── surveys ──────────────────────────────────────────────────────────────────────────────────────

  async createSurvey(settings: SurveySettings, at: number): Promise<Survey> {
    const survey: Survey = { id: randomId('srv'), settings, createdAt: at, updatedAt: at }
    // Its follow-up cursor starts at the number current now: every answer it gets is numbered after.
    await this.#run(
      () =>
        this.#sql`WITH s AS (INSERT INTO surveys (id, settings, created_at, updated_at)
            VALUES (${survey.id}, ${settings as never}::json, ${at}, ${at}) RETURNING id)
          INSERT INTO follow_up_cursors (survey_id, seq) SELECT s.id, c.value FROM s, change_counter AS c`,
    )
    return survey
  }

  getSurvey(id: string): Survey | undefined | Promise<Survey | undefined> {
    const cached = this.#surveys.get(id)
    if (cached && Date.now() - cached.at < this.#surveyCacheMs) return cached.survey
    return this.#run(async () => {
      const at = Date.now()
      const [row] = await this.#sql<SurveyRow[]>`SELECT * FROM surveys WHERE id = ${id}`
      const survey = row && toSurvey(row)
      // Unknown ids are not cached: anyone can send them, and the cache must not grow without bound.
      if (survey) this.#surveys.set(id, { survey, at })
      return survey
    })
  }

  async listSurveys(limit: number, after?: Cursor): Promise<Page<Survey, Cursor>> {
    const rows = await this.#run(() =>
      after
        ? this.#sql<SurveyRow[]>`SELECT * FROM surveys
            WHERE (created_at, id) > (${after.createdAt}, ${after.id}) ORDER BY created_at, id LIMIT ${limit + 1}`
        : this.#sql<SurveyRow[]>`SELECT * FROM surveys ORDER BY created_at, id LIMIT ${limit + 1}`,
    )
    return pageOf(rows.map(toSurvey), limit)
  }

  async updateSurvey(id: string, settings: SurveySettings, at: number): Promise<Survey | undefined> {
    const [row] = await this.#run(
      () =>
        this.#sql<SurveyRow[]>`WITH changed AS (
          UPDATE surveys SET settings = ${settings as never}::json, updated_at = ${at} WHERE id = ${id}
          RETURNING *)
        SELECT changed.*, pg_notify(${SURVEY_CHANNEL}, changed.id) FROM changed`,
    )
    this.#surveys.delete(id)
    // A dimension declared now is counted from the answers so far, in batches after this commit.
    if (row && settings.breakdowns?.length) this.#fillInBackground()
    return row && toSurvey(row)
  }

  fillBreakdowns(): Promise<void> {
    return this.#breakdownFill.run()
  }

  /**
   * One batch of one dimension not counted yet; false when none is left (here: none that another
   * collector is not counting now). The table lock waits for the answers being written and holds new
   * ones back until the batch commits: otherwise an answer written meanwhile into the batch's time
   * range, whose trigger still saw the old mark, would be counted by neither. The table is locked before
   * the dimension's row, in the order the surveys trigger takes them, so the two never deadlock.
   */
  async #fillBatch(): Promise<boolean> {
    const [any] = await this.#sql`SELECT 1 FROM breakdown_dimensions WHERE filled_until IS NOT NULL LIMIT 1`
    if (!any) return false
    return this.#sql.begin(async (tx) => {
      await tx`LOCK TABLE responses IN SHARE MODE`
      const [pending] = await tx<{ survey_id: string; dimension: string; filled_until: string }[]>`
        SELECT survey_id, dimension, filled_until FROM breakdown_dimensions
        WHERE filled_until IS NOT NULL LIMIT 1 FOR UPDATE SKIP LOCKED`
      if (!pending) return false
      const from = Number(pending.filled_until)
      const [next] = await tx<{ created_at: string }[]>`
        SELECT created_at FROM responses WHERE survey_id = ${pending.survey_id} AND created_at >= ${from}
        ORDER BY created_at OFFSET ${this.#breakdownBatch} LIMIT 1`
      // Answers of one instant stay in one batch; past the last answer the dimension is complete.
      const to = next === undefined ? null : Math.max(Number(next.created_at), from + 1)
      await tx.unsafe(COUNT_BREAKDOWN_BATCH, [pending.survey_id, from, to ?? AFTER_ALL, pending.dimension])
      await tx`UPDATE breakdown_dimensions SET filled_until = ${to}
        WHERE survey_id = ${pending.survey_id} AND dimension = ${pending.dimension}`
      return true
    })
  }

  #fillInBackground(): void {
    // A failed batch (the server gone) is tried again at the next start or declaration; until then the
    // dimension's breakdowns are scans, slower and still exact.
    this.fillBreakdowns().catch(() => {})
  }

  async deleteSurvey(id: string): Promise<boolean> {
    // This collector's answers sent before the delete go with the survey; later ones find none.
    await this.#ingest.settled()
    const deleted = await this.#run(() =>
      this.#sql.begin(async (tx) => {
        // The survey first (its rollup rows, cases, own endpoints and their deliveries, emails, cursor
        // and marks go with it, ON DELETE CASCADE): it waits for the writes that hold it, and later
        // writes find no survey; then what is left of its answers and events, and the deliveries of
        // collector-wide endpoints that carry its answers.
        const gone = await tx`WITH gone AS (DELETE FROM surveys WHERE id = ${id} RETURNING id)
          SELECT pg_notify(${SURVEY_CHANNEL}, gone.id) FROM gone`
        await tx`DELETE FROM responses WHERE survey_id = ${id}`
        await tx`DELETE FROM events WHERE survey_id = ${id}`
        await tx`DELETE FROM webhook_deliveries WHERE survey_id = ${id}`
        return gone.length > 0
      }),
    )
    this.#surveys.delete(id)
    this.#metadataKeys.forget(id)
    return deleted
  }

  // ── API keys ─────────────────────────────────────────────────────────────────────────────────────

  #signing = new Map<string, Promise<string>>()

  signingSecret(name: 'links', at: number): Promise<string> {
    // Never changes once made: read once per process. Collectors making it at once keep the first.
    let secret = this.#signing.get(name)
    if (!secret) {
      secret = this.#run(async () => {
        await this.#sql`INSERT INTO signing_secrets (name, secret, created_at)
          VALUES (${name}, ${randomBytes(32).toString('base64url')}, ${at}) ON CONFLICT (name) DO NOTHING`
        const [row] = await this.#sql<
          { secret: string }[]
        >`SELECT secret FROM signing_secrets WHERE name = ${name}`
        return row!.secret
      })
      secret.catch(() => this.#signing.delete(name))
      this.#signing.set(name, secret)
    }
    return secret
  }

  async addApiKey(key: { name: string; secret: string; scope?: KeyScope }, at: number): Promise<ApiKeyInfo> {
    const hash = hashSecret(key.secret)
    // The same secret again (NPSKIT_ADMIN_KEY on every start, maybe of several collectors at once):
    // the key it is, revoked or not; a key stored before last4 was kept gets it now.
    const [row] = await this.#run(
      () =>
        this.#sql<KeyRow[]>`INSERT INTO api_keys (id, name, scope, hash, last4, created_at, revoked_at)
          VALUES (${randomId('key')}, ${key.name}, ${key.scope ?? 'admin'}, ${hash}, ${last4(key.secret)}, ${at}, NULL)
          ON CONFLICT (hash) DO UPDATE SET last4 = coalesce(api_keys.last4, excluded.last4) RETURNING *`,
    )
    return toKey(row!)
  }

  async verifyApiKey(secret: string): Promise<ApiKeyInfo | undefined> {
    const hash = hashSecret(secret)
    const [row] = await this.#run(
      () => this.#sql<KeyRow[]>`SELECT * FROM api_keys WHERE hash = ${hash} AND revoked_at IS NULL`,
    )
    return row && sameHash(row.hash, hash) ? toKey(row) : undefined
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    const rows = await this.#run(() => this.#sql<KeyRow[]>`SELECT * FROM api_keys ORDER BY created_at, id`)
    return rows.map(toKey)
  }

  async revokeApiKey(id: string, at: number): Promise<ApiKeyInfo | undefined> {
    const [row] = await this.#run(() =>
      this.#sql.begin(async (tx) => {
        const rows = await tx<KeyRow[]>`UPDATE api_keys SET revoked_at = coalesce(revoked_at, ${at})
          WHERE id = ${id} RETURNING *`
        await tx`DELETE FROM sessions WHERE key_id = ${id}`
        return rows
      }),
    )
    return row && toKey(row)
  }

  async countActiveApiKeys(): Promise<number> {
    const [row] = await this.#run(
      () => this.#sql<{ n: number }[]>`SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL`,
    )
    return row!.n
  }

  // ── dashboard sessions ───────────────────────────────────────────────────────────────────────────

  async createSession(
    session: { token: string; keyId: string; expiresAt: number },
    at: number,
  ): Promise<SessionInfo | undefined> {
    const hash = hashSecret(session.token)
    const [row] = await this.#run(() =>
      this.#sql.begin(async (tx) => {
        // Sessions nobody signed out of would pile up: each sign-in clears the expired ones.
        await tx`DELETE FROM sessions WHERE expires_at <= ${at}`
        // Inserted only while the key is active; a revocation at the same moment ends it (it deletes after).
        return tx<
          KeyRow[]
        >`WITH k AS (SELECT * FROM api_keys WHERE id = ${session.keyId} AND revoked_at IS NULL),
            s AS (INSERT INTO sessions (hash, key_id, created_at, expires_at)
              SELECT ${hash}, id, ${at}, ${session.expiresAt} FROM k)
          SELECT * FROM k`
      }),
    )
    return row && { key: toKey(row), createdAt: at, expiresAt: session.expiresAt }
  }

  async verifySession(token: string, now: number): Promise<SessionInfo | undefined> {
    const hash = hashSecret(token)
    const [row] = await this.#run(
      () => this.#sql<(KeyRow & { session_hash: string; session_created_at: number; expires_at: number })[]>`
        SELECT s.hash AS session_hash, s.created_at AS session_created_at, s.expires_at, k.*
        FROM sessions AS s JOIN api_keys AS k ON k.id = s.key_id WHERE s.hash = ${hash}`,
    )
    if (!row || !sameHash(row.session_hash, hash)) return undefined
    if (row.expires_at <= now) {
      await this.endSession(token)
      return undefined
    }
    if (row.revoked_at !== null) return undefined
    return { key: toKey(row), createdAt: row.session_created_at, expiresAt: row.expires_at }
  }

  async endSession(token: string): Promise<boolean> {
    const hash = hashSecret(token)
    const gone = await this.#run(() => this.#sql`DELETE FROM sessions WHERE hash = ${hash} RETURNING 1`)
    return gone.length > 0
  }

  // ── the write path ───────────────────────────────────────────────────────────────────────────────

  async writeResponse(surveyId: string, response: ResponseWrite): Promise<ResponseWriteResult> {
    const created = await this.#ingest.writeResponse(surveyId, response)
    return { created, category: classify(response.score) }
  }

  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void> {
    return this.#ingest.writeEvent(surveyId, event, at)
  }

  async importResponses(surveyId: string, rows: Iterable<StoredResponse>, at: number): Promise<ImportResult> {
    await this.#ingest.settled()
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // The survey may not be deleted while its import runs.
        const [survey] = await tx`SELECT 1 FROM surveys WHERE id = ${surveyId} FOR KEY SHARE`
        if (!survey) throw new UnknownSurveyError(surveyId)
        // The change counter stays locked until this transaction commits (see migration 5): answers
        // sent to any collector meanwhile wait for it and are numbered after the imported rows. The
        // import route writes batches of about 15 ms each (transfer/import.ts), so none waits longer.
        let [{ value: seq }] =
          (await tx`SELECT value FROM change_counter WHERE id = 1 FOR UPDATE`) as unknown as [
            { value: number },
          ]
        const result: ImportResult = { created: 0, updated: 0 }
        // The respondents whose chains the import touches (the ones it names and the ones it replaces),
        // rechained once at the end: the counter held since the start keeps every other writer out.
        const respondents = new Set<string>()
        let chunk: StoredResponse[] = []
        let ids = new Set<string>()
        const flush = async () => {
          if (chunk.length === 0) return
          const [written] = await tx.unsafe<{ created: number; updated: number; before: string[] }[]>(
            // Imported answers are history: no first_seq, so the dispatcher never acts on them (a
            // live answer they replace keeps its own). A replaced answer left without a respondent
            // leaves its chain (superseded_at NULL); the rechain sets the others, and those of the
            // respondents the replaced answers had before (read in the statement's snapshot).
            `WITH i AS (SELECT * FROM ${RESPONSE_ROWS}),
              -- One primary-key probe per row: joined, a generic plan scanned the survey's answers.
              before AS (SELECT DISTINCT b.respondent_id FROM (SELECT (SELECT r.respondent_id FROM responses AS r
                  WHERE r.survey_id = $1::text AND r.id = i.id) AS respondent_id FROM i) AS b
                WHERE b.respondent_id IS NOT NULL),
              written AS (
                INSERT INTO responses AS r (survey_id, id, created_at, updated_at, score, comment, respondent_id,
                    locale, url, path, device, metadata, contact, source, seq)
                  SELECT $1::text, i.id, i.created_at, $3::int8, i.score, i.comment, i.respondent_id, i.locale,
                    i.url, i.path, i.device, i.metadata, i.contact, coalesce(i.source, 'import'), $4::int8 + i.ord
                  FROM i
                  ORDER BY i.id
                  ON CONFLICT (survey_id, id) DO UPDATE SET created_at = excluded.created_at, seq = excluded.seq,
                    updated_at = excluded.updated_at, score = excluded.score, comment = excluded.comment,
                    respondent_id = excluded.respondent_id, locale = excluded.locale, url = excluded.url,
                    path = excluded.path, device = excluded.device, metadata = excluded.metadata,
                    contact = excluded.contact, source = excluded.source,
                    superseded_at = CASE WHEN excluded.respondent_id IS NULL THEN NULL ELSE r.superseded_at END
                  RETURNING (r.xmax = 0) AS created)
            SELECT (SELECT count(*) FILTER (WHERE created) FROM written)::int AS created,
              (SELECT count(*) FILTER (WHERE NOT created) FROM written)::int AS updated,
              ARRAY(SELECT respondent_id FROM before) AS before`,
            [surveyId, recordset(chunk), at, seq] as never[],
            { prepare: true },
          )
          seq += chunk.length
          result.created += written!.created
          result.updated += written!.updated
          for (const respondent of written!.before) respondents.add(respondent)
          for (const row of chunk) if (row.respondentId !== null) respondents.add(row.respondentId)
          chunk = []
          ids = new Set()
        }
        for (const row of rows) {
          // An id twice in one statement cannot be upserted: the second starts the next statement,
          // where it replaces the first, as it would in a later file.
          if (chunk.length >= CHUNK || ids.has(row.id)) await flush()
          chunk.push(row)
          ids.add(row.id)
        }
        await flush()
        if (respondents.size > 0) {
          await rechain(tx, chainsIn(surveyId, [...respondents]))
        }
        await tx`UPDATE change_counter SET value = ${seq} WHERE id = 1`
        return result
      }),
    )
  }

  async listResponses(
    surveyId: string,
    filter: ResponseFilter,
    limit: number,
    after?: Cursor,
    order: ResponseOrder = 'oldest',
  ): Promise<Page<StoredResponse, Cursor>> {
    const { text, params } = listingSql(surveyId, filter, limit + 1, after, order)
    // On the primary, as before: an export right after an import sees what was imported.
    const rows = await this.#run(
      () =>
        this.#sql.unsafe(text, params.values as never[], { prepare: false }) as unknown as Promise<
          ResponseRow[]
        >,
    )
    return pageOf(rows.map(toResponse), limit)
  }

  async respondentHistory(
    respondentId: string,
    limit: number,
    after?: Cursor,
  ): Promise<Page<RespondentAnswer, Cursor>> {
    // Along responses_respondent_chain, then sorted: one respondent's answers are few.
    const rows = await this.#run(
      () =>
        this.#sql.unsafe(
          `SELECT survey_id, ${RESPONSE_COLUMNS} FROM responses
           WHERE respondent_id = $1::text AND (created_at, id) > ($2::int8, $3::text COLLATE "C")
           ORDER BY created_at, id COLLATE "C" LIMIT $4::int8`,
          [respondentId, after?.createdAt ?? Number.MIN_SAFE_INTEGER, after?.id ?? '', limit + 1],
          { prepare: false },
        ) as unknown as Promise<(ResponseRow & { survey_id: string })[]>,
    )
    return pageOf(
      rows.map((row) => ({ surveyId: row.survey_id, ...toResponse(row) })),
      limit,
    )
  }

  async changes(surveyId: string, after: number, limit: number): Promise<ChangePage> {
    // On the primary, where the counter's order is the commit order (see migration 5).
    const rows = await this.#run(
      () => this.#sql<ChangeRow<Record<string, MetadataValue>>[]>`
        SELECT * FROM (SELECT seq, id, created_at, score, comment, respondent_id, locale, url, path, device,
            metadata, contact, source, NULL::int8 AS erased_at
          FROM responses WHERE survey_id = ${surveyId} AND seq > ${after} ORDER BY seq LIMIT ${limit}) AS a
        UNION ALL
        SELECT * FROM (SELECT seq, id, NULL::int8, NULL::int2, NULL, NULL, NULL, NULL, NULL, NULL, NULL::jsonb,
            NULL::jsonb, NULL, erased_at
          FROM response_tombstones WHERE survey_id = ${surveyId} AND seq > ${after} ORDER BY seq LIMIT ${limit}) AS b
        ORDER BY seq LIMIT ${limit}`,
    )
    return changePage(rows, after)
  }

  async metadataKeys(surveyId: string): Promise<string[]> {
    return this.#run(() => this.#registeredKeys(this.#sql, surveyId))
  }

  async #registeredKeys(sql: Sql | TransactionSql, surveyId: string): Promise<string[]> {
    const rows = await sql<{ key: string }[]>`SELECT key FROM metadata_keys
      WHERE survey_id = ${surveyId} ORDER BY key`
    return rows.map((row) => row.key)
  }

  admitMetadataKeys(surveyId: string, keys: readonly string[], limit?: number): string[] | Promise<string[]> {
    return this.#metadataKeys.admit(surveyId, keys, limit, (missing) =>
      this.#run(() =>
        this.#sql.begin(async (tx): Promise<Registration> => {
          // The survey's row lock serialises admissions to one survey across every collector, so the
          // count and the inserts are exact; it does not conflict with the FOR KEY SHARE of ingest.
          const [survey] = await tx`SELECT 1 FROM surveys WHERE id = ${surveyId} FOR NO KEY UPDATE`
          if (!survey) throw new UnknownSurveyError(surveyId)
          const { add, result } = registration(await this.#registeredKeys(tx, surveyId), missing, limit)
          if (add.length > 0) {
            await tx`INSERT INTO metadata_keys (survey_id, key)
              SELECT ${surveyId}, unnest(${tx.array(add)}::text[])`
          }
          return result
        }),
      ),
    )
  }

  async eraseRespondent(respondentId: string, at = Date.now()): Promise<ErasureResult> {
    // This collector's answers sent before the erasure go with it.
    await this.#ingest.settled()
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // Every answer of the respondent goes, and with them their chains: none to rechain.
        const { respondents: _, ...erased } = await this.#deleteAnswers(
          tx,
          tx`DELETE FROM responses WHERE respondent_id = ${respondentId} RETURNING survey_id, id, respondent_id`,
          at,
        )
        const events = await tx`DELETE FROM events WHERE respondent_id = ${respondentId}`
        return { ...erased, events: events.count }
      }),
    )
  }

  /**
   * Runs `deletion` (a DELETE … RETURNING survey_id, id) with what it takes along, in one statement:
   * a tombstone per answer, their cases (the logs with them, ON DELETE CASCADE) and whatever about them
   * has not gone out yet; what was delivered or sent is the receiver's record.
   */
  async #deleteAnswers(
    tx: TransactionSql,
    deletion: ReturnType<TransactionSql>,
    at: number,
  ): Promise<Omit<ErasureResult, 'events'> & { respondents: string[] }> {
    // Each deleted answer leaves a tombstone numbered from the change counter, locked as ingest locks
    // it (see migration 5) before any answer row.
    const [{ value: seq }] =
      (await tx`SELECT value FROM change_counter WHERE id = 1 FOR UPDATE`) as unknown as [{ value: number }]
    const [erased] = await tx<
      (Omit<ErasureResult, 'events'> & { respondents: string[] })[]
    >`WITH erased AS (${deletion}),
      stones AS (
        INSERT INTO response_tombstones (survey_id, seq, id, erased_at)
        SELECT survey_id, ${seq}::int8 + row_number() OVER (ORDER BY survey_id, id), id, ${at}::int8
        FROM erased RETURNING 1),
      numbered AS (
        UPDATE change_counter SET value = value + (SELECT count(*) FROM stones) WHERE id = 1 RETURNING 1),
      cases AS (
        DELETE FROM cases AS c USING erased AS e WHERE c.survey_id = e.survey_id AND c.response_id = e.id
        RETURNING 1),
      deliveries AS (
        DELETE FROM webhook_deliveries AS d USING erased AS e
        WHERE d.response_id = e.id AND coalesce(d.survey_id, e.survey_id) = e.survey_id AND d.status <> 'delivered' RETURNING 1),
      emails AS (
        DELETE FROM emails AS m USING erased AS e
        WHERE m.response_id = e.id AND coalesce(m.survey_id, e.survey_id) = e.survey_id AND m.status <> 'delivered' RETURNING 1)
      SELECT (SELECT count(*) FROM stones)::int AS responses, (SELECT count(*) FROM cases)::int AS cases,
        (SELECT count(*) FROM deliveries)::int AS deliveries, (SELECT count(*) FROM emails)::int AS emails,
        ARRAY(SELECT DISTINCT respondent_id FROM erased WHERE respondent_id IS NOT NULL) AS respondents`
    return erased!
  }

  // ── the data lifecycle ───────────────────────────────────────────────────────────────────────────

  async deleteResponses(surveyId: string, ids: readonly string[], at: number): Promise<ErasureResult> {
    await this.#ingest.settled()
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const { respondents, ...erased } = await this.#deleteAnswers(
          tx,
          tx`DELETE FROM responses WHERE survey_id = ${surveyId} AND id = ANY(${[...new Set(ids)]}::text[])
             RETURNING survey_id, id, respondent_id`,
          at,
        )
        // The chains the deleted answers were in go on without them.
        if (respondents.length > 0) {
          await rechain(tx, chainsIn(surveyId, respondents))
        }
        return { ...erased, events: 0 }
      }),
    )
  }

  async anonymiseResponses(
    surveyId: string,
    before: number,
    keepMetadata: readonly string[],
    limit: number,
    at: number,
  ): Promise<number> {
    await this.#ingest.settled()
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const [{ value: seq }] =
          (await tx`SELECT value FROM change_counter WHERE id = 1 FOR UPDATE`) as unknown as [
            { value: number },
          ]
        // Score, time, locale, device and source stay, so the hourly counts do not move but for the
        // answers that leave their respondent's chain (superseded_at NULL: no longer superseded, x); the
        // breakdown trigger moves an answer whose metadata changed to the group it now belongs to.
        const [row] = await tx<{ changed: number; respondents: string[] }[]>`WITH picked AS (
            SELECT id, respondent_id, row_number() OVER (ORDER BY created_at, id) AS ord FROM responses
            WHERE ${identifiable(tx, surveyId, before, keepMetadata)}
            ORDER BY created_at, id LIMIT ${limit}),
          changed AS (
            UPDATE responses AS r SET comment = NULL, respondent_id = NULL, url = NULL, path = NULL,
              contact = NULL, updated_at = ${at}::int8, seq = ${seq}::int8 + p.ord, superseded_at = NULL,
              metadata = (SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(r.metadata) AS e
                WHERE e.key = ANY(${[...keepMetadata]}::text[]))
            FROM picked AS p WHERE r.survey_id = ${surveyId} AND r.id = p.id
            RETURNING r.survey_id, r.id),
          numbered AS (
            UPDATE change_counter SET value = value + (SELECT count(*) FROM changed) WHERE id = 1 RETURNING 1),
          deliveries AS (
            DELETE FROM webhook_deliveries AS d USING changed AS e
            WHERE d.response_id = e.id AND coalesce(d.survey_id, e.survey_id) = e.survey_id AND d.status <> 'delivered' RETURNING 1),
          emails AS (
            DELETE FROM emails AS m USING changed AS e
            WHERE m.response_id = e.id AND coalesce(m.survey_id, e.survey_id) = e.survey_id AND m.status <> 'delivered' RETURNING 1)
          SELECT (SELECT count(*) FROM changed)::int AS changed, (SELECT count(*) FROM numbered) AS n,
            (SELECT count(*) FROM deliveries) AS d, (SELECT count(*) FROM emails) AS m,
            ARRAY(SELECT DISTINCT respondent_id FROM picked WHERE respondent_id IS NOT NULL) AS respondents`
        // The respondents' other answers: an anonymised one no longer supersedes the one before it.
        if (row!.respondents.length > 0) {
          await rechain(tx, chainsIn(surveyId, row!.respondents))
        }
        return row!.changed
      }),
    )
  }

  async countToAnonymise(surveyId: string, before: number, keepMetadata: readonly string[]): Promise<number> {
    const [row] = await this.#run(
      () =>
        this.#sql<{ n: number }[]>`SELECT count(*)::int AS n FROM responses
          WHERE ${identifiable(this.#sql, surveyId, before, keepMetadata)}`,
    )
    return row!.n
  }

  recordLifecycleRun(run: Omit<LifecycleRun, 'id'>): Promise<LifecycleRun> {
    const stored: LifecycleRun = { id: randomId('run'), ...run }
    const row = lifecycleRunRow(stored)
    return this.#run(async () => {
      await this.#sql`INSERT INTO lifecycle_runs ${this.#sql(row)}`
      return stored
    })
  }

  async listLifecycleRuns(
    surveyId: string,
    limit: number,
    after?: Cursor,
  ): Promise<Page<LifecycleRun, Cursor>> {
    const rows = await this.#run(
      () => this.#sql<LifecycleRunRow[]>`SELECT * FROM lifecycle_runs WHERE survey_id = ${surveyId}
        AND (started_at < ${after?.createdAt ?? Number.MAX_SAFE_INTEGER}::int8
          OR (started_at = ${after?.createdAt ?? Number.MAX_SAFE_INTEGER}::int8 AND id < ${after?.id ?? ''}))
        ORDER BY started_at DESC, id DESC LIMIT ${limit + 1}`,
    )
    const items = rows.slice(0, limit).map(toLifecycleRun)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.startedAt, id: last.id } : null }
  }

  /** Nothing to do here: dead tuples stay until VACUUM reuses their space (README, "Data lifecycle"). */
  async scrub(): Promise<boolean> {
    return false
  }

  // ── analytics ────────────────────────────────────────────────────────────────────────────────────

  distribution(surveyId: string, filter: AnalyticsFilter): Promise<number[]> {
    return this.#analytics.distribution(surveyId, filter)
  }

  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): Promise<number[][]> {
    return this.#analytics.distributions(surveyId, filter, windows)
  }

  eventCounts(surveyId: string, windows: readonly Window[]): Promise<EventCounts[]> {
    return this.#analytics.eventCounts(surveyId, windows)
  }

  firstAnswerAt(surveyId: string): Promise<number | null> {
    return this.#analytics.firstAnswerAt(surveyId)
  }

  accounts(
    surveyId: string,
    filter: AnalyticsFilter,
    key: string,
    weight: AccountWeight = 'answer',
  ): Promise<AccountGroup[]> {
    return this.#analytics.accounts(surveyId, filter, key, weight)
  }

  movers(
    surveyId: string,
    filter: AnalyticsFilter,
    scope: MoverScope,
    direction: 'down' | 'up',
    limit: number,
    after?: Cursor,
  ): Promise<Page<Mover, Cursor>> {
    return this.#analytics.movers(surveyId, filter, scope, direction, limit, after)
  }

  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Promise<Group[]> {
    return this.#analytics.breakdown(surveyId, filter, dimension)
  }

  breakdownRollup(surveyId: string, dimension: Dimension): Promise<'counted' | 'counting' | undefined> {
    return this.#analytics.breakdownRollup(surveyId, dimension)
  }

  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: CommentVisitor,
  ): Promise<number> {
    return this.#analytics.forEachComment(surveyId, filter, query, visit)
  }

  // ── copying ──────────────────────────────────────────────────────────────────────────────────────

  isEmpty(): Promise<boolean> {
    return this.#isEmpty(this.#sql)
  }

  async #isEmpty(sql: Sql | TransactionSql): Promise<boolean> {
    const [row] = await this.#run(
      () =>
        sql<
          { empty: boolean }[]
        >`SELECT NOT EXISTS (SELECT 1 FROM surveys) AND NOT EXISTS (SELECT 1 FROM api_keys)
          AND NOT EXISTS (SELECT 1 FROM responses) AND NOT EXISTS (SELECT 1 FROM events)
          AND NOT EXISTS (SELECT 1 FROM webhook_endpoints) AS empty`,
    )
    return row!.empty
  }

  /**
   * One REPEATABLE READ transaction on a reserved connection, so the export is one snapshot however
   * long its reader takes, while collectors go on writing.
   */
  async *exportData(batchSize = 1000): AsyncIterable<DataBatch> {
    const reserved = await this.#run(() => this.#sql.reserve())
    let ended = false
    try {
      await this.#run(() => reserved`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
      yield* this.#export(reserved, batchSize)
      await this.#run(() => reserved`COMMIT`)
      ended = true
    } finally {
      // A reader that stopped early (or a failure) must not hand a connection in a transaction back.
      if (!ended) await reserved`ROLLBACK`.catch(() => {})
      reserved.release()
    }
  }

  #export(sql: ReservedSql, batchSize: number): AsyncIterable<DataBatch> {
    return exportBatches(
      {
        surveys: (after, limit) =>
          this.#run(
            () => sql<SurveyRow[]>`SELECT * FROM surveys WHERE id > ${after} ORDER BY id LIMIT ${limit}`,
          ),
        keys: (after, limit) =>
          this.#run(
            () => sql<KeyRow[]>`SELECT * FROM api_keys WHERE id > ${after} ORDER BY id LIMIT ${limit}`,
          ),
        responses: (surveyId, after, limit) =>
          this.#run(
            () =>
              sql<ResponseRow[]>`SELECT ${sql.unsafe(RESPONSE_COLUMNS)} FROM responses
                WHERE survey_id = ${surveyId} AND id > ${after} ORDER BY id LIMIT ${limit}`,
          ),
        events: (after, limit) =>
          this.#run(
            () =>
              sql<
                (EventRow & { seq: number })[]
              >`SELECT seq, survey_id, type, respondent_id, response_id, created_at
                FROM events WHERE seq > ${after} ORDER BY seq LIMIT ${limit}`,
          ),
        cases: (after, limit) =>
          this.#run(
            () => sql<CaseRow<unknown>[]>`SELECT * FROM cases WHERE id > ${after} ORDER BY id LIMIT ${limit}`,
          ),
        caseLogs: (ids) =>
          this.#run(
            () => sql<CaseLogRow[]>`SELECT * FROM case_log
              WHERE case_id = ANY(${sql.array([...ids])}::text[]) ORDER BY case_id, seq`,
          ),
        endpoints: (after, limit) =>
          this.#run(
            () =>
              sql<EndpointRow<unknown>[]>`SELECT * FROM webhook_endpoints WHERE id > ${after}
                ORDER BY id LIMIT ${limit}`,
          ),
      },
      batchSize,
    )
  }

  async importData(batches: AsyncIterable<DataBatch>): Promise<DataCounts> {
    await this.#ingest.settled()
    const counts = await this.#run(() =>
      this.#sql.begin(async (tx) => {
        // Nothing else may write while the copy loads: it must find the database empty and leave it whole.
        await tx`LOCK TABLE surveys, api_keys, responses, events, webhook_endpoints IN EXCLUSIVE MODE`
        if (!(await this.#isEmpty(tx))) throw new Error(`${this.location} is not empty`)
        const counts: DataCounts = { surveys: 0, keys: 0, responses: 0, events: 0, cases: 0, endpoints: 0 }
        for await (const batch of batches) {
          for (let i = 0; i < batch.rows.length; i += CHUNK) await this.#load(tx, batch, i, i + CHUNK)
          counts[batch.kind] += batch.rows.length
        }
        // The registry is rebuilt from the answers copied, as migration 3 first filled it, and every
        // answer's superseded_at, as migration 13 first set it (the trigger counting the x columns).
        await tx.unsafe(fillMetadataKeys)
        await tx.unsafe(FILL_CHAINS)
        return counts
      }),
    )
    this.#surveys.clear()
    this.#metadataKeys.forget()
    return counts
  }

  async #load(tx: TransactionSql, batch: DataBatch, from: number, to: number): Promise<void> {
    if (batch.kind === 'surveys') {
      const rows = batch.rows.slice(from, to)
      await tx.unsafe(
        `INSERT INTO surveys (id, settings, created_at, updated_at)
          SELECT i.id, i.settings, i."createdAt", i."updatedAt"
          FROM json_to_recordset($1::text::json) AS i (id text, settings json, "createdAt" int8, "updatedAt" int8)`,
        [recordset(rows)] as never[],
      )
    } else if (batch.kind === 'keys') {
      const rows = batch.rows.slice(from, to)
      await tx.unsafe(
        `INSERT INTO api_keys (id, name, scope, hash, last4, created_at, revoked_at)
          SELECT * FROM json_to_recordset($1::text::json)
            AS i (id text, name text, scope text, hash text, last4 text, "createdAt" int8, "revokedAt" int8)`,
        [recordset(rows)] as never[],
      )
    } else if (batch.kind === 'responses') {
      const rows = batch.rows.slice(from, to)
      await tx.unsafe(
        `WITH numbers AS (UPDATE change_counter SET value = value + $3::int8 WHERE id = 1 RETURNING value - $3::int8 AS base)
          INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url,
            path, device, metadata, contact, source, seq)
          SELECT $1::text, i.id, i.created_at, i.created_at, i.score, i.comment, i.respondent_id, i.locale, i.url,
            i.path, i.device, i.metadata, i.contact, i.source, (SELECT base FROM numbers) + i.ord
          FROM ${RESPONSE_ROWS} ORDER BY i.ord`,
        // A copy numbers its answers afresh: pollers of the new database start from the beginning.
        [batch.surveyId, recordset(rows), rows.length] as never[],
      )
    } else if (batch.kind === 'cases') {
      await loadCases(tx, batch.rows.slice(from, to))
    } else if (batch.kind === 'endpoints') {
      await loadEndpoints(tx, batch.rows.slice(from, to))
    } else {
      const rows = batch.rows.slice(from, to)
      await tx.unsafe(
        `INSERT INTO events (survey_id, type, respondent_id, response_id, created_at)
          SELECT i.survey_id, i.type, i.respondent_id, i.response_id, i.created_at
          FROM ROWS FROM (json_to_recordset($1::text::json)
              AS ("surveyId" text, type text, "respondentId" text, "responseId" text, "createdAt" int8))
            WITH ORDINALITY AS i (survey_id, type, respondent_id, response_id, created_at, ord)
          ORDER BY i.ord`,
        [recordset(rows)] as never[],
      )
    }
  }

  stats(): BackendStats {
    return {
      queuedWrites: this.#ingest.queued,
      commitSizes: snapshot(this.#ingest.commitSizes),
      pool: { write: this.#sql.options.max, read: this.#read.options.max },
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#breakdownFill.settled()
    await this.#ingest.close()
    await this.#sql.end({ timeout: 5 })
    if (this.#read !== this.#sql) await this.#read.end({ timeout: 5 })
  }
}
