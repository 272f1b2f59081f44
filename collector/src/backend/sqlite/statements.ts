/**
 * Prepared statements of one connection, by their SQL, reused: preparing costs more than running most of
 * them. Bounded, because filters (segments) make some SQL vary: past `max` the oldest is dropped.
 *
 * @example
 * const statements = new Statements(db)
 * statements.get('SELECT * FROM surveys WHERE id = ?').get(id)
 */
import type { Database, Statement } from 'better-sqlite3'

export class Statements {
  readonly #cache = new Map<string, Statement>()

  constructor(
    readonly db: Database,
    readonly max = 256,
  ) {}

  get(sql: string): Statement {
    let statement = this.#cache.get(sql)
    if (!statement) {
      if (this.#cache.size >= this.max) this.#cache.delete(this.#cache.keys().next().value!)
      statement = this.db.prepare(sql)
      this.#cache.set(sql, statement)
    }
    return statement
  }
}

/** The columns of a stored answer (StoredResponse), as the engine's reads list them. */
export const RESPONSE_COLUMNS =
  'id, created_at, score, comment, respondent_id, locale, url, path, device, metadata, contact, source'
