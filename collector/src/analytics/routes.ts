/**
 * The NPS analytics API: Summary, trend, breakdown, comparison, target and comment themes of a survey.
 * Every figure comes from score distributions the backend aggregates in the database (the Analytics
 * part of the contract); the NPS, its interval and the comparison come from `@npskit/shared`, the one
 * implementation.
 *
 * The sub-app has no auth of its own: the collector mounts it under `/v1` behind the admin key.
 *
 * @example
 * admin.route('/', analyticsRoutes(deps))
 * // GET /v1/surveys/srv_1/nps/trend?interval=week&tz=Europe/Berlin&window=90
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  adjustedWald,
  type Category,
  categorySchema,
  classify,
  compareJudged,
  countsOf,
  emptyDistribution,
  isSurveyId,
  MAX_PRECISE_MARGIN,
  MIN_MEANINGFUL_SAMPLE,
  precisionOf,
  type Summary,
  sampleSizeForMargin,
  summarize,
  summarySchema,
  targetSchema,
  themeImpact,
  versusTotal,
} from '@npskit/shared'
import type { Context } from 'hono'
import {
  AFTER_ALL,
  type AnalyticsFilter,
  BEFORE_ALL,
  DAY_MS,
  type Dimension,
  type EventCounts,
  hasDimensionFilters,
  type Survey,
} from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { ApiError, surveyNotFound } from '../http/errors.ts'
import { refuseUnknownKeys } from '../http/metadata.ts'
import { errors, handle, json, named, openApp, readSecurity as security } from '../http/openapi.ts'
import {
  type CountedWindow,
  countedWindow,
  countsCurrent,
  cursorParam,
  decodeCursor,
  encodeCursor,
  filterOf,
  filterShape,
  instantParam,
  invalidQuery,
  limitParam,
  parseRange,
  positiveIntParam,
  querySchema,
  rangeShape,
  segmentKeysOf,
  segmentParameter,
  tzParam,
  windowJson,
  windowSchema,
  withinWindow,
} from '../http/query.ts'
import { storedResponseSchema } from '../routes/responses.ts'
import { pageOf, surveyParams } from '../routes/surveys.ts'
import { responseJson } from '../transfer/format.ts'
import { accountHealth, rankAccounts } from './accounts.ts'
import { BENCHMARKS } from './benchmark-data.ts'
import { BENCHMARK_CAVEAT, benchmarksFor, standAgainst } from './benchmarks.ts'
import { type Interval, nextDayNumber, type Period, periodsBetween, startOfDayNumber } from './periods.ts'
import {
  type MonthlyPoint,
  PROJECTION_METHOD,
  PROJECTION_MONTHS,
  project,
  projectionBlocker,
  statusAgainst,
} from './target.ts'
import { ThemeCounter, themeMatcher } from './themes.ts'

/** The Summary of the API: the shared Summary plus events and the range it covers. */
export interface SummaryAnswer extends Summary {
  dismissed?: number
  shown?: number
  responseRate?: number | null
  from: string | null
  to: string | null
}

/** A trend answers at most this many points (five years of days). */
export const MAX_POINTS = 1830
/** Themes read at most this many comments of the category, and as many of the others, newest first. */
export const MAX_THEME_COMMENTS = 20_000
/** A theme's trend answers at most this many points. */
export const MAX_THEME_POINTS = 366
const DEFAULT_SPAN_DAYS: Record<Interval, number> = { day: 30, week: 84, month: 365 }

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

/** A Summary with `dismissed`, `shown` and `responseRate` when events can be attributed (else none). */
function summaryAnswer(
  distribution: readonly number[],
  events: EventCounts | null,
  from: number | undefined,
  to: number | undefined,
): SummaryAnswer {
  const summary = summarize(distribution)
  const eventFields = events
    ? {
        dismissed: events.dismissed,
        shown: events.shown,
        // Only the widget's answers follow a card shown: imported and API answers would push it past 1.
        responseRate: events.shown > 0 ? events.widgetAnswers / events.shown : null,
      }
    : {}
  return { ...summary, ...eventFields, from: iso(from), to: iso(to) }
}

const OPEN = { start: BEFORE_ALL, end: AFTER_ALL }

/** The family-wise error rate of the breakdown's verdicts (Holm's correction over its groups). */
const ALPHA = 0.05

/** What `sort` orders the breakdown's groups by; a group always has answers, so nps is never null. */
const SORT_KEYS: Record<'n' | 'nps' | 'lower', (g: Summary) => number> = {
  n: (g) => g.total,
  nps: (g) => g.nps ?? -Infinity,
  lower: (g) => g.ci95?.[0] ?? -Infinity,
}

function dimensionOf(by: string): Dimension {
  if (by === 'locale' || by === 'path' || by === 'device') return { kind: by }
  const key = by.startsWith('metadata.') ? by.slice('metadata.'.length) : ''
  if (/^[A-Za-z0-9_.:-]{1,64}$/.test(key)) return { kind: 'metadata', key }
  throw invalidQuery('by must be locale, path, device or metadata.<key>', 'by')
}

const required = (name: string, description: string) => instantParam(name, description, `${name} is required`)

/** The query of each route: what it documents is what it accepts (http/query.ts). */
const queries = {
  nps: querySchema({ ...rangeShape, ...filterShape }, { segments: true }),
  trend: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      interval: z
        .enum(['day', 'week', 'month'], { error: 'interval must be day, week or month' })
        .default('day')
        .openapi({ description: 'one point per calendar day, ISO week or month in tz' }),
      window: positiveIntParam(
        'window',
        3650,
        'each point is a rolling window of this many days ending where its period ends',
      ).optional(),
    },
    { segments: true },
  ),
  breakdown: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      by: z
        .string({ error: 'by is required: locale, path, device or metadata.<key>' })
        .openapi({ description: 'locale, path, device or metadata.<key>', example: 'metadata.plan' }),
      sort: z.enum(['n', 'nps', 'lower'], { error: 'sort must be n, nps or lower' }).default('n').openapi({
        description:
          'n: by number of answers (default); nps: by the point estimate; lower: by the lower end of the 95% interval, the fair ranking when groups differ in size',
      }),
      order: z
        .enum(['desc', 'asc'], { error: 'order must be desc or asc' })
        .default('desc')
        .openapi({ description: 'desc: largest first (default); asc: smallest first' }),
      minCount: positiveIntParam(
        'minCount',
        1_000_000,
        'groups with fewer answers are neither listed nor compared (default 1); their answers stay in every other group’s rest',
      ).optional(),
      limit: positiveIntParam('limit', 1000, 'at most this many groups per page (default 100)').optional(),
      offset: z
        .string()
        .regex(/^\d{1,9}$/, 'offset must be an integer from 0 to 999999999')
        .transform(Number)
        .optional()
        .openapi({ description: 'skip this many groups: the `next` of the previous page', example: '100' }),
    },
    { segments: true },
  ),
  compare: querySchema(
    {
      tz: tzParam,
      ...filterShape,
      aFrom: required('aFrom', 'start of period a'),
      aTo: required('aTo', 'end of period a (exclusive)'),
      bFrom: required('bFrom', 'start of period b'),
      bTo: required('bTo', 'end of period b (exclusive)'),
    },
    { segments: true },
  ),
  target: querySchema({ ...filterShape }, { segments: true }),
  benchmark: querySchema({ ...rangeShape, ...filterShape }, { segments: true }),
  accounts: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      count: z
        .enum(['answers', 'latest', 'respondents'], { error: 'count must be answers, latest or respondents' })
        .default('answers')
        .openapi({
          description:
            'answers: every answer; latest: each respondent’s latest answer; respondents: each respondent weighs 1, shared evenly by their answers',
        }),
      limit: limitParam(500, 50),
      cursor: z
        .string()
        .regex(/^\d{1,7}$/, 'cursor must be the nextCursor of the previous page')
        .optional()
        .openapi({ description: 'nextCursor of the previous page' }),
    },
    { segments: true },
  ),
  themes: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      category: z
        .enum(['detractor', 'passive', 'promoter'], {
          error: 'category is required: detractor, passive or promoter',
        })
        .openapi({ description: 'the comments whose terms are ranked against all the others' }),
      limit: positiveIntParam('limit', 100, 'at most this many terms (default 20)').optional(),
      minCount: positiveIntParam(
        'minCount',
        1000,
        'a term appears in at least this many comments (default 2)',
      ).optional(),
    },
    { segments: true },
  ),
  themeTrend: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      theme: z
        .string({ error: 'theme is required: a dictionary theme or a word or two-word phrase' })
        .min(1, 'theme is required: a dictionary theme or a word or two-word phrase')
        .max(64, 'theme has at most 64 characters')
        .openapi({
          description: 'a dictionary theme of the survey, or a word or two-word phrase',
          example: 'billing',
        }),
      interval: z
        .enum(['day', 'week', 'month'], { error: 'interval must be day, week or month' })
        .default('week')
        .openapi({ description: 'one point per calendar day, ISO week or month in tz' }),
    },
    { segments: true },
  ),
  accountHistory: querySchema({ limit: limitParam(1000, 100), cursor: cursorParam }),
  movers: querySchema(
    {
      ...rangeShape,
      ...filterShape,
      by: z
        .enum(['respondent', 'account'], { error: 'by must be respondent or account' })
        .default('respondent')
        .openapi({
          description:
            'respondent: consecutive answers of a respondent; account: consecutive answers of a respondent within one account',
        }),
      direction: z
        .enum(['down', 'up'], { error: 'direction must be down or up' })
        .default('down')
        .openapi({ description: 'down: the category fell; up: it rose' }),
      limit: limitParam(1000, 100),
      cursor: cursorParam,
    },
    { segments: true },
  ),
}

const moverSchema = z
  .object({
    respondentId: z.string(),
    account: z.string().nullable(),
    before: z.object({
      id: z.string(),
      createdAt: z.string(),
      score: z.number().int(),
      category: categorySchema,
    }),
    after: z.object({
      id: z.string(),
      createdAt: z.string(),
      score: z.number().int(),
      category: categorySchema,
    }),
  })
  .openapi('Mover', { description: 'two consecutive answers of one respondent whose category changed' })

const summaryAnswerSchema = named(
  'Summary',
  summarySchema,
  'NPS of a set of answers, with its 95% interval; events when they can be attributed',
)
/** The `counted` field every analytics answer carries (http/query.ts countedWindow). */
const windowField = {
  counted: windowSchema,
}
const accountSchema = z
  .object({
    account: z.string(),
    status: z.enum(['at risk', 'healthy', 'unknown']),
    reasons: z.array(
      z.enum(['stale', 'promoter to detractor', 'negative nps', 'significant fall', 'few answers']),
    ),
    n: z.number().openapi({ description: 'answers counted (respondents, when counting respondents)' }),
    promoters: z.number(),
    passives: z.number(),
    detractors: z.number(),
    nps: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    marginOfError: z.number().nullable(),
    respondents: z.number().int(),
    lastAnswerAt: z.string(),
    stale: z.boolean(),
    movers: z.number().int().openapi({ description: 'respondents who went from promoter to detractor' }),
    previous: z.object({ n: z.number(), nps: z.number().nullable() }),
    change: z.object({
      delta: z.number().nullable(),
      z: z.number().nullable(),
      pValue: z.number().nullable(),
      significant: z.boolean(),
    }),
  })
  .openapi('Account')

const tags = ['analytics']

/** What every analytics route declares beside its own query and answer. */
const base = <P extends string>(path: P, summary: string) => ({
  method: 'get' as const,
  path,
  tags,
  security,
  summary,
  // `segment.<key>` is a family of names, which OpenAPI cannot list: described once (http/query.ts).
  parameters: [segmentParameter],
})

/**
 * What a trend counted, for its `counted`: from the earliest of its points' windows to the latest end
 * (a rolling window reaches before from); with none that holds time, the empty window at the bound.
 */
function spanOf(windows: readonly Period[], bound: CountedWindow): CountedWindow {
  const held = windows.filter((w) => w.start < w.end)
  if (held.length === 0) return { ...bound, to: bound.from }
  return {
    ...bound,
    from: Math.min(...held.map((w) => w.start)),
    to: Math.max(...held.map((w) => w.end)),
  }
}

/** The analytics sub-app; see the module comment. */
export function analyticsRoutes({ backend, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  /** The survey of the path; a query naming a metadata key it does not know is refused (400). */
  async function surveyOf(c: Context, query: Record<string, unknown>, by?: Dimension): Promise<Survey> {
    const id = c.req.param('id') ?? ''
    const survey = isSurveyId(id) ? await backend.getSurvey(id) : undefined
    if (!survey) throw surveyNotFound(id)
    const used = segmentKeysOf(query)
    if (by?.kind === 'metadata') used.unshift(['by', by.key])
    await refuseUnknownKeys(backend, survey, used)
    return survey
  }

  /** Events hold only time and respondent: with a locale, path, device or segment filter they are left out. */
  async function eventsFor(
    surveyId: string,
    filter: AnalyticsFilter,
    windows: { start: number; end: number }[],
  ): Promise<(EventCounts | null)[]> {
    if (hasDimensionFilters(filter)) return windows.map(() => null)
    return backend.eventCounts(surveyId, windows)
  }

  const now = () => clock.now()

  /** The window a read counts: its range, cut to the survey's lifetime when current (http/query.ts). */
  const windowOf = (
    survey: Survey,
    query: { current?: boolean | undefined },
    range: { from: number | undefined; to: number | undefined },
    current = countsCurrent(query, survey.settings),
  ): CountedWindow => countedWindow(range, current, survey.settings, now())

  /**
   * A trend's periods: from–to in tz (by default the interval's usual span up to now), cut into at most
   * `max` calendar periods, or a 400 that says how to ask for fewer.
   */
  function periodsOf(
    query: { from?: string | undefined; to?: string | undefined; tz: string; interval: Interval },
    max: number,
  ) {
    const { tz, interval } = query
    const range = parseRange(['from', 'to'], [query.from, query.to], tz)
    const to = range.to ?? now()
    const from = range.from ?? to - DEFAULT_SPAN_DAYS[interval] * DAY_MS
    if (from >= to) throw invalidQuery('from must be before to (to is exclusive)', 'from')
    const cut = periodsBetween(from, to, interval, tz, max)
    if (!cut) {
      throw invalidQuery(
        `from–to holds more than ${max} periods of one ${interval}: choose a longer interval or a shorter range`,
        'interval',
      )
    }
    return { ...cut, from, to }
  }

  const npsRoute = createRoute({
    ...base('/surveys/{id}/nps', 'The NPS Summary of the answers that match the filters'),
    request: { params: surveyParams, query: queries.nps },
    responses: {
      200: json(
        summaryAnswerSchema.extend(windowField).openapi('NpsAnswer'),
        'the Summary, and the window it counted',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, npsRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const window = windowOf(survey, query, range)
    const filter = filterOf(query, window)
    const [distribution, [events]] = await Promise.all([
      backend.distribution(survey.id, filter),
      eventsFor(survey.id, filter, [{ start: window.from ?? OPEN.start, end: window.to ?? OPEN.end }]),
    ])
    return c.json({
      ...summaryAnswer(distribution, events ?? null, window.from, window.to),
      counted: windowJson(window),
    })
  })

  const trendRoute = createRoute({
    ...base('/surveys/{id}/nps/trend', 'A Summary per period (day, week or month in tz), optionally rolling'),
    request: { params: surveyParams, query: queries.trend },
    responses: {
      200: json(
        z
          .object({
            interval: z.enum(['day', 'week', 'month']),
            window: z.number().int().nullable(),
            tz: z.string(),
            firstAnswerAt: z.string().nullable().openapi({
              description: 'when the survey’s oldest answer was given, whatever the filters; null: none',
            }),
            ...windowField,
            points: z.array(
              summaryAnswerSchema.extend({
                start: z.string(),
                end: z.string(),
                partialWindow: z.boolean().openapi({
                  description:
                    'a rolling window (window=N) that starts before the survey’s first answer: it covers fewer days of answers than N',
                }),
              }),
            ),
          })
          .openapi('Trend'),
        'one point per period',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, trendRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const { tz, interval } = query
    const cut = periodsOf(query, MAX_POINTS)
    // Current: the periods stay the calendar's (a toggle does not move the points); each point's window
    // (its period, or the rolling days before its end, which may reach before from) counts only its
    // overlap with the lifetime, so a point before it counts nothing.
    const lifetime = windowOf(survey, query, { from: undefined, to: undefined })
    const windows: Period[] = cut.periods.map((period, i) => {
      if (query.window === undefined) return withinWindow(period, lifetime)
      // A rolling window of N calendar days in tz ending where the period ends (DST days included).
      const endDay = nextDayNumber(cut.dayNumbers[i]!, interval)
      return withinWindow({ start: startOfDayNumber(endDay - query.window, tz), end: period.end }, lifetime)
    })
    const counted = spanOf(windows, lifetime)
    const filter = filterOf(query, { from: undefined, to: undefined })
    const [distributions, events, firstAnswerAt] = await Promise.all([
      backend.distributions(survey.id, filter, windows),
      eventsFor(survey.id, filter, windows),
      backend.firstAnswerAt(survey.id),
    ])
    const points = cut.periods.map((period, i) => ({
      start: iso(period.start)!,
      end: iso(period.end)!,
      ...summaryAnswer(distributions[i]!, events[i] ?? null, windows[i]!.start, windows[i]!.end),
      partialWindow:
        query.window !== undefined && firstAnswerAt !== null && windows[i]!.start < firstAnswerAt,
    }))
    return c.json({
      interval,
      window: query.window ?? null,
      tz,
      firstAnswerAt: iso(firstAnswerAt ?? undefined),
      counted: windowJson(counted),
      points,
    })
  })

  const breakdownRoute = createRoute({
    ...base(
      '/surveys/{id}/nps/breakdown',
      'A Summary per locale, path, device or metadata value, each against the rest of the answers',
    ),
    request: { params: surveyParams, query: queries.breakdown },
    responses: {
      200: json(
        z
          .object({
            by: z.string(),
            sort: z.enum(['n', 'nps', 'lower']),
            order: z.enum(['desc', 'asc']),
            groups: z.array(
              summaryAnswerSchema.extend({
                value: z.string().nullable(),
                precision: z.enum(['ok', 'low']).openapi({
                  description: `low under ${MIN_MEANINGFUL_SAMPLE} answers or with a 95% margin of error above ${MAX_PRECISE_MARGIN} points; lowSample is true exactly then`,
                }),
                delta: z
                  .number()
                  .nullable()
                  .openapi({ description: 'the group’s NPS minus the NPS of the rest of the answers' }),
                z: z.number().nullable(),
                pValue: z
                  .number()
                  .nullable()
                  .openapi({ description: 'two-sided, the group against the rest' }),
                adjustedP: z.number().nullable().openapi({
                  description: 'pValue after Holm’s correction over every compared group (all pages)',
                }),
                verdict: z.enum(['above', 'below', 'no clear difference']).openapi({
                  description: 'above or below the rest when adjustedP < 0.05; read it with precision',
                }),
              }),
            ),
            groupCount: z.number().int().openapi({ description: 'groups with at least minCount answers' }),
            excludedGroups: z
              .number()
              .int()
              .openapi({ description: 'groups under minCount: not listed, not compared, still in the rest' }),
            total: z.number().int().openapi({ description: 'answers under the filter, every group' }),
            next: z
              .number()
              .int()
              .nullable()
              .openapi({ description: 'the offset of the next page; null: last' }),
            correction: z.literal('holm'),
            alpha: z.number(),
            preciseMargin: z.number(),
            ...windowField,
            rollup: z.enum(['counted', 'counting', 'undeclared']).openapi({
              description:
                'counted: the survey declares this dimension (settings.breakdowns) and its hourly counts hold every answer, so a time range is read from them; counting: declared just now, its answers so far still being counted in the background, so this answer was a scan (exact, slower); undeclared: every breakdown is a scan. Filters other than a time range always scan.',
            }),
          })
          .openapi('Breakdown'),
        'one page of groups in the order asked',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, breakdownRoute, async (c) => {
    const query = c.req.valid('query')
    const dimension = dimensionOf(query.by)
    const survey = await surveyOf(c, query, dimension)
    const range = windowOf(survey, query, parseRange(['from', 'to'], [query.from, query.to], query.tz))
    const [groups, rollup] = await Promise.all([
      backend.breakdown(survey.id, filterOf(query, range), dimension),
      backend.breakdownRollup(survey.id, dimension),
    ])
    // Every group, the one without a value included, sums to the filtered answers: the rest of a
    // group is that total minus the group.
    const all = summarize(
      groups.reduce((sum, g) => sum.map((n, s) => n + (g.distribution[s] ?? 0)), emptyDistribution()),
    )
    const minCount = query.minCount ?? 1
    const compared = groups
      .map((group) => summaryAnswer(group.distribution, null, range.from, range.to))
      .map((summary, i) => ({ value: groups[i]!.value, ...summary }))
      .filter((g) => g.total >= minCount)
    const verdicts = versusTotal(compared, all, ALPHA)
    const rows = compared.map((g, i) => {
      const { precision } = precisionOf(g)
      const { significant: _, ...verdict } = verdicts[i]!
      return { ...g, lowSample: precision === 'low', precision, ...verdict }
    })
    const key = SORT_KEYS[query.sort]
    const sign = query.order === 'asc' ? -1 : 1
    rows.sort(
      (a, b) =>
        sign * (key(b) - key(a)) ||
        b.total - a.total ||
        (a.value === null ? 1 : b.value === null ? -1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
    )
    const offset = query.offset ?? 0
    const limit = query.limit ?? 100
    return c.json({
      by: query.by,
      sort: query.sort,
      order: query.order,
      groups: rows.slice(offset, offset + limit),
      groupCount: rows.length,
      excludedGroups: groups.length - rows.length,
      total: all.total,
      next: offset + limit < rows.length ? offset + limit : null,
      correction: 'holm' as const,
      alpha: ALPHA,
      preciseMargin: MAX_PRECISE_MARGIN,
      counted: windowJson(range),
      rollup: rollup ?? ('undeclared' as const),
    })
  })

  const compareRoute = createRoute({
    ...base('/surveys/{id}/nps/compare', 'Two periods compared: both Summaries, the difference, z and p'),
    request: { params: surveyParams, query: queries.compare },
    responses: {
      200: json(
        z
          .object({
            a: summaryAnswerSchema,
            b: summaryAnswerSchema,
            delta: z.number().nullable(),
            z: z.number().nullable(),
            pValue: z.number().nullable(),
            significant: z.boolean().openapi({
              description: 'p < 0.05 and at least 30 answers on each side',
            }),
            precision: z.enum(['ok', 'low']).openapi({
              description: 'low when either side has fewer than 30 answers or a 95% margin above ±10 points',
            }),
            precisionReasons: z.array(z.string()),
            counted: windowSchema.openapi({
              description:
                'the bound both periods were cut to: the answers’ lifetime when current, open otherwise; each side’s from/to says what it counted',
            }),
          })
          .openapi('Comparison'),
        'the comparison',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, compareRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const current = countsCurrent(query, survey.settings)
    const a = windowOf(
      survey,
      query,
      parseRange(['aFrom', 'aTo'], [query.aFrom, query.aTo], query.tz),
      current,
    )
    const b = windowOf(
      survey,
      query,
      parseRange(['bFrom', 'bTo'], [query.bFrom, query.bTo], query.tz),
      current,
    )
    const filterA = filterOf(query, a)
    const filterB = filterOf(query, b)
    const [distA, distB, events] = await Promise.all([
      backend.distribution(survey.id, filterA),
      backend.distribution(survey.id, filterB),
      eventsFor(survey.id, filterA, [
        { start: a.from!, end: a.to! },
        { start: b.from!, end: b.to! },
      ]),
    ])
    const summaryA = summaryAnswer(distA, events[0] ?? null, a.from, a.to)
    const summaryB = summaryAnswer(distB, events[1] ?? null, b.from, b.to)
    return c.json({
      a: summaryA,
      b: summaryB,
      ...compareJudged(summaryA, summaryB),
      counted: windowJson(windowOf(survey, query, { from: undefined, to: undefined }, current)),
    })
  })

  const targetRoute = createRoute({
    ...base(
      '/surveys/{id}/target',
      'The NPS target: where it stands over the answers’ lifetime, and a projection',
    ),
    request: { params: surveyParams, query: queries.target },
    responses: {
      200: json(
        z
          .object({
            target: targetSchema.nullable(),
            lifetimeDays: z.number().int(),
            current: summaryAnswerSchema,
            ...windowField,
            status: z.enum(['met', 'below', 'uncertain']).nullable().openapi({
              description:
                'where it stands now, against the 95% interval of the current answers: met (lower end at or above the target), below (upper end under it), uncertain (the target inside it, or no answers)',
            }),
            deadlinePassed: z.boolean().nullable(),
            gap: z.number().nullable(),
            projection: z
              .object({
                nps: z.number(),
                ci95: z.tuple([z.number(), z.number()]),
                at: z.string(),
                slopePerMonth: z.number(),
                months: z.number().int(),
                answers: z.number().int(),
                onTrack: z.boolean().openapi({ description: 'the projected NPS is at or above the target' }),
                intervalExcludesTarget: z
                  .boolean()
                  .openapi({ description: 'the projection interval lies wholly on one side of the target' }),
              })
              .nullable()
              .openapi({
                description: 'where it is heading; null with projectionReason when none can be made',
              }),
            projectionReason: z.string().nullable(),
            projectionMethod: z.string(),
            sampleSizeNeeded: z.number().int().nullable(),
          })
          .openapi('TargetStatus'),
        'where the target stands',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, targetRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    if (query.current === false) {
      throw invalidQuery(
        'current=false: a target is always judged on the current answers (responseLifetimeDays)',
        'current',
      )
    }
    const at = now()
    const lifetimeDays = survey.settings.responseLifetimeDays
    const window = windowOf(survey, query, { from: undefined, to: undefined }, true)
    const current = { from: window.from!, to: window.to! }
    const filter = filterOf(query, current)

    // Monthly points for the projection: the last months in UTC, the current one up to now.
    const months = periodsBetween(at - PROJECTION_MONTHS * 31 * DAY_MS, at, 'month', 'UTC')!.periods.slice(
      -PROJECTION_MONTHS,
    )
    const monthWindows = months.map((m) => ({ start: m.start, end: Math.min(m.end, at) }))
    const [distribution, [events], monthly] = await Promise.all([
      backend.distribution(survey.id, filter),
      eventsFor(survey.id, filter, [{ start: current.from, end: current.to }]),
      backend.distributions(survey.id, filter, monthWindows),
    ])
    const summary = summaryAnswer(distribution, events ?? null, current.from, current.to)
    const target = survey.settings.target
    if (!target) {
      return c.json({
        target: null,
        lifetimeDays,
        current: summary,
        counted: windowJson(window),
        status: null,
        deadlinePassed: null,
        gap: null,
        projection: null,
        projectionReason: 'the survey has no target',
        projectionMethod: PROJECTION_METHOD,
        sampleSizeNeeded: null,
      })
    }
    const deadline = Date.parse(`${target.deadline}T00:00:00Z`) + DAY_MS
    const points: MonthlyPoint[] = monthWindows.map((w, i) => {
      const s = summarize(monthly[i]!)
      return { at: (w.start + w.end) / 2, nps: s.nps ?? 0, total: s.total }
    })
    const deadlinePassed = deadline <= at
    const pooled = emptyDistribution().map((_, score) => monthly.reduce((sum, d) => sum + d[score]!, 0))
    const line = deadlinePassed ? null : project(points, deadline, adjustedWald(countsOf(pooled)).variance)
    const projectionReason = deadlinePassed
      ? 'the deadline has passed'
      : line
        ? null
        : projectionBlocker(points)
    const margin = summary.nps === null ? 0 : Math.abs(summary.nps - target.nps)
    const sampleSizeNeeded =
      margin > 0 ? sampleSizeForMargin(Math.min(200, margin), adjustedWald(summary).variance) : null
    return c.json({
      target,
      lifetimeDays,
      current: summary,
      counted: windowJson(window),
      status: statusAgainst(summary.ci95, target.nps),
      deadlinePassed,
      gap: summary.nps === null ? null : target.nps - summary.nps,
      projection: line && {
        nps: line.nps,
        ci95: line.ci95,
        at: iso(deadline)!,
        slopePerMonth: line.slopePerMonth,
        months: line.months,
        answers: line.answers,
        onTrack: line.nps >= target.nps,
        intervalExcludesTarget: line.ci95[0] >= target.nps || line.ci95[1] < target.nps,
      },
      projectionReason,
      projectionMethod: PROJECTION_METHOD,
      sampleSizeNeeded,
    })
  })

  const benchmarkRowSchema = z
    .object({
      id: z.string(),
      industry: z.string(),
      industryName: z.string(),
      value: z.number(),
      statistic: z.enum(['average', 'median', 'upper-quartile', 'leader']),
      year: z.number().int().nullable(),
      region: z.string(),
      method: z.enum(['competitive-benchmark', 'own-customer']),
      survey: z.enum(['relationship', 'transactional', 'unknown']),
      source: z.object({
        publisher: z.string(),
        title: z.string(),
        url: z.string().nullable(),
        secondHand: z.boolean(),
        via: z.string().nullable(),
      }),
      note: z.string(),
    })
    .openapi('Benchmark')

  const benchmarksRoute = createRoute({
    method: 'get',
    path: '/benchmarks',
    tags,
    security,
    summary: 'The published industry NPS figures the collector ships, each with its source',
    responses: {
      200: json(
        z.object({ items: z.array(benchmarkRowSchema), caveat: z.string() }).openapi('Benchmarks'),
        'every row of the table',
      ),
      ...errors(401),
    },
  })
  handle(app, benchmarksRoute, (c) => c.json({ items: [...BENCHMARKS], caveat: BENCHMARK_CAVEAT }))

  const benchmarkRoute = createRoute({
    ...base(
      '/surveys/{id}/benchmark',
      'Where the survey stands against the published figures for its industry',
    ),
    request: { params: surveyParams, query: queries.benchmark },
    responses: {
      200: json(
        z
          .object({
            industry: z.string().nullable(),
            current: summaryAnswerSchema,
            ...windowField,
            benchmarks: z.array(
              benchmarkRowSchema.extend({
                difference: z.number().nullable().openapi({ description: 'our NPS − the benchmark value' }),
                verdict: z.enum(['above', 'below', 'within']).nullable().openapi({
                  description:
                    'above: our interval’s lower end is over the value; below: its upper end is under it; within: the interval holds it; null: no answers',
                }),
              }),
            ),
            reason: z.string().nullable().openapi({ description: 'why there is no benchmark, when none' }),
            caveat: z.string(),
          })
          .openapi('BenchmarkStanding'),
        'our interval against each benchmark row of the survey’s industry',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, benchmarkRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    // Without from/to (and without current=false): the current answers, as /target counts them.
    const window = windowOf(
      survey,
      query,
      range,
      query.current ??
        (survey.settings.countCurrentOnly || (range.from === undefined && range.to === undefined)),
    )
    const filter = filterOf(query, window)
    const [distribution, [events]] = await Promise.all([
      backend.distribution(survey.id, filter),
      eventsFor(survey.id, filter, [{ start: window.from ?? OPEN.start, end: window.to ?? OPEN.end }]),
    ])
    const current = summaryAnswer(distribution, events ?? null, window.from, window.to)
    const industry = survey.settings.industry ?? null
    const rows = industry ? benchmarksFor(industry) : []
    return c.json({
      industry,
      current,
      counted: windowJson(window),
      benchmarks: rows.map((row) => ({ ...row, ...standAgainst(current, row) })),
      reason: !industry
        ? 'the survey names no industry (set industry in its settings; GET /v1/benchmarks lists them)'
        : rows.length === 0
          ? `no published figure for the industry ${industry}`
          : null,
      caveat: BENCHMARK_CAVEAT,
    })
  })

  /** Every comment of the filter, newest first, with its score and time: two reads of at most MAX_THEME_COMMENTS. */
  async function commentsOf(surveyId: string, filter: AnalyticsFilter, category: Category) {
    const comments: { comment: string; score: number; createdAt: number }[] = []
    let complete = true
    for (const inCategory of [true, false]) {
      // Read first (fast, bounded), then counted in slices that let answers in.
      const read = await backend.forEachComment(
        surveyId,
        filter,
        { category, inCategory, limit: MAX_THEME_COMMENTS },
        (comment, score, createdAt) => comments.push({ comment, score, createdAt }),
      )
      if (read >= MAX_THEME_COMMENTS) complete = false
    }
    return { comments, complete }
  }

  const themeSchema = z.object({
    term: z.string().openapi({ description: 'normalised (folded, lightly stemmed): what theme= matches' }),
    label: z.string().openapi({
      description:
        'the term as the comments write it most often (lowercased), for showing; a dictionary theme’s name',
    }),
    source: z.enum(['dictionary', 'discovered']),
    count: z.number().int(),
    share: z.number(),
    lift: z.number(),
    mentions: z.number().int(),
    impact: z.number().nullable(),
    impactCi95: z.tuple([z.number(), z.number()]).nullable(),
    npsMentioning: z.number().nullable(),
    absorbed: z.array(z.string()),
    examples: z.array(z.string()),
  })

  const accountsRoute = createRoute({
    ...base('/surveys/{id}/accounts', 'Per-account NPS with its interval, change and status, worst first'),
    request: { params: surveyParams, query: queries.accounts },
    responses: {
      200: json(
        z
          .object({
            key: z.string(),
            count: z.enum(['answers', 'latest', 'respondents']),
            from: z.string(),
            to: z.string(),
            previousFrom: z.string(),
            ...windowField,
            items: z.array(accountSchema),
            nextCursor: z.string().nullable(),
          })
          .openapi('Accounts'),
        'the accounts, worst first',
      ),
      ...errors(400, 401, 404, 409),
    },
  })
  handle(app, accountsRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const key = accountKeyOf(survey)
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const lifetime = survey.settings.responseLifetimeDays * DAY_MS
    const counted = windowOf(survey, query, range)
    // Not current: from/to as given, by default the lifetime up to now (the period accounts are judged on).
    const to = counted.current ? counted.to! : (range.to ?? now())
    const from = counted.current ? counted.from! : (range.from ?? to - lifetime)
    if (from >= to && !counted.current) throw invalidQuery('from must be before to (to is exclusive)', 'from')
    const previousFrom = from - (to - from)
    const given = filterOf(query, range)
    const filter = { ...given, latestPerRespondent: query.count === 'latest' || given.latestPerRespondent }
    const weight = query.count === 'respondents' ? 'respondent' : 'answer'
    const [current, previous] = await Promise.all([
      backend.accounts(survey.id, { ...filter, from, to }, key, weight),
      backend.accounts(survey.id, { ...filter, from: previousFrom, to: from }, key, weight),
    ])
    const previousBy = new Map(previous.map((group) => [group.account, group]))
    const ranked = rankAccounts(
      current.map((group) => accountHealth(group, previousBy.get(group.account), { end: to, lifetime })),
    )
    const offset = Number(query.cursor ?? 0)
    const items = ranked.slice(offset, offset + query.limit)
    const next = offset + query.limit < ranked.length ? String(offset + query.limit) : null
    return c.json({
      key,
      count: query.count,
      from: iso(from)!,
      to: iso(to)!,
      previousFrom: iso(previousFrom)!,
      counted: windowJson({ ...counted, from, to }),
      items,
      nextCursor: next,
    })
  })

  /** The survey's account key, or a 409 naming the setting. */
  function accountKeyOf(survey: Survey): string {
    const key = survey.settings.accounts?.key
    if (key) return key
    throw new ApiError(
      409,
      'no_account_key',
      'the survey names no account key: set accounts.key (a metadata key) in its settings',
    )
  }

  const accountHistoryRoute = createRoute({
    ...base(
      '/surveys/{id}/accounts/{account}/history',
      'Every answer of one account in this survey, oldest first',
    ),
    // Every answer of the account: no filters, so no segment parameters.
    parameters: [],
    request: {
      params: surveyParams.extend({
        account: z
          .string()
          .max(256)
          .openapi({ description: 'the account (metadata value, as text)', example: 'acme' }),
      }),
      query: queries.accountHistory,
    },
    responses: {
      200: json(pageOf(storedResponseSchema), 'one page of answers'),
      ...errors(400, 401, 404, 409),
    },
  })
  handle(app, accountHistoryRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const key = accountKeyOf(survey)
    const account = c.req.param('account') ?? ''
    if (account.length > 256) throw invalidQuery('account is at most 256 characters', 'account')
    const page = await backend.listResponses(
      survey.id,
      { segments: [[key, account]] },
      query.limit,
      decodeCursor(query.cursor),
      'oldest',
    )
    return c.json({ items: page.items.map(responseJson), nextCursor: encodeCursor(page.next) })
  })

  const moversRoute = createRoute({
    ...base('/surveys/{id}/movers', 'Respondents whose category fell (or rose) between consecutive answers'),
    request: { params: surveyParams, query: queries.movers },
    responses: {
      200: json(pageOf(moverSchema).extend(windowField).openapi('Movers'), 'one page of movers'),
      ...errors(400, 401, 404, 409),
    },
  })
  handle(app, moversRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const scope =
      query.by === 'account'
        ? { by: 'account' as const, key: accountKeyOf(survey) }
        : { by: 'respondent' as const }
    const range = windowOf(survey, query, parseRange(['from', 'to'], [query.from, query.to], query.tz))
    const page = await backend.movers(
      survey.id,
      filterOf(query, range),
      scope,
      query.direction,
      query.limit,
      decodeCursor(query.cursor),
    )
    const answer = (a: { id: string; createdAt: number; score: number }) => ({
      id: a.id,
      createdAt: iso(a.createdAt)!,
      score: a.score,
      category: classify(a.score),
    })
    return c.json({
      items: page.items.map((m) => ({ ...m, before: answer(m.before), after: answer(m.after) })),
      nextCursor: encodeCursor(page.next),
      counted: windowJson(range),
    })
  })

  const respondentHistoryRoute = createRoute({
    method: 'get',
    path: '/respondents/{respondentId}/history',
    tags,
    security,
    summary: 'Every answer of one respondent in every survey, oldest first',
    request: {
      params: z.object({
        respondentId: z
          .string()
          .min(1)
          .max(128)
          .openapi({ description: 'the respondent id the answers carry', example: 'user-42' }),
      }),
      query: queries.accountHistory,
    },
    responses: {
      200: json(
        pageOf(storedResponseSchema.extend({ surveyId: z.string() }).openapi('RespondentAnswer')),
        'one page of answers',
      ),
      ...errors(400, 401),
    },
  })
  handle(app, respondentHistoryRoute, async (c) => {
    const query = c.req.valid('query')
    const respondentId = c.req.param('respondentId') ?? ''
    if (respondentId.length > 128)
      throw invalidQuery('respondentId is at most 128 characters', 'respondentId')
    const page = await backend.respondentHistory(respondentId, query.limit, decodeCursor(query.cursor))
    return c.json({
      items: page.items.map((item) => ({ surveyId: item.surveyId, ...responseJson(item) })),
      nextCursor: encodeCursor(page.next),
    })
  })

  const themesRoute = createRoute({
    ...base(
      '/surveys/{id}/themes',
      'The themes of one category’s comments, with what each costs in NPS points',
    ),
    request: { params: surveyParams, query: queries.themes },
    responses: {
      200: json(
        z
          .object({
            category: categorySchema,
            terms: z.array(themeSchema),
            nps: z.number().nullable(),
            answers: z.number().int(),
            comments: z.number().int(),
            otherComments: z.number().int(),
            maxComments: z.number().int(),
            complete: z.boolean(),
            ...windowField,
          })
          .openapi('Themes'),
        'the themes, the costliest first (for promoters: the most rewarding first)',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, themesRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const range = windowOf(survey, query, parseRange(['from', 'to'], [query.from, query.to], query.tz))
    const filter = filterOf(query, range)
    const [distribution, read] = await Promise.all([
      backend.distribution(survey.id, filter),
      commentsOf(survey.id, filter, query.category),
    ])
    const counter = new ThemeCounter(survey.settings.themes?.dictionary)
    await counter.addAll(read.comments)
    const all = summarize(distribution)
    const comments = counter.commentsIn(query.category)
    return c.json({
      category: query.category,
      terms: counter.themes({
        category: query.category,
        limit: query.limit ?? 20,
        minCount: query.minCount ?? 2,
        all,
      }),
      nps: all.nps,
      answers: all.total,
      comments,
      otherComments: read.comments.length - comments,
      maxComments: MAX_THEME_COMMENTS,
      complete: read.complete,
      counted: windowJson(range),
    })
  })

  const themeTrendRoute = createRoute({
    ...base('/surveys/{id}/themes/trend', 'One theme per period: mentions, share and impact in NPS points'),
    request: { params: surveyParams, query: queries.themeTrend },
    responses: {
      200: json(
        z
          .object({
            theme: z.string(),
            interval: z.enum(['day', 'week', 'month']),
            tz: z.string(),
            complete: z.boolean(),
            ...windowField,
            points: z.array(
              z.object({
                start: z.string(),
                end: z.string(),
                answers: z.number().int(),
                comments: z.number().int(),
                mentions: z.number().int(),
                share: z.number().nullable(),
                nps: z.number().nullable(),
                impact: z.number().nullable(),
                impactCi95: z.tuple([z.number(), z.number()]).nullable(),
              }),
            ),
          })
          .openapi('ThemeTrend'),
        'one point per period',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, themeTrendRoute, async (c) => {
    const query = c.req.valid('query')
    const survey = await surveyOf(c, query)
    const { tz, interval } = query
    const mentions = themeMatcher(query.theme, survey.settings.themes?.dictionary)
    if (!mentions) throw invalidQuery('theme must contain a word that is not a stop word', 'theme')
    const cut = periodsOf(query, MAX_THEME_POINTS)
    const counted = windowOf(survey, query, cut)
    const filter = filterOf(query, counted)
    const [distributions, read] = await Promise.all([
      backend.distributions(
        survey.id,
        filterOf(query, { from: undefined, to: undefined }),
        cut.periods.map((period) => withinWindow(period, counted)),
      ),
      commentsOf(survey.id, filter, 'detractor'),
    ])
    const points = cut.periods.map((period) => ({ period, comments: 0, mentioning: emptyDistribution() }))
    let slice = performance.now()
    for (const { comment, score, createdAt } of read.comments) {
      if (performance.now() - slice > 10) {
        await new Promise((resolve) => setImmediate(resolve))
        slice = performance.now()
      }
      const point = points.find((p) => createdAt >= p.period.start && createdAt < p.period.end)
      if (!point) continue
      point.comments++
      if (mentions(comment)) point.mentioning[score]!++
    }
    return c.json({
      theme: query.theme,
      interval,
      tz,
      complete: read.complete,
      counted: windowJson(counted),
      points: points.map(({ period, comments, mentioning }, i) => {
        const all = countsOf(distributions[i]!)
        const m = countsOf(mentioning)
        const impact = themeImpact(m, all)
        const total = all.promoters + all.passives + all.detractors
        const count = m.promoters + m.passives + m.detractors
        return {
          start: iso(period.start)!,
          end: iso(period.end)!,
          answers: total,
          comments,
          mentions: count,
          share: comments === 0 ? null : count / comments,
          nps: total === 0 ? null : (100 * (all.promoters - all.detractors)) / total,
          impact: impact.impact,
          impactCi95: impact.ci95,
        }
      }),
    })
  })

  return app
}
