/**
 * The collector's log: one JSON object per line on stdout, and an access line per request.
 *
 * An access line holds the time, the request id (also answered as `X-Request-Id`; a sane incoming one is
 * kept, so a proxy's id follows the request), the method, the route pattern, the status and the duration.
 * The route is the pattern (`/v1/respondents/:respondentId`), never the path: paths carry respondent ids,
 * which are personal data, and a path that matches no route is whatever a stranger typed. Nothing else
 * of the request is logged — no key, no body, no query string, no address.
 *
 * @example
 * const logger = createLogger({ level: 'info' })
 * app.use('*', accessLog(logger))
 * logger.error('the database went away', { error: String(error) })
 */
import { randomUUID } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

type Fields = Record<string, unknown>

export interface Logger {
  readonly level: LogLevel
  debug(msg: string, fields?: Fields): void
  info(msg: string, fields?: Fields): void
  warn(msg: string, fields?: Fields): void
  error(msg: string, fields?: Fields): void
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

/**
 * A logger that writes lines of `level` and above as JSON (`{ time, level, msg, ...fields }`).
 *
 * @example
 * const lines: string[] = []
 * const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) })
 */
export function createLogger({
  level = 'info',
  write = (line: string) => process.stdout.write(line),
}: {
  level?: LogLevel
  write?: (line: string) => void
} = {}): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields?: Fields): void => {
      if (rank[lineLevel] < rank[level]) return
      write(`${JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg, ...fields })}\n`)
    }
  return { level, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

/** What the access log knows of one request, for whoever else counts requests (the metrics). */
export interface RequestRecord {
  method: string
  /** The pattern of the route (or middleware, such as the key check) that answered; `null`: none matched. */
  route: string | null
  status: number
  durationMs: number
}

/** An id from outside (a proxy's) is kept when it is this sane; anything else gets one of ours. */
const OUTSIDE_ID = /^[\w=-]{1,64}$/

/**
 * Gives every request an id (`X-Request-Id`), logs an access line at `info` when it is answered, and
 * hands the same facts to `observe`. The duration is until the response starts: a streamed export's
 * body may flow for longer. One middleware layer, and the line built only when it is written: this
 * runs before every answer the collector gives, the hot POST included.
 *
 * @example
 * app.use('*', accessLog(logger, (r) => metrics.observe(r)))
 */
export function accessLog(logger: Logger, observe?: (record: RequestRecord) => void): MiddlewareHandler {
  const logs = rank[logger.level] <= rank.info
  return async (c, next) => {
    const start = performance.now()
    // The route that answers is the last handler dispatched; if that is still this middleware, no
    // route matched (Hono's not-found answer).
    const own = c.req.routeIndex
    const outside = c.req.header('x-request-id')
    const id = outside !== undefined && OUTSIDE_ID.test(outside) ? outside : randomUUID()
    c.set('logger', logger)
    c.set('requestId', id)
    c.header('X-Request-Id', id)
    await next()
    if (!observe && !logs) return
    const record: RequestRecord = {
      method: c.req.method,
      route: c.req.routeIndex === own ? null : routePath(c) || null,
      status: c.res.status,
      durationMs: Math.round((performance.now() - start) * 1000) / 1000,
    }
    observe?.(record)
    if (logs) logger.info('request', { requestId: id, ...record })
  }
}

const fallback = createLogger({ write: (line) => process.stderr.write(line) })

/** The request's logger (set by {@link accessLog}); for an app without it, JSON lines on stderr. */
export function loggerOf(c: Context): Logger {
  return (c.get('logger') as Logger | undefined) ?? fallback
}

declare module 'hono' {
  interface ContextVariableMap {
    logger: Logger
    requestId: string
  }
}
