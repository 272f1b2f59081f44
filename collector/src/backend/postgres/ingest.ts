/**
 * The PostgreSQL write path of answers and widget events: group commit with one statement per batch.
 *
 * Writes that arrive while a batch is on its way wait for the next one; each batch is one multi-row
 * statement per kind (`INSERT … SELECT FROM unnest($1, $2, …)`), which commits on its own, so an answer
 * is acknowledged only after PostgreSQL's COMMIT (with `synchronous_commit = on`: flushed to its WAL).
 * A busy collector therefore writes ever larger batches with one round trip and one commit each, and an
 * idle one writes each answer at once.
 *
 * Answers use `INSERT … ON CONFLICT (survey_id, id) DO UPDATE`, so a repeated id merges into one row even
 * when the two requests reach two collectors at the same moment: the second waits for the first's row
 * and updates it. `RETURNING (xmax = 0)` tells an insert from a merge. One statement may not touch a row
 * twice, so the rare batch holding one id twice (a comment sent right after its score) runs as rounds,
 * first occurrences first. Rows of a survey that does not exist are filtered out by the statement and
 * answered with {@link UnknownSurveyError}; a survey deleted at that very moment by another collector
 * fails the foreign key for the whole statement, which then runs again without it; a row the database
 * refuses for what it holds is tried again alone, so it fails by itself. Rows are written in
 * (survey, id) order, so two collectors lock them in the same order; a deadlock that happens anyway is
 * retried the same way.
 *
 * @example
 * const ingest = new PostgresIngest(sql)
 * await ingest.writeResponse('srv_1', { id, score: 9, receivedAt: Date.now() }) // true: a new row
 */
import type { EventSubmission } from '@npskit/shared'
import type { Sql } from 'postgres'
import { type ResponseWrite, UnknownSurveyError } from '../backend.ts'
import { contractError, isUnavailable } from './connect.ts'

interface Answer {
  surveyId: string
  write: ResponseWrite
  resolve: (created: boolean) => void
  reject: (error: unknown) => void
}

interface EventWrite {
  surveyId: string
  event: EventSubmission
  at: number
  resolve: () => void
  reject: (error: unknown) => void
}

/** foreign_key_violation: a survey deleted between the statement's check and its insert. */
const FOREIGN_KEY = '23503'
const DEADLOCK = '40P01'
const ATTEMPTS = 4

const INSERT_ANSWERS = `INSERT INTO responses AS r (survey_id, id, created_at, updated_at, score, comment, respondent_id,
    locale, url, path, device, metadata)
  SELECT i.survey_id, i.id, i.at, i.at, i.score, i.comment, i.respondent_id, i.locale, i.url, i.path, i.device,
    i.metadata::jsonb
  FROM unnest($1::text[], $2::text[], $3::int8[], $4::int2[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[])
    AS i (survey_id, id, at, score, comment, respondent_id, locale, url, path, device, metadata)
  WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = i.survey_id)
  ORDER BY i.survey_id, i.id
  ON CONFLICT (survey_id, id) DO UPDATE SET updated_at = excluded.updated_at, score = excluded.score,
    comment = coalesce(excluded.comment, r.comment), respondent_id = coalesce(excluded.respondent_id, r.respondent_id),
    locale = coalesce(excluded.locale, r.locale), url = coalesce(excluded.url, r.url),
    path = coalesce(excluded.path, r.path), device = coalesce(excluded.device, r.device),
    metadata = coalesce(excluded.metadata, r.metadata)
  RETURNING r.survey_id, r.id, (r.xmax = 0) AS created`

const INSERT_EVENTS = `WITH inserted AS (
    INSERT INTO events (survey_id, type, respondent_id, response_id, created_at)
    SELECT i.survey_id, i.type, i.respondent_id, i.response_id, i.at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[]) WITH ORDINALITY
      AS i (survey_id, type, respondent_id, response_id, at, ord)
    WHERE EXISTS (SELECT 1 FROM surveys AS s WHERE s.id = i.survey_id)
    ORDER BY i.ord
    RETURNING survey_id)
  SELECT DISTINCT survey_id FROM inserted`

const keyOf = (surveyId: string, id: string) => `${surveyId}\u0000${id}`

export class PostgresIngest {
  #queue: (Answer | EventWrite)[] = []
  #flushing = false
  #scheduled = false
  #closed = false
  #sent = 0
  #done = 0
  #barriers: { upTo: number; done: () => void }[] = []

  constructor(readonly sql: Sql) {}

  /** Resolves true when the id was new, false when it merged; once committed. */
  writeResponse(surveyId: string, write: ResponseWrite): Promise<boolean> {
    return new Promise((resolve, reject) => this.#enqueue({ surveyId, write, resolve, reject }))
  }

  /** Resolves once committed. */
  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void> {
    return new Promise((resolve, reject) => this.#enqueue({ surveyId, event, at, resolve, reject }))
  }

  #enqueue(write: Answer | EventWrite): void {
    if (this.#closed) {
      write.reject(new Error('the backend is closed'))
      return
    }
    this.#queue.push(write)
    this.#sent++
    if (!this.#flushing && !this.#scheduled) {
      // Writes of the same turn of the event loop share the batch.
      this.#scheduled = true
      setImmediate(() => {
        this.#scheduled = false
        void this.#flush()
      })
    }
  }

  async #flush(): Promise<void> {
    if (this.#flushing) return
    this.#flushing = true
    while (this.#queue.length > 0) {
      const batch = this.#queue
      this.#queue = []
      const answers = batch.filter((w): w is Answer => 'write' in w)
      const events = batch.filter((w): w is EventWrite => 'event' in w)
      await Promise.all([this.#storeAnswers(answers), this.#storeEvents(events)])
      this.#done += batch.length
      this.#release()
    }
    this.#flushing = false
  }

  async #storeAnswers(answers: Answer[]): Promise<void> {
    if (answers.length === 0) return
    // Rounds in which each (survey, id) occurs once: a statement may not update a row twice.
    const rounds: Answer[][] = []
    const seen = new Map<string, number>()
    for (const answer of answers) {
      const key = keyOf(answer.surveyId, answer.write.id)
      const round = seen.get(key) ?? 0
      seen.set(key, round + 1)
      if (round === rounds.length) rounds.push([])
      rounds[round]!.push(answer)
    }
    for (const round of rounds) await this.#storeRound(round)
  }

  /**
   * One statement for the round. Should the database refuse it for what one row holds, each row is
   * tried alone, so that a bad row fails by itself and never takes its batch-mates with it.
   */
  async #storeRound(round: Answer[]): Promise<void> {
    const w = round.map((a) => a.write)
    let rows: { survey_id: string; id: string; created: boolean }[]
    try {
      rows = await this.#withRetries(() =>
        this.sql.unsafe<{ survey_id: string; id: string; created: boolean }[]>(
          INSERT_ANSWERS,
          [
            round.map((a) => a.surveyId),
            w.map((r) => r.id),
            w.map((r) => r.receivedAt),
            w.map((r) => r.score),
            w.map((r) => r.comment ?? null),
            w.map((r) => r.respondentId ?? null),
            w.map((r) => r.locale ?? null),
            w.map((r) => r.url ?? null),
            w.map((r) => r.path ?? null),
            w.map((r) => r.device ?? null),
            w.map((r) => (r.metadata ? JSON.stringify(r.metadata) : null)),
          ] as never[],
          { prepare: true },
        ),
      )
    } catch (error) {
      if (round.length > 1 && !isUnavailable(error)) {
        await Promise.all(round.map((answer) => this.#storeRound([answer])))
        return
      }
      for (const answer of round) answer.reject(contractError(error))
      return
    }
    const created = new Map(rows.map((row) => [keyOf(row.survey_id, row.id), row.created]))
    for (const answer of round) {
      const result = created.get(keyOf(answer.surveyId, answer.write.id))
      if (result === undefined) answer.reject(new UnknownSurveyError(answer.surveyId))
      else answer.resolve(result)
    }
  }

  /** As #storeRound, for events. */
  async #storeEvents(events: EventWrite[]): Promise<void> {
    if (events.length === 0) return
    let rows: { survey_id: string }[]
    try {
      rows = await this.#withRetries(() =>
        this.sql.unsafe<{ survey_id: string }[]>(
          INSERT_EVENTS,
          [
            events.map((e) => e.surveyId),
            events.map((e) => e.event.type),
            events.map((e) => e.event.respondentId),
            events.map((e) => e.event.responseId ?? null),
            events.map((e) => e.at),
          ] as never[],
          { prepare: true },
        ),
      )
    } catch (error) {
      if (events.length > 1 && !isUnavailable(error)) {
        await Promise.all(events.map((e) => this.#storeEvents([e])))
        return
      }
      for (const e of events) e.reject(contractError(error))
      return
    }
    const known = new Set(rows.map((row) => row.survey_id))
    for (const e of events) {
      if (known.has(e.surveyId)) e.resolve()
      else e.reject(new UnknownSurveyError(e.surveyId))
    }
  }

  async #withRetries<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run()
      } catch (error) {
        const code = (error as { code?: string }).code
        if (attempt >= ATTEMPTS || (code !== FOREIGN_KEY && code !== DEADLOCK)) throw error
      }
    }
  }

  #release(): void {
    this.#barriers = this.#barriers.filter((barrier) => {
      if (barrier.upTo > this.#done) return true
      barrier.done()
      return false
    })
  }

  /** Resolves once every write sent so far is answered; admin writes wait on it to keep their order. */
  settled(): Promise<void> {
    if (this.#done >= this.#sent) return Promise.resolve()
    const upTo = this.#sent
    return new Promise((done) => this.#barriers.push({ upTo, done }))
  }

  /** Answers everything queued and refuses later writes. */
  async close(): Promise<void> {
    this.#closed = true
    await this.settled()
  }
}
