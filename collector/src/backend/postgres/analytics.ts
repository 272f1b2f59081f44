/**
 * The PostgreSQL engine's analytics reads: the {@link Analytics} part of the contract, counted by
 * PostgreSQL the way the SQLite engine counts (../sqlite/analytics.ts), so both answer the same numbers.
 *
 * A range filtered only by time reads whole hours from `response_hours` / `event_hours` (kept by
 * triggers, migrations.ts) and the partial hours at its edges from `responses_survey_time`, which covers
 * every column a count needs. Any other filter counts the answers themselves: eleven
 * `count(*) FILTER (WHERE score = s)` in one pass over an index range. A trend is one query: its windows
 * are cut into disjoint slices (../windows.ts), passed as arrays and unnested, each slice counted by a
 * LATERAL subquery, and each window summed from its slices. With `latestPerRespondent` over a time range
 * only, each answer's superseded_at (migration 13) decides: whole hours are the rollup's s − x, plus the
 * answers superseded at or after the window's end; a rolling trend is every answer less those superseded
 * inside each window (windows.ts supersededInWindows). Under any other filter each respondent's latest
 * answer is `DISTINCT ON (respondent_id) … ORDER BY created_at DESC, id DESC`, and a trend of several
 * windows reads their hull once with each answer's successor (windows.ts latestInWindows).
 * Comments are streamed through a cursor, never all in memory.
 *
 * @example
 * const analytics = new PostgresAnalytics(sql)
 * await analytics.distribution('srv_1', { from: Date.parse('2026-01-01') })
 */
import type { Sql } from 'postgres'
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
  HOUR_MS,
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
  orderedWindows,
  runningSums,
  type Succession,
  slicesOf,
  sumSpans,
} from '../windows.ts'
import { contractError } from './connect.ts'

const SCORES = Array.from({ length: 11 }, (_, score) => score)

/** The 11 score counts in one pass, as a float8[] (which postgres.js reads as numbers). */
const COUNTS = `ARRAY[${SCORES.map((s) => `count(*) FILTER (WHERE score = ${s})`).join(', ')}]::float8[]`

const HOUR_SUMS = `ARRAY[${SCORES.map((s) => `coalesce(sum(h.s${s}), 0)`).join(', ')}]::float8[]`

/** Positional parameters, each with its type, so the SQL text stays the same for the same shape. */
/** A comment row as both queries select it (created_at is a bigint, which postgres.js may give as a string). */
interface CommentRow {
  comment: string
  score: number
  created_at: number
}

export class Params {
  readonly values: unknown[] = []

  add(value: unknown, type: string): string {
    this.values.push(value)
    return `$${this.values.length}::${type}`
  }
}

/** Conditions beyond survey and time, as SQL over alias `r`. */
function filterConditions(filter: AnalyticsFilter, p: Params): string {
  const conditions: string[] = []
  if (filter.locale !== undefined) {
    // Language tags are case-insensitive; the tag (letters, digits, hyphens) holds no LIKE wildcard.
    const tag = filter.locale.toLowerCase()
    conditions.push(
      `(lower(r.locale) = ${p.add(tag, 'text')} OR lower(r.locale) LIKE ${p.add(`${tag}-%`, 'text')})`,
    )
  }
  if (filter.path !== undefined) {
    if (filter.path.endsWith('*')) {
      const prefix = p.add(filter.path.slice(0, -1), 'text')
      conditions.push(`left(r.path, length(${prefix})) = ${prefix}`)
    } else {
      conditions.push(`r.path = ${p.add(filter.path, 'text')}`)
    }
  }
  if (filter.device !== undefined) conditions.push(`r.device = ${p.add(filter.device, 'text')}`)
  for (const [key, value] of filter.segments ?? []) {
    conditions.push(`(r.metadata ->> ${p.add(key, 'text')}) = ${p.add(value, 'text')}`)
  }
  return conditions.map((condition) => ` AND ${condition}`).join('')
}

/** A filter's time range as two parameters (either end open: the earliest or latest time there is). */
function rangeBounds(filter: AnalyticsFilter, p: Params): readonly [from: string, to: string] {
  return [p.add(filter.from ?? BEFORE_ALL, 'int8'), p.add(filter.to ?? AFTER_ALL, 'int8')]
}

/**
 * The answers a filter selects between two SQL bounds, as a SELECT with columns `score`, `created_at`,
 * `id` and the extra ones given (alias → expression over `r`).
 */
function answers(
  filter: AnalyticsFilter,
  p: Params,
  survey: string,
  bounds: readonly [from: string, to: string],
  extra: Record<string, string> = {},
): string {
  const extraColumns = Object.entries(extra)
    .map(([alias, expression]) => `, ${expression} AS ${alias}`)
    .join('')
  const where = `r.survey_id = ${survey} AND r.created_at >= ${bounds[0]} AND r.created_at < ${bounds[1]}${filterConditions(filter, p)}`
  const columns = `r.score AS score, r.created_at AS created_at, r.id AS id${extraColumns}`
  if (!filter.latestPerRespondent) return `SELECT ${columns} FROM responses AS r WHERE ${where}`
  return `SELECT ${columns} FROM responses AS r WHERE ${where} AND r.respondent_id IS NULL
    UNION ALL
    SELECT * FROM (
      SELECT DISTINCT ON (r.respondent_id) ${columns} FROM responses AS r
      WHERE ${where} AND r.respondent_id IS NOT NULL
      ORDER BY r.respondent_id, r.created_at DESC, r.id DESC) AS latest`
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
 * One page of a listing (Backend.listResponses), as the SQLite engine reads it (../sqlite/analytics.ts
 * listingSql): the answers the filter selects, then category, scores and comment text, in (created_at,
 * id) order after the cursor. The text is found with `strpos` (no wildcards) in `lower(comment)`, which
 * folds by the database's LC_CTYPE: Unicode under a UTF-8 locale (initdb's usual choice, and the
 * official images'), ASCII only under `C`/`POSIX`. The term is lowered in JavaScript, as SQLite does.
 */
export function listingSql(
  surveyId: string,
  filter: ResponseFilter,
  limit: number,
  after: Cursor | undefined,
  order: ResponseOrder,
): { text: string; params: Params } {
  const p = new Params()
  const survey = p.add(surveyId, 'text')
  const source = answers(filter, p, survey, rangeBounds(filter, p), LISTED_COLUMNS)
  const conditions: string[] = []
  const [low, high] = filter.category ? CATEGORY_SCORES[filter.category] : [0, 10]
  const minScore = Math.max(low, filter.minScore ?? 0)
  const maxScore = Math.min(high, filter.maxScore ?? 10)
  if (minScore > 0 || maxScore < 10) {
    conditions.push(`score BETWEEN ${p.add(minScore, 'int4')} AND ${p.add(maxScore, 'int4')}`)
  }
  if (filter.text !== undefined) {
    conditions.push(`strpos(lower(comment), ${p.add(filter.text.toLowerCase(), 'text')}) > 0`)
  }
  if (after) {
    const ahead = order === 'newest' ? '<' : '>'
    conditions.push(
      `(created_at, id) ${ahead} (${p.add(after.createdAt, 'int8')}, ${p.add(after.id, 'text')} COLLATE "C")`,
    )
  }
  const direction = order === 'newest' ? ' DESC' : ''
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
  return {
    text: `SELECT id, created_at, score, ${Object.keys(LISTED_COLUMNS).join(', ')} FROM (${source}) AS a${where}
      ORDER BY created_at${direction}, id${direction} LIMIT ${p.add(limit, 'int8')}`,
    params: p,
  }
}

/** The windows (as hourEdges) unnested into rows b(hs, he, fh, lh, ts, te, ord). */
function edgeRows(windows: readonly Window[], p: Params, useHours: boolean): string {
  const edges = windows.map((w) => hourEdges(w, useHours))
  const columns = [0, 1, 2, 3, 4, 5].map((i) =>
    p.add(
      edges.map((e) => e[i]),
      'int8[]',
    ),
  )
  return `unnest(${columns.join(', ')}) WITH ORDINALITY AS b (hs, he, fh, lh, ts, te, ord)`
}

/** PostgreSQL's {@link Analytics}. */
export class PostgresAnalytics implements Analytics {
  constructor(readonly sql: Sql) {}

  async #query<T>(text: string, p: Params): Promise<T[]> {
    try {
      // Not prepared: a prepared statement switches to a generic plan after five runs, which for a
      // breakdown meant an index scan over every answer (1.1 s instead of 0.33 s on 1,000,000); planned
      // with its values each time, each read gets the plan its range deserves.
      return (await this.sql.unsafe(text, p.values as never[], { prepare: false })) as unknown as T[]
    } catch (error) {
      throw contractError(error)
    }
  }

  async distribution(surveyId: string, filter: AnalyticsFilter): Promise<number[]> {
    const range = { start: filter.from ?? BEFORE_ALL, end: filter.to ?? AFTER_ALL }
    if (this.#canRollUp(filter)) return (await this.#rolledUp(surveyId, [range]))[0]!
    if (this.#canRollUpLatest(filter)) return (await this.#latestRolledUp(surveyId, [range]))[0]!
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const bounds = rangeBounds(filter, p)
    const [row] = await this.#query<{ counts: number[] }>(
      `SELECT ${COUNTS} AS counts FROM (${answers(filter, p, survey, bounds)}) AS a`,
      p,
    )
    return row!.counts
  }

  async distributions(
    surveyId: string,
    filter: AnalyticsFilter,
    windows: readonly Window[],
  ): Promise<number[][]> {
    if (windows.length === 0) return []
    if (this.#canRollUpLatest(filter)) {
      // Ordered windows (rolling trends): every answer from the rollup's slices, less the answers
      // superseded inside each window (windows.ts supersededInWindows); unordered ones each on its own.
      if (windows.length === 1 || !orderedWindows(windows)) {
        return this.#latestRolledUp(surveyId, windows)
      }
      const { slices, spans } = slicesOf(windows)
      const [counts, less] = await Promise.all([
        this.#rolledUp(surveyId, slices),
        this.#supersededInside(surveyId, windows),
      ])
      return lessCounts(sumSpans(counts, spans, SCORES.length), less)
    }
    if (filter.latestPerRespondent) {
      // "Latest" depends on the window, so slices cannot be added up: several windows are counted from
      // one read of their hull (windows.ts latestInWindows), one window (or unordered ones) on its own.
      const counted =
        windows.length > 1
          ? latestInWindows(await this.#successions(surveyId, filter, windows), windows, SCORES.length)
          : null
      return counted ?? this.#windowed(surveyId, filter, windows)
    }
    const { slices, spans } = slicesOf(windows)
    const counts = this.#canRollUp(filter)
      ? await this.#rolledUp(surveyId, slices)
      : await this.#windowed(surveyId, filter, slices)
    return sumSpans(counts, spans, SCORES.length)
  }

  async firstAnswerAt(surveyId: string): Promise<number | null> {
    // responses_survey_time (survey_id, created_at) answers min() from the index's first entry.
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const [row] = await this.#query<{ first: string | null }>(
      `SELECT min(created_at) AS first FROM responses WHERE survey_id = ${survey}`,
      p,
    )
    return row?.first == null ? null : Number(row.first)
  }

  async eventCounts(surveyId: string, windows: readonly Window[]): Promise<EventCounts[]> {
    if (windows.length === 0) return []
    const { slices, spans } = slicesOf(windows)
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const edges = edgeRows(slices, p, true)
    const inRange = (type: string, from: string, to: string) =>
      `(SELECT count(*) FROM events AS e WHERE e.survey_id = ${survey} AND e.type = '${type}'
        AND e.created_at >= ${from} AND e.created_at < ${to})`
    const hours = (column: string) =>
      `(SELECT coalesce(sum(h.${column}), 0) FROM event_hours AS h
        WHERE h.survey_id = ${survey} AND h.hour >= b.fh AND h.hour < b.lh)`
    const count = (type: string) =>
      `(${hours(type)} + ${inRange(type, 'b.hs', 'b.he')} + ${inRange(type, 'b.ts', 'b.te')})::float8`
    // The answers the response rate counts (source widget, or NULL: stored before sources were).
    const widgetIn = (from: string, to: string) =>
      `(SELECT count(*) FROM responses AS r WHERE r.survey_id = ${survey}
        AND (r.source IS NULL OR r.source = 'widget') AND r.created_at >= ${from} AND r.created_at < ${to})`
    const widget = `((SELECT coalesce(sum(h.widget), 0) FROM response_hours AS h
        WHERE h.survey_id = ${survey} AND h.hour >= b.fh AND h.hour < b.lh)
      + ${widgetIn('b.hs', 'b.he')} + ${widgetIn('b.ts', 'b.te')})::float8`
    const rows = await this.#query<{ shown: number; dismissed: number; widget: number }>(
      `SELECT ${count('shown')} AS shown, ${count('dismissed')} AS dismissed, ${widget} AS widget
        FROM ${edges} ORDER BY b.ord`,
      p,
    )
    return sumSpans(
      rows.map((row) => [row.shown, row.dismissed, row.widget]),
      spans,
      3,
    ).map(([shown, dismissed, widget]) => ({ shown: shown!, dismissed: dismissed!, widgetAnswers: widget! }))
  }

  async breakdown(surveyId: string, filter: AnalyticsFilter, dimension: Dimension): Promise<Group[]> {
    // A dimension the survey declares (settings.breakdowns) over a time range reads its rollup;
    // anything else, and every undeclared dimension, counts the answers.
    if (this.#canRollUp(filter)) {
      const rolledUp = await this.#breakdownFromRollup(surveyId, filter, dimension)
      if (rolledUp) return rolledUp
    }
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const bounds = rangeBounds(filter, p)
    const value =
      dimension.kind === 'metadata'
        ? `(r.metadata ->> ${p.add(dimension.key, 'text')})`
        : `r.${dimension.kind}`
    const rows = await this.#query<{ value: string | null; counts: number[] }>(
      `SELECT value, ${COUNTS} AS counts FROM (${answers(filter, p, survey, bounds, { value })}) AS a GROUP BY value`,
      p,
    )
    return rows.map((row) => ({ value: row.value, distribution: row.counts }))
  }

  async accounts(
    surveyId: string,
    filter: AnalyticsFilter,
    key: string,
    weight: AccountWeight = 'answer',
  ): Promise<AccountGroup[]> {
    const counted = async () => {
      const p = new Params()
      const survey = p.add(surveyId, 'text')
      const bounds = rangeBounds(filter, p)
      const extra = { account: `(r.metadata ->> ${p.add(key, 'text')})`, respondent_id: 'r.respondent_id' }
      return this.#query<{ account: string; respondents: number; last_at: number; counts: number[] }>(
        `SELECT account, count(DISTINCT respondent_id)::float8 AS respondents, max(created_at)::float8 AS last_at,
           ${COUNTS} AS counts
         FROM (${answers(filter, p, survey, bounds, extra)}) AS a WHERE account IS NOT NULL GROUP BY account`,
        p,
      )
    }
    // Movers look at every answer in the range, whatever is counted: a fall needs both answers.
    const movers = async () => {
      const p = new Params()
      const survey = p.add(surveyId, 'text')
      const every = { ...filter, latestPerRespondent: false }
      const bounds = rangeBounds(every, p)
      const extra = { account: `(r.metadata ->> ${p.add(key, 'text')})`, respondent_id: 'r.respondent_id' }
      return this.#query<{ account: string; fell: number }>(
        `SELECT account, count(DISTINCT respondent_id)::float8 AS fell FROM (
           SELECT account, respondent_id, score,
             lag(score) OVER (PARTITION BY account, respondent_id ORDER BY created_at, id COLLATE "C") AS previous
           FROM (${answers(every, p, survey, bounds, extra)}) AS a
           WHERE account IS NOT NULL AND respondent_id IS NOT NULL) AS m
         WHERE previous >= 9 AND score <= 6 GROUP BY account`,
        p,
      )
    }
    const weighted = async () => {
      if (weight === 'answer') return null
      const p = new Params()
      const survey = p.add(surveyId, 'text')
      const bounds = rangeBounds(filter, p)
      const extra = { account: `(r.metadata ->> ${p.add(key, 'text')})`, respondent_id: 'r.respondent_id' }
      const rows = await this.#query<WeightCount>(
        `SELECT account, k::float8 AS k, score, count(*)::float8 AS count FROM (
           SELECT account, score,
             count(*) OVER (PARTITION BY account, coalesce(respondent_id, 'answer:' || id)) AS k
           FROM (${answers(filter, p, survey, bounds, extra)}) AS a WHERE account IS NOT NULL) AS w
         GROUP BY account, k, score`,
        p,
      )
      return respondentWeights(rows)
    }
    const [rows, fell, weights] = await Promise.all([counted(), movers(), weighted()])
    const fellBy = new Map(fell.map((row) => [row.account, row.fell]))
    return rows.map((row) => ({
      account: row.account,
      distribution: weights?.get(row.account) ?? row.counts,
      respondents: row.respondents,
      lastAt: row.last_at,
      fell: fellBy.get(row.account) ?? 0,
    }))
  }

  async movers(
    surveyId: string,
    filter: AnalyticsFilter,
    scope: MoverScope,
    direction: 'down' | 'up',
    limit: number,
    after?: Cursor,
  ): Promise<Page<Mover, Cursor>> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const every = { ...filter, latestPerRespondent: false }
    const bounds = rangeBounds(every, p)
    const extra: Record<string, string> = { respondent_id: 'r.respondent_id' }
    if (scope.by === 'account') extra.account = `(r.metadata ->> ${p.add(scope.key, 'text')})`
    const source = answers(every, p, survey, bounds, extra)
    const partition = scope.by === 'account' ? 'account, respondent_id' : 'respondent_id'
    const account = scope.by === 'account' ? 'account' : 'NULL::text'
    const conditions = [
      `${categoryRank('score')} ${direction === 'down' ? '<' : '>'} ${categoryRank('before_score')}`,
    ]
    if (after) {
      conditions.push(
        `(created_at, id) > (${p.add(after.createdAt, 'int8')}, ${p.add(after.id, 'text')} COLLATE "C")`,
      )
    }
    const rows = await this.#query<MoverRow>(
      `SELECT * FROM (
         SELECT id, created_at::float8 AS created_at, score, respondent_id, ${account} AS account,
           lag(id) OVER w AS before_id, (lag(created_at) OVER w)::float8 AS before_at, lag(score) OVER w AS before_score
         FROM (${source}) AS a WHERE respondent_id IS NOT NULL${scope.by === 'account' ? ' AND account IS NOT NULL' : ''}
         WINDOW w AS (PARTITION BY ${partition} ORDER BY created_at, id COLLATE "C")) AS m
       WHERE before_id IS NOT NULL AND ${conditions.join(' AND ')}
       ORDER BY created_at, id COLLATE "C" LIMIT ${p.add(limit + 1, 'int8')}`,
      p,
    )
    return moverPage(rows, limit)
  }

  async forEachComment(
    surveyId: string,
    filter: AnalyticsFilter,
    query: CommentQuery,
    visit: CommentVisitor,
  ): Promise<number> {
    const [low, high] = CATEGORY_SCORES[query.category]
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const bounds = rangeBounds(filter, p)
    const source = answers(filter, p, survey, bounds, { comment: 'r.comment' })
    const text = `SELECT comment, score, created_at FROM (${source}) AS a
      WHERE comment IS NOT NULL AND comment <> ''
        AND score ${query.inCategory ? '' : 'NOT '}BETWEEN ${p.add(low, 'int4')} AND ${p.add(high, 'int4')}
      ORDER BY created_at DESC, id DESC LIMIT ${p.add(query.limit, 'int8')}`
    let visited = 0
    try {
      // Streamed in batches: at most a batch of comments is in memory, however many the range holds.
      for await (const rows of this.sql.unsafe<CommentRow[]>(text, p.values as never[]).cursor(500)) {
        for (const row of rows) {
          visit(row.comment, row.score, Number(row.created_at))
          visited++
        }
      }
    } catch (error) {
      throw contractError(error)
    }
    return visited
  }

  async breakdownRollup(surveyId: string, dimension: Dimension): Promise<'counted' | 'counting' | undefined> {
    const p = new Params()
    const [row] = await this.#query<{ filled_until: string | null }>(
      `SELECT filled_until FROM breakdown_dimensions WHERE survey_id = ${p.add(surveyId, 'text')}
        AND dimension = ${p.add(dimensionName(dimension), 'text')}`,
      p,
    )
    return row && (row.filled_until === null ? 'counted' : 'counting')
  }

  /**
   * Whole hours from `breakdown_hours` (migration 7), the partial hours at either edge from the
   * answers; undefined when the survey does not declare the dimension or it is not counted yet (the
   * caller scans). Groups whose counts are all zero (every answer of that value erased or moved) are
   * left out, as a scan never sees them.
   */
  async #breakdownFromRollup(
    surveyId: string,
    filter: AnalyticsFilter,
    dimension: Dimension,
  ): Promise<Group[] | undefined> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const name = p.add(dimensionName(dimension), 'text')
    const [hs, he, fh, lh, ts, te] = hourEdges({
      start: filter.from ?? BEFORE_ALL,
      end: filter.to ?? AFTER_ALL,
    }).map((edge) => p.add(edge, 'int8')) as [string, string, string, string, string, string]
    const sums = SCORES.map((s) => `sum(s${s})`)
    const edge = (from: string, to: string) => `
        SELECT CASE d.kind WHEN 'locale' THEN r.locale WHEN 'device' THEN r.device WHEN 'path' THEN r.path
          ELSE r.metadata ->> d.key END, ${SCORES.map((s) => `(r.score = ${s})::int`).join(', ')}
        FROM d, responses AS r WHERE r.survey_id = ${survey} AND r.created_at >= ${from} AND r.created_at < ${to}`
    const rows = await this.#query<{ declared: boolean; value: string | null; counts: number[] | null }>(
      `WITH d AS (SELECT * FROM breakdown_dimensions WHERE survey_id = ${survey} AND dimension = ${name} AND filled_until IS NULL),
      c AS (
        -- Summed per stored value first, in the primary key's order (no sort), then decoded.
        SELECT CASE h.value WHEN '' THEN NULL ELSE substr(h.value, 2) END AS value, ${SCORES.map((s) => `h.s${s}`).join(', ')}
        FROM (SELECT value, ${SCORES.map((s) => `sum(s${s}) AS s${s}`).join(', ')} FROM breakdown_hours
          WHERE survey_id = ${survey} AND dimension = ${name} AND hour >= ${fh} AND hour < ${lh}
          GROUP BY value) AS h
        UNION ALL ${edge(hs, he)}
        UNION ALL ${edge(ts, te)})
      SELECT true AS declared, value, ARRAY[${sums.join(', ')}]::float8[] AS counts FROM c
        WHERE EXISTS (SELECT 1 FROM d) GROUP BY value HAVING ${sums.join(' + ')} > 0
      UNION ALL SELECT EXISTS (SELECT 1 FROM d), NULL, NULL`,
      p,
    )
    // The last row (the only one without counts) says whether the survey declares the dimension.
    if (!rows.find((row) => row.counts === null)!.declared) return undefined
    return rows
      .filter((row) => row.counts !== null)
      .map((row) => ({ value: row.value, distribution: row.counts! }))
  }

  /** Hourly counts serve every filter that is only a time range. */
  #canRollUp(filter: AnalyticsFilter): boolean {
    return !filter.latestPerRespondent && !hasDimensionFilters(filter)
  }

  /** Each respondent's latest answers over a time range: from the rollup's x columns (migration 13). */
  #canRollUpLatest(filter: AnalyticsFilter): boolean {
    return filter.latestPerRespondent === true && !hasDimensionFilters(filter)
  }

  /**
   * Each window's latest answers on its own: the answers in it not superseded before its end. Whole
   * hours give s − x from the rollup, plus the answers created in them superseded at or after the end
   * (responses_superseded); the partial hours at the edges count their answers not superseded before it.
   */
  async #latestRolledUp(surveyId: string, windows: readonly Window[]): Promise<number[][]> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const latestHours = `ARRAY[${SCORES.map((s) => `coalesce(sum(h.s${s} - h.x${s}), 0)`).join(', ')}]::float8[]`
    // One SELECT per window with its bounds as values, not unnested: planned with an unknown end, the
    // answers superseded after it were read along the time index (all of a year's, 3 s), not along
    // responses_superseded (none, 0.1 ms).
    const selects = windows.map((w, ord) => {
      const [hs, he, fh, lh, ts, te] = hourEdges(w)
      const end = p.add(w.end, 'int8')
      const counted = (from: number, to: number) =>
        `(SELECT ${COUNTS} FROM responses AS r WHERE r.survey_id = ${survey} AND r.created_at >= ${p.add(from, 'int8')}
          AND r.created_at < ${p.add(to, 'int8')} AND (r.superseded_at IS NULL OR r.superseded_at >= ${end}))`
      return `SELECT ${ord} AS ord,
        (SELECT ${latestHours} FROM response_hours AS h WHERE h.survey_id = ${survey}
          AND h.hour >= ${p.add(fh, 'int8')} AND h.hour < ${p.add(lh, 'int8')}) AS hours,
        (SELECT ${COUNTS} FROM responses AS r WHERE r.survey_id = ${survey} AND r.superseded_at >= ${end}
          AND r.created_at >= ${p.add(fh! * HOUR_MS, 'int8')} AND r.created_at < ${p.add(lh! * HOUR_MS, 'int8')}) AS later,
        ${counted(hs!, he!)} AS head, ${counted(ts!, te!)} AS tail`
    })
    const rows = await this.#query<{ hours: number[]; later: number[]; head: number[]; tail: number[] }>(
      `${selects.join(' UNION ALL ')} ORDER BY ord`,
      p,
    )
    return rows.map((row) =>
      row.hours.map((n, score) => n + row.later[score]! + row.head[score]! + row.tail[score]!),
    )
  }

  /**
   * Each window's score counts of the answers superseded inside it (start ≤ created_at, superseded_at <
   * end), for windows ordered by start and end: what windows.ts supersededInWindows counts from the
   * answers, counted by the database.
   * An answer counts in the run of windows from the number of ends ≤ its superseded_at to the number of
   * starts ≤ its created_at (`width_bucket` over the sorted bounds), so each answer adds +1 and −1 at
   * two window indexes and the database returns those sums per index and score, a few thousand rows
   * whatever the answers; a running sum gives each window. Reading the answers themselves (400,000 over
   * a year of 90-day windows) cost more than the rest of the trend.
   */
  async #supersededInside(surveyId: string, windows: readonly Window[]): Promise<number[][]> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const starts = p.add(
      windows.map((w) => w.start),
      'int8[]',
    )
    const ends = p.add(
      windows.map((w) => w.end),
      'int8[]',
    )
    const hull = hullOf(windows)
    const from = p.add(hull.start, 'int8')
    const to = p.add(hull.end, 'int8')
    // No window holds an answer and its successor further apart than the longest window lasts.
    const longest = p.add(hull.longest, 'int8')
    const rows = await this.#query<{ i: number; score: number; n: number }>(
      `SELECT v.i, s.score, sum(v.d)::float8 AS n FROM (
        SELECT r.score::int AS score, width_bucket(r.superseded_at, ${ends}) AS first,
          width_bucket(r.created_at, ${starts}) AS last
        FROM responses AS r WHERE r.survey_id = ${survey} AND r.superseded_at >= ${from} AND r.superseded_at < ${to}
          AND r.created_at >= ${from} AND r.superseded_at - r.created_at < ${longest}) AS s,
        LATERAL (VALUES (s.first, 1), (s.last, -1)) AS v (i, d)
      WHERE s.first < s.last GROUP BY 1, 2`,
      p,
    )
    const diff = Array.from({ length: windows.length + 1 }, () => new Array<number>(SCORES.length).fill(0))
    for (const row of rows) diff[row.i]![row.score]! += row.n
    return runningSums(diff, windows.length)
  }

  /** Whole hours from the rollup, the partial hours at each edge from the covering index. */
  async #rolledUp(surveyId: string, windows: readonly Window[]): Promise<number[][]> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const edges = edgeRows(windows, p, true)
    const counted = (from: string, to: string) =>
      `(SELECT ${COUNTS} FROM responses AS r WHERE r.survey_id = ${survey} AND r.created_at >= ${from} AND r.created_at < ${to})`
    const rows = await this.#query<{ hours: number[]; head: number[]; tail: number[] }>(
      `SELECT
        (SELECT ${HOUR_SUMS} FROM response_hours AS h WHERE h.survey_id = ${survey} AND h.hour >= b.fh AND h.hour < b.lh) AS hours,
        ${counted('b.hs', 'b.he')} AS head,
        ${counted('b.ts', 'b.te')} AS tail
      FROM ${edges} ORDER BY b.ord`,
      p,
    )
    return rows.map((row) => row.hours.map((n, score) => n + row.head[score]! + row.tail[score]!))
  }

  /**
   * The answers the filter selects in the windows' hull, each with its respondent's next such answer's
   * time (none for answers without a respondent, which always count): one sort by respondent.
   */
  async #successions(
    surveyId: string,
    filter: AnalyticsFilter,
    windows: readonly Window[],
  ): Promise<Succession[]> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const hull = hullOf(windows)
    const from = p.add(hull.start, 'int8')
    const to = p.add(hull.end, 'int8')
    return this.#query<Succession>(
      `SELECT r.score::int AS score, r.created_at::float8 AS at, CASE WHEN r.respondent_id IS NULL THEN NULL ELSE
        lead(r.created_at) OVER (PARTITION BY r.respondent_id ORDER BY r.created_at, r.id) END::float8 AS next
      FROM responses AS r WHERE r.survey_id = ${survey} AND r.created_at >= ${from} AND r.created_at < ${to}${filterConditions(filter, p)}`,
      p,
    )
  }

  async #windowed(
    surveyId: string,
    filter: AnalyticsFilter,
    windows: readonly Window[],
  ): Promise<number[][]> {
    const p = new Params()
    const survey = p.add(surveyId, 'text')
    const starts = p.add(
      windows.map((w) => w.start),
      'int8[]',
    )
    const ends = p.add(
      windows.map((w) => w.end),
      'int8[]',
    )
    // One LATERAL subquery per window: each is one range of the index.
    const source = answers(filter, p, survey, ['b.s', 'b.e'])
    const rows = await this.#query<{ counts: number[] }>(
      `SELECT c.counts FROM unnest(${starts}, ${ends}) WITH ORDINALITY AS b (s, e, ord)
        CROSS JOIN LATERAL (SELECT ${COUNTS} AS counts FROM (${source}) AS a) AS c
      ORDER BY b.ord`,
      p,
    )
    return rows.map((row) => row.counts)
  }
}
