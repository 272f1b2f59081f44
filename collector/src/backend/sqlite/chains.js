// @ts-check
/**
 * Each answer's `superseded_at` (migration 21): the created_at of its respondent's next answer in the
 * survey, by created_at and then id; NULL for a respondent's latest answer and for answers without a
 * respondent. With it, latestPerRespondent counts from the hourly rollups — every answer (s0–s10) less
 * the superseded ones (x0–x10) — instead of ranking a range's answers by respondent.
 *
 * Every write that adds, removes, re-times or re-assigns an answer of a respondent tells the
 * transaction's `Chains` which respondent it touched; before the hourly counts are flushed, each touched
 * respondent's answers in that survey are read in order (one range of `responses_chain`), and those whose
 * successor changed are updated, their x count moved with them. A removed answer's own x count is the
 * writer's to take away (it knows the row it deleted), as its s count is. Like `HourlyCounts`, one per
 * transaction's connection: the writer thread's and the main connection's.
 *
 * @example
 * const chains = new Chains(db)
 * insert.run(…) // an answer of respondent ann in srv_1
 * chains.touch('srv_1', 'ann')
 * chains.flush(hours) // then hours.flush(), in the same transaction
 */
import { SUPERSEDED_COLUMN } from './rollups.js'

/** An answer of a chain: id, created_at, score, superseded_at. @typedef {[string, number, number, number | null]} Row */

export class Chains {
  /** survey → respondents touched @type {Map<string, Set<string>>} */
  #pending = new Map()
  #read
  #update

  /** @param {import('better-sqlite3').Database} db */
  constructor(db) {
    this.#read = db
      .prepare(
        `SELECT id, created_at, score, superseded_at FROM responses INDEXED BY responses_chain
         WHERE survey_id = ? AND respondent_id = ? ORDER BY created_at, id`,
      )
      .raw()
    this.#update = db.prepare('UPDATE responses SET superseded_at = ? WHERE survey_id = ? AND id = ?')
  }

  /**
   * Marks a respondent's answers in a survey to be chained again before the transaction commits.
   *
   * @param {string} surveyId
   * @param {string | null | undefined} respondentId
   */
  touch(surveyId, respondentId) {
    if (respondentId == null) return
    let respondents = this.#pending.get(surveyId)
    if (!respondents) {
      respondents = new Set()
      this.#pending.set(surveyId, respondents)
    }
    respondents.add(respondentId)
  }

  /**
   * Drops what was touched in a survey that is being deleted with its answers.
   *
   * @param {string} surveyId
   */
  forget(surveyId) {
    this.#pending.delete(surveyId)
  }

  /**
   * Chains the touched respondents' answers again and counts the changes into `hours` (an
   * `HourlyCounts` of response_hours), which the caller flushes next, in the same transaction.
   *
   * @param {import('./rollups.js').HourlyCounts} hours
   */
  flush(hours) {
    if (this.#pending.size === 0) return
    for (const [surveyId, respondents] of this.#pending) {
      for (const respondentId of respondents) {
        const rows = /** @type {Row[]} */ (this.#read.all(surveyId, respondentId))
        for (let i = 0; i < rows.length; i++) {
          const [id, at, score, was] = /** @type {Row} */ (rows[i])
          const next = i + 1 < rows.length ? /** @type {Row} */ (rows[i + 1])[1] : null
          if (next === was) continue
          this.#update.run(next, surveyId, id)
          if ((was === null) !== (next === null)) {
            hours.add(surveyId, at, SUPERSEDED_COLUMN + score, next === null ? -1 : 1)
          }
        }
      }
    }
    this.#pending.clear()
  }
}
