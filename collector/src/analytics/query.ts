/**
 * Query-string parsing for the analytics routes: every parameter is validated with zod, times are read
 * in the request's time zone, and anything wrong answers 400 `invalid_query` with a message that names
 * the parameter. Unknown parameters are refused too, so a typo (`intervall=week`) never silently
 * answers something else.
 */
import { LIMITS, localeSchema } from '@npskit/shared'
import { z } from 'zod'
import type { AnalyticsFilter } from '../backend/backend.ts'
import { ApiError } from '../http/errors.ts'
import { instantOfWallClock, isTimeZone } from './periods.ts'

/** A 400 `invalid_query` naming the parameter. */
export const invalidQuery = (message: string, path: string) =>
  new ApiError(400, 'invalid_query', message, [{ path, message }])

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * An ISO 8601 date or date-time as ms. A date, or a date-time without an offset, is a wall-clock time
 * in `tz` (so `from=2026-03-01&tz=Europe/Berlin` starts at Berlin's midnight); `Z` or `+02:00` is exact.
 */
export function parseInstant(name: string, raw: string, tz: string): number {
  const match = ISO_TIME.exec(raw)
  const fail = () => invalidQuery(`${name} must be an ISO 8601 date or date-time, such as 2026-03-01`, name)
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

const flag = (name: string) =>
  z.enum(['true', 'false'], { error: `${name} must be true or false` }).transform((v) => v === 'true')

const positiveInt = (name: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be an integer from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `${name} must be an integer from 1 to ${max}`)

/** The parameters every read endpoint takes. */
export const commonShape = {
  tz: z
    .string()
    .refine(isTimeZone, 'tz must be an IANA time zone such as Europe/Berlin or UTC')
    .default('UTC'),
  from: z.string().optional(),
  to: z.string().optional(),
  locale: localeSchema.optional(),
  path: z
    .string()
    .max(LIMITS.url, `path is at most ${LIMITS.url} characters`)
    .startsWith('/', 'path must start with /')
    .optional(),
  device: z
    .enum(['desktop', 'mobile', 'tablet'], { error: 'device must be desktop, mobile or tablet' })
    .optional(),
  latestPerRespondent: flag('latestPerRespondent').optional(),
}

export const shapes = {
  nps: commonShape,
  trend: {
    ...commonShape,
    interval: z
      .enum(['day', 'week', 'month'], { error: 'interval must be day, week or month' })
      .default('day'),
    window: positiveInt('window', 3650).optional(),
  },
  breakdown: {
    ...commonShape,
    by: z.string({ error: 'by is required: locale, path, device or metadata.<key>' }),
    limit: positiveInt('limit', 1000).optional(),
  },
  compare: {
    ...commonShape,
    aFrom: z.string({ error: 'aFrom is required' }),
    aTo: z.string({ error: 'aTo is required' }),
    bFrom: z.string({ error: 'bFrom is required' }),
    bTo: z.string({ error: 'bTo is required' }),
  },
  target: { ...commonShape },
  themes: {
    ...commonShape,
    category: z.enum(['detractor', 'passive', 'promoter'], {
      error: 'category is required: detractor, passive or promoter',
    }),
    limit: positiveInt('limit', 100).optional(),
    minCount: positiveInt('minCount', 1000).optional(),
  },
} satisfies Record<string, z.ZodRawShape>

const METADATA_KEY = /^[A-Za-z0-9_.:-]{1,64}$/

/**
 * Validates a query against a shape; `segment.<key>` parameters become segment filters. Throws
 * a 400 {@link ApiError} naming the first bad parameter.
 */
export function parseQuery<Shape extends z.ZodRawShape>(
  shape: Shape,
  query: Record<string, string>,
  allowed: readonly (keyof Shape)[] = Object.keys(shape) as (keyof Shape)[],
): z.output<z.ZodObject<Shape>> & { segments: [string, string][] } {
  const plain: Record<string, string> = {}
  const segments: [string, string][] = []
  for (const [name, value] of Object.entries(query)) {
    if (value.includes('\u0000'))
      throw invalidQuery(`${name} must not contain the NUL character (U+0000)`, name)
    if (name.startsWith('segment.')) {
      const key = name.slice('segment.'.length)
      if (!METADATA_KEY.test(key)) {
        throw invalidQuery(`${name}: a metadata key uses 1–64 letters, digits and _ . : -`, name)
      }
      if (value.length > LIMITS.metadataValue) {
        throw invalidQuery(`${name} is at most ${LIMITS.metadataValue} characters`, name)
      }
      segments.push([key, value])
    } else if (!allowed.includes(name as keyof Shape)) {
      throw invalidQuery(`unknown parameter ${name}`, name)
    } else {
      plain[name] = value
    }
  }
  if (segments.length > LIMITS.metadataKeys) {
    throw invalidQuery(`at most ${LIMITS.metadataKeys} segment.<key> parameters`, 'segment')
  }
  const result = z.object(shape).safeParse(plain)
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }))
    const first = issues[0]!
    const message = first.message.includes(first.path) ? first.message : `${first.path}: ${first.message}`
    throw new ApiError(400, 'invalid_query', message, issues)
  }
  return { ...(result.data as z.output<z.ZodObject<Shape>>), segments }
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

/** The answer filter of a parsed query (time range given separately). */
export function filterOf(
  query: {
    locale?: string | undefined
    path?: string | undefined
    device?: 'desktop' | 'mobile' | 'tablet' | undefined
    latestPerRespondent?: boolean | undefined
    segments: [string, string][]
  },
  range: { from: number | undefined; to: number | undefined },
): AnalyticsFilter {
  return {
    from: range.from,
    to: range.to,
    locale: query.locale,
    path: query.path,
    device: query.device,
    segments: query.segments,
    latestPerRespondent: query.latestPerRespondent,
  }
}
