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

const DEADLOCK = '40P01'
const ATTEMPTS = 4

/** The round's columns, unnested: $1 survey ids … $11 metadata (JSON text). */
const ROWS = `unnest($1::text[], $2::text[], $3::int8[], $4::int2[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[])
    AS i (survey_id, id, at, score, comment, respondent_id, locale, url, path, device, metadata)`

/**
 * The round's surveys that exist ($12), locked FOR KEY SHARE until the statement commits: a survey cannot
 * be deleted under its answers, and one lock per survey costs less than the foreign key's per row.
 */
const KNOWN = 'known AS (SELECT id FROM surveys WHERE id = ANY($12::text[]) FOR KEY SHARE)'

/** New answers; a repeat (a conflict) inserts nothing and is merged by MERGE_ANSWERS. */
const INSERT_ANSWERS = `WITH ${KNOWN},
  inserted AS (
    INSERT INTO responses AS r (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url,
      path, device, metadata)
    SELECT i.survey_id, i.id, i.at, i.at, i.score, i.comment, i.respondent_id, i.locale, i.url, i.path, i.device,
      i.metadata::jsonb
    FROM ${ROWS} JOIN known ON known.id = i.survey_id
    ORDER BY i.survey_id, i.id
    ON CONFLICT (survey_id, id) DO NOTHING
    RETURNING r.survey_id, r.id)
  SELECT survey_id, id FROM inserted UNION ALL SELECT id, NULL FROM known`

/**
 * Repeats: the first receipt time stays, what the repeat leaves out keeps its earlier value, the score
 * may change. A separate statement, so that a batch of new answers fires no UPDATE trigger at all.
 */
const MERGE_ANSWERS = `WITH ${KNOWN}
  UPDATE responses AS r SET updated_at = i.at, score = i.score, comment = coalesce(i.comment, r.comment),
    respondent_id = coalesce(i.respondent_id, r.respondent_id), locale = coalesce(i.locale, r.locale),
    url = coalesce(i.url, r.url), path = coalesce(i.path, r.path), device = coalesce(i.device, r.device),
    metadata = coalesce(i.metadata::jsonb, r.metadata)
  FROM ${ROWS}
  WHERE r.survey_id = i.survey_id AND r.id = i.id AND r.survey_id IN (SELECT id FROM known)
  RETURNING r.survey_id, r.id`

const INSERT_EVENTS = `WITH known AS (SELECT id FROM surveys WHERE id = ANY($6::text[]) FOR KEY SHARE),
  inserted AS (
    INSERT INTO events (survey_id, type, respondent_id, response_id, created_at)
    SELECT i.survey_id, i.type, i.respondent_id, i.response_id, i.at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[]) WITH ORDINALITY
      AS i (survey_id, type, respondent_id, response_id, at, ord)
    JOIN known ON known.id = i.survey_id
    ORDER BY i.ord)
  SELECT id FROM known`

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

  /**
   * One batch on its way at a time, with everything queued meanwhile in the next: on a 2-core machine
   * two or three batches at once made smaller batches and cost more CPU per answer (fewer answers per
   * second in every run of the bench's ingest comparison).
   */
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
   * The round's new answers in one statement, its repeats in a second (only when there are any). Should
   * the database refuse a statement for what one row holds, each row is tried alone, so that a bad row
   * fails by itself and never takes its batch-mates with it.
   */
  async #storeRound(round: Answer[]): Promise<void> {
    let inserted: { survey_id: string; id: string | null }[]
    try {
      inserted = await this.#withRetries(() => this.#run(INSERT_ANSWERS, round))
    } catch (error) {
      return this.#refused(round, error)
    }
    const known = new Set(inserted.filter((row) => row.id === null).map((row) => row.survey_id))
    const created = new Set(inserted.map((row) => keyOf(row.survey_id, row.id ?? '')))
    const repeats: Answer[] = []
    for (const answer of round) {
      if (created.has(keyOf(answer.surveyId, answer.write.id))) answer.resolve(true)
      else if (!known.has(answer.surveyId)) answer.reject(new UnknownSurveyError(answer.surveyId))
      else repeats.push(answer)
    }
    if (repeats.length === 0) return
    let merged: { survey_id: string; id: string }[]
    try {
      merged = await this.#withRetries(() => this.#run(MERGE_ANSWERS, repeats))
    } catch (error) {
      return this.#refused(repeats, error)
    }
    const found = new Set(merged.map((row) => keyOf(row.survey_id, row.id)))
    const gone: Answer[] = []
    for (const answer of repeats) {
      if (found.has(keyOf(answer.surveyId, answer.write.id))) answer.resolve(false)
      else gone.push(answer)
    }
    // Erased, or their survey deleted, between the two statements: they are new again, or unknown.
    if (gone.length > 0) await this.#storeRound(gone)
  }

  #run(statement: string, round: Answer[]) {
    const w = round.map((a) => a.write)
    return this.sql.unsafe<{ survey_id: string; id: string }[]>(
      statement,
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
        [...new Set(round.map((a) => a.surveyId))],
      ] as never[],
      { prepare: true },
    )
  }

  async #refused(round: Answer[], error: unknown): Promise<void> {
    if (round.length > 1 && !isUnavailable(error)) {
      await Promise.all(round.map((answer) => this.#storeRound([answer])))
      return
    }
    for (const answer of round) answer.reject(contractError(error))
  }

  /** As #storeRound, for events. */
  async #storeEvents(events: EventWrite[]): Promise<void> {
    if (events.length === 0) return
    let rows: { id: string }[]
    try {
      rows = await this.#withRetries(() =>
        this.sql.unsafe<{ id: string }[]>(
          INSERT_EVENTS,
          [
            events.map((e) => e.surveyId),
            events.map((e) => e.event.type),
            events.map((e) => e.event.respondentId),
            events.map((e) => e.event.responseId ?? null),
            events.map((e) => e.at),
            [...new Set(events.map((e) => e.surveyId))],
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
    const known = new Set(rows.map((row) => row.id))
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
        if (attempt >= ATTEMPTS || code !== DEADLOCK) throw error
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
