/**
 * What both engines share of a movers read (Analytics.movers): the category rank their SQL compares,
 * and the mapping of the rows they select (`lag()` over each respondent's answers) to a page.
 */
import type { Cursor, Mover, Page } from './backend.ts'

/** A score's category as a rank in SQL: detractor 0, passive 1, promoter 2. */
export const categoryRank = (score: string) =>
  `(CASE WHEN ${score} >= 9 THEN 2 WHEN ${score} >= 7 THEN 1 ELSE 0 END)`

/** A mover as both engines select it: the later answer, with the one before it (times as numbers). */
export interface MoverRow {
  id: string
  created_at: number
  score: number
  respondent_id: string
  account: string | null
  before_id: string
  before_at: number
  before_score: number
}

/** A page of movers from `limit + 1` rows: the extra row only says there is a next page. */
export function moverPage(rows: MoverRow[], limit: number): Page<Mover, Cursor> {
  const items = rows.slice(0, limit).map((row) => ({
    respondentId: row.respondent_id,
    account: row.account,
    before: { id: row.before_id, createdAt: Number(row.before_at), score: row.before_score },
    after: { id: row.id, createdAt: Number(row.created_at), score: row.score },
  }))
  const last = items.at(-1)
  return {
    items,
    next: rows.length > limit && last ? { createdAt: last.after.createdAt, id: last.after.id } : null,
  }
}
