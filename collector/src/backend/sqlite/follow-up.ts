/**
 * The SQLite engine's follow-up store (../follow-up.ts): cases and their logs, webhook endpoints, the
 * delivery and email outboxes, the dispatcher's cursors and schedule marks (migration 14). Reads run on
 * the backend's connection at once; every write goes through the backend's group commit (`write`),
 * each in a savepoint of its own. Every case log entry takes its number from the change counter in the
 * transaction that writes it, as answers do, so the dispatcher's feed misses none.
 *
 * sqlite-backend.ts owns one of these and hands its methods on; erasure, deleting a survey and a copy
 * call the `…InTransaction` helpers inside their own writes.
 */
import type Database from 'better-sqlite3'
import { CATEGORY_SCORES, type Page, UnknownSurveyError } from '../backend.ts'
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
  type ScheduleMarkRow,
  toCase,
  toCaseWithLog,
  toDelivery,
  toDeliveryAttempt,
  toEmail,
  toEndpoint,
} from '../follow-up-rows.ts'
import type { ResponseRow } from '../rows.ts'
import { randomId } from '../secrets.ts'
import type { ChangeCounter } from './answers.js'
import { RESPONSE_COLUMNS } from './statements.ts'

type Write = <T>(run: () => T) => Promise<T>
type Prepare = (sql: string) => Database.Statement

const CLOSED = new Set(['resolved', 'dismissed'])
const json = (value: unknown) => JSON.stringify(value)

export class SqliteFollowUp implements FollowUpStore {
  readonly #prepare: Prepare
  readonly #write: Write
  readonly #changes: ChangeCounter

  constructor(prepare: Prepare, write: Write, changes: ChangeCounter) {
    this.#prepare = prepare
    this.#write = write
    this.#changes = changes
  }

  // ── cases ────────────────────────────────────────────────────────────────────────────────────────

  openCase(
    newCase: NewCase,
    at: number,
  ): Promise<{ case: CaseWithLog; created: boolean } | { missing: 'response' }> {
    return this.#write(() => {
      const response = this.#response(newCase.surveyId, newCase.responseId)
      if (!response) return { missing: 'response' as const }
      const existing = this.#caseOf(newCase.surveyId, newCase.responseId)
      if (existing) return { case: this.#withLog(existing), created: false }
      return { case: this.#withLog(this.#insertCase(newCase, response, at)), created: true }
    })
  }

  #response(surveyId: string, id: string): ResponseRow<string> | undefined {
    return this.#prepare(`SELECT ${RESPONSE_COLUMNS} FROM responses WHERE survey_id = ? AND id = ?`).get(
      surveyId,
      id,
    ) as ResponseRow<string> | undefined
  }

  #caseOf(surveyId: string, responseId: string): CaseRow<string> | undefined {
    return this.#prepare('SELECT * FROM cases WHERE survey_id = ? AND response_id = ?').get(
      surveyId,
      responseId,
    ) as CaseRow<string> | undefined
  }

  /** Inserts a case and its `opened` entry (and the first note); inside a write. */
  #insertCase(
    newCase: NewCase,
    response: { created_at: number; score: number },
    at: number,
  ): CaseRow<string> {
    const row: CaseRow<string> = {
      id: randomId('case'),
      survey_id: newCase.surveyId,
      response_id: newCase.responseId,
      status: 'open',
      assignee: newCase.assignee,
      due_at: newCase.dueAt,
      tags: json([...new Set(newCase.tags)]),
      score: response.score,
      answered_at: response.created_at,
      opened_at: at,
      opened_by: newCase.openedBy,
      updated_at: at,
      first_contact_at: null,
      closed_at: null,
    }
    this.#insertCaseRow(row)
    this.#log(row, at, newCase.openedBy, 'opened', null, null, null)
    if (newCase.note !== undefined) this.#log(row, at, newCase.openedBy, 'note', newCase.note, null, null)
    return row
  }

  #insertCaseRow(row: CaseRow<string>): void {
    this.#prepare(
      `INSERT INTO cases (id, survey_id, response_id, status, assignee, due_at, tags, score, answered_at, opened_at, opened_by, updated_at, first_contact_at, closed_at)
       VALUES (@id, @survey_id, @response_id, @status, @assignee, @due_at, @tags, @score, @answered_at, @opened_at, @opened_by, @updated_at, @first_contact_at, @closed_at)`,
    ).run(row)
  }

  #log(
    row: { id: string; survey_id: string },
    at: number,
    actor: string,
    kind: CaseLogKind,
    note: string | null,
    from: unknown,
    to: unknown,
  ): void {
    this.#prepare(
      `INSERT INTO case_log (seq, case_id, survey_id, at, actor, kind, note, from_value, to_value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      this.#changes.next(),
      row.id,
      row.survey_id,
      at,
      actor,
      kind,
      note,
      from === null ? null : json(from),
      to === null ? null : json(to),
    )
  }

  #logOf(caseId: string): CaseLogRow[] {
    return this.#prepare('SELECT * FROM case_log WHERE case_id = ? ORDER BY seq').all(caseId) as CaseLogRow[]
  }

  #withLog(row: CaseRow<string>): CaseWithLog {
    return toCaseWithLog(row, this.#logOf(row.id), this.#response(row.survey_id, row.response_id))
  }

  getCase(id: string): CaseWithLog | undefined {
    const row = this.#prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow<string> | undefined
    return row && this.#withLog(row)
  }

  listCases(filter: CaseFilter, limit: number, after?: CaseCursor): Page<Case, CaseCursor> {
    const where: string[] = []
    const params: Record<string, unknown> = { limit: limit + 1 }
    if (filter.surveyId !== undefined) {
      where.push('survey_id = @surveyId')
      params.surveyId = filter.surveyId
    }
    if (filter.status !== undefined) {
      where.push('status IN (SELECT value FROM json_each(@statuses))')
      params.statuses = json(filter.status)
    }
    if (filter.assignee === null) where.push('assignee IS NULL')
    else if (filter.assignee !== undefined) {
      where.push('assignee = @assignee')
      params.assignee = filter.assignee
    }
    if (filter.overdueAt !== undefined) {
      where.push("status IN ('open', 'contacted') AND due_at < @overdueAt")
      params.overdueAt = filter.overdueAt
    }
    if (filter.category !== undefined) {
      where.push('score BETWEEN @low AND @high')
      ;[params.low, params.high] = CATEGORY_SCORES[filter.category]
    }
    if (filter.from !== undefined) {
      where.push('answered_at >= @from')
      params.from = filter.from
    }
    if (filter.to !== undefined) {
      where.push('answered_at < @to')
      params.to = filter.to
    }
    if (after) {
      where.push('(opened_at < @afterAt OR (opened_at = @afterAt AND id < @afterId))')
      params.afterAt = after.openedAt
      params.afterId = after.id
    }
    const rows = this.#prepare(
      `SELECT * FROM cases ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY opened_at DESC, id DESC LIMIT @limit`,
    ).all(params) as CaseRow<string>[]
    const items = rows.slice(0, limit).map(toCase)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { openedAt: last.openedAt, id: last.id } : null }
  }

  changeCase(id: string, change: CaseChange, actor: string, at: number): Promise<CaseWithLog | undefined> {
    return this.#write(() => {
      const row = this.#prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow<string> | undefined
      if (!row) return undefined
      const next = { ...row }
      const entries: [CaseLogKind, unknown, unknown][] = []
      if (change.status !== undefined && change.status !== row.status) {
        entries.push(['status', row.status, change.status])
        next.status = change.status
        // Resolving without a recorded contact counts as the contact; dismissing does not.
        if (
          row.first_contact_at === null &&
          (change.status === 'contacted' || change.status === 'resolved')
        ) {
          next.first_contact_at = at
        }
        next.closed_at = CLOSED.has(change.status) ? at : null
      }
      if (change.assignee !== undefined && change.assignee !== row.assignee) {
        entries.push(['assignee', row.assignee, change.assignee])
        next.assignee = change.assignee
      }
      if (change.dueAt !== undefined && change.dueAt !== row.due_at) {
        entries.push(['due', row.due_at, change.dueAt])
        next.due_at = change.dueAt
      }
      if (change.tags !== undefined) {
        const tags = json([...new Set(change.tags)])
        if (tags !== row.tags) {
          entries.push(['tags', JSON.parse(row.tags), JSON.parse(tags)])
          next.tags = tags
        }
      }
      if (entries.length === 0 && change.note === undefined) return this.#withLog(row)
      next.updated_at = at
      this.#prepare(
        `UPDATE cases SET status = @status, assignee = @assignee, due_at = @due_at, tags = @tags, updated_at = @updated_at,
           first_contact_at = @first_contact_at, closed_at = @closed_at WHERE id = @id`,
      ).run(next)
      for (const [kind, from, to] of entries) this.#log(row, at, actor, kind, null, from, to)
      if (change.note !== undefined) this.#log(row, at, actor, 'note', change.note, null, null)
      return this.#withLog(next)
    })
  }

  caseTimings(surveyId: string, from: number, to: number): CaseTiming[] {
    const rows = this.#prepare(
      `SELECT * FROM cases WHERE survey_id = ? AND answered_at >= ? AND answered_at < ? ORDER BY opened_at, id`,
    ).all(surveyId, from, to) as CaseRow<string>[]
    return rows.map((row) => {
      const c = toCase(row)
      return {
        assignee: c.assignee,
        category: c.category,
        status: c.status,
        openedAt: c.openedAt,
        dueAt: c.dueAt,
        firstContactAt: c.firstContactAt,
        closedAt: c.closedAt,
      }
    })
  }

  // ── webhook endpoints ────────────────────────────────────────────────────────────────────────────

  createEndpoint(endpoint: NewEndpoint, at: number): Promise<WebhookEndpoint> {
    return this.#write(() => {
      const row: EndpointRow<string> = {
        id: randomId('whe'),
        survey_id: endpoint.surveyId,
        url: endpoint.url,
        format: endpoint.format,
        events: json(endpoint.events),
        filter: json(endpoint.filter),
        description: endpoint.description,
        secret: endpoint.secret,
        enabled: 1,
        disabled_reason: null,
        failing_since: null,
        created_at: at,
        updated_at: at,
      }
      if (row.survey_id !== null && !this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(row.survey_id)) {
        throw new UnknownSurveyError(row.survey_id)
      }
      this.insertEndpointInTransaction(row)
      return toEndpoint(row)
    })
  }

  insertEndpointInTransaction(row: EndpointRow<string>): void {
    this.#prepare(
      `INSERT INTO webhook_endpoints (id, survey_id, url, format, events, filter, description, secret, enabled, disabled_reason, failing_since, created_at, updated_at)
       VALUES (@id, @survey_id, @url, @format, @events, @filter, @description, @secret, @enabled, @disabled_reason, @failing_since, @created_at, @updated_at)`,
    ).run(row)
  }

  getEndpoint(id: string): WebhookEndpoint | undefined {
    const row = this.#endpointRow(id)
    return row && toEndpoint(row)
  }

  #endpointRow(id: string): EndpointRow<string> | undefined {
    return this.#prepare('SELECT * FROM webhook_endpoints WHERE id = ?').get(id) as
      | EndpointRow<string>
      | undefined
  }

  listEndpoints(surveyId?: string): WebhookEndpoint[] {
    const rows = (
      surveyId === undefined
        ? this.#prepare('SELECT * FROM webhook_endpoints ORDER BY created_at, id').all()
        : this.#prepare(
            'SELECT * FROM webhook_endpoints WHERE survey_id IS NULL OR survey_id = ? ORDER BY created_at, id',
          ).all(surveyId)
    ) as EndpointRow<string>[]
    return rows.map(toEndpoint)
  }

  updateEndpoint(id: string, change: EndpointChange, at: number): Promise<WebhookEndpoint | undefined> {
    return this.#write(() => {
      const row = this.#endpointRow(id)
      if (!row) return undefined
      const next: EndpointRow<string> = {
        ...row,
        url: change.url ?? row.url,
        format: change.format ?? row.format,
        events: change.events ? json(change.events) : row.events,
        filter: change.filter ? json(change.filter) : row.filter,
        description: change.description === undefined ? row.description : change.description,
        disabled_reason: change.disabledReason === undefined ? row.disabled_reason : change.disabledReason,
        updated_at: at,
      }
      if (change.enabled === true) {
        // Re-enabled: it starts afresh, its failure forgotten.
        next.enabled = 1
        next.failing_since = null
        next.disabled_reason = null
      } else if (change.enabled === false) next.enabled = 0
      this.#prepare(
        `UPDATE webhook_endpoints SET url = @url, format = @format, events = @events, filter = @filter,
           description = @description, enabled = @enabled, disabled_reason = @disabled_reason,
           failing_since = @failing_since, updated_at = @updated_at WHERE id = @id`,
      ).run(next)
      return toEndpoint(next)
    })
  }

  deleteEndpoint(id: string): Promise<boolean> {
    // Its deliveries and their attempts go with it (ON DELETE CASCADE).
    return this.#write(() => this.#prepare('DELETE FROM webhook_endpoints WHERE id = ?').run(id).changes > 0)
  }

  // ── deliveries ───────────────────────────────────────────────────────────────────────────────────

  enqueueDeliveries(deliveries: readonly NewDelivery[], at: number): Promise<void> {
    return this.#write(() => this.#insertDeliveries(deliveries, at))
  }

  #insertDeliveries(deliveries: readonly NewDelivery[], at: number): void {
    // An endpoint deleted since the work was computed gets nothing; the rest is stored.
    const insert = this.#prepare(
      `INSERT INTO webhook_deliveries (id, endpoint_id, survey_id, order_key, response_id, event_type, payload, created_at, status, next_attempt_at)
       SELECT @id, @endpointId, @surveyId, @orderKey, @responseId, @eventType, @payload, @at, 'pending', @at
       WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = @endpointId)`,
    )
    for (const d of deliveries) insert.run({ ...d, at })
  }

  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.#write(() => {
      // Due, of an enabled endpoint, and the first pending one of its order key; the longest due first.
      // Both partial indexes hold only pending rows, so delivered history costs the claim nothing.
      const ns = this.#prepare(
        `SELECT d.n FROM webhook_deliveries AS d JOIN webhook_endpoints AS e ON e.id = d.endpoint_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND e.enabled = 1
           AND d.n = (SELECT min(p.n) FROM webhook_deliveries AS p
                      WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key AND p.status = 'pending')
         ORDER BY d.next_attempt_at, d.n LIMIT @limit`,
      )
        .pluck()
        .all({ now, limit }) as number[]
      const lease = this.#prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE n = ? RETURNING *')
      return ns.map((n) => toDelivery(lease.get(now + leaseMs, n) as DeliveryRow))
    })
  }

  recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    outcome: AttemptOutcome,
    health: EndpointHealth,
  ): Promise<void> {
    return this.#write(() => {
      const row = this.#prepare('SELECT * FROM webhook_deliveries WHERE id = ?').get(deliveryId) as
        | DeliveryRow
        | undefined
      // Erased or deleted while it was being sent: nothing is left to record.
      if (!row) return
      this.#prepare(
        'INSERT INTO delivery_attempts (delivery_id, n, at, status_code, error, latency_ms) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(deliveryId, row.attempts + 1, attempt.at, attempt.statusCode, attempt.error, attempt.latencyMs)
      this.#prepare(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?, last_attempt_at = ?,
           last_status_code = ?, last_error = ?, last_latency_ms = ?, delivered_at = coalesce(?, delivered_at)
         WHERE id = ?`,
      ).run(
        outcome.status,
        outcome.status === 'pending' ? outcome.nextAttemptAt : null,
        attempt.at,
        attempt.statusCode,
        attempt.error,
        attempt.latencyMs,
        outcome.status === 'delivered' ? attempt.at : null,
        deliveryId,
      )
      if (health.disable !== undefined) {
        this.#prepare(
          'UPDATE webhook_endpoints SET failing_since = ?, enabled = 0, disabled_reason = ? WHERE id = ?',
        ).run(health.failingSince, health.disable, row.endpoint_id)
      } else {
        this.#prepare('UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?').run(
          health.failingSince,
          row.endpoint_id,
        )
      }
    })
  }

  listDeliveries(endpointId: string, limit: number, after?: DeliveryCursor): Page<Delivery, DeliveryCursor> {
    const rows = (
      after
        ? this.#prepare(
            `SELECT * FROM webhook_deliveries WHERE endpoint_id = ?1 AND (created_at < ?2 OR (created_at = ?2 AND id < ?3))
             ORDER BY created_at DESC, id DESC LIMIT ?4`,
          ).all({ 1: endpointId, 2: after.createdAt, 3: after.id, 4: limit + 1 })
        : this.#prepare(
            'SELECT * FROM webhook_deliveries WHERE endpoint_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
          ).all(endpointId, limit + 1)
    ) as DeliveryRow[]
    const items = rows.slice(0, limit).map(toDelivery)
    const last = items.at(-1)
    return { items, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null }
  }

  getDelivery(id: string): DeliveryWithAttempts | undefined {
    const row = this.#prepare('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as
      | DeliveryRow
      | undefined
    if (!row) return undefined
    const attempts = this.#prepare('SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY n').all(
      id,
    ) as DeliveryAttemptRow[]
    return { ...toDelivery(row), history: attempts.map(toDeliveryAttempt) }
  }

  redeliver(id: string, at: number): Promise<Delivery | undefined> {
    return this.#write(() => {
      const row = this.#prepare(
        "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ? RETURNING *",
      ).get(at, id) as DeliveryRow | undefined
      return row && toDelivery(row)
    })
  }

  // ── email ────────────────────────────────────────────────────────────────────────────────────────

  enqueueEmails(emails: readonly NewEmail[], at: number): Promise<void> {
    return this.#write(() => this.#insertEmails(emails, at))
  }

  #insertEmails(emails: readonly NewEmail[], at: number): void {
    const insert = this.#prepare(
      `INSERT INTO emails (id, kind, survey_id, response_id, recipients, subject, body_text, body_html, created_at, status, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
    )
    for (const e of emails) {
      insert.run(e.id, e.kind, e.surveyId, e.responseId, json(e.to), e.subject, e.text, e.html, at, at)
    }
  }

  claimEmails(now: number, limit: number, leaseMs: number): Promise<Email[]> {
    return this.#write(() => {
      const ns = this.#prepare(
        "SELECT n FROM emails WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, n LIMIT ?",
      )
        .pluck()
        .all(now, limit) as number[]
      const lease = this.#prepare('UPDATE emails SET next_attempt_at = ? WHERE n = ? RETURNING *')
      return ns.map((n) => toEmail(lease.get(now + leaseMs, n) as EmailRow<string>))
    })
  }

  recordEmailAttempt(id: string, at: number, error: string | null, outcome: AttemptOutcome): Promise<void> {
    return this.#write(() => {
      this.#prepare(
        `UPDATE emails SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at = ?,
           sent_at = coalesce(?, sent_at) WHERE id = ?`,
      ).run(
        error,
        outcome.status,
        outcome.status === 'pending' ? outcome.nextAttemptAt : null,
        outcome.status === 'delivered' ? at : null,
        id,
      )
    })
  }

  // ── the dispatcher ───────────────────────────────────────────────────────────────────────────────

  followUpCursor(surveyId: string): Promise<number> {
    const seq = this.#cursor(surveyId)
    if (seq !== undefined) return Promise.resolve(seq)
    return this.#write(() => {
      if (!this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(surveyId)) {
        throw new UnknownSurveyError(surveyId)
      }
      this.startCursorInTransaction(surveyId)
      return this.#cursor(surveyId)!
    })
  }

  #cursor(surveyId: string): number | undefined {
    return this.#prepare('SELECT seq FROM follow_up_cursors WHERE survey_id = ?').pluck().get(surveyId) as
      | number
      | undefined
  }

  /** A cursor at the current number, unless the survey has one: what came before is history. */
  startCursorInTransaction(surveyId: string): void {
    this.#prepare(
      `INSERT INTO follow_up_cursors (survey_id, seq) SELECT ?, value FROM change_counter WHERE id = 1
       ON CONFLICT (survey_id) DO NOTHING`,
    ).run(surveyId)
  }

  followUpChanges(surveyId: string, after: number, limit: number): FollowUpPage {
    // Live answers only (first_seq set), walking responses_survey_seq from the cursor.
    const responses = this.#prepare(
      `SELECT survey_id, seq, first_seq, ${RESPONSE_COLUMNS} FROM responses
       WHERE survey_id = ? AND seq > ? AND first_seq IS NOT NULL ORDER BY seq LIMIT ?`,
    ).all(surveyId, after, limit) as FollowUpResponseRow<string>[]
    const log = this.#prepare(
      'SELECT * FROM case_log WHERE survey_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ).all(surveyId, after, limit) as CaseLogRow[]
    const cases = new Map<string, CaseRow<string>>()
    const caseRow = this.#prepare('SELECT * FROM cases WHERE id = ?')
    const entries = log.map((entry) => {
      let row = cases.get(entry.case_id)
      if (!row) {
        row = caseRow.get(entry.case_id) as CaseRow<string>
        cases.set(entry.case_id, row)
      }
      return { entry, case: row }
    })
    return followUpPage(responses, entries, after, limit)
  }

  commitFollowUp(
    surveyId: string,
    from: number,
    to: number,
    work: FollowUpWork,
    at: number,
  ): Promise<boolean> {
    return this.#write(() => {
      const moved = this.#prepare('UPDATE follow_up_cursors SET seq = ? WHERE survey_id = ? AND seq = ?').run(
        to,
        surveyId,
        from,
      )
      if (moved.changes === 0) return false
      for (const newCase of work.cases) {
        const response = this.#response(newCase.surveyId, newCase.responseId)
        // Gone (erased meanwhile), or opened already (by hand, or by an earlier pass).
        if (!response || this.#caseOf(newCase.surveyId, newCase.responseId)) continue
        this.#insertCase(newCase, response, at)
      }
      this.#insertDeliveries(work.deliveries, at)
      this.#insertEmails(work.emails, at)
      return true
    })
  }

  scheduleMark(surveyId: string, job: string): ScheduleMark | undefined {
    const row = this.#prepare('SELECT * FROM schedule_marks WHERE survey_id = ? AND job = ?').get(
      surveyId,
      job,
    ) as ScheduleMarkRow | undefined
    return row && { at: row.at, data: JSON.parse(row.data) }
  }

  commitSchedule(
    surveyId: string,
    job: string,
    expectedAt: number | undefined,
    mark: ScheduleMark,
    work: Omit<FollowUpWork, 'cases'>,
  ): Promise<boolean> {
    return this.#write(() => {
      if (!this.#prepare('SELECT 1 FROM surveys WHERE id = ?').get(surveyId)) {
        throw new UnknownSurveyError(surveyId)
      }
      const current = this.#prepare('SELECT at FROM schedule_marks WHERE survey_id = ? AND job = ?')
        .pluck()
        .get(surveyId, job) as number | undefined
      if (current !== expectedAt) return false
      this.#prepare(
        `INSERT INTO schedule_marks (survey_id, job, at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (survey_id, job) DO UPDATE SET at = excluded.at, data = excluded.data`,
      ).run(surveyId, job, mark.at, json(mark.data ?? null))
      this.#insertDeliveries(work.deliveries, mark.at)
      this.#insertEmails(work.emails, mark.at)
      return true
    })
  }

  // ── inside the backend's own writes ──────────────────────────────────────────────────────────────

  /**
   * What goes with erased answers: their cases (the logs cascade), and what has not yet gone out about
   * them. Delivered webhooks and sent emails stay in the logs.
   */
  eraseInTransaction(
    answers: readonly { survey_id: string; id: string }[],
    { keepCases = false }: { keepCases?: boolean } = {},
  ): {
    cases: number
    deliveries: number
    emails: number
  } {
    const cases = this.#prepare('DELETE FROM cases WHERE survey_id = ? AND response_id = ?')
    const deliveries = this.#prepare(
      `DELETE FROM webhook_deliveries WHERE response_id = ?2 AND coalesce(survey_id, ?1) = ?1 AND status <> 'delivered'`,
    )
    const emails = this.#prepare(
      `DELETE FROM emails WHERE response_id = ?2 AND coalesce(survey_id, ?1) = ?1 AND status <> 'delivered'`,
    )
    const result = { cases: 0, deliveries: 0, emails: 0 }
    for (const answer of answers) {
      if (!keepCases) result.cases += cases.run(answer.survey_id, answer.id).changes
      result.deliveries += deliveries.run({ 1: answer.survey_id, 2: answer.id }).changes
      result.emails += emails.run({ 1: answer.survey_id, 2: answer.id }).changes
    }
    return result
  }

  /**
   * Before a survey's row is deleted: the deliveries to collector-wide endpoints that carry its
   * answers. Its cases, own endpoints (with their deliveries), emails, cursor and marks cascade.
   */
  forgetSurveyInTransaction(surveyId: string): void {
    this.#prepare('DELETE FROM webhook_deliveries WHERE survey_id = ?').run(surveyId)
  }

  /** A copied case with its log, numbered afresh in this database. */
  importCaseInTransaction(c: CaseWithLog): void {
    const row: CaseRow<string> = {
      id: c.id,
      survey_id: c.surveyId,
      response_id: c.responseId,
      status: c.status,
      assignee: c.assignee,
      due_at: c.dueAt,
      tags: json(c.tags),
      score: c.score,
      answered_at: c.answeredAt,
      opened_at: c.openedAt,
      opened_by: c.openedBy,
      updated_at: c.updatedAt,
      first_contact_at: c.firstContactAt,
      closed_at: c.closedAt,
    }
    this.#insertCaseRow(row)
    for (const e of c.log) this.#log(row, e.at, e.actor, e.kind, e.note, e.from, e.to)
  }

  importEndpointInTransaction(e: WebhookEndpoint): void {
    this.insertEndpointInTransaction({
      id: e.id,
      survey_id: e.surveyId,
      url: e.url,
      format: e.format,
      events: json(e.events),
      filter: json(e.filter),
      description: e.description,
      secret: e.secret,
      enabled: e.enabled ? 1 : 0,
      disabled_reason: e.disabledReason,
      failing_since: e.failingSince,
      created_at: e.createdAt,
      updated_at: e.updatedAt,
    })
  }
}
