/**
 * The PostgreSQL engine's follow-up store (backend/follow-up.ts): cases and their logs, webhook
 * endpoints, the delivery and email outboxes, and the dispatcher's cursors and schedule marks, in the
 * tables of migration 6.
 *
 * Several collectors share one database, so every step that two of them could take at once is decided
 * by the database: a claim locks the rows it leases (`FOR UPDATE SKIP LOCKED`), so no delivery or email
 * goes to two collectors; the dispatcher's cursor and the schedule marks move by compare-and-set, so one
 * step's work is stored once. Every case log entry takes its number from the change counter (migration
 * 5) in the transaction that writes it, locked first, as every writer of answers locks it before any
 * other row: entries and answers commit in number order, and the dispatcher, resuming after the last
 * number it acted on, misses none.
 *
 * @example
 * const followUp = new PostgresFollowUp(sql)
 * await followUp.openCase({ surveyId, responseId, assignee: null, dueAt: null, tags: [], openedBy: 'admin' }, Date.now())
 */
import { classify } from '@npskit/shared'
import type { Sql, TransactionSql } from 'postgres'
import { CATEGORY_SCORES, type MetadataValue, type Page, UnknownSurveyError } from '../backend.ts'
import type {
  AttemptOutcome,
  Case,
  CaseChange,
  CaseCursor,
  CaseFilter,
  CaseLogKind,
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
  FollowUpStore,
  FollowUpWork,
  NewCase,
  NewDelivery,
  NewEmail,
  NewEndpoint,
  ScheduleMark,
  WebhookEndpoint,
} from '../follow-up.ts'
import {
  type CaseLogRow,
  type CaseRow,
  type DeliveryAttemptRow,
  type DeliveryRow,
  type EmailRow,
  type EndpointRow,
  type FollowUpResponseRow,
  followUpPage,
  toCase,
  toCaseWithLog,
  toDelivery,
  toDeliveryAttempt,
  toEmail,
  toEndpoint,
} from '../follow-up-rows.ts'
import type { ResponseRow } from '../rows.ts'
import { randomId } from '../secrets.ts'
import { contractError } from './connect.ts'

/** The columns of an answer as StoredResponse has them (rows.ts toResponse). */
export const RESPONSE_COLUMNS =
  'id, created_at, score, comment, respondent_id, locale, url, path, device, metadata, contact, source'

type Db = Sql | TransactionSql
type Answer = ResponseRow<Record<string, MetadataValue>>

/** What a log entry's `from`/`to` hold: JSON text (see follow-up-rows.ts). */
const json = (value: unknown) => JSON.stringify(value ?? null)
const distinct = (tags: readonly string[]) => [...new Set(tags)]

/**
 * Locks the change counter until the transaction ends and answers its value: the entries this
 * transaction logs are numbered after it, and {@link setCounter} stores the last number used.
 */
async function lockCounter(tx: TransactionSql): Promise<number> {
  const [row] = await tx<{ value: number }[]>`SELECT value FROM change_counter WHERE id = 1 FOR UPDATE`
  return row!.value
}

async function setCounter(tx: TransactionSql, value: number): Promise<void> {
  await tx`UPDATE change_counter SET value = ${value} WHERE id = 1`
}

/** A claimed row with the time it fell due (RETURNING answers rows in no order). */
interface Claimed {
  due: number
  n: number
}

/** Claims in the order they fell due, then in creation order. */
const longestDue = (a: Claimed, b: Claimed) => a.due - b.due || a.n - b.n

interface LogEntry {
  kind: CaseLogKind
  note?: string | undefined
  from?: unknown
  to?: unknown
}

export class PostgresFollowUp implements FollowUpStore {
  readonly #sql: Sql

  constructor(sql: Sql) {
    this.#sql = sql
  }

  /** Runs a query, turning a lost connection into BackendUnavailableError. */
  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      throw contractError(error)
    }
  }

  // ── cases ────────────────────────────────────────────────────────────────────────────────────────

  async openCase(
    newCase: NewCase,
    at: number,
  ): Promise<{ case: CaseWithLog; created: boolean } | { missing: 'response' }> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const seq = await lockCounter(tx)
        const opened = await this.#openCase(tx, newCase, at, seq)
        if (opened === 'missing') return { missing: 'response' as const }
        if (opened.seq > seq) await setCounter(tx, opened.seq)
        return { case: await this.#withLog(tx, opened.row), created: opened.created }
      }),
    )
  }

  /**
   * Opens the case with its `opened` entry (and the note), numbered after `seq`; or finds the answer's
   * case. The caller holds the change counter, which also keeps two openers of one answer apart.
   */
  async #openCase(
    tx: TransactionSql,
    c: NewCase,
    at: number,
    seq: number,
  ): Promise<'missing' | { row: CaseRow<unknown>; created: boolean; seq: number }> {
    const [existing] = await tx<CaseRow<unknown>[]>`SELECT * FROM cases
      WHERE survey_id = ${c.surveyId} AND response_id = ${c.responseId}`
    if (existing) return { row: existing, created: false, seq }
    // The answer's survey is held (FOR KEY SHARE) until the case commits, as answers hold theirs.
    const [row] = await tx<CaseRow<unknown>[]>`
      INSERT INTO cases (id, survey_id, response_id, status, assignee, due_at, tags, score, answered_at, opened_at,
        opened_by, updated_at, first_contact_at, closed_at)
      SELECT ${randomId('case')}, r.survey_id, r.id, 'open', ${c.assignee}::text, ${c.dueAt}::int8,
        ${json(distinct(c.tags))}::jsonb, r.score, r.created_at, ${at}::int8, ${c.openedBy}, ${at}::int8, NULL, NULL
      FROM responses AS r JOIN surveys AS s ON s.id = r.survey_id
      WHERE r.survey_id = ${c.surveyId} AND r.id = ${c.responseId}
      FOR KEY SHARE OF s
      RETURNING *`
    if (!row) return 'missing'
    const entries: LogEntry[] = [{ kind: 'opened' }]
    if (c.note !== undefined) entries.push({ kind: 'note', note: c.note })
    return { row, created: true, seq: await this.#log(tx, row, entries, c.openedBy, at, seq) }
  }

  /** Appends entries numbered after `seq`; answers the last number used. */
  async #log(
    tx: TransactionSql,
    c: CaseRow<unknown>,
    entries: readonly LogEntry[],
    actor: string,
    at: number,
    seq: number,
  ): Promise<number> {
    if (entries.length === 0) return seq
    const rows = entries.map((entry, i) => ({
      seq: seq + i + 1,
      kind: entry.kind,
      note: entry.note ?? null,
      // Kinds without a change (opened, note) store none, as SQLite does.
      from_value: entry.kind === 'opened' || entry.kind === 'note' ? null : json(entry.from),
      to_value: entry.kind === 'opened' || entry.kind === 'note' ? null : json(entry.to),
    }))
    await tx.unsafe(
      `INSERT INTO case_log (seq, case_id, survey_id, at, actor, kind, note, from_value, to_value)
        SELECT i.seq, $2::text, $3::text, $4::int8, $5::text, i.kind, i.note, i.from_value, i.to_value
        FROM json_to_recordset($1::text::json)
          AS i (seq int8, kind text, note text, from_value text, to_value text)`,
      [JSON.stringify(rows), c.id, c.survey_id, at, actor] as never[],
    )
    return seq + entries.length
  }

  async #withLog(db: Db, row: CaseRow<unknown>): Promise<CaseWithLog> {
    const [log, [response]] = await Promise.all([
      db<CaseLogRow[]>`SELECT * FROM case_log WHERE case_id = ${row.id} ORDER BY seq`,
      db<Answer[]>`SELECT ${db.unsafe(RESPONSE_COLUMNS)} FROM responses
        WHERE survey_id = ${row.survey_id} AND id = ${row.response_id}`,
    ])
    return toCaseWithLog(row, log, response)
  }

  async getCase(id: string): Promise<CaseWithLog | undefined> {
    return this.#run(async () => {
      const [row] = await this.#sql<CaseRow<unknown>[]>`SELECT * FROM cases WHERE id = ${id}`
      return row && this.#withLog(this.#sql, row)
    })
  }

  async listCases(filter: CaseFilter, limit: number, after?: CaseCursor): Promise<Page<Case, CaseCursor>> {
    const sql = this.#sql
    const conditions = [sql`TRUE`]
    if (filter.surveyId !== undefined) conditions.push(sql`survey_id = ${filter.surveyId}`)
    if (filter.status !== undefined)
      conditions.push(sql`status = ANY(${sql.array([...filter.status])}::text[])`)
    if (filter.assignee === null) conditions.push(sql`assignee IS NULL`)
    else if (filter.assignee !== undefined) conditions.push(sql`assignee = ${filter.assignee}`)
    if (filter.overdueAt !== undefined) {
      conditions.push(sql`status IN ('open', 'contacted') AND due_at < ${filter.overdueAt}::int8`)
    }
    if (filter.category !== undefined) {
      const [low, high] = CATEGORY_SCORES[filter.category]
      conditions.push(sql`score BETWEEN ${low}::int2 AND ${high}::int2`)
    }
    if (filter.from !== undefined) conditions.push(sql`answered_at >= ${filter.from}::int8`)
    if (filter.to !== undefined) conditions.push(sql`answered_at < ${filter.to}::int8`)
    if (after)
      conditions.push(sql`(opened_at, id) < (${after.openedAt}::int8, ${after.id}::text COLLATE "C")`)
    const where = conditions.reduce((all, condition) => sql`${all} AND ${condition}`)
    const rows = await this.#run(
      () => sql<CaseRow<unknown>[]>`SELECT * FROM cases WHERE ${where}
        ORDER BY opened_at DESC, id DESC LIMIT ${limit + 1}`,
    )
    const items = rows.slice(0, limit).map(toCase)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { openedAt: last.openedAt, id: last.id } : null }
  }

  async changeCase(
    id: string,
    change: CaseChange,
    actor: string,
    at: number,
  ): Promise<CaseWithLog | undefined> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const seq = await lockCounter(tx)
        const [row] = await tx<CaseRow<unknown>[]>`SELECT * FROM cases WHERE id = ${id} FOR UPDATE`
        if (!row) return undefined
        const before = toCase(row)
        const next = { ...before }
        const entries: LogEntry[] = []
        if (change.status !== undefined && change.status !== before.status) {
          entries.push({ kind: 'status', from: before.status, to: change.status })
          next.status = change.status
          // Resolving a case nobody had contacted yet counts as its first contact.
          if (change.status === 'contacted' || change.status === 'resolved') next.firstContactAt ??= at
          next.closedAt = change.status === 'resolved' || change.status === 'dismissed' ? at : null
        }
        if (change.assignee !== undefined && change.assignee !== before.assignee) {
          entries.push({ kind: 'assignee', from: before.assignee, to: change.assignee })
          next.assignee = change.assignee
        }
        if (change.dueAt !== undefined && change.dueAt !== before.dueAt) {
          entries.push({ kind: 'due', from: before.dueAt, to: change.dueAt })
          next.dueAt = change.dueAt
        }
        if (change.tags !== undefined) {
          const tags = distinct(change.tags)
          if (json(tags) !== json(before.tags)) {
            entries.push({ kind: 'tags', from: before.tags, to: tags })
            next.tags = tags
          }
        }
        if (change.note !== undefined) entries.push({ kind: 'note', note: change.note })
        if (entries.length === 0) return this.#withLog(tx, row)
        const [changed] = await tx<CaseRow<unknown>[]>`UPDATE cases SET status = ${next.status},
            assignee = ${next.assignee}::text, due_at = ${next.dueAt}::int8, tags = ${json(next.tags)}::jsonb,
            first_contact_at = ${next.firstContactAt}::int8, closed_at = ${next.closedAt}::int8, updated_at = ${at}
          WHERE id = ${id} RETURNING *`
        await setCounter(tx, await this.#log(tx, changed!, entries, actor, at, seq))
        return this.#withLog(tx, changed!)
      }),
    )
  }

  async caseTimings(surveyId: string, from: number, to: number): Promise<CaseTiming[]> {
    const rows = await this.#run(
      () => this.#sql<CaseRow<unknown>[]>`SELECT * FROM cases
        WHERE survey_id = ${surveyId} AND answered_at >= ${from} AND answered_at < ${to}
        ORDER BY opened_at, id`,
    )
    return rows.map((row) => ({
      assignee: row.assignee,
      category: classify(row.score),
      status: row.status,
      openedAt: row.opened_at,
      dueAt: row.due_at,
      firstContactAt: row.first_contact_at,
      closedAt: row.closed_at,
    }))
  }

  // ── webhook endpoints ────────────────────────────────────────────────────────────────────────────

  async createEndpoint(endpoint: NewEndpoint, at: number): Promise<WebhookEndpoint> {
    const [row] = await this.#run(
      () => this.#sql<
        EndpointRow<unknown>[]
      >`INSERT INTO webhook_endpoints (id, survey_id, url, format, events,
          filter, description, secret, enabled, disabled_reason, failing_since, created_at, updated_at)
        VALUES (${randomId('whe')}, ${endpoint.surveyId}::text, ${endpoint.url}, ${endpoint.format},
          ${json(endpoint.events)}::jsonb, ${json(endpoint.filter)}::jsonb, ${endpoint.description}::text,
          ${endpoint.secret}, TRUE, NULL, NULL, ${at}, ${at})
        RETURNING *`,
    )
    return toEndpoint(row!)
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.#run(
      () => this.#sql<EndpointRow<unknown>[]>`SELECT * FROM webhook_endpoints WHERE id = ${id}`,
    )
    return row && toEndpoint(row)
  }

  async listEndpoints(surveyId?: string): Promise<WebhookEndpoint[]> {
    const rows = await this.#run(() =>
      surveyId === undefined
        ? this.#sql<EndpointRow<unknown>[]>`SELECT * FROM webhook_endpoints ORDER BY created_at, id`
        : this.#sql<EndpointRow<unknown>[]>`SELECT * FROM webhook_endpoints
            WHERE survey_id = ${surveyId} OR survey_id IS NULL ORDER BY created_at, id`,
    )
    return rows.map(toEndpoint)
  }

  async updateEndpoint(id: string, change: EndpointChange, at: number): Promise<WebhookEndpoint | undefined> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        const [row] = await tx<
          EndpointRow<unknown>[]
        >`SELECT * FROM webhook_endpoints WHERE id = ${id} FOR UPDATE`
        if (!row) return undefined
        const e = toEndpoint(row)
        if (change.url !== undefined) e.url = change.url
        if (change.format !== undefined) e.format = change.format
        if (change.events !== undefined) e.events = change.events
        if (change.filter !== undefined) e.filter = change.filter
        if (change.description !== undefined) e.description = change.description
        if (change.enabled === true) {
          e.enabled = true
          e.disabledReason = null
          e.failingSince = null
        } else if (change.enabled === false) {
          e.enabled = false
          e.disabledReason = change.disabledReason ?? null
        }
        const [changed] = await tx<EndpointRow<unknown>[]>`UPDATE webhook_endpoints SET url = ${e.url},
            format = ${e.format}, events = ${json(e.events)}::jsonb, filter = ${json(e.filter)}::jsonb,
            description = ${e.description}::text, enabled = ${e.enabled}, disabled_reason = ${e.disabledReason}::text,
            failing_since = ${e.failingSince}::int8, updated_at = ${at}
          WHERE id = ${id} RETURNING *`
        return toEndpoint(changed!)
      }),
    )
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    // Its deliveries and their attempts go with it (ON DELETE CASCADE).
    const gone = await this.#run(() => this.#sql`DELETE FROM webhook_endpoints WHERE id = ${id} RETURNING 1`)
    return gone.length > 0
  }

  // ── deliveries ───────────────────────────────────────────────────────────────────────────────────

  async enqueueDeliveries(deliveries: readonly NewDelivery[], at: number): Promise<void> {
    if (deliveries.length === 0) return
    await this.#run(() => insertDeliveries(this.#sql, deliveries, at))
  }

  async claimDeliveries(now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    // The oldest pending delivery of each (endpoint, order key) only: one leased by another collector
    // is still pending, so the next of its key waits for it. Rows another collector is claiming at this
    // moment are skipped, not waited for; a row it claimed meanwhile is rechecked and is no longer due.
    const rows = await this.#run(
      () => this.#sql<(DeliveryRow & Claimed)[]>`WITH due AS (
          SELECT p.id, p.next_attempt_at AS due, p.n FROM webhook_deliveries AS p
          JOIN webhook_endpoints AS e ON e.id = p.endpoint_id
          WHERE p.status = 'pending' AND p.next_attempt_at <= ${now}::int8 AND e.enabled
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS o
              WHERE o.endpoint_id = p.endpoint_id AND o.order_key = p.order_key AND o.status = 'pending' AND o.n < p.n)
          ORDER BY p.next_attempt_at, p.n LIMIT ${limit}
          FOR UPDATE OF p SKIP LOCKED)
        UPDATE webhook_deliveries AS d SET next_attempt_at = ${now + leaseMs}::int8 FROM due WHERE d.id = due.id
        RETURNING d.*, due.due`,
    )
    return rows.sort(longestDue).map(toDelivery)
  }

  async recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
    health: EndpointHealth,
  ): Promise<void> {
    const next = outcome.status === 'pending' ? outcome.nextAttemptAt : null
    const deliveredAt = outcome.status === 'delivered' ? attempt.at : null
    // Whole milliseconds, as SQLite's INTEGER column keeps them.
    const latency = Math.round(attempt.latencyMs)
    await this.#run(() =>
      this.#sql.begin(async (tx) => {
        // The endpoint first, then the delivery: the order in which deleting an endpoint takes them
        // (its deliveries go by cascade), so the two never wait for each other in a circle.
        const [endpoint] = await tx<{ id: string }[]>`SELECT e.id FROM webhook_endpoints AS e
          WHERE e.id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ${deliveryId}) FOR NO KEY UPDATE`
        if (!endpoint) return
        await tx`WITH d AS (
            UPDATE webhook_deliveries SET attempts = attempts + 1, status = ${outcome.status},
              next_attempt_at = ${next}::int8, delivered_at = coalesce(${deliveredAt}::int8, delivered_at),
              last_attempt_at = ${attempt.at}, last_status_code = ${attempt.statusCode}::int4,
              last_error = ${attempt.error}::text, last_latency_ms = ${latency}::int4
            WHERE id = ${deliveryId} RETURNING attempts)
          INSERT INTO delivery_attempts (delivery_id, n, at, status_code, error, latency_ms)
          SELECT ${deliveryId}, d.attempts, ${attempt.at}, ${attempt.statusCode}::int4, ${attempt.error}::text,
            ${latency}::int4 FROM d`
        await tx`UPDATE webhook_endpoints SET failing_since = ${health.failingSince}::int8,
            enabled = enabled AND ${health.disable === undefined},
            disabled_reason = coalesce(${health.disable ?? null}::text, disabled_reason)
          WHERE id = ${endpoint.id}`
      }),
    )
  }

  async listDeliveries(
    endpointId: string,
    limit: number,
    after?: DeliveryCursor,
  ): Promise<Page<Delivery, DeliveryCursor>> {
    const rows = await this.#run(() =>
      after
        ? this.#sql<DeliveryRow[]>`SELECT * FROM webhook_deliveries WHERE endpoint_id = ${endpointId}
            AND (created_at, id) < (${after.createdAt}::int8, ${after.id}::text COLLATE "C")
            ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`
        : this.#sql<DeliveryRow[]>`SELECT * FROM webhook_deliveries WHERE endpoint_id = ${endpointId}
            ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
    )
    const items = rows.slice(0, limit).map(toDelivery)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  async getDelivery(id: string): Promise<DeliveryWithAttempts | undefined> {
    const [[row], attempts] = await this.#run(() =>
      Promise.all([
        this.#sql<DeliveryRow[]>`SELECT * FROM webhook_deliveries WHERE id = ${id}`,
        this.#sql<DeliveryAttemptRow[]>`SELECT * FROM delivery_attempts WHERE delivery_id = ${id} ORDER BY n`,
      ]),
    )
    return row && { ...toDelivery(row), history: attempts.map(toDeliveryAttempt) }
  }

  async redeliver(id: string, at: number): Promise<Delivery | undefined> {
    const [row] = await this.#run(
      () => this.#sql<DeliveryRow[]>`UPDATE webhook_deliveries
        SET status = 'pending', next_attempt_at = ${at} WHERE id = ${id} RETURNING *`,
    )
    return row && toDelivery(row)
  }

  // ── email ────────────────────────────────────────────────────────────────────────────────────────

  async enqueueEmails(emails: readonly NewEmail[], at: number): Promise<void> {
    if (emails.length === 0) return
    await this.#run(() => insertEmails(this.#sql, emails, at))
  }

  async claimEmails(now: number, limit: number, leaseMs: number): Promise<Email[]> {
    const rows = await this.#run(
      () => this.#sql<(EmailRow<unknown> & Claimed)[]>`WITH due AS (
          SELECT id, next_attempt_at AS due, n FROM emails WHERE status = 'pending' AND next_attempt_at <= ${now}::int8
          ORDER BY next_attempt_at, n LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        UPDATE emails AS m SET next_attempt_at = ${now + leaseMs}::int8 FROM due WHERE m.id = due.id
        RETURNING m.*, due.due`,
    )
    return rows.sort(longestDue).map(toEmail)
  }

  async recordEmailAttempt(
    id: string,
    at: number,
    error: string | null,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const next = outcome.status === 'pending' ? outcome.nextAttemptAt : null
    const sentAt = outcome.status === 'delivered' ? at : null
    await this.#run(
      () => this.#sql`UPDATE emails SET attempts = attempts + 1, status = ${outcome.status},
          next_attempt_at = ${next}::int8, last_error = ${error}::text, sent_at = coalesce(${sentAt}::int8, sent_at)
        WHERE id = ${id}`,
    )
  }

  // ── the dispatcher ───────────────────────────────────────────────────────────────────────────────

  async followUpCursor(surveyId: string): Promise<number> {
    return this.#run(async () => {
      for (;;) {
        const [row] = await this.#sql<
          { seq: number }[]
        >`SELECT seq FROM follow_up_cursors WHERE survey_id = ${surveyId}`
        if (row) return row.seq
        // A survey without one (made by a copy) starts at the number current now: its history is done.
        const made = await this.#sql`INSERT INTO follow_up_cursors (survey_id, seq)
          SELECT s.id, c.value FROM surveys AS s, change_counter AS c WHERE s.id = ${surveyId}
          ON CONFLICT DO NOTHING RETURNING 1`
        if (made.length === 0) {
          const [survey] = await this.#sql`SELECT 1 FROM surveys WHERE id = ${surveyId}`
          if (!survey) throw new UnknownSurveyError(surveyId)
        }
      }
    })
  }

  async followUpChanges(surveyId: string, after: number, limit: number): Promise<FollowUpPage> {
    // Each kind in number order, at most `limit` of each, merged by number (follow-up-rows.ts).
    const [responses, entries] = await this.#run(() =>
      Promise.all([
        this.#sql<FollowUpResponseRow<Record<string, MetadataValue>>[]>`
          SELECT survey_id, seq, first_seq, ${this.#sql.unsafe(RESPONSE_COLUMNS)} FROM responses
          WHERE survey_id = ${surveyId} AND seq > ${after} AND first_seq IS NOT NULL ORDER BY seq LIMIT ${limit}`,
        this.#sql<(CaseLogRow & { case: CaseRow<unknown> })[]>`
          SELECT l.*, row_to_json(c) AS "case" FROM case_log AS l JOIN cases AS c ON c.id = l.case_id
          WHERE l.survey_id = ${surveyId} AND l.seq > ${after} ORDER BY l.seq LIMIT ${limit}`,
      ]),
    )
    return followUpPage(
      responses,
      entries.map(({ case: c, ...entry }) => ({ entry, case: c })),
      after,
      limit,
    )
  }

  async commitFollowUp(
    surveyId: string,
    from: number,
    to: number,
    work: FollowUpWork,
    at: number,
  ): Promise<boolean> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // The counter first, as every writer of numbered rows takes it, then the survey (a deletion
        // waits for this step or this step finds no cursor), then the cursor itself.
        let seq = work.cases.length > 0 ? await lockCounter(tx) : 0
        const start = seq
        const moved = await tx`WITH s AS (SELECT id FROM surveys WHERE id = ${surveyId} FOR KEY SHARE)
          UPDATE follow_up_cursors SET seq = ${to}
          WHERE survey_id = (SELECT id FROM s) AND seq = ${from} RETURNING 1`
        if (moved.length === 0) return false
        for (const c of work.cases) {
          if (c.surveyId !== surveyId) continue
          const opened = await this.#openCase(tx, c, at, seq)
          if (opened !== 'missing') seq = opened.seq
        }
        if (seq > start) await setCounter(tx, seq)
        await insertDeliveries(tx, work.deliveries, at)
        await insertEmails(tx, work.emails, at)
        return true
      }),
    )
  }

  async scheduleMark(surveyId: string, job: string): Promise<ScheduleMark | undefined> {
    const [row] = await this.#run(
      () => this.#sql<{ at: number; data: string }[]>`SELECT at, data FROM schedule_marks
        WHERE survey_id = ${surveyId} AND job = ${job}`,
    )
    return row && { at: row.at, data: JSON.parse(row.data) }
  }

  async commitSchedule(
    surveyId: string,
    job: string,
    expectedAt: number | undefined,
    mark: ScheduleMark,
    work: Omit<FollowUpWork, 'cases'>,
  ): Promise<boolean> {
    return this.#run(() =>
      this.#sql.begin(async (tx) => {
        // Of two collectors setting the first mark at once, the second waits for the first's row and
        // inserts nothing; of two moving it, the second finds it no longer at `expectedAt`.
        const set =
          expectedAt === undefined
            ? await tx`INSERT INTO schedule_marks (survey_id, job, at, data)
                SELECT id, ${job}, ${mark.at}, ${json(mark.data)} FROM surveys WHERE id = ${surveyId} FOR KEY SHARE
                ON CONFLICT DO NOTHING RETURNING 1`
            : await tx`UPDATE schedule_marks SET at = ${mark.at}, data = ${json(mark.data)}
                WHERE survey_id = ${surveyId} AND job = ${job} AND at = ${expectedAt} RETURNING 1`
        if (set.length === 0) return false
        await insertDeliveries(tx, work.deliveries, mark.at)
        await insertEmails(tx, work.emails, mark.at)
        return true
      }),
    )
  }
}

/**
 * Pending deliveries, due at once. A delivery for an endpoint deleted meanwhile is dropped, not an
 * error: the step that made it must still commit (the endpoint row is held until then).
 */
async function insertDeliveries(db: Db, deliveries: readonly NewDelivery[], at: number): Promise<void> {
  if (deliveries.length === 0) return
  await db.unsafe(
    `INSERT INTO webhook_deliveries (id, endpoint_id, survey_id, order_key, response_id, event_type, payload,
        created_at, status, attempts, next_attempt_at)
      SELECT i.id, i."endpointId", i."surveyId", i."orderKey", i."responseId", i."eventType", i.payload,
        $2::int8, 'pending', 0, $2::int8
      FROM ROWS FROM (json_to_recordset($1::text::json) AS (id text, "endpointId" text, "surveyId" text,
          "orderKey" text, "responseId" text, "eventType" text, payload text)) WITH ORDINALITY
        AS i (id, "endpointId", "surveyId", "orderKey", "responseId", "eventType", payload, ord)
      JOIN webhook_endpoints AS e ON e.id = i."endpointId"
      ORDER BY i.ord
      FOR KEY SHARE OF e`,
    [JSON.stringify(deliveries), at] as never[],
  )
}

/** Pending emails, due at once; one about a survey deleted meanwhile is dropped. */
async function insertEmails(db: Db, emails: readonly NewEmail[], at: number): Promise<void> {
  if (emails.length === 0) return
  const rows = emails.map((e) => ({ ...e, to: JSON.stringify(e.to) }))
  await db.unsafe(
    `INSERT INTO emails (id, kind, survey_id, response_id, recipients, subject, body_text, body_html, created_at,
        status, attempts, next_attempt_at)
      SELECT i.id, i.kind, i."surveyId", i."responseId", i."to"::jsonb, i.subject, i.text, i.html, $2::int8,
        'pending', 0, $2::int8
      FROM ROWS FROM (json_to_recordset($1::text::json) AS (id text, kind text, "surveyId" text,
          "responseId" text, "to" text, subject text, text text, html text)) WITH ORDINALITY
        AS i (id, kind, "surveyId", "responseId", "to", subject, text, html, ord)
      WHERE i."surveyId" IS NULL OR EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = i."surveyId")
      ORDER BY i.ord`,
    [JSON.stringify(rows), at] as never[],
  )
}

/**
 * A copy's cases and their logs (importData): each entry takes a new number from the change counter,
 * in the order of the copy, as a copy numbers its answers afresh. The copy's surveys have no cursor yet,
 * so their dispatchers start after every one of them: history opens nothing.
 */
export async function loadCases(tx: TransactionSql, cases: readonly CaseWithLog[]): Promise<void> {
  if (cases.length === 0) return
  await tx.unsafe(
    `INSERT INTO cases (id, survey_id, response_id, status, assignee, due_at, tags, score, answered_at, opened_at,
        opened_by, updated_at, first_contact_at, closed_at)
      SELECT i.id, i."surveyId", i."responseId", i.status, i.assignee, i."dueAt", i.tags, i.score, i."answeredAt",
        i."openedAt", i."openedBy", i."updatedAt", i."firstContactAt", i."closedAt"
      FROM json_to_recordset($1::text::json) AS i (id text, "surveyId" text, "responseId" text, status text,
        assignee text, "dueAt" int8, tags jsonb, score int2, "answeredAt" int8, "openedAt" int8, "openedBy" text,
        "updatedAt" int8, "firstContactAt" int8, "closedAt" int8)`,
    [JSON.stringify(cases.map(({ log: _, response: __, ...c }) => c))] as never[],
  )
  const entries = cases.flatMap((c) =>
    c.log.map((entry) => ({
      case_id: c.id,
      survey_id: c.surveyId,
      at: entry.at,
      actor: entry.actor,
      kind: entry.kind,
      note: entry.note,
      from_value: json(entry.from),
      to_value: json(entry.to),
    })),
  )
  if (entries.length === 0) return
  await tx.unsafe(
    `WITH numbers AS (UPDATE change_counter SET value = value + $2::int8 WHERE id = 1 RETURNING value - $2::int8 AS base)
      INSERT INTO case_log (seq, case_id, survey_id, at, actor, kind, note, from_value, to_value)
      SELECT (SELECT base FROM numbers) + i.ord, i.case_id, i.survey_id, i.at, i.actor, i.kind, i.note, i.from_value,
        i.to_value
      FROM ROWS FROM (json_to_recordset($1::text::json) AS (case_id text, survey_id text, at int8, actor text,
          kind text, note text, from_value text, to_value text)) WITH ORDINALITY
        AS i (case_id, survey_id, at, actor, kind, note, from_value, to_value, ord)`,
    [JSON.stringify(entries), entries.length] as never[],
  )
}

/** A copy's webhook endpoints (importData), with their secrets and health as they were. */
export async function loadEndpoints(
  tx: TransactionSql,
  endpoints: readonly WebhookEndpoint[],
): Promise<void> {
  if (endpoints.length === 0) return
  await tx.unsafe(
    `INSERT INTO webhook_endpoints (id, survey_id, url, format, events, filter, description, secret, enabled,
        disabled_reason, failing_since, created_at, updated_at)
      SELECT * FROM json_to_recordset($1::text::json) AS i (id text, "surveyId" text, url text, format text,
        events jsonb, filter jsonb, description text, secret text, enabled bool, "disabledReason" text,
        "failingSince" int8, "createdAt" int8, "updatedAt" int8)`,
    [JSON.stringify(endpoints)] as never[],
  )
}
