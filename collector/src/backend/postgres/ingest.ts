/**
 * The PostgreSQL write path of answers and widget events: group commit with one statement per batch.
 *
 * Writes that arrive while a batch is on its way wait for the next one; each batch is one multi-row
 * statement per kind (`INSERT … SELECT FROM json_to_recordset($1)`), which commits on its own — or, when
 * the batch holds answers of respondents, in one transaction with the recount of their chains
 * (`rechain`, migration 13), pipelined in the same round trip — so an answer is acknowledged only after
 * PostgreSQL's COMMIT (with `synchronous_commit = on`: flushed to its WAL).
 * A busy collector therefore writes ever larger batches with one round trip and one commit each, and an
 * idle one writes each answer at once.
 *
 * Answers use `INSERT … ON CONFLICT (survey_id, id) DO UPDATE`, so a repeated id merges into one row even
 * when the two requests reach two collectors at the same moment: the second waits for the first's row
 * and updates it. `RETURNING (xmax = 0)` tells an insert from a merge. One statement may not touch a row
 * twice, so the rare batch holding one id twice (a comment sent right after its score) runs as rounds,
 * first occurrences first. Each statement locks its surveys (FOR KEY SHARE) instead of a foreign key
 * per row: rows of a survey that does not exist, or that another collector deleted first, are filtered
 * out by the statement and answered with {@link UnknownSurveyError}, and a delete that comes later
 * waits for the statement and takes its rows with it. A row the database refuses for what it holds is
 * tried again alone, so it fails by itself. Rows are written in
 * (survey, id) order, so two collectors lock them in the same order; a deadlock that happens anyway is
 * retried the same way.
 *
 * @example
 * const ingest = new PostgresIngest(sql)
 * await ingest.writeResponse('srv_1', { id, score: 9, receivedAt: Date.now() }) // true: a new row
 */
import type { EventSubmission } from '@npskit/shared'
import type { Sql, TransactionSql } from 'postgres'
import { type ResponseWrite, UnknownSurveyError } from '../backend.ts'
import { recordSize, sizeHistogram } from '../stats.ts'
import { contractError, isUnavailable } from './connect.ts'
import { RECHAIN } from './migrations.ts'

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

/**
 * The round's answers, as one JSON parameter ($1): serialising it is one native JSON.stringify, where
 * eleven array parameters cost the collector a third more CPU per batch (measured: 295–384 against
 * 392–526 µs for 25 answers) and PostgreSQL no less.
 */
const ROWS = `json_to_recordset($1::text::json) AS i (survey_id text, id text, at int8, score int2, comment text,
    respondent_id text, locale text, url text, path text, device text, metadata jsonb, contact jsonb, source text)`

/**
 * The round's surveys that exist ($2), locked FOR KEY SHARE until the statement commits: a survey cannot
 * be deleted under its answers, and one lock per survey costs less than the foreign key's per row.
 */
const KNOWN = 'known AS (SELECT id FROM surveys WHERE id = ANY($2::text[]) FOR KEY SHARE)'

/**
 * The round's change numbers ($3 of them, one per row; a row not written leaves a gap), from the counter
 * row of migration 5, locked until the statement commits: numbers commit in order across collectors.
 * Every writer of answers takes it before it touches an answer row, so a writer that holds answer rows
 * never waits for it.
 */
const NUMBERS =
  'numbers AS (UPDATE change_counter SET value = value + $3::int8 WHERE id = 1 RETURNING value - $3::int8 AS base)'

/**
 * New answers; a repeat (a conflict) inserts nothing and is merged by MERGE_ANSWERS. A new answer's
 * first_seq is its seq: the dispatcher's mark of an answer received live (migration 6).
 */
const INSERT_ANSWERS = `WITH ${KNOWN}, ${NUMBERS},
  inserted AS (
    INSERT INTO responses AS r (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url,
      path, device, metadata, contact, source, seq, first_seq)
    SELECT i.survey_id, i.id, i.at, i.at, i.score, i.comment, i.respondent_id, i.locale, i.url, i.path, i.device,
      i.metadata, i.contact, i.source, i.seq, i.seq
    FROM (SELECT i.*, (SELECT base FROM numbers) + row_number() OVER (ORDER BY i.survey_id, i.id) AS seq
      FROM ${ROWS} JOIN known ON known.id = i.survey_id) AS i
    ORDER BY i.survey_id, i.id
    ON CONFLICT (survey_id, id) DO NOTHING
    RETURNING r.survey_id, r.id)
  SELECT survey_id, id FROM inserted UNION ALL SELECT id, NULL FROM known`

/**
 * INSERT_ANSWERS for a round with respondents, run after LOCK_COUNTER in its transaction (so its
 * snapshot holds every answer any collector committed): also says of each new answer whether its
 * respondent has another answer in the survey, the only ones whose chains RECHAIN must redo. (The
 * statement does not see its own rows: two of one respondent in a round are rechained anyway.)
 */
const INSERT_CHAINED_ANSWERS = INSERT_ANSWERS.replace(
  'RETURNING r.survey_id, r.id)',
  `RETURNING r.survey_id, r.id, r.respondent_id, EXISTS (SELECT 1 FROM responses AS o
      WHERE o.respondent_id = r.respondent_id AND o.survey_id = r.survey_id AND o.id <> r.id) AS chained)`,
).replace(
  'SELECT survey_id, id FROM inserted UNION ALL SELECT id, NULL FROM known',
  'SELECT survey_id, id, respondent_id, chained FROM inserted UNION ALL SELECT id, NULL, NULL, false FROM known',
)

/**
 * Repeats: the first receipt time, first_seq and source stay, what the repeat leaves out keeps its earlier value
 * (consent to be contacted too, with its address), the score may change. A separate statement, so that a
 * batch of new answers fires no UPDATE trigger at all.
 */
const MERGE_ANSWERS = `WITH ${KNOWN}, ${NUMBERS},
  numbered AS (SELECT i.*, (SELECT base FROM numbers) + row_number() OVER (ORDER BY i.survey_id, i.id) AS seq
    FROM ${ROWS})
  UPDATE responses AS r SET updated_at = i.at, score = i.score, seq = i.seq, comment = coalesce(i.comment, r.comment),
    respondent_id = coalesce(i.respondent_id, r.respondent_id), locale = coalesce(i.locale, r.locale),
    url = coalesce(i.url, r.url), path = coalesce(i.path, r.path), device = coalesce(i.device, r.device),
    metadata = coalesce(i.metadata, r.metadata),
    contact = coalesce(i.contact, r.contact)
  FROM numbered AS i, responses AS o
  WHERE r.survey_id = i.survey_id AND r.id = i.id AND r.survey_id IN (SELECT id FROM known)
    AND o.survey_id = r.survey_id AND o.id = r.id
  RETURNING r.survey_id, r.id, o.respondent_id AS before`

/**
 * Taken first in a transaction that merges and then rechains: once this transaction holds the counter,
 * every other write of answers has committed or waits (see NUMBERS), so the merge reads each answer's
 * respondent as it is, and the rechain sees every answer of the pairs it orders.
 */
const LOCK_COUNTER = 'SELECT 1 FROM change_counter WHERE id = 1 FOR UPDATE'

const INSERT_EVENTS = `WITH ${KNOWN},
  inserted AS (
    INSERT INTO events (survey_id, type, respondent_id, response_id, created_at)
    SELECT i.survey_id, i.type, i.respondent_id, i.response_id, i.at
    FROM ROWS FROM (json_to_recordset($1::text::json)
        AS (survey_id text, type text, respondent_id text, response_id text, at int8)) WITH ORDINALITY
      AS i (survey_id, type, respondent_id, response_id, at, ord)
    JOIN known ON known.id = i.survey_id
    ORDER BY i.ord)
  SELECT id FROM known`

/**
 * A statement the database refused: with a lost connection, or for a single write, every write fails
 * with the error; otherwise each is tried again alone, so that only the bad one fails.
 */
async function refused<W extends { reject: (error: unknown) => void }>(
  writes: W[],
  error: unknown,
  alone: (write: W) => Promise<void>,
): Promise<void> {
  if (writes.length > 1 && !isUnavailable(error)) {
    await Promise.all(writes.map(alone))
    return
  }
  for (const write of writes) write.reject(contractError(error))
}

/** The (survey, respondent) pairs of some answers, as RECHAIN's two array parameters. */
export interface Chains {
  surveys: string[]
  respondents: string[]
}

/** The chains of these respondents in one survey. */
export function chainsIn(surveyId: string, respondents: readonly string[]): Chains {
  return { surveys: respondents.map(() => surveyId), respondents: [...respondents] }
}

function chainsOf(answers: readonly Answer[]): Chains {
  const chains: Chains = { surveys: [], respondents: [] }
  for (const { surveyId, write } of answers) {
    if (write.respondentId == null) continue
    chains.surveys.push(surveyId)
    chains.respondents.push(write.respondentId)
  }
  return chains
}

/** The pairs that occur more than once, as keyOf(survey, respondent). */
function repeatedPairs(chains: Chains): Set<string> {
  const seen = new Set<string>()
  const twice = new Set<string>()
  chains.surveys.forEach((survey, i) => {
    const key = keyOf(survey, chains.respondents[i]!)
    if (seen.has(key)) twice.add(key)
    seen.add(key)
  })
  return twice
}

/**
 * Recomputes the superseded_at of every answer of the pairs (migration 13), in the caller's transaction
 * after its writes. Exact across collectors without a lock of its own: every writer of answers holds
 * the change counter (NUMBERS) until it commits, so this statement, begun after the counter is held, sees
 * every answer of the pairs that any other collector wrote.
 */
export function rechain(sql: Sql | TransactionSql, chains: Chains) {
  // Not prepared: the generic plan of a prepared rechain joined the pairs' answers to the whole table by
  // hash, so each batch of an import cost more as the survey grew (20–100 ms for 50 answers at 60,000).
  return sql.unsafe(RECHAIN, [chains.surveys, chains.respondents] as never[], { prepare: false })
}

/** INSERT_ANSWERS' rows: each answer inserted, and each known survey (id NULL). */
type Stored = { survey_id: string; id: string | null }
/** MERGE_ANSWERS' rows: each answer merged, with its respondent before the merge. */
type Merged = { survey_id: string; id: string; before: string | null }

const keyOf = (surveyId: string, id: string) => `${surveyId}\u0000${id}`

export class PostgresIngest {
  #queue: (Answer | EventWrite)[] = []
  #flushing = false
  #scheduled = false
  #closed = false
  #sent = 0
  #done = 0
  #barriers: { upTo: number; done: () => void }[] = []
  /** Answers and events per committed batch, for the metrics. */
  readonly commitSizes = sizeHistogram()

  constructor(readonly sql: Sql) {}

  #unanswered = 0

  /** Writes queued or in the batch on its way, not yet answered. */
  get queued(): number {
    return this.#unanswered
  }

  /** Resolves true when the id was new, false when it merged; once committed. */
  writeResponse(surveyId: string, write: ResponseWrite): Promise<boolean> {
    this.#unanswered++
    return new Promise<boolean>((resolve, reject) =>
      this.#enqueue({ surveyId, write, resolve, reject }),
    ).finally(this.#answered)
  }

  /** Resolves once committed. */
  writeEvent(surveyId: string, event: EventSubmission, at: number): Promise<void> {
    this.#unanswered++
    return new Promise<void>((resolve, reject) =>
      this.#enqueue({ surveyId, event, at, resolve, reject }),
    ).finally(this.#answered)
  }

  /** Counted when the caller hears the answer, so the figure is exact for whoever awaited the write. */
  readonly #answered = () => {
    this.#unanswered--
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
      recordSize(this.commitSizes, batch.length)
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
    let inserted: Stored[]
    try {
      const chains = chainsOf(round)
      inserted = await this.#withRetries(() =>
        chains.surveys.length === 0
          ? this.#run<Stored>(this.sql, INSERT_ANSWERS, round)
          : // New answers of respondents: the chains of those with other answers are recomputed before
            // COMMIT; a respondent's first answer (most of them) needs no RECHAIN.
            this.sql.begin(async (tx) => {
              const [, rows] = await Promise.all([
                tx.unsafe(LOCK_COUNTER),
                this.#run<Stored & { respondent_id: string | null; chained: boolean }>(
                  tx,
                  INSERT_CHAINED_ANSWERS,
                  round,
                ),
              ])
              const twice = repeatedPairs(chains)
              const redo: Chains = { surveys: [], respondents: [] }
              for (const row of rows) {
                if (row.id === null || row.respondent_id === null) continue
                if (row.chained || twice.has(keyOf(row.survey_id, row.respondent_id))) {
                  redo.surveys.push(row.survey_id)
                  redo.respondents.push(row.respondent_id)
                }
              }
              if (redo.surveys.length > 0) await rechain(tx, redo)
              return rows as Stored[]
            }),
      )
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
    let merged: Merged[]
    try {
      const chains = chainsOf(repeats)
      merged = await this.#withRetries(() =>
        chains.surveys.length === 0
          ? this.#run<Merged>(this.sql, MERGE_ANSWERS, repeats)
          : // A merge that names a respondent may move the answer from another's chain: both are redone.
            this.sql.begin(async (tx) => {
              const [, rows] = await Promise.all([
                tx.unsafe(LOCK_COUNTER),
                this.#run<Merged>(tx, MERGE_ANSWERS, repeats),
              ])
              for (const row of rows) {
                if (row.before !== null) {
                  chains.surveys.push(row.survey_id)
                  chains.respondents.push(row.before)
                }
              }
              await rechain(tx, chains)
              return rows
            }),
      )
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

  #run<Row extends object>(sql: Sql | TransactionSql, statement: string, round: Answer[]) {
    const rows = round.map(({ surveyId, write: w }) => ({
      survey_id: surveyId,
      id: w.id,
      at: w.receivedAt,
      score: w.score,
      comment: w.comment ?? null,
      respondent_id: w.respondentId ?? null,
      locale: w.locale ?? null,
      url: w.url ?? null,
      path: w.path ?? null,
      device: w.device ?? null,
      metadata: w.metadata ?? null,
      contact: w.contact ?? null,
      source: w.source ?? 'api',
    }))
    return sql.unsafe<Row[]>(
      statement,
      [JSON.stringify(rows), [...new Set(round.map((a) => a.surveyId))], rows.length] as never[],
      { prepare: true },
    )
  }

  #refused(round: Answer[], error: unknown): Promise<void> {
    return refused(round, error, (answer) => this.#storeRound([answer]))
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
            JSON.stringify(
              events.map((e) => ({
                survey_id: e.surveyId,
                type: e.event.type,
                respondent_id: e.event.respondentId,
                response_id: e.event.responseId ?? null,
                at: e.at,
              })),
            ),
            [...new Set(events.map((e) => e.surveyId))],
          ] as never[],
          { prepare: true },
        ),
      )
    } catch (error) {
      return refused(events, error, (e) => this.#storeEvents([e]))
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
