// @ts-check
/**
 * Storing answers and widget events, the hot writes, written once for whichever connection runs them:
 * the writer thread (writer-thread.js) for a database file, the main connection for an in-memory one.
 *
 * An answer is one statement on the common path, a new id: `INSERT … ON CONFLICT DO NOTHING` (the
 * foreign key refuses an unknown survey). A repeat (the follow-up comment, a retry) merges: the first
 * receipt time stays, what the repeat leaves out keeps its earlier value, and the score may change if the
 * visitor changed it. A merge with the same score and respondent, the usual case, is again one
 * statement; one that changes either reads the old row first, so the hourly counts move the answer from
 * one score to the other and a new respondent's answers are chained again (chains.js). A new answer of a
 * respondent chains that respondent's answers before the commit. Parameters are numbered (`?NNN`), bound from an object keyed by number: about half the cost
 * of named ones in better-sqlite3.
 *
 * @example
 * const answers = new AnswerWriter(db)
 * db.transaction(() => { answers.write(['e', 'srv_1', 'shown', 'visitor-1', null, Date.now()]); answers.flush() })()
 */
import { Chains } from './chains.js'
import {
  countsAsWidget,
  EVENT_COLUMN,
  EVENT_HOURS,
  HourlyCounts,
  RESPONSE_HOURS,
  SUPERSEDED_COLUMN,
  WIDGET_COLUMN,
} from './rollups.js'

/**
 * An answer as its statements bind it: `[?1 surveyId, ?2 id, ?3 at, ?4 score, ?5 comment,
 * ?6 respondentId, ?7 locale, ?8 url, ?9 path, ?10 device, ?11 metadata, ?12 contact, source]`
 * (metadata and contact as JSON); the change's number is bound as ?13 and the source as ?14 (only the
 * insert reads it: a statement must use every number up to its highest, and merges stop at ?13).
 *
 * @typedef {[surveyId: string, id: string, at: number, score: number, comment: string | null,
 *   respondentId: string | null, locale: string | null, url: string | null, path: string | null,
 *   device: string | null, metadata: string | null, contact: string | null,
 *   source: 'widget' | 'api' | 'link']} ResponseValues
 */

/**
 * An event as its statement binds it: `[?1 surveyId, ?2 type, ?3 respondentId, ?4 responseId, ?5 at]`.
 *
 * @typedef {[surveyId: string, type: 'shown' | 'dismissed', respondentId: string,
 *   responseId: string | null, at: number]} EventValues
 */

/**
 * `r`: an answer (1 when inserted, 0 when merged); `e`: an event (0).
 *
 * @typedef {['r', ...ResponseValues] | ['e', ...EventValues]} WriteOp
 */

// first_seq and source are not among them: a merge keeps the number of the write that first stored the
// answer, and where it first came from.
const MERGED_FIELDS = `updated_at = ?3, score = ?4, seq = ?13,
  comment = coalesce(?5, comment), respondent_id = coalesce(?6, respondent_id),
  locale = coalesce(?7, locale), url = coalesce(?8, url), path = coalesce(?9, path),
  device = coalesce(?10, device), metadata = coalesce(?11, metadata), contact = coalesce(?12, contact)`

/**
 * `{ 1: op[1], 2: op[2], … }`: how better-sqlite3 binds `?NNN` parameters.
 *
 * @param {WriteOp} op
 */
function numbered(op) {
  /** @type {Record<number, unknown>} */
  const params = {}
  for (let i = 1; i < op.length; i++) params[i] = op[i]
  return params
}

/**
 * The database's change counter (migration 13): each call takes the next number, in the transaction
 * that writes it, so numbers commit in the order SQLite's single writer commits them. One statement on
 * a row that stays in the page cache; a number kept in memory across a batch would go stale when the
 * other connection (imports, erasure) writes between two batches.
 */
export class ChangeCounter {
  #next

  /** @param {import('better-sqlite3').Database} db */
  constructor(db) {
    this.#next = db
      .prepare('UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value')
      .pluck()
  }

  /** @returns {number} */
  next() {
    return /** @type {number} */ (this.#next.get())
  }
}

export class AnswerWriter {
  #insert
  #mergeSameScore
  #scoreOf
  #merge
  #insertEvent
  #responseHours
  #eventHours
  #chains
  #changes

  /** @param {import('better-sqlite3').Database} db */
  constructor(db) {
    this.#changes = new ChangeCounter(db)
    this.#insert = db.prepare(
      // A live insert: first_seq is its own number, which tells the dispatcher it is new (follow-up.ts).
      `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url, path, device, metadata, contact, source, seq, first_seq)
       VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?14, ?13, ?13)
       ON CONFLICT (survey_id, id) DO NOTHING`,
    )
    this.#mergeSameScore = db.prepare(
      // Only when neither the score nor the respondent changes: then no count and no chain moves.
      `UPDATE responses SET ${MERGED_FIELDS}
       WHERE survey_id = ?1 AND id = ?2 AND score = ?4 AND (?6 IS NULL OR respondent_id IS ?6)`,
    )
    this.#scoreOf = db.prepare(
      'SELECT created_at, score, respondent_id, superseded_at FROM responses WHERE survey_id = ? AND id = ?',
    )
    this.#merge = db.prepare(`UPDATE responses SET ${MERGED_FIELDS} WHERE survey_id = ?1 AND id = ?2`)
    this.#insertEvent = db.prepare(
      'INSERT INTO events (survey_id, type, respondent_id, response_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)',
    )
    this.#responseHours = new HourlyCounts(db, RESPONSE_HOURS)
    this.#eventHours = new HourlyCounts(db, EVENT_HOURS)
    this.#chains = new Chains(db)
  }

  /**
   * Runs one write; throws what SQLite throws (a foreign-key failure: no such survey).
   *
   * @param {WriteOp} op
   * @returns {number}
   */
  write(op) {
    const params = numbered(op)
    if (op[0] === 'e') {
      this.#insertEvent.run(params)
      this.#eventHours.add(op[1], op[5], EVENT_COLUMN[op[2]])
      return 0
    }
    const [, surveyId, id, at, score] = op
    // One number for the insert or the merge, whichever happens: a failed write leaves a gap, no harm.
    params[14] = op[13]
    params[13] = this.#changes.next()
    if (this.#insert.run(params).changes > 0) {
      this.#responseHours.add(surveyId, at, score)
      if (countsAsWidget(op[13])) this.#responseHours.add(surveyId, at, WIDGET_COLUMN)
      this.#chains.touch(surveyId, op[6])
      return 1
    }
    if (this.#mergeSameScore.run(params).changes > 0) return 0
    const old = /** @type {{ created_at: number, score: number, respondent_id: string | null,
      superseded_at: number | null }} */ (this.#scoreOf.get(surveyId, id))
    this.#merge.run(params)
    if (old.score !== score) {
      this.#responseHours.add(surveyId, old.created_at, old.score, -1)
      this.#responseHours.add(surveyId, old.created_at, score)
      if (old.superseded_at !== null) {
        this.#responseHours.add(surveyId, old.created_at, SUPERSEDED_COLUMN + old.score, -1)
        this.#responseHours.add(surveyId, old.created_at, SUPERSEDED_COLUMN + score)
      }
    }
    if (op[6] !== null && op[6] !== old.respondent_id) {
      // The answer leaves one respondent's chain for another's: both are chained again.
      this.#chains.touch(surveyId, old.respondent_id)
      this.#chains.touch(surveyId, op[6])
    }
    return 0
  }

  /** Adds the hourly counts of what was written; call inside the transaction, before it commits. */
  flush() {
    this.#chains.flush(this.#responseHours)
    this.#responseHours.flush()
    this.#eventHours.flush()
  }

  /**
   * Drops the counts of a survey that is being deleted in this transaction.
   *
   * @param {string} surveyId
   */
  forget(surveyId) {
    this.#chains.forget(surveyId)
    this.#responseHours.forget(surveyId)
    this.#eventHours.forget(surveyId)
  }
}
