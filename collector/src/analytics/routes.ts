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
  categorySchema,
  classify,
  compare,
  isSurveyId,
  type Summary,
  sampleSizeForMargin,
  summarize,
  summarySchema,
  targetSchema,
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
import { errors, handle, json, named, openApp, readSecurity as security } from '../http/openapi.ts'
import {
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
  segmentParameter,
  tzParam,
} from '../http/query.ts'
import { storedResponseSchema } from '../routes/responses.ts'
import { pageOf, surveyParams } from '../routes/surveys.ts'
import { responseJson } from '../transfer/format.ts'
import { accountHealth, rankAccounts } from './accounts.ts'
import { type Interval, nextDayNumber, type Period, periodsBetween, startOfDayNumber } from './periods.ts'
import { type MonthlyPoint, PROJECTION_METHOD, PROJECTION_MONTHS, project, statusAgainst } from './target.ts'
import { ThemeCounter } from './themes.ts'

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
        responseRate: events.shown > 0 ? summary.total / events.shown : null,
      }
    : {}
  return { ...summary, ...eventFields, from: iso(from), to: iso(to) }
}

const OPEN = { start: BEFORE_ALL, end: AFTER_ALL }

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
      limit: positiveIntParam(
        'limit',
        1000,
        'at most this many groups, largest first (default 100)',
      ).optional(),
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

/** The analytics sub-app; see the module comment. */
export function analyticsRoutes({ backend, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  async function surveyOf(c: Context): Promise<Survey> {
    const id = c.req.param('id') ?? ''
    const survey = isSurveyId(id) ? await backend.getSurvey(id) : undefined
    if (!survey) throw surveyNotFound(id)
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

  const npsRoute = createRoute({
    ...base('/surveys/{id}/nps', 'The NPS Summary of the answers that match the filters'),
    request: { params: surveyParams, query: queries.nps },
    responses: { 200: json(summaryAnswerSchema, 'the Summary'), ...errors(400, 401, 404) },
  })
  handle(app, npsRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const filter = filterOf(query, range)
    const [distribution, [events]] = await Promise.all([
      backend.distribution(survey.id, filter),
      eventsFor(survey.id, filter, [{ start: range.from ?? OPEN.start, end: range.to ?? OPEN.end }]),
    ])
    return c.json(summaryAnswer(distribution, events ?? null, range.from, range.to))
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
            points: z.array(summaryAnswerSchema.extend({ start: z.string(), end: z.string() })),
          })
          .openapi('Trend'),
        'one point per period',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, trendRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const { tz, interval } = query
    const range = parseRange(['from', 'to'], [query.from, query.to], tz)
    const to = range.to ?? now()
    const from = range.from ?? to - DEFAULT_SPAN_DAYS[interval] * DAY_MS
    if (from >= to) throw invalidQuery('from must be before to (to is exclusive)', 'from')
    const cut = periodsBetween(from, to, interval, tz, MAX_POINTS)
    if (!cut) {
      throw invalidQuery(
        `from–to holds more than ${MAX_POINTS} periods of one ${interval}: choose a longer interval or a shorter range`,
        'interval',
      )
    }
    const windows: Period[] = cut.periods.map((period, i) => {
      if (query.window === undefined) return period
      // A rolling window of N calendar days in tz ending where the period ends (DST days included).
      const endDay = nextDayNumber(cut.dayNumbers[i]!, interval)
      return { start: startOfDayNumber(endDay - query.window, tz), end: period.end }
    })
    const filter = filterOf(query, { from: undefined, to: undefined })
    const [distributions, events] = await Promise.all([
      backend.distributions(survey.id, filter, windows),
      eventsFor(survey.id, filter, windows),
    ])
    const points = cut.periods.map((period, i) => ({
      start: iso(period.start),
      end: iso(period.end),
      ...summaryAnswer(distributions[i]!, events[i] ?? null, windows[i]!.start, windows[i]!.end),
    }))
    return c.json({ interval, window: query.window ?? null, tz, points })
  })

  const breakdownRoute = createRoute({
    ...base('/surveys/{id}/nps/breakdown', 'A Summary per locale, path, device or metadata value'),
    request: { params: surveyParams, query: queries.breakdown },
    responses: {
      200: json(
        z
          .object({
            by: z.string(),
            groups: z.array(summaryAnswerSchema.extend({ value: z.string().nullable() })),
          })
          .openapi('Breakdown'),
        'the groups, largest first',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, breakdownRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const dimension = dimensionOf(query.by)
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const groups = await backend.breakdown(survey.id, filterOf(query, range), dimension)
    const answered = groups
      .map((group) => ({
        value: group.value,
        ...summaryAnswer(group.distribution, null, range.from, range.to),
      }))
      .sort(
        (a, b) =>
          b.total - a.total ||
          (a.value === null ? 1 : b.value === null ? -1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
      )
      .slice(0, query.limit ?? 100)
    return c.json({ by: query.by, groups: answered })
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
            significant: z.boolean(),
          })
          .openapi('Comparison'),
        'the comparison',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, compareRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const a = parseRange(['aFrom', 'aTo'], [query.aFrom, query.aTo], query.tz)
    const b = parseRange(['bFrom', 'bTo'], [query.bFrom, query.bTo], query.tz)
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
    return c.json({ a: summaryA, b: summaryB, ...compare(summaryA, summaryB) })
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
            status: z.enum(['met', 'missed', 'uncertain']).nullable(),
            gap: z.number().nullable(),
            projection: z
              .object({
                nps: z.number(),
                at: z.string(),
                slopePerMonth: z.number(),
                months: z.number().int(),
                onTrack: z.boolean(),
              })
              .nullable(),
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
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const at = now()
    const lifetimeDays = survey.settings.responseLifetimeDays
    const current = { from: at - lifetimeDays * DAY_MS, to: at }
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
        status: null,
        gap: null,
        projection: null,
        projectionMethod: PROJECTION_METHOD,
        sampleSizeNeeded: null,
      })
    }
    const deadline = Date.parse(`${target.deadline}T00:00:00Z`) + DAY_MS
    const points: MonthlyPoint[] = monthWindows.map((w, i) => {
      const s = summarize(monthly[i]!)
      return { at: (w.start + w.end) / 2, nps: s.nps ?? 0, total: s.total }
    })
    const line = deadline > at ? project(points, deadline) : null
    const margin = summary.nps === null ? 0 : Math.abs(summary.nps - target.nps)
    const sampleSizeNeeded =
      margin > 0 ? sampleSizeForMargin(Math.min(200, margin), adjustedWald(summary).variance) : null
    return c.json({
      target,
      lifetimeDays,
      current: summary,
      status: statusAgainst(summary.ci95, target.nps),
      gap: summary.nps === null ? null : target.nps - summary.nps,
      projection: line && {
        nps: line.nps,
        at: iso(deadline),
        slopePerMonth: line.slopePerMonth,
        months: points.filter((p) => p.total > 0).length,
        onTrack: line.nps >= target.nps,
      },
      projectionMethod: PROJECTION_METHOD,
      sampleSizeNeeded,
    })
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
    const survey = await surveyOf(c)
    const key = accountKeyOf(survey)
    const query = c.req.valid('query')
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const lifetime = survey.settings.responseLifetimeDays * DAY_MS
    const to = range.to ?? now()
    const from = range.from ?? to - lifetime
    if (from >= to) throw invalidQuery('from must be before to (to is exclusive)', 'from')
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
    const survey = await surveyOf(c)
    const key = accountKeyOf(survey)
    const query = c.req.valid('query')
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
      200: json(pageOf(moverSchema).openapi('Movers'), 'one page of movers'),
      ...errors(400, 401, 404, 409),
    },
  })
  handle(app, moversRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const scope =
      query.by === 'account'
        ? { by: 'account' as const, key: accountKeyOf(survey) }
        : { by: 'respondent' as const }
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
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
    ...base('/surveys/{id}/themes', 'Terms that stand out in the comments of one category'),
    request: { params: surveyParams, query: queries.themes },
    responses: {
      200: json(
        z
          .object({
            category: categorySchema,
            terms: z.array(
              z.object({ term: z.string(), count: z.number().int(), share: z.number(), lift: z.number() }),
            ),
            comments: z.number().int(),
            otherComments: z.number().int(),
            maxComments: z.number().int(),
          })
          .openapi('Themes'),
        'the terms, most telling first',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, themesRoute, async (c) => {
    const survey = await surveyOf(c)
    const query = c.req.valid('query')
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const filter = filterOf(query, range)
    const counter = new ThemeCounter()
    for (const inCategory of [true, false]) {
      // Read first (fast, at most MAX_THEME_COMMENTS), then counted in slices that let answers in.
      const comments: string[] = []
      await backend.forEachComment(
        survey.id,
        filter,
        { category: query.category, inCategory, limit: MAX_THEME_COMMENTS },
        (comment) => comments.push(comment),
      )
      await counter.addAll(comments, inCategory)
    }
    return c.json({
      category: query.category,
      terms: counter.terms({ limit: query.limit ?? 20, minCount: query.minCount ?? 2 }),
      comments: counter.comments,
      otherComments: counter.otherComments,
      maxComments: MAX_THEME_COMMENTS,
    })
  })

  return app
}
