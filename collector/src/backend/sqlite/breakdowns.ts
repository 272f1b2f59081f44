/**
 * The SQLite engine's breakdown rollups, in one place: `breakdown_hours` holds eleven score counts per
 * survey, declared dimension (settings.breakdowns), value and hour. Triggers on `responses`
 * (migration 20) keep it exact on every write; this module keeps `breakdown_dimensions` in step with a
 * survey's settings (dropping a removed dimension, adding a new one), counts a new dimension's answers so
 * far, and reads a breakdown from it.
 *
 * A dimension declared on a survey with answers is counted in batches of answers, oldest first, each in a
 * write transaction of its own (a GROUP BY over one time range of the time index), so ingest waits for
 * one batch at most, never for the whole backfill. `filled_until` marks how far the batches have come;
 * the triggers count only answers before it, so an answer is counted once whichever comes first. Until
 * the last batch, the dimension's breakdowns are scans, as an undeclared one's.
 *
 * @example
 * syncBreakdowns(prepare, 'srv_1', ['locale', 'metadata.plan']) // inside the settings' transaction
 * while (fillBreakdownBatch(prepare, 20_000)) {} // each call in a write transaction of its own
 * breakdownFromRollup(prepare, 'srv_1', { from, to }, { kind: 'locale' }) // Group[] or undefined
 */
import type { Statement } from 'better-sqlite3'
import {
  AFTER_ALL,
  type AnalyticsFilter,
  BEFORE_ALL,
  type Dimension,
  dimensionName,
  dimensionOf,
  type Group,
} from '../backend.ts'
import { hourEdges } from '../windows.ts'

type Prepare = (sql: string) => Statement

const SCORES = Array.from({ length: 11 }, (_, score) => score)
const HOUR = '((r.created_at) - (((r.created_at) % 3600000) + 3600000) % 3600000) / 3600000'

/** A dimension's value of answer `r`, as the triggers of migration 20 and the scan breakdown read it. */
const VALUE = `CASE d.kind WHEN 'locale' THEN r.locale WHEN 'device' THEN r.device WHEN 'path' THEN r.path
  ELSE (CASE json_type(r.metadata, d.json_path) WHEN 'text' THEN r.metadata ->> d.json_path ELSE r.metadata -> d.json_path END) END`

/** Counts one batch: the answers of [from, to) into a dimension's rollup, beside what triggers counted. */
const BACKFILL = `INSERT INTO breakdown_hours (survey_id, dimension, value, hour, ${SCORES.map((s) => `s${s}`).join(', ')})
  SELECT r.survey_id, d.dimension, coalesce('=' || ${VALUE}, '') AS v, ${HOUR} AS h,
    ${SCORES.map((s) => `count(*) FILTER (WHERE r.score = ${s})`).join(', ')}
  FROM breakdown_dimensions AS d JOIN responses AS r ON r.survey_id = d.survey_id
  WHERE d.survey_id = @survey AND d.dimension = @dimension AND r.created_at >= @from AND r.created_at < @to
  GROUP BY v, h
  ON CONFLICT (survey_id, dimension, value, hour) DO UPDATE SET ${SCORES.map((s) => `s${s} = s${s} + excluded.s${s}`).join(', ')}`

/** JSON path of a metadata key (as analytics.ts builds it): quoted, so a dot stays part of the key. */
const jsonPath = (key: string) => `$."${key.replaceAll('"', '')}"`

/**
 * Makes the survey's rollups those of `declared`: a dimension no longer declared is dropped with its
 * counts; a new one starts complete on a survey without answers, else empty, for `fillBreakdownBatch`
 * to count. Call inside the settings' transaction.
 */
export function syncBreakdowns(prepare: Prepare, surveyId: string, declared: readonly string[]): void {
  const current = (
    prepare('SELECT dimension FROM breakdown_dimensions WHERE survey_id = ?').all(surveyId) as {
      dimension: string
    }[]
  ).map((row) => row.dimension)
  for (const dimension of current) {
    if (declared.includes(dimension)) continue
    prepare('DELETE FROM breakdown_dimensions WHERE survey_id = ? AND dimension = ?').run(surveyId, dimension)
    prepare('DELETE FROM breakdown_hours WHERE survey_id = ? AND dimension = ?').run(surveyId, dimension)
  }
  for (const dimension of declared) {
    if (current.includes(dimension)) continue
    const parsed = dimensionOf(dimension)
    const answered = prepare('SELECT 1 FROM responses WHERE survey_id = ? LIMIT 1').get(surveyId)
    prepare(
      'INSERT INTO breakdown_dimensions (survey_id, dimension, kind, json_path, filled_until) VALUES (?, ?, ?, ?, ?)',
    ).run(
      surveyId,
      dimension,
      parsed.kind,
      parsed.kind === 'metadata' ? jsonPath(parsed.key) : null,
      answered ? BEFORE_ALL : null,
    )
  }
}

/** True when some declared dimension is not counted yet (a batch is due). */
export function breakdownsPending(prepare: Prepare): boolean {
  return (
    prepare('SELECT 1 FROM breakdown_dimensions WHERE filled_until IS NOT NULL LIMIT 1').get() !== undefined
  )
}

/**
 * Counts the next `batch` answers (by time) of one dimension not counted yet, and moves its mark past
 * them; the last batch of a dimension marks it complete. Call in a write transaction of its own; answers
 * whether a dimension was left to count (call again until false).
 */
export function fillBreakdownBatch(prepare: Prepare, batch: number): boolean {
  const pending = prepare(
    'SELECT survey_id, dimension, filled_until FROM breakdown_dimensions WHERE filled_until IS NOT NULL LIMIT 1',
  ).get() as { survey_id: string; dimension: string; filled_until: number } | undefined
  if (!pending) return false
  const { survey_id: survey, dimension, filled_until: from } = pending
  const next = prepare(
    'SELECT created_at FROM responses WHERE survey_id = ? AND created_at >= ? ORDER BY created_at LIMIT 1 OFFSET ?',
  )
    .pluck()
    .get(survey, from, batch) as number | undefined
  // Answers of one instant stay in one batch; past the last answer the dimension is complete.
  const to = next === undefined ? null : Math.max(next, from + 1)
  prepare(BACKFILL).run({ survey, dimension, from, to: to ?? AFTER_ALL })
  prepare('UPDATE breakdown_dimensions SET filled_until = ? WHERE survey_id = ? AND dimension = ?').run(
    to,
    survey,
    dimension,
  )
  return true
}

/** Drops every rollup of a survey being deleted, before its answers go (their triggers then find none). */
export function forgetBreakdowns(prepare: Prepare, surveyId: string): void {
  prepare('DELETE FROM breakdown_dimensions WHERE survey_id = ?').run(surveyId)
  prepare('DELETE FROM breakdown_hours WHERE survey_id = ?').run(surveyId)
}

const SUMS = SCORES.map((s) => `sum(s${s}) AS s${s}`).join(', ')

/**
 * Whole hours from the rollup, the partial hours at either edge from the answers (the covering time
 * index finds them; their value is read from the row). Groups whose counts are all zero (every answer of
 * that value erased or moved) are left out, as a scan would never see them.
 */
const FROM_ROLLUP = `SELECT value, ${SCORES.map((s) => `sum(s${s})`).join(', ')} FROM (
    SELECT CASE h.value WHEN '' THEN NULL ELSE substr(h.value, 2) END AS value, ${SUMS} FROM breakdown_hours AS h
    WHERE h.survey_id = @survey AND h.dimension = @dimension AND h.hour >= @firstHour AND h.hour < @lastHour
    GROUP BY h.value
    UNION ALL
    SELECT ${VALUE} AS value, ${SCORES.map((s) => `count(*) FILTER (WHERE r.score = ${s})`).join(', ')}
    FROM responses AS r JOIN breakdown_dimensions AS d ON d.survey_id = r.survey_id AND d.dimension = @dimension
    WHERE r.survey_id = @survey
      AND ((r.created_at >= @headStart AND r.created_at < @headEnd) OR (r.created_at >= @tailStart AND r.created_at < @tailEnd))
    GROUP BY 1)
  GROUP BY value HAVING ${SCORES.map((s) => `sum(s${s})`).join(' + ')} > 0
  ORDER BY value`

/**
 * The breakdown from the rollup when the survey declares the dimension and it is counted, else undefined
 * (the caller scans). Only a time range may filter it: the rollup knows nothing of other filters.
 */
export function breakdownFromRollup(
  prepare: Prepare,
  surveyId: string,
  filter: AnalyticsFilter,
  dimension: Dimension,
): Group[] | undefined {
  const name = dimensionName(dimension)
  if (
    !prepare(
      'SELECT 1 FROM breakdown_dimensions WHERE survey_id = ? AND dimension = ? AND filled_until IS NULL',
    ).get(surveyId, name)
  ) {
    return undefined
  }
  const [headStart, headEnd, firstHour, lastHour, tailStart, tailEnd] = hourEdges({
    start: filter.from ?? BEFORE_ALL,
    end: filter.to ?? AFTER_ALL,
  })
  const rows = prepare(FROM_ROLLUP).raw(true).all({
    survey: surveyId,
    dimension: name,
    headStart,
    headEnd,
    firstHour,
    lastHour,
    tailStart,
    tailEnd,
  }) as [string | null, ...number[]][]
  return rows.map(([value, ...distribution]) => ({ value, distribution }))
}
