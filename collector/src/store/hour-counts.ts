/**
 * The hourly score counts (`response_hours`, migration 4) of newly inserted answers, added once per
 * commit instead of by a trigger once per answer (migration 8): the insert trigger was the largest single
 * cost of storing an answer. An instance gathers the counts of the answers inserted since its last
 * flush and adds them with one upsert per survey and hour. Updates and deletions of answers still
 * adjust the counts through their triggers, so a flush must come before any of those in the same
 * transaction (sqlite-store.ts flushes before every write that is not a new answer).
 *
 * @example
 * const hours = new HourCounts(db)
 * insert.run(…) // a new answer of srv_1, at `at`, scored 9
 * hours.add('srv_1', at, 9)
 * hours.flush() // in the same transaction
 */
import type { Database, Statement } from 'better-sqlite3'

export const HOUR_MS = 3_600_000

const COUNTS = Array.from({ length: 11 }, (_, s) => `s${s}`)

export const UPSERT_HOUR_COUNTS = `INSERT INTO response_hours (survey_id, hour, ${COUNTS.join(', ')})
  VALUES (?, ?, ${COUNTS.map(() => '?').join(', ')})
  ON CONFLICT (survey_id, hour) DO UPDATE SET ${COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`

/** Every survey's hourly counts recounted from the answers: for bulk loads, which skip `add`. */
export function recountHours(db: Database): void {
  db.exec(`DELETE FROM response_hours;
    INSERT INTO response_hours (survey_id, hour, ${COUNTS.join(', ')})
    SELECT survey_id, (created_at - ((created_at % ${HOUR_MS}) + ${HOUR_MS}) % ${HOUR_MS}) / ${HOUR_MS},
      ${COUNTS.map((_, s) => `count(*) FILTER (WHERE score = ${s})`).join(', ')}
    FROM responses GROUP BY 1, 2`)
}

export class HourCounts {
  /** survey → hour → eleven counts */
  readonly #pending = new Map<string, Map<number, number[]>>()
  readonly #upsert: Statement

  constructor(db: Database) {
    this.#upsert = db.prepare(UPSERT_HOUR_COUNTS)
  }

  /** Counts one inserted answer; `at` is its created_at in ms. */
  add(surveyId: string, at: number, score: number): void {
    let hours = this.#pending.get(surveyId)
    if (!hours) {
      hours = new Map()
      this.#pending.set(surveyId, hours)
    }
    // The floor, as the SQL of migration 4 computes it, also before 1970.
    const hour = Math.floor(at / HOUR_MS)
    let counts = hours.get(hour)
    if (!counts) {
      counts = new Array<number>(11).fill(0)
      hours.set(hour, counts)
    }
    counts[score]!++
  }

  /** Adds what was counted to `response_hours`; call inside the transaction that inserted the answers. */
  flush(): void {
    if (this.#pending.size === 0) return
    for (const [surveyId, hours] of this.#pending) {
      for (const [hour, counts] of hours) this.#upsert.run(surveyId, hour, ...counts)
    }
    this.#pending.clear()
  }
}
