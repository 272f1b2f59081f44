// @ts-check
/**
 * The hourly rollups of the SQLite engine, kept in one place: `response_hours` (eleven score counts per
 * survey and hour, migration 4) and `event_hours` (cards shown and dismissed, migration 5), where
 * hour = floor(created_at / 1 h). Every write that adds, changes or removes an answer or an event tells
 * an `HourlyCounts` of its transaction what changed (+1 for a new answer, −1 and +1 for a score that
 * changed, −1 for an erased one), and the transaction adds the sum with one upsert per survey and hour
 * just before it commits. That is cheaper than a trigger per row (migrations 8 and 9 dropped the
 * triggers; the insert trigger was the largest single cost of storing an answer), and since the changes
 * only add up, their order within a transaction does not matter. Both the writer thread and the main
 * connection use this class, each for its own transactions: this process is the database's only writer.
 *
 * @example
 * const hours = new HourlyCounts(db, RESPONSE_HOURS)
 * insert.run(…) // a new answer of srv_1 at `at`, scored 9
 * hours.add('srv_1', at, 9)
 * hours.flush() // in the same transaction
 */

/** The hour of the contract (backend.ts): floor(ms / 3,600,000), also before 1970. */
const HOUR_MS = 3_600_000

/** @typedef {{ table: string, columns: readonly string[] }} RollupTable */

/**
 * Columns 0–10 count scores, column 11 (`widget`) the answers the response rate counts, columns 12–22
 * (`x0`–`x10`) the answers a later one of their respondent supersedes, by score (chains.js).
 * @type {RollupTable}
 */
export const RESPONSE_HOURS = {
  table: 'response_hours',
  columns: [
    ...Array.from({ length: 11 }, (_, score) => `s${score}`),
    'widget',
    ...Array.from({ length: 11 }, (_, score) => `x${score}`),
  ],
}

export const WIDGET_COLUMN = 11

/** The column of superseded answers scored 0; score k is SUPERSEDED_COLUMN + k. */
export const SUPERSEDED_COLUMN = 12

/**
 * Whether the response rate counts an answer of this source: the widget's, and those stored before
 * sources were recorded (null), which it counted then. The one rule; postgres/migrations.ts has its SQL.
 *
 * @param {string | null | undefined} source
 */
export function countsAsWidget(source) {
  return source == null || source === 'widget'
}

/** Column 0 counts `shown`, column 1 `dismissed`. @type {RollupTable} */
export const EVENT_HOURS = { table: 'event_hours', columns: ['shown', 'dismissed'] }

export const EVENT_COLUMN = /** @type {const} */ ({ shown: 0, dismissed: 1 })

/** @param {RollupTable} rollup */
function upsertSql({ table, columns }) {
  return `INSERT INTO ${table} (survey_id, hour, ${columns.join(', ')})
    VALUES (?, ?, ${columns.map(() => '?').join(', ')})
    ON CONFLICT (survey_id, hour) DO UPDATE SET ${columns.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`
}

export class HourlyCounts {
  /** survey → hour → one change per column @type {Map<string, Map<number, number[]>>} */
  #pending = new Map()
  #upsert
  #width

  /**
   * @param {import('better-sqlite3').Database} db
   * @param {RollupTable} table
   */
  constructor(db, table) {
    this.#upsert = db.prepare(upsertSql(table))
    this.#width = table.columns.length
  }

  /**
   * Counts one row in or out (`delta` −1) of column `column` at `at` (ms, its created_at).
   *
   * @param {string} surveyId
   * @param {number} at
   * @param {number} column
   */
  add(surveyId, at, column, delta = 1) {
    let hours = this.#pending.get(surveyId)
    if (!hours) {
      hours = new Map()
      this.#pending.set(surveyId, hours)
    }
    const hour = Math.floor(at / HOUR_MS)
    let counts = hours.get(hour)
    if (!counts) {
      counts = new Array(this.#width).fill(0)
      hours.set(hour, counts)
    }
    counts[column] = /** @type {number} */ (counts[column]) + delta
  }

  /**
   * Drops what was counted for a survey whose rollup rows are being deleted with it.
   *
   * @param {string} surveyId
   */
  forget(surveyId) {
    this.#pending.delete(surveyId)
  }

  /** Adds what was counted to the table; call inside the transaction that made the changes. */
  flush() {
    if (this.#pending.size === 0) return
    for (const [surveyId, hours] of this.#pending) {
      for (const [hour, counts] of hours) {
        if (counts.some((n) => n !== 0)) this.#upsert.run(surveyId, hour, ...counts)
      }
    }
    this.#pending.clear()
  }
}
