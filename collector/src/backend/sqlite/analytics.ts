/**
 * The SQLite engine's analytics reads: score distributions, event counts and comments, aggregated by
 * SQLite (the {@link Analytics} part of the contract; the NPS math on top of a distribution lives once,
 * in `@npskit/shared`).
 *
 * Answers are never loaded into JavaScript to count them. A range filtered only by time reads whole
 * hours from `response_hours` / `event_hours` (counts per survey and hour, kept exact by every write:
 * rollups.js) and the partial hours at its edges from the covering index
 * `responses_survey_time (survey_id, created_at, id, score, respondent_id)`. Any other filter counts the
 * answers themselves: the 11 score counts (`count(*) FILTER (WHERE score = s)`) in one pass over an
 * index range, with no sort. Trends ask ONE query for all periods: the periods' boundaries cut time into
 * disjoint slices, each slice is counted once, and every period (or overlapping rolling window) is the
 * sum of its slices (../windows.ts); with latestPerRespondent, the windows' hull is read once, each answer
 * with its respondent's successor (windows.ts latestInWindows). Only comments (for themes) are read row by row, streamed and capped.
 *
 * @example
 * const analytics = new SqliteAnalytics(db)
 * summarize(analytics.distribution('srv_1', { from: Date.parse('2026-01-01') })).nps
 */
import type { Database, Statement } from 'better-sqlite3'
import {
  type AccountGroup,
  type AccountWeight,
  AFTER_ALL,
  type Analytics,
  type AnalyticsFilter,
  BEFORE_ALL,
  CATEGORY_SCORES,
  type CommentQuery,
  type CommentVisitor,
  type Cursor,
  type Dimension,
  dimensionName,
  type EventCounts,
  type Group,
  hasDimensionFilters,
  type Mover,
  type MoverScope,
  type Page,
  type ResponseFilter,
  type ResponseOrder,
  type Window,
} from '../backend.ts'
import { categoryRank, type MoverRow, moverPage } from '../movers.ts'
import { respondentWeights, type WeightCount } from '../weights.ts'
import {
  hourEdges,
  hullOf,
  latestInWindows,
  lessCounts,
  type Succession,
  type Superseded,
  slicesOf,
  sumSpans,
  supersededInWindows,
} from '../windows.ts'
import { breakdownFromRollup } from './breakdowns.ts'
import { Statements } from './statements.ts'

const SCORES = 11

type Params = Record<string, string | number>

/** The 11 score counts in one pass over the index, with no sort (a GROUP BY score would need one). */
const COUNTS = Array.from({ length: SCORES }, (_, score) => `count(*) FILTER (WHERE score = ${score})`).join(
  ', ',
)

/** The hourly rollup's eleven columns summed over a range of hours (0 when there are none). */
const HOUR_SUMS = Array.from({ length: SCORES }, (_, score) => `coalesce(sum(h.s${score}), 0)`).join(', ')

function rangeParams(filter: AnalyticsFilter): { from: number; to: number } {
  return { from: filter.from ?? BEFORE_ALL, to: filter.to ?? AFTER_ALL }
}

/**
 * A metadata value at a JSON path as text: a string as it is, anything else (true, false, a number) as
 * its JSON text, which for a number is the decimal form JSON.stringify wrote (`->` keeps it; a cast of
 * the number would round it to 15 digits).
 */
function metadataText(pathParam: string): string {
  return `(CASE json_type(r.metadata, ${pathParam}) WHEN 'text' THEN r.metadata ->> ${pathParam}
    ELSE r.metadata -> ${pathParam} END)`
}

/** JSON path of a metadata key; keys are `[A-Za-z0-9_.:-]+`, quoted so a dot stays part of the key. */
function metadataPath(key: string): string {
  return `$."${key.replaceAll('"', '')}"`
}

/** Conditions beyond survey and time, as SQL over alias `r`, with their parameters. */
function filterConditions(filter: AnalyticsFilter, params: Params): string {
  const conditions: string[] = []
  if (filter.locale !== undefined) {
    // Language tags are case-insensitive; LIKE is too (ASCII), and the tag holds no wildcard.
    params.locale = filter.locale
    params.localePrefix = `${filter.locale}-%`
    conditions.push('(r.locale = @locale COLLATE NOCASE OR r.locale LIKE @localePrefix)')
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
 * The answers a filter selects between two SQL bounds, as a SELECT with columns `score`, `created_at`,
 * `id` and the extra ones given (alias → expression over `r`).
 *
 * With `latestPerRespondent`, answers without a respondent all count, and of each respondent's answers
 * the latest (by created_at, then id). The time index carries the respondent, so both halves read only
 * the range's entries of it; ranking them by respondent takes a temporary B-tree (an index by respondent
 * would avoid that, at the price of a random write on every answer: migration 7).
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
  const columns = `r.score AS score, r.created_at AS created_at, r.id AS id${extraColumns}`
  if (!filter.latestPerRespondent) return `SELECT ${columns} FROM responses AS r WHERE ${where}`
  const aliases = ['score', 'created_at', 'id', ...Object.keys(extra)].join(', ')
  return `SELECT ${columns} FROM responses AS r WHERE ${where} AND r.respondent_id IS NULL
    UNION ALL
    SELECT ${aliases} FROM (
      SELECT ${columns},
        row_number() OVER (PARTITION BY r.respondent_id ORDER BY r.created_at DESC, r.id DESC) AS latest
      FROM responses AS r WHERE ${where} AND r.respondent_id IS NOT NULL)
    WHERE latest = 1`
}

/**
 * Lower case as JavaScript writes it (Unicode), for comment search: SQLite's own lower() and LIKE fold
 * ASCII letters only, so `ÜBER` would not find `über`. Registered on each connection that reads
 * (registerFunctions); deterministic, so SQLite may evaluate it once per row.
 */
export const FOLD_FUNCTION = 'npskit_fold'

export function foldCase(text: string): string {
  return text.toLowerCase()
}

/** The SQL functions the reads of this module call, on a connection. */
export function registerFunctions(db: Database): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldCase(value) : value,
  )
}

/** Every column a listing answers, beside the score, created_at and id `answers` always selects. */
const LISTED_COLUMNS = {
  comment: 'r.comment',
  respondent_id: 'r.respondent_id',
  locale: 'r.locale',
  url: 'r.url',
  path: 'r.path',
  device: 'r.device',
  metadata: 'r.metadata',
  contact: 'r.contact',
  source: 'r.source',
}

/**
 * One page of a listing (Backend.listResponses): the answers the filter selects (as every figure
 * counts them), then its category, scores and comment text, in (created_at, id) order after the cursor,
 * `limit` rows. The text is a plain substring: `instr` has no wildcards, so `%` and `_` need no escape.
 * Without latestPerRespondent SQLite flattens the subquery, and a page is a walk along
 * `responses_survey_time` in either direction, without a sort.
 */
export function listingSql(
  surveyId: string,
  filter: ResponseFilter,
  limit: number,
  after: Cursor | undefined,
  order: ResponseOrder,
): { sql: string; params: Params } {
  const params: Params = { survey: surveyId, ...rangeParams(filter), limit }
  const conditions: string[] = []
  const [low, high] = filter.category ? CATEGORY_SCORES[filter.category] : [0, 10]
  const minScore = Math.max(low, filter.minScore ?? 0)
  const maxScore = Math.min(high, filter.maxScore ?? 10)
  if (minScore > 0 || maxScore < 10) {
    params.minScore = minScore
    params.maxScore = maxScore
    conditions.push('score BETWEEN @minScore AND @maxScore')
  }
  if (filter.text !== undefined) {
    params.text = foldCase(filter.text)
    conditions.push(`instr(${FOLD_FUNCTION}(comment), @text) > 0`)
  }
  const ahead = order === 'newest' ? '<' : '>'
  if (after) {
    params.afterAt = after.createdAt
    params.afterId = after.id
    conditions.push(`(created_at ${ahead} @afterAt OR (created_at = @afterAt AND id ${ahead} @afterId))`)
  }
  const direction = order === 'newest' ? ' DESC' : ''
  const source = answers(filter, params, ['@from', '@to'], LISTED_COLUMNS)
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
  return {
    sql: `SELECT id, created_at, score, ${Object.keys(LISTED_COLUMNS).join(', ')} FROM (${source})${where}
      ORDER BY created_at${direction}, id${direction} LIMIT @limit`,
    params,
  }
}

function countsOfRow(row: Record<string, unknown>): number[] {
  return Object.values(row).slice(-SCORES) as number[]
}

/**
 * Per window (the six numbers of {@link hourEdges}): whole hours from `response_hours`, and the
 * answers at the edges from the index.
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

const eventHours = (column: string) =>
  `(SELECT coalesce(sum(h.${column}), 0) FROM event_hours AS h
     WHERE h.survey_id = @survey AND h.hour >= b.value ->> 2 AND h.hour < b.value ->> 3)`

/** The answers the response rate counts (rollups.js countsAsWidget), at a window's edges. */
const widgetIn = (from: string, to: string) =>
  `(SELECT count(*) FROM responses AS r WHERE r.survey_id = @survey AND (r.source IS NULL OR r.source = 'widget')
     AND r.created_at >= b.value ->> ${from} AND r.created_at < b.value ->> ${to})`

/**
 * Shown, dismissed and the widget's answers per window: whole hours from `event_hours` and
 * `response_hours`, the edges from the events and answers.
 */
const EVENTS_SQL = `SELECT
  ${eventHours('shown')} + ${eventsIn('shown', '0', '1')} + ${eventsIn('shown', '4', '5')} AS shown,
  ${eventHours('dismissed')} + ${eventsIn('dismissed', '0', '1')} + ${eventsIn('dismissed', '4', '5')} AS dismissed,
  (SELECT coalesce(sum(h.widget), 0) FROM response_hours AS h
     WHERE h.survey_id = @survey AND h.hour >= b.value ->> 2 AND h.hour < b.value ->> 3)
    + ${widgetIn('0', '1')} + ${widgetIn('4', '5')} AS widget
  FROM json_each(@windows) AS b`

function windowParams(surveyId: string, windows: readonly Window[], useHours: boolean): Params {
  return { survey: surveyId, windows: JSON.stringify(windows.map((w) => hourEdges(w, useHours))) }
}

/** The hourly rollup's counts less its superseded ones (x0–x10): each respondent's latest in the hours. */
const LATEST_HOUR_SUMS = Array.from(
  { length: SCORES },
  (_, score) => `coalesce(sum(h.s${score} - h.x${score}), 0)`,
).join(', ')

/** The answers at one edge of window `b` that are their respondent's latest in it (chains.js). */
const latestAt = (from: number, to: number) =>
  `(SELECT json_array(${COUNTS}) FROM responses AS r
    WHERE r.survey_id = @survey AND r.created_at >= b.value ->> ${from} AND r.created_at < b.value ->> ${to}
      AND (r.superseded_at IS NULL OR r.superseded_at >= b.value ->> 6))`

/**
 * latestPerRespondent per window (the six numbers of {@link hourEdges} and the window's end): the whole
 * hours' answers less those superseded at all, the edges' answers not superseded before the end, and the
 * answers of the whole hours the rollup counted as superseded although their successor came at or after
 * the end, from `responses_superseded`.
 */
const LATEST_ROLLED_UP_SQL = `SELECT
  (SELECT json_array(${LATEST_HOUR_SUMS}) FROM response_hours AS h
    WHERE h.survey_id = @survey AND h.hour >= b.value ->> 2 AND h.hour < b.value ->> 3) AS hours,
  ${latestAt(0, 1)} AS head,
  ${latestAt(4, 5)} AS tail,
  (SELECT json_array(${COUNTS}) FROM responses AS r INDEXED BY responses_superseded
    WHERE r.survey_id = @survey AND r.superseded_at >= b.value ->> 6
      AND r.created_at >= b.value ->> 1 AND r.created_at < b.value ->> 4) AS later
  FROM json_each(@windows) AS b`

/**
 * Superseded answers given at or after @from whose successor falls in [@chunkFrom, @chunkTo) less
 * than @length after them (no window longer than that can count one inside), as three JSON arrays: parsing three
 * strings costs a third of stepping through as many rows (measured: 160–250 against 570 ms for 400,000).
 */
const SUPERSEDED_SQL = `SELECT json_group_array(score) AS scores, json_group_array(created_at) AS ats,
    json_group_array(superseded_at) AS nexts
  FROM responses INDEXED BY responses_superseded
  WHERE survey_id = @survey AND superseded_at >= @chunkFrom AND superseded_at < @chunkTo
    AND created_at >= @from AND superseded_at - created_at < @length`

/** How much successor time one read of {@link SUPERSEDED_SQL} covers, so that its arrays stay small. */
const SUPERSEDED_CHUNK_MS = 30 * 24 * 3_600_000

/** SQLite's {@link Analytics}, over the collector's database. */
/** A comment row as both queries select it (created_at is a bigint, which postgres.js may give as a string). */
interface CommentRow {
  comment: string
  score: number
  created_at: number
}

export class SqliteAnalytics implements Analytics {
  readonly #db: Database
  readonly #statements: Statements
  readonly #rollups: boolean

  /** `rollups: false` counts every answer and event itself, where hourly counts could (for tests). */
  constructor(db: Database, options: { rollups?: boolean } = {}) {
    this.#db = db
    this.#statements = new Statements(db)
    this.#rollups = options.rollups ?? true
  }

  /** The query plan SQLite chooses for a summary: one line per step. */
  explainDistribution(surveyId: string, filter: AnalyticsFilter): string[] {
    const { sql, params } = this.#distributionSql(surveyId, filter)
    const rows = this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]
    return rows.map((row) => row.detail)
  }

  distribution(surveyId: string, filter: AnalyticsFilter): number[] {
    const window = { start: filter.from ?? BEFORE_ALL, end: filter.to ?? AFTER_ALL }
    if (this.#canRollUp(filter)) return this.#rolledUp(surveyId, [window])[0]!
    if (this.#canRollUpLatest(filter)) return this.#latestRolledUp(surveyId, [window])[0]!
    const { sql, params } = this.#distributionSql(surveyId, filter)
    return countsOfRow(this.#prepare(sql).get(params) as Record<string, unknown>)
  }

  distributions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): number[][] {
    if (windows.length === 0) return []
    if (this.#canRollUpLatest(filter)) return this.#latestRolledUp(surveyId, windows)
    if (filter.latestPerRespondent) {
      // "Latest" depends on the window, so slices cannot be added up: several windows are counted from
      // one read of their hull (windows.ts latestInWindows), one window (or unordered ones) on its own.
      const counted =
        windows.length > 1
          ? latestInWindows(this.#successions(surveyId, filter, windows), windows, SCORES)
          : null
      return counted ?? this.#windowed(surveyId, filter, windows)
    }
    const { slices, spans } = slicesOf(windows)
    const counts = this.#canRollUp(filter)
      ? this.#rolledUp(surveyId, slices)
      : this.#windowed(surveyId, filter, slices)
    return sumSpans(counts, spans, SCORES)
  }

  eventCounts(surveyId: string, windows: readonly Window[]): EventCounts[] {
    if (windows.length === 0) return []
    const { slices, spans } = slicesOf(windows)
    const rows = this.#prepare(EVENTS_SQL).all(windowParams(surveyId, slices, this.#rollups)) as {
      shown: number
      dismissed: number
      widget: number
    }[]
    return sumSpans(
      rows.map((row) => [row.shown, row.dismissed, row.widget]),
      spans,
      3,
    ).map(([shown, dismissed, widget]) => ({ shown: shown!, dismissed: dismissed!, widgetAnswers: widget! }))
  }

  firstAnswerAt(surveyId: string): number | null {
    // The (survey_id, created_at, …) index answers min() with one seek.
    const row = this.#prepare('SELECT min(created_at) AS first FROM responses WHERE survey_id = ?').get(
      surveyId,
    ) as {
      first: number | null
    }
    return row.first
  }

  breakdownRollup(surveyId: string, dimension: Dimension): 'counted' | 'counting' | undefined {
    const row = this.#prepare(
      'SELECT filled_until FROM breakdown_dimensions WHERE survey_id = ? AND dimension = ?',
    ).get(surveyId, dimensionName(dimension)) as { filled_until: number | null } | undefined
    return row && (row.filled_until === null ? 'counted' : 'counting')
  }

  breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Group[] {
    // A dimension the survey declares (settings.breakdowns) over a time range reads its rollup;
    // anything else, and every undeclared dimension, counts the answers.
    if (this.#canRollUp(filter)) {
      const rolledUp = breakdownFromRollup((sql) => this.#prepare(sql), surveyId, filter, dimension)
      if (rolledUp) return rolledUp
    }
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

  accounts(
    surveyId: string,
    filter: AnalyticsFilter,
    key: string,
    weight: AccountWeight = 'answer',
  ): AccountGroup[] {
    const params: Params = { survey: surveyId, ...rangeParams(filter), accountPath: metadataPath(key) }
    const extra = { account: metadataText('@accountPath'), respondent_id: 'r.respondent_id' }
    const counted = answers(filter, params, ['@from', '@to'], extra)
    const rows = this.#prepare(
      `SELECT account, count(DISTINCT respondent_id) AS respondents, max(created_at) AS last_at, ${COUNTS}
       FROM (${counted}) WHERE account IS NOT NULL GROUP BY account`,
    ).all(params) as Record<string, unknown>[]
    const weights =
      weight === 'respondent'
        ? respondentWeights(
            this.#prepare(
              `SELECT account, k, score, count(*) AS count FROM (
                 SELECT account, score,
                   count(*) OVER (PARTITION BY account, coalesce(respondent_id, 'answer:' || id)) AS k
                 FROM (${counted}) WHERE account IS NOT NULL)
               GROUP BY account, k, score`,
            ).all(params) as WeightCount[],
          )
        : null
    // Movers look at every answer in the range, whatever is counted: a fall needs both answers.
    const every = answers({ ...filter, latestPerRespondent: false }, params, ['@from', '@to'], extra)
    const fell = this.#prepare(
      `SELECT account, count(DISTINCT respondent_id) AS fell FROM (
         SELECT account, respondent_id, score,
           lag(score) OVER (PARTITION BY account, respondent_id ORDER BY created_at, id) AS previous
         FROM (${every}) WHERE account IS NOT NULL AND respondent_id IS NOT NULL)
       WHERE previous >= 9 AND score <= 6 GROUP BY account`,
    ).all(params) as { account: string; fell: number }[]
    const fellBy = new Map(fell.map((row) => [row.account, row.fell]))
    return rows.map((row) => ({
      account: row.account as string,
      distribution: weights?.get(row.account as string) ?? countsOfRow(row),
      respondents: row.respondents as number,
      lastAt: row.last_at as number,
      fell: fellBy.get(row.account as string) ?? 0,
    }))
  }

  movers(
    surveyId: string,
    filter: AnalyticsFilter,
    scope: MoverScope,
    direction: 'down' | 'up',
    limit: number,
    after?: Cursor,
  ): Page<Mover, Cursor> {
    const params: Params = { survey: surveyId, ...rangeParams(filter), limit: limit + 1 }
    const extra: Record<string, string> = { respondent_id: 'r.respondent_id' }
    if (scope.by === 'account') {
      params.accountPath = metadataPath(scope.key)
      extra.account = metadataText('@accountPath')
    }
    const every = answers({ ...filter, latestPerRespondent: false }, params, ['@from', '@to'], extra)
    const partition = scope.by === 'account' ? 'account, respondent_id' : 'respondent_id'
    const account = scope.by === 'account' ? 'account' : 'NULL'
    const conditions = [
      `${categoryRank('score')} ${direction === 'down' ? '<' : '>'} ${categoryRank('before_score')}`,
    ]
    if (after) {
      params.afterAt = after.createdAt
      params.afterId = after.id
      conditions.push('(created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))')
    }
    const rows = this.#prepare(
      `SELECT * FROM (
         SELECT id, created_at, score, respondent_id, ${account} AS account,
           lag(id) OVER w AS before_id, lag(created_at) OVER w AS before_at, lag(score) OVER w AS before_score
         FROM (${every}) WHERE respondent_id IS NOT NULL${scope.by === 'account' ? ' AND account IS NOT NULL' : ''}
         WINDOW w AS (PARTITION BY ${partition} ORDER BY created_at, id))
       WHERE before_id IS NOT NULL AND ${conditions.join(' AND ')}
       ORDER BY created_at, id LIMIT @limit`,
    ).all(params) as MoverRow[]
    return moverPage(rows, limit)
  }

  forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: CommentVisitor,
  ): number {
    const [low, high] = CATEGORY_SCORES[query.category]
    const params: Params = { survey: surveyId, ...rangeParams(filter), limit: query.limit, low, high }
    const source = answers(filter, params, ['@from', '@to'], { comment: 'r.comment' })
    const statement = this.#prepare(
      `SELECT comment, score, created_at FROM (${source})
       WHERE comment IS NOT NULL AND comment <> '' AND score ${query.inCategory ? '' : 'NOT '}BETWEEN @low AND @high
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
    )
    let visited = 0
    // Streamed: one comment at a time is in memory, however many the range holds.
    for (const row of statement.iterate(params) as IterableIterator<CommentRow>) {
      visit(row.comment, row.score, row.created_at)
      visited++
    }
    return visited
  }

  #distributionSql(surveyId: string, filter: AnalyticsFilter): { sql: string; params: Params } {
    if (this.#canRollUp(filter)) {
      const window = { start: filter.from ?? BEFORE_ALL, end: filter.to ?? AFTER_ALL }
      return { sql: ROLLED_UP_SQL, params: windowParams(surveyId, [window], true) }
    }
    const params: Params = { survey: surveyId, ...rangeParams(filter) }
    return { sql: `SELECT ${COUNTS} FROM (${answers(filter, params, ['@from', '@to'])})`, params }
  }

  /** Hourly counts serve every filter that is only a time range. */
  #canRollUp(filter: AnalyticsFilter): boolean {
    return this.#rollups && !filter.latestPerRespondent && !hasDimensionFilters(filter)
  }

  /**
   * So do they with latestPerRespondent, as every answer less the superseded ones (chains.js): a
   * successor is the respondent's next answer of all, which is the next one the filter selects only
   * when the filter is a time range.
   */
  #canRollUpLatest(filter: AnalyticsFilter): boolean {
    return this.#rollups && filter.latestPerRespondent === true && !hasDimensionFilters(filter)
  }

  /**
   * Each window's latest answers. Windows ordered by start and end (a rolling trend): every answer from
   * the slices' rollup, less the answers superseded inside each window, read once for the hull
   * (windows.ts supersededInWindows). Otherwise each window on its own ({@link LATEST_ROLLED_UP_SQL}).
   */
  #latestRolledUp(surveyId: string, windows: readonly Window[]): number[][] {
    if (windows.length > 1) {
      const { slices, spans } = slicesOf(windows)
      const every = sumSpans(this.#rolledUp(surveyId, slices), spans, SCORES)
      const inside = supersededInWindows(this.#superseded(surveyId, windows), windows, SCORES)
      if (inside) return lessCounts(every, inside)
    }
    const rows = this.#prepare(LATEST_ROLLED_UP_SQL).all({
      survey: surveyId,
      windows: JSON.stringify(windows.map((w) => [...hourEdges(w), w.end])),
    }) as { hours: string; head: string; tail: string; later: string }[]
    return rows.map((row) => {
      const parts = [row.hours, row.head, row.tail, row.later].map((part) => JSON.parse(part) as number[])
      return parts[0]!.map((_, score) => parts.reduce((sum, part) => sum + part[score]!, 0))
    })
  }

  *#superseded(surveyId: string, windows: readonly Window[]): Iterable<Superseded> {
    const { start: from, end: to, longest: length } = hullOf(windows)
    // Open ends (BEFORE_ALL, AFTER_ALL) start the chunks at the first successor and end at the last.
    const bounds = this.#prepare(
      `SELECT min(superseded_at) AS first, max(superseded_at) AS last FROM responses INDEXED BY responses_superseded
       WHERE survey_id = ? AND superseded_at >= ? AND superseded_at < ?`,
    ).get(surveyId, from, to) as { first: number | null; last: number | null }
    if (bounds.first === null || bounds.last === null) return
    const read = this.#prepare(SUPERSEDED_SQL)
    for (let start = bounds.first; start <= bounds.last; start += SUPERSEDED_CHUNK_MS) {
      const end = Math.min(start + SUPERSEDED_CHUNK_MS, bounds.last + 1)
      const row = read.get({ survey: surveyId, from, length, chunkFrom: start, chunkTo: end }) as Record<
        string,
        string
      >
      const [scores, ats, nexts] = [row.scores, row.ats, row.nexts].map((a) => JSON.parse(a!) as number[])
      for (let i = 0; i < scores!.length; i++) yield { score: scores![i]!, at: ats![i]!, next: nexts![i]! }
    }
  }

  /**
   * Counts per window from the hourly rollup for the whole hours inside it, plus the answers themselves
   * (a range of the covering index) for the partial hours at either edge: exact for any boundary.
   */
  #rolledUp(surveyId: string, windows: readonly Window[]): number[][] {
    const rows = this.#prepare(ROLLED_UP_SQL).all(windowParams(surveyId, windows, true)) as {
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

  /**
   * The answers the filter selects in the windows' hull, each with its respondent's next such answer's
   * time (none for answers without a respondent, which always count): one sort by respondent.
   */
  *#successions(surveyId: string, filter: AnalyticsFilter, windows: readonly Window[]): Iterable<Succession> {
    const hull = hullOf(windows)
    const params: Params = { survey: surveyId, from: hull.start, to: hull.end }
    const where = `r.survey_id = @survey AND r.created_at >= @from AND r.created_at < @to${filterConditions(filter, params)}`
    yield* this.#prepare(
      `SELECT r.score AS score, r.created_at AS at, CASE WHEN r.respondent_id IS NULL THEN NULL ELSE
        lead(r.created_at) OVER (PARTITION BY r.respondent_id ORDER BY r.created_at, r.id) END AS next
      FROM responses AS r WHERE ${where}`,
    ).iterate(params) as Iterable<Succession>
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
    return this.#statements.get(sql)
  }
}
