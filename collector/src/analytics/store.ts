/**
 * The read side of analytics: score distributions, event counts and comments, aggregated by the
 * database. `AnalyticsStore` is the contract (a PostgreSQL store will implement it too); the NPS math on
 * top of a distribution lives once, in `@npskit/shared`.
 *
 * `SqliteAnalytics` never loads answers into JavaScript to count them. A range filtered only by time
 * reads whole hours from `response_hours` / `event_hours` (counts per survey and hour, kept exact on every
 * insert, update and delete: by the store once per commit for new answers, by triggers otherwise;
 * migrations 4, 5 and 8) and the partial hours at its edges from the covering index
 * `responses_survey_time (survey_id, created_at, id, score, respondent_id)`. Any other filter counts the
 * answers themselves: the 11 score counts (`count(*) FILTER (WHERE score = s)`) in one pass over an
 * index range, with no sort. Trends ask ONE query for all periods: the periods' boundaries cut time into
 * disjoint slices, each slice is counted once, and every period (or overlapping rolling window) is the
 * sum of its slices. Only comments (for themes) are read row by row, streamed and capped.
 *
 * @example
 * const analytics = new SqliteAnalytics(db)
 * summarize(analytics.distribution('srv_1', { from: Date.parse('2026-01-01') })).nps
 */
import type { Category } from '@npskit/shared'
import type { Database, Statement } from 'better-sqlite3'

export type Awaitable<T> = T | Promise<T>

export type Device = 'desktop' | 'mobile' | 'tablet'

/** Which answers count. Times are ms since the epoch; `from` inclusive, `to` exclusive. */
export interface AnalyticsFilter {
  from?: number | undefined
  to?: number | undefined
  /** `de` matches `de` and every `de-…` tag. */
  locale?: string | undefined
  /** An exact path, or a prefix when it ends in `*` (`/checkout/*`). */
  path?: string | undefined
  device?: Device | undefined
  /** metadata[key] equals value, compared as text (`true`, `42`, `pro`). */
  segments?: readonly (readonly [key: string, value: string])[] | undefined
  /** Only each respondent's latest answer among those the other filters select counts. */
  latestPerRespondent?: boolean | undefined
}

/** A time span in ms: start inclusive, end exclusive. */
export interface Window {
  start: number
  end: number
}

export type Dimension = { kind: 'locale' | 'path' | 'device' } | { kind: 'metadata'; key: string }

export interface EventCounts {
  shown: number
  dismissed: number
}

export interface Group {
  /** The dimension's value; null for answers without one. */
  value: string | null
  distribution: number[]
}

export interface CommentQuery {
  category: Category
  /** true: comments of answers in `category`; false: comments of every other category. */
  inCategory: boolean
  /** At most this many comments, the newest first. */
  limit: number
}

export interface AnalyticsStore {
  /** How many answers gave each score 0…10 (index = score). */
  distribution(surveyId: string, filter: AnalyticsFilter): Awaitable<number[]>
  /**
   * One distribution per window (windows may overlap, as rolling windows do), in the order given.
   * `filter.from`/`filter.to` are ignored: the windows say when.
   */
  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): Awaitable<number[][]>
  /** Cards shown and dismissed per window. Events carry no locale, path, device or metadata. */
  eventCounts(surveyId: string, windows: readonly Window[]): Awaitable<EventCounts[]>
  /** A distribution per value of the dimension, every group, in no particular order. */
  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Awaitable<Group[]>
  /** Calls `visit` with each non-empty comment, newest first; answers how many it visited. */
  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: (comment: string) => void,
  ): Awaitable<number>
}

const SCORES = 11
/** Outside every representable Date, so an open end of a range needs no second statement. */
const BEFORE_ALL = -8.64e15
const AFTER_ALL = 8.64e15
const STATEMENT_CACHE_SIZE = 256
const HOUR = 3_600_000

const CATEGORY_SCORES: Record<Category, readonly [number, number]> = {
  detractor: [0, 6],
  passive: [7, 8],
  promoter: [9, 10],
}

type Params = Record<string, string | number>

/** The 11 score counts in one pass over the index, with no sort (a GROUP BY score would need one). */
const COUNTS = Array.from({ length: SCORES }, (_, score) => `count(*) FILTER (WHERE score = ${score})`).join(
  ', ',
)

/** The hourly rollup's eleven columns summed over a range of hours (0 when there are none). */
const HOUR_SUMS = Array.from({ length: SCORES }, (_, score) => `coalesce(sum(h.s${score}), 0)`).join(', ')

/** Filters that events cannot honour: events carry only a time and a respondent. */
export function hasDimensionFilters(filter: AnalyticsFilter): boolean {
  return (
    filter.locale !== undefined ||
    filter.path !== undefined ||
    filter.device !== undefined ||
    (filter.segments?.length ?? 0) > 0
  )
}

function rangeParams(filter: AnalyticsFilter): { from: number; to: number } {
  return { from: filter.from ?? BEFORE_ALL, to: filter.to ?? AFTER_ALL }
}

/** The metadata value at a JSON path as text; JSON true/false read as `true`/`false`, not 1/0. */
function metadataText(pathParam: string): string {
  return `(CASE json_type(r.metadata, ${pathParam}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
    ELSE CAST(json_extract(r.metadata, ${pathParam}) AS TEXT) END)`
}

/** JSON path of a metadata key; keys are `[A-Za-z0-9_.:-]+`, quoted so a dot stays part of the key. */
function metadataPath(key: string): string {
  return `$."${key.replaceAll('"', '')}"`
}

/** Conditions beyond survey and time, as SQL over alias `r`, with their parameters. */
function filterConditions(filter: AnalyticsFilter, params: Params): string {
  const conditions: string[] = []
  if (filter.locale !== undefined) {
    params.locale = filter.locale
    params.localePrefix = `${filter.locale}-%`
    conditions.push('(r.locale = @locale OR r.locale LIKE @localePrefix)')
  }
  if (filter.path !== undefined) {
    if (filter.path.endsWith('*')) {
      params.pathPrefix = filter.path.slice(0, -1)
      conditions.push('substr(r.path, 1, length(@pathPrefix)) = @pathPrefix')
    } else {
      params.path = filter.path
      conditions.push('r.path = @path')
    }
  }
  if (filter.device !== undefined) {
    params.device = filter.device
    conditions.push('r.device = @device')
  }
  filter.segments?.forEach(([key, value], i) => {
    params[`segmentPath${i}`] = metadataPath(key)
    params[`segmentValue${i}`] = value
    conditions.push(`${metadataText(`@segmentPath${i}`)} = @segmentValue${i}`)
  })
  return conditions.map((condition) => ` AND ${condition}`).join('')
}

/**
 * The answers a filter selects between two SQL bounds, as a SELECT with columns `score`, `created_at`
 * and the extra ones given (alias → expression over `r`).
 *
 * With `latestPerRespondent`, answers without a respondent all count, and of each respondent's answers
 * the latest: SQLite's documented bare-column rule for a lone max() takes the other columns from the row
 * holding the maximum. The time index carries the respondent, so both halves read only the range's
 * entries of it; grouping them by respondent takes a temporary B-tree (an index by respondent would
 * avoid that, at the price of a random write on every answer: migration 7).
 */
function answers(
  filter: AnalyticsFilter,
  params: Params,
  bounds: readonly [from: string, to: string],
  extra: Record<string, string> = {},
): string {
  const extraColumns = Object.entries(extra)
    .map(([alias, expression]) => `, ${expression} AS ${alias}`)
    .join('')
  const where = `r.survey_id = @survey AND r.created_at >= ${bounds[0]} AND r.created_at < ${bounds[1]}${filterConditions(filter, params)}`
  const columns = `r.score AS score, r.created_at AS created_at${extraColumns}`
  if (!filter.latestPerRespondent) return `SELECT ${columns} FROM responses AS r WHERE ${where}`
  return `SELECT ${columns} FROM responses AS r WHERE ${where} AND r.respondent_id IS NULL
    UNION ALL
    SELECT r.score AS score, max(r.created_at) AS created_at${extraColumns}
    FROM responses AS r WHERE ${where} AND r.respondent_id IS NOT NULL GROUP BY r.respondent_id`
}

function countsOfRow(row: Record<string, unknown>): number[] {
  return Object.values(row).slice(-SCORES) as number[]
}

/**
 * Cuts overlapping windows into the disjoint slices between all their boundaries; each window is then
 * the run of slices from `first` (inclusive) to `last` (exclusive).
 */
export function slicesOf(windows: readonly Window[]): {
  slices: Window[]
  spans: { first: number; last: number }[]
} {
  const bounds = [...new Set(windows.flatMap((w) => [w.start, w.end]))].sort((a, b) => a - b)
  const index = new Map(bounds.map((bound, i) => [bound, i]))
  const covered = new Array<boolean>(Math.max(0, bounds.length - 1)).fill(false)
  const spans = windows.map((w) => {
    const first = index.get(w.start) ?? 0
    const last = Math.max(first, index.get(w.end) ?? 0)
    for (let i = first; i < last; i++) covered[i] = true
    return { first, last }
  })
  // A slice no window covers (a gap between windows) becomes an empty range, never scanned.
  const slices: Window[] = []
  for (let i = 0; i + 1 < bounds.length; i++) {
    slices.push(covered[i] ? { start: bounds[i]!, end: bounds[i + 1]! } : { start: 0, end: 0 })
  }
  return { slices, spans }
}

/**
 * Per window [start, end): whole hours [firstHour, lastHour) from `response_hours`, and the answers in
 * [start, firstHour) and [lastHour, end) from the index; a window inside one hour is all edge.
 */
const ROLLED_UP_SQL = `SELECT
  (SELECT json_array(${HOUR_SUMS}) FROM response_hours AS h
    WHERE h.survey_id = @survey AND h.hour >= b.value ->> 2 AND h.hour < b.value ->> 3) AS hours,
  (SELECT json_array(${COUNTS}) FROM responses AS r
    WHERE r.survey_id = @survey AND r.created_at >= b.value ->> 0 AND r.created_at < b.value ->> 1) AS head,
  (SELECT json_array(${COUNTS}) FROM responses AS r
    WHERE r.survey_id = @survey AND r.created_at >= b.value ->> 4 AND r.created_at < b.value ->> 5) AS tail
  FROM json_each(@windows) AS b`

const eventsIn = (type: string, from: string, to: string) =>
  `(SELECT count(*) FROM events AS e WHERE e.survey_id = @survey AND e.type = '${type}'
     AND e.created_at >= b.value ->> ${from} AND e.created_at < b.value ->> ${to})`

/** Shown and dismissed per window, counted from the events themselves. */
const EVENTS_SQL = `SELECT ${eventsIn('shown', '0', '1')} AS shown, ${eventsIn('dismissed', '0', '1')} AS dismissed
  FROM json_each(@windows) AS b`

const eventHours = (column: string) =>
  `(SELECT coalesce(sum(h.${column}), 0) FROM event_hours AS h
     WHERE h.survey_id = @survey AND h.hour >= b.value ->> 2 AND h.hour < b.value ->> 3)`

/** The same from `event_hours` for whole hours, and from the events for the partial hours at the edges. */
const EVENTS_ROLLED_UP_SQL = `SELECT
  ${eventHours('shown')} + ${eventsIn('shown', '0', '1')} + ${eventsIn('shown', '4', '5')} AS shown,
  ${eventHours('dismissed')} + ${eventsIn('dismissed', '0', '1')} + ${eventsIn('dismissed', '4', '5')} AS dismissed
  FROM json_each(@windows) AS b`

function rolledUpParams(surveyId: string, windows: readonly Window[], useHours = true): Params {
  const parts = windows.map(({ start, end }) => {
    const firstHour = Math.ceil(start / HOUR)
    const lastHour = Math.floor(end / HOUR)
    if (!useHours || firstHour >= lastHour) return [start, end, 0, 0, 0, 0]
    return [start, firstHour * HOUR, firstHour, lastHour, lastHour * HOUR, end]
  })
  return { survey: surveyId, windows: JSON.stringify(parts) }
}

function prefixSums(rows: readonly (readonly number[])[]): number[][] {
  const prefix: number[][] = [new Array<number>(rows[0]?.length ?? 0).fill(0)]
  rows.forEach((row, i) => {
    prefix.push(row.map((n, k) => n + prefix[i]![k]!))
  })
  return prefix
}

/** SQLite implementation of {@link AnalyticsStore}, over the collector's database. */
export class SqliteAnalytics implements AnalyticsStore {
  readonly #db: Database
  readonly #statements = new Map<string, Statement>()
  readonly #rollups: boolean
  readonly #eventRollups: boolean

  /** `rollups: false` counts every answer from the index even where hourly counts could (for tests). */
  constructor(db: Database, options: { rollups?: boolean } = {}) {
    this.#db = db
    // Older schemas (or a test asking for it) count everything from the answers and events themselves.
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string
    }[]
    const has = (name: string) => (options.rollups ?? true) && tables.some((table) => table.name === name)
    this.#rollups = has('response_hours')
    this.#eventRollups = has('event_hours')
  }

  /** The query plan SQLite chooses for a summary: one line per step. */
  explainDistribution(surveyId: string, filter: AnalyticsFilter): string[] {
    const { sql, params } = this.#distributionSql(surveyId, filter)
    const rows = this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]
    return rows.map((row) => row.detail)
  }

  distribution(surveyId: string, filter: AnalyticsFilter): number[] {
    if (this.#canRollUp(filter)) {
      return this.#rolledUp(surveyId, [{ start: filter.from ?? BEFORE_ALL, end: filter.to ?? AFTER_ALL }])[0]!
    }
    const { sql, params } = this.#distributionSql(surveyId, filter)
    return countsOfRow(this.#prepare(sql).get(params) as Record<string, unknown>)
  }

  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): number[][] {
    if (windows.length === 0) return []
    if (filter.latestPerRespondent) {
      // "Latest" depends on the window, so slices cannot be added up: each window is asked on its own.
      return this.#windowed(surveyId, filter, windows)
    }
    const { slices, spans } = slicesOf(windows)
    const counts = this.#canRollUp(filter)
      ? this.#rolledUp(surveyId, slices)
      : this.#windowed(surveyId, filter, slices)
    const prefix = prefixSums(counts)
    return spans.map(({ first, last }) => prefix[last]!.map((n, score) => n - prefix[first]![score]!))
  }

  eventCounts(surveyId: string, windows: readonly Window[]): EventCounts[] {
    if (windows.length === 0) return []
    const { slices, spans } = slicesOf(windows)
    const rows = this.#prepare(this.#eventRollups ? EVENTS_ROLLED_UP_SQL : EVENTS_SQL).all(
      rolledUpParams(surveyId, slices, this.#eventRollups),
    ) as { shown: number; dismissed: number }[]
    const prefix = prefixSums(rows.map((row) => [row.shown, row.dismissed]))
    return spans.map(({ first, last }) => ({
      shown: prefix[last]![0]! - prefix[first]![0]!,
      dismissed: prefix[last]![1]! - prefix[first]![1]!,
    }))
  }

  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Group[] {
    const params: Params = { survey: surveyId, ...rangeParams(filter) }
    let value: string
    if (dimension.kind === 'metadata') {
      params.dimensionPath = metadataPath(dimension.key)
      value = metadataText('@dimensionPath')
    } else {
      value = `r.${dimension.kind}`
    }
    const source = answers(filter, params, ['@from', '@to'], { value })
    const rows = this.#prepare(`SELECT value, ${COUNTS} FROM (${source}) GROUP BY value`).all(
      params,
    ) as Record<string, unknown>[]
    return rows.map((row) => ({ value: row.value as string | null, distribution: countsOfRow(row) }))
  }

  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: (comment: string) => void,
  ): number {
    const [low, high] = CATEGORY_SCORES[query.category]
    const params: Params = { survey: surveyId, ...rangeParams(filter), limit: query.limit, low, high }
    const source = answers(filter, params, ['@from', '@to'], { comment: 'r.comment' })
    const statement = this.#prepare(
      `SELECT comment FROM (${source})
       WHERE comment IS NOT NULL AND comment <> '' AND score ${query.inCategory ? '' : 'NOT '}BETWEEN @low AND @high
       ORDER BY created_at DESC LIMIT @limit`,
    )
    let visited = 0
    // Streamed: one comment at a time is in memory, however many the range holds.
    for (const row of statement.iterate(params) as IterableIterator<{ comment: string }>) {
      visit(row.comment)
      visited++
    }
    return visited
  }

  #distributionSql(surveyId: string, filter: AnalyticsFilter): { sql: string; params: Params } {
    if (this.#canRollUp(filter)) {
      const { start, end } = { start: filter.from ?? BEFORE_ALL, end: filter.to ?? AFTER_ALL }
      return { sql: ROLLED_UP_SQL, params: rolledUpParams(surveyId, [{ start, end }]) }
    }
    const params: Params = { survey: surveyId, ...rangeParams(filter) }
    return { sql: `SELECT ${COUNTS} FROM (${answers(filter, params, ['@from', '@to'])})`, params }
  }

  /** Hourly counts serve every filter that is only a time range. */
  #canRollUp(filter: AnalyticsFilter): boolean {
    return this.#rollups && !filter.latestPerRespondent && !hasDimensionFilters(filter)
  }

  /**
   * Counts per window from the hourly rollup for the whole hours inside it, plus the answers themselves
   * (a range of the covering index) for the partial hours at either edge: exact for any boundary.
   */
  #rolledUp(surveyId: string, windows: readonly Window[]): number[][] {
    const rows = this.#prepare(ROLLED_UP_SQL).all(rolledUpParams(surveyId, windows)) as {
      hours: string
      head: string
      tail: string
    }[]
    return rows.map((row) => {
      const hours = JSON.parse(row.hours) as number[]
      const head = JSON.parse(row.head) as number[]
      const tail = JSON.parse(row.tail) as number[]
      return hours.map((n, score) => n + head[score]! + tail[score]!)
    })
  }

  #windowed(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): number[][] {
    const params: Params = {
      survey: surveyId,
      windows: JSON.stringify(windows.map((w) => [w.start, w.end])),
    }
    // One correlated subquery per window: each is one range of the index, and no row is sorted.
    const source = answers(filter, params, ['b.value ->> 0', 'b.value ->> 1'])
    const rows = this.#prepare(
      `SELECT (SELECT json_array(${COUNTS}) FROM (${source})) AS counts FROM json_each(@windows) AS b`,
    ).all(params) as { counts: string }[]
    return rows.map((row) => JSON.parse(row.counts) as number[])
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql)
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        // Segment filters make the SQL vary; drop the oldest rather than grow without bound.
        this.#statements.delete(this.#statements.keys().next().value!)
      }
      statement = this.#db.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }
}
