/**
 * The SQLite engine's breakdown rollups, in one place: `breakdown_hours` holds eleven score counts per
 * survey, declared dimension (settings.breakdowns), value and hour. Triggers on `responses`
 * (migration 15) keep it exact on every write; this module keeps `breakdown_dimensions` in step with a
 * survey's settings (backfilling a newly declared dimension from the answers so far, dropping a removed
 * one) and reads a breakdown from it.
 *
 * A dimension is backfilled in the transaction that declares it: one GROUP BY over the survey's answers
 * (measured by `pnpm bench`, about a second per million answers), during which ingest waits.
 *
 * @example
 * syncBreakdowns(prepare, 'srv_1', ['locale', 'metadata.plan']) // inside the settings' transaction
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

/** A dimension's value of answer `r`, as the triggers of migration 15 and the scan breakdown read it. */
const VALUE = `CASE d.kind WHEN 'locale' THEN r.locale WHEN 'device' THEN r.device WHEN 'path' THEN r.path
  ELSE (CASE json_type(r.metadata, d.json_path) WHEN 'text' THEN r.metadata ->> d.json_path ELSE r.metadata -> d.json_path END) END`

const BACKFILL = `INSERT INTO breakdown_hours (survey_id, dimension, value, hour, ${SCORES.map((s) => `s${s}`).join(', ')})
  SELECT r.survey_id, d.dimension, coalesce('=' || ${VALUE}, '') AS v, ${HOUR} AS h,
    ${SCORES.map((s) => `count(*) FILTER (WHERE r.score = ${s})`).join(', ')}
  FROM breakdown_dimensions AS d JOIN responses AS r ON r.survey_id = d.survey_id
  WHERE d.survey_id = ? AND d.dimension = ?
  GROUP BY v, h`

/** JSON path of a metadata key (as analytics.ts builds it): quoted, so a dot stays part of the key. */
const jsonPath = (key: string) => `$."${key.replaceAll('"', '')}"`

/**
 * Makes the survey's rollups those of `declared`: a dimension no longer declared is dropped with its
 * counts, a new one is counted from the answers stored so far. Call inside the settings' transaction.
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
    prepare(
      'INSERT INTO breakdown_dimensions (survey_id, dimension, kind, json_path) VALUES (?, ?, ?, ?)',
    ).run(surveyId, dimension, parsed.kind, parsed.kind === 'metadata' ? jsonPath(parsed.key) : null)
    prepare(BACKFILL).run(surveyId, dimension)
  }
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
 * The breakdown from the rollup when the survey declares the dimension, else undefined (the caller
 * scans). Only a time range may filter it: the rollup knows nothing of other filters.
 */
export function breakdownFromRollup(
  prepare: Prepare,
  surveyId: string,
  filter: AnalyticsFilter,
  dimension: Dimension,
): Group[] | undefined {
  const name = dimensionName(dimension)
  if (
    !prepare('SELECT 1 FROM breakdown_dimensions WHERE survey_id = ? AND dimension = ?').get(surveyId, name)
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
