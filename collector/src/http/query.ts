/**
 * The one query-string parser of the API. Each route declares its parameters as a zod shape
 * (`querySchema`); the OpenAPI document lists exactly those, and the route's validator refuses
 * everything else with 400 `invalid_query` naming the parameter: an unknown parameter (a typo such as
 * `intervall=week` never silently answers something else), a repeated one, an impossible date
 * (`2026-02-30`), a `limit` that is not plain decimal digits. Times without an offset are read in the
 * request's `tz` (default UTC) on every route.
 *
 * @example
 * const query = querySchema({ ...rangeShape, limit: limitParam(1000, 100) })
 * // in the handler: const { from, to } = parseRange(['from', 'to'], [q.from, q.to], q.tz)
 */
import { z } from '@hono/zod-openapi'
import { LIMITS, localeSchema, type SurveySettings } from '@npskit/shared'
import { instantOfWallClock, isTimeZone } from '../analytics/periods.ts'
import { type AnalyticsFilter, type Cursor, DAY_MS } from '../backend/backend.ts'
import { ApiError, type Issue } from './errors.ts'

/** A 400 `invalid_query` naming the parameter. */
export const invalidQuery = (message: string, path: string) =>
  new ApiError(400, 'invalid_query', message, [{ path, message }])

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

export const instantMessage = (name: string) =>
  `${name} must be an ISO 8601 date or date-time, such as 2026-03-01`

/**
 * An ISO 8601 date or date-time as ms. A date, or a date-time without an offset, is a wall-clock time
 * in `tz` (so `from=2026-03-01&tz=Europe/Berlin` starts at Berlin's midnight); `Z` or `+02:00` is exact.
 */
export function parseInstant(name: string, raw: string, tz: string): number {
  const match = ISO_TIME.exec(raw)
  const fail = () => invalidQuery(instantMessage(name), name)
  if (!match) throw fail()
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', offset] = match
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const
  // setUTCFullYear, unlike Date.UTC, leaves the years 0–99 alone.
  const check = new Date(0)
  check.setUTCFullYear(fields[0], fields[1], fields[2])
  check.setUTCHours(fields[3], fields[4], fields[5], Number(ms.padEnd(3, '0')))
  const wall = check.getTime()
  // 2026-02-30 rolls over to March: a value that does not survive the round trip is no date.
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] ||
    check.getUTCDate() !== fields[2] ||
    check.getUTCHours() !== fields[3] ||
    check.getUTCMinutes() !== fields[4] ||
    check.getUTCSeconds() !== fields[5]
  ) {
    throw fail()
  }
  if (offset === undefined) return instantOfWallClock(wall, tz)
  if (offset === 'Z') return wall
  const sign = offset.startsWith('-') ? -1 : 1
  const digits = offset.slice(1).replace(':', '')
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))
  if (minutes > 18 * 60) throw fail()
  return wall - sign * minutes * 60_000
}

/** Whether parseInstant takes it: for a time in a JSON body, which parseInstant then reads. */
export const isInstant = (raw: string) => {
  try {
    parseInstant('', raw, 'UTC')
    return true
  } catch {
    return false
  }
}

/**
 * A time parameter: checked here (whether a date exists does not depend on the zone), turned into an
 * instant in the request's `tz` by `parseRange`.
 */
export const instantParam = (name: string, description: string, required?: string) =>
  z
    .string(required ? { error: required } : undefined)
    .refine(isInstant, instantMessage(name))
    .openapi({ description: `${description}; ISO 8601, read in tz without an offset`, example: '2026-03-01' })

/** A flag: exactly `true` or `false`. */
export const flagParam = (name: string, description: string) =>
  z
    .enum(['true', 'false'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true')
    .openapi({ description })

/** A whole number from 1 to `max`, written in plain decimal digits (no `0x10`, `1e3` or `10.0`). */
export const positiveIntParam = (name: string, max: number, description: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be an integer from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `${name} must be an integer from 1 to ${max}`)
    .openapi({ description, example: String(Math.min(max, 100)) })

/** A score 0–10, written as plain decimal digits. */
export const scoreParam = (name: string, description: string) =>
  z
    .string()
    .regex(/^\d{1,2}$/, `${name} must be an integer from 0 to 10`)
    .transform(Number)
    .refine((n) => n <= 10, `${name} must be an integer from 0 to 10`)
    .openapi({ description, example: name.startsWith('max') ? '6' : '0' })

/** A page size: 1 to `max`, `fallback` when absent. */
export const limitParam = (max: number, fallback: number) =>
  positiveIntParam('limit', max, `at most this many items, 1–${max} (default ${fallback})`)
    .optional()
    .transform((n) => n ?? fallback)

export const cursorParam = z.string().optional().openapi({ description: 'nextCursor of the previous page' })

export const tzParam = z
  .string()
  .refine(isTimeZone, 'tz must be an IANA time zone such as Europe/Berlin or UTC')
  .default('UTC')
  .openapi({
    description: 'IANA time zone in which dates and times without an offset are read',
    example: 'UTC',
  })

/** `tz`, `from` and `to`: the time range of a read. */
export const rangeShape = {
  tz: tzParam,
  from: instantParam('from', 'answers received at or after this time').optional(),
  to: instantParam('to', 'answers received before this time (exclusive)').optional(),
}

const DEVICES = ['desktop', 'mobile', 'tablet'] as const

/** The answer filters every analytics read takes (beside the range). */
export const filterShape = {
  locale: localeSchema.optional().openapi({ description: 'only answers in this locale', example: 'de' }),
  path: z
    .string()
    .max(LIMITS.url, `path is at most ${LIMITS.url} characters`)
    .startsWith('/', 'path must start with /')
    .optional()
    .openapi({ description: 'only answers sent from this page path', example: '/checkout' }),
  device: z
    .enum(DEVICES, { error: 'device must be desktop, mobile or tablet' })
    .optional()
    .openapi({ description: 'only answers from this kind of device' }),
  latestPerRespondent: flagParam(
    'latestPerRespondent',
    'true: count only the latest answer of each respondent (its latest within the counted window: with current=true, a respondent whose latest answer has expired counts no longer)',
  ).optional(),
  current: flagParam(
    'current',
    'true: count only current answers, those of the survey’s last responseLifetimeDays days up to now, within from/to (a from/to outside that counts nothing); false: every answer of from/to. Default: the survey’s countCurrentOnly setting (false unless set). The answer’s `counted` says which was used',
  ).optional(),
}

const METADATA_KEY = /^[A-Za-z0-9_.:-]{1,64}$/
const SEGMENT = 'segment.'

/**
 * How `segment.<key>=<value>` parameters are documented: OpenAPI has no parameter whose name is a
 * pattern, so the family is one described parameter (a client sends `segment.plan=pro`).
 */
export const segmentParameter = {
  name: 'segment.{key}',
  in: 'query' as const,
  required: false,
  description:
    'Repeatable family: `segment.<key>=<value>` keeps answers whose metadata `<key>` equals `<value>` ' +
    `(its JSON text for numbers and booleans). Keys use 1–64 letters, digits and _ . : -; at most ${LIMITS.metadataKeys}.`,
  schema: { type: 'string' as const, maxLength: LIMITS.metadataValue },
  example: 'pro',
}

/**
 * The query schema of a route: `shape` plus, with `segments`, the `segment.<key>` family. Any other
 * parameter is refused by name, also when another one is wrong, so what a route accepts is what its
 * document lists.
 */
export function querySchema<Shape extends z.ZodRawShape>(shape: Shape, options: { segments?: boolean } = {}) {
  const known = new Set(Object.keys(shape))
  return z.looseObject(shape).superRefine(
    (query, ctx) => {
      let segments = 0
      for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
        if (typeof value === 'string' && value.includes('\u0000')) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${name} must not contain the NUL character (U+0000)`,
          })
        }
        if (known.has(name)) continue
        if (!options.segments || !name.startsWith(SEGMENT)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `unknown parameter ${name}` })
        } else if (!METADATA_KEY.test(name.slice(SEGMENT.length))) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${name}: a metadata key uses 1–64 letters, digits and _ . : -`,
          })
        } else if (typeof value !== 'string') {
          ctx.addIssue({ code: 'custom', path: [name], message: `${name} is given more than once` })
        } else if (value.length > LIMITS.metadataValue) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${name} is at most ${LIMITS.metadataValue} characters`,
          })
        } else {
          segments++
        }
      }
      if (segments > LIMITS.metadataKeys) {
        ctx.addIssue({
          code: 'custom',
          path: ['segment'],
          message: `at most ${LIMITS.metadataKeys} segment.<key> parameters`,
        })
      }
    },
    // Runs also when a declared parameter is wrong: an unknown one is named whatever else fails.
    { when: () => true },
  )
}

/**
 * The 400 for a query that failed its schema. `raw` is every value of every parameter, so a repeated
 * single-valued parameter is named as such rather than as "expected string, received array".
 */
export function queryError(error: z.ZodError, raw: Record<string, string[]>): ApiError {
  const issues: Issue[] = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    const repeated = issue.path.length === 1 && (raw[path]?.length ?? 0) > 1
    const message = repeated ? `${path} is given more than once; give it once` : issue.message
    return { path, message: message.includes(path) ? message : `${path}: ${message}` }
  })
  // The parameter a client must drop (unknown, repeated) comes first: fixing the others cannot help.
  const rank = (issue: Issue) =>
    issue.message.startsWith('unknown parameter') || issue.message.includes('more than once') ? 0 : 1
  issues.sort((a, b) => rank(a) - rank(b))
  const first = issues[0]
  return new ApiError(400, 'invalid_query', first?.message ?? 'invalid query', issues)
}

/** `from`/`to` (or `aFrom`/`aTo` …) as ms in `tz`, refused when the range is empty or backwards. */
export function parseRange(
  names: readonly [from: string, to: string],
  raw: readonly [from: string | undefined, to: string | undefined],
  tz: string,
): { from: number | undefined; to: number | undefined } {
  const from = raw[0] === undefined ? undefined : parseInstant(names[0], raw[0], tz)
  const to = raw[1] === undefined ? undefined : parseInstant(names[1], raw[1], tz)
  if (from !== undefined && to !== undefined && from >= to) {
    throw invalidQuery(`${names[0]} must be before ${names[1]} (${names[1]} is exclusive)`, names[0])
  }
  return { from, to }
}

/** The `segment.<key>` parameters of a validated query, as [key, value] pairs. */
export function segmentsOf(query: Record<string, unknown>): [string, string][] {
  const segments: [string, string][] = []
  for (const [name, value] of Object.entries(query)) {
    if (name.startsWith(SEGMENT) && typeof value === 'string')
      segments.push([name.slice(SEGMENT.length), value])
  }
  return segments
}

/**
 * The metadata keys a validated query names in `segment.<key>`, each with its parameter, for
 * refuseUnknownKeys (http/metadata.ts), which every read taking segments calls.
 */
export function segmentKeysOf(query: Record<string, unknown>): [parameter: string, key: string][] {
  return segmentsOf(query).map(([key]) => [`${SEGMENT}${key}`, key])
}

/**
 * The time window an analytics read counts, as each answer reports it in `counted` (the trend's
 * `window` was taken: its rolling days). Without `current` it
 * is the request's from/to (either open); with it, from/to intersected with the survey's counting
 * lifetime, [now − responseLifetimeDays, now). A from/to that does not overlap the lifetime gives an
 * empty window [from, from) — nothing counts, as nothing current lies there — rather than an error, so
 * a dashboard's "current" toggle never turns an old period into a 400.
 */
export interface CountedWindow {
  from: number | undefined
  to: number | undefined
  current: boolean
  /** The lifetime the window was cut to; only with `current`. */
  lifetimeDays?: number | undefined
}

/** Whether a read counts current answers only: the query's `current`, else the survey's default. */
export function countsCurrent(query: { current?: boolean | undefined }, settings: SurveySettings): boolean {
  return query.current ?? settings.countCurrentOnly ?? false
}

/** The {@link CountedWindow} of a range (see there); `now` is the app's clock. */
export function countedWindow(
  range: { from: number | undefined; to: number | undefined },
  current: boolean,
  settings: SurveySettings,
  now: number,
): CountedWindow {
  if (!current) return { from: range.from, to: range.to, current: false }
  const lifetimeDays = settings.responseLifetimeDays
  const from = Math.max(range.from ?? -Infinity, now - lifetimeDays * DAY_MS)
  const to = Math.max(from, Math.min(range.to ?? Infinity, now))
  return { from, to, current: true, lifetimeDays }
}

/** A period cut to a counted window: itself when not current, else its overlap (maybe empty) with it. */
export function withinWindow<W extends { start: number; end: number }>(period: W, window: CountedWindow): W {
  if (!window.current) return period
  const start = Math.max(period.start, window.from!)
  return { ...period, start, end: Math.max(start, Math.min(period.end, window.to!)) }
}

const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString())

/** A counted window as JSON: ISO times, null for an open end. */
export function windowJson(window: CountedWindow) {
  return {
    from: isoOrNull(window.from),
    to: isoOrNull(window.to),
    current: window.current,
    ...(window.lifetimeDays === undefined ? {} : { lifetimeDays: window.lifetimeDays }),
  }
}

/** The answer's `counted` field, in the OpenAPI document once. */
export const windowSchema = z
  .object({
    from: z
      .string()
      .nullable()
      .openapi({ description: 'counted from this time (inclusive); null: the first answer' }),
    to: z.string().nullable().openapi({ description: 'up to this time (exclusive); null: the last answer' }),
    current: z.boolean().openapi({
      description: 'true: only current answers, those within the survey’s responseLifetimeDays up to now',
    }),
    lifetimeDays: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'the lifetime used; only when current' }),
  })
  .openapi('CountedWindow', {
    description:
      'the time window this answer counted: the request’s from/to, cut to the answers’ lifetime when current',
  })

/** The answer filter of a validated analytics query (time range given separately). */
export function filterOf(
  query: {
    locale?: string | undefined
    path?: string | undefined
    device?: (typeof DEVICES)[number] | undefined
    latestPerRespondent?: boolean | undefined
  },
  range: { from: number | undefined; to: number | undefined },
): AnalyticsFilter {
  return {
    from: range.from,
    to: range.to,
    locale: query.locale,
    path: query.path,
    device: query.device,
    segments: segmentsOf(query),
    latestPerRespondent: query.latestPerRespondent,
  }
}

export function encodeCursor(cursor: Cursor | null): string | null {
  return cursor && Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url')
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      !value[1].includes('\u0000')
    ) {
      return { createdAt: value[0], id: value[1] }
    }
  } catch {}
  throw invalidQuery('cursor is not one this API gave out', 'cursor')
}

/**
 * The change feed's position (`since`, `next`): opaque to clients, base64url of `c1:<number>`. Only the
 * exact text this API writes is read back, so a token it did not give out is refused, never taken as
 * some other position.
 */
export const changeTokenParam = z
  .string()
  .optional()
  .openapi({ description: 'the `next` of the previous read; none: from the beginning' })

const CHANGE_TOKEN = /^c1:(0|[1-9]\d{0,15})$/

export function encodeChangeToken(seq: number): string {
  return Buffer.from(`c1:${seq}`).toString('base64url')
}

export function decodeChangeToken(raw: string | undefined): number {
  if (raw === undefined) return 0
  const match = CHANGE_TOKEN.exec(Buffer.from(raw, 'base64url').toString('utf8'))
  const seq = match ? Number(match[1]) : Number.NaN
  if (!Number.isSafeInteger(seq) || encodeChangeToken(seq) !== raw) {
    throw invalidQuery('since is not a token this API gave out', 'since')
  }
  return seq
}
