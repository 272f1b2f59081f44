/**
 * Routes that describe themselves: every route of the collector is declared with `createRoute` (path,
 * parameters, body, answers as zod schemas) and mounted on an `OpenAPIHono`, so `/openapi.json` is the
 * app's own registry and no route or parameter can be missing from it (routes/openapi.test.ts walks
 * the app to hold that).
 *
 * Validation failures answer the API's one error shape (`defaultHook`). Query strings are validated by
 * the route's schema (http/query.ts); a route without one refuses any query parameter, unless its
 * document says `x-query: ignored` (static files, where `?v=2` busts a cache). JSON bodies are
 * documented here but read by the project's own reader (http/body.ts: byte caps, `text/plain` on the
 * public POSTs, `invalid_json`), so they are given to the document as references, not as validators.
 *
 * @example
 * const app = openApp<AdminEnv>()
 * handle(app, createRoute({ method: 'get', path: '/things', responses: { 200: json(thing, 'a thing') } }), (c) => …)
 */
import { type Hook, OpenAPIHono, type RouteConfig, type RouteHandler, z } from '@hono/zod-openapi'
import { errorBodySchema } from '@npskit/shared'
import type { Context, Env } from 'hono'
import type { KeyScope } from '../backend/backend.ts'
import { requireScope } from './auth.ts'
import { ApiError, invalidBody } from './errors.ts'
import { queryError } from './query.ts'

/** Maps a failed validation to the API's errors: 400 `invalid_query` or `invalid_body`, naming the field. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by every route, whatever its input.
export const defaultHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) return
  if (result.target === 'query') throw queryError(result.error, c.req.queries())
  // A path parameter or header counts as part of the request line: invalid_query, as for respondentId.
  throw invalidBody(
    result.error,
    result.target === 'json' || result.target === 'form' ? 'invalid_body' : 'invalid_query',
  )
}

/** A sub-app whose routes document themselves and answer validation errors in the API's shape. */
export function openApp<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({ defaultHook })
}

/** Refuses any query parameter, for a route that declares none. */
function refuseQuery(c: Context): void {
  const url = c.req.url
  const at = url.indexOf('?')
  const name = at < 0 ? undefined : new URLSearchParams(url.slice(at + 1)).keys().next().value
  if (name !== undefined) {
    throw new ApiError(400, 'invalid_query', `unknown parameter ${name}`, [
      { path: name, message: `unknown parameter ${name}` },
    ])
  }
}

/**
 * Validates the query string with the route's schema (http/query.ts) and hands the result to
 * `c.req.valid('query')`. A parameter given twice arrives as an array, which every schema refuses.
 */
function validateQuery(c: Context, schema: z.ZodType): void {
  const raw = c.req.url.includes('?') ? c.req.queries() : {}
  const input: Record<string, string | string[]> = {}
  for (const [name, values] of Object.entries(raw)) input[name] = values.length === 1 ? values[0]! : values
  const result = schema.safeParse(input)
  if (!result.success) throw queryError(result.error, raw)
  c.req.addValidatedData('query', result.data as object)
}

type RouteContext<R extends RouteConfig, E extends Env> = Parameters<RouteHandler<R, E>>[0]

/**
 * Mounts `route` on `app` with `handler`, and puts it in the app's document. The handler sees the
 * validated query (`c.req.valid('query')`) and answers a plain `Response`: answers stream, build their
 * own headers on the hot path, or come from an error thrown on the way, so they are documented by the
 * route's schemas and held to them by the tests rather than by the type of each `c.json()`.
 *
 * Unlike `app.openapi()`, path parameters are documented but not validated here (each handler looks
 * its id up, and an id that cannot exist is a 404, not a 400), and the query is validated synchronously
 * before the handler: zod-openapi's validator middlewares doubled the time of the public widget-config
 * read.
 */
export function handle<E extends Env, R extends RouteConfig>(
  app: OpenAPIHono<E>,
  route: R,
  handler: (c: RouteContext<R, E>) => Response | Promise<Response>,
): void {
  const { middleware, hide, ...config } = route
  if (middleware) throw new Error(`${route.path}: give middleware to the app (app.use), not to the route`)
  const scope = scopeOf(route.security)
  // Every route with a key can refuse its scope (403 `forbidden`).
  const responses =
    scope && !config.responses[403] ? { ...config.responses, ...errors(403) } : config.responses
  if (!hide) app.openAPIRegistry.registerPath({ ...config, responses })
  const query = route.request?.query
  const ignored = (route as { 'x-query'?: string })['x-query'] === 'ignored'
  const run = handler as unknown as (c: Context) => Response | Promise<Response>
  // One handler, no middleware: Hono calls a lone handler directly, without composing a chain, and
  // the public POST is the collector's hottest path.
  const checked = query
    ? (c: Context) => {
        validateQuery(c, query)
        return run(c)
      }
    : ignored
      ? run
      : (c: Context) => {
          refuseQuery(c)
          return run(c)
        }
  // A route that declares a key is held to the scope it names (`adminSecurity` unless `readSecurity`).
  const scoped = scope
    ? (c: Context) => {
        requireScope(c, scope)
        return checked(c)
      }
    : checked
  app.on(route.method.toUpperCase(), route.path.replaceAll(/\/{(.+?)}/g, '/:$1'), scoped)
}

/** The scope a route's `security` asks for: `read` only when every way in names it, else `admin`. */
export function scopeOf(security: RouteConfig['security']): KeyScope | undefined {
  if (!security?.length) return undefined
  return security.every((way) => Object.values(way).every((scopes) => scopes.includes('read')))
    ? 'read'
    : 'admin'
}

/**
 * Mounts `route`, documented as `…/{name}`, on the wildcard `…/*` instead, for a route whose last
 * segment is any file name: a `/:file` param at the root beside the other routes would move every
 * request of the collector, the hot POST included, from Hono's RegExpRouter to the slower TrieRouter.
 * The handler reads the name from the path; such a route takes any query string (`x-query: ignored`).
 */
export function handleWildcard<E extends Env>(
  app: OpenAPIHono<E>,
  route: RouteConfig & { 'x-query': 'ignored' },
  handler: (c: Context<E>) => Response | Promise<Response>,
): void {
  app.openAPIRegistry.registerPath(route)
  app.on(route.method.toUpperCase(), route.path.replace(/\/\{[^}]+\}$/, '/*'), handler)
}

/**
 * `schema` as the named component `name` of the document. Named on a copy: a zod schema made before
 * @hono/zod-openapi was first imported (`@npskit/shared`'s, when the CLI loads them first) has no
 * `.openapi()` of its own.
 */
export function named<T extends z.ZodType>(name: string, schema: T, description?: string): T {
  const copy = new (schema.constructor as new (def: unknown) => T)(schema._zod.def)
  return copy.openapi(name, description ? { description } : {})
}

export const errorSchema = named(
  'Error',
  errorBodySchema,
  'every error answer: a code, a message, maybe issues',
)

const ERROR_TEXT: Record<number, string> = {
  400: 'bad input: `invalid_query`, `invalid_body`, `invalid_json`, `invalid_encoding` (imports: `invalid_import`, `invalid_rows`)',
  401: '`unauthorized`: no or unknown key, or no live session',
  403: '`origin_not_allowed` or `origin_required` (public routes); `link_invalid`, `link_expired` (link answers); `forbidden` (a read key on an admin route, or a signed-in change from another origin)',
  404: '`not_found`: no such survey, key, webhook endpoint, delivery, file or route',
  409: '`last_key`: the last active admin key cannot be revoked; `too_many_endpoints`, `endpoint_disabled` (webhooks)',
  413: '`body_too_large`',
  415: '`unsupported_media_type`',
  429: '`rate_limited` (see Retry-After)',
  503: '`unavailable`: the database cannot be reached just now (see Retry-After)',
}

/** The error answers of a route, each in the one error shape. */
export function errors(...statuses: (keyof typeof ERROR_TEXT)[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_TEXT[status]!, content: { 'application/json': { schema: errorSchema } } },
    ]),
  ) as Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof errorSchema } } }
  >
}

/** A JSON answer. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

/**
 * What every admin route declares: a key (Bearer) or the dashboard's session cookie, and the scope it
 * needs; `handle()` enforces the scope from here, so a route is `admin` unless it says `read`.
 */
export const adminSecurity: Record<string, string[]>[] = [{ bearer: ['admin'] }, { session: ['admin'] }]

/** A route a `read` key may use too: reads of surveys, answers, figures and exports. */
export const readSecurity: Record<string, string[]>[] = [{ bearer: ['read'] }, { session: ['read'] }]

/**
 * A JSON body read by http/body.ts: registered as a named schema in `app`'s document and referenced
 * from the route (a zod schema there would make the route parse the body itself, without our caps).
 * With `text`, the same JSON may come as `text/plain` (sendBeacon, preflight-free fetch).
 */
export function jsonBody(
  app: { openAPIRegistry: OpenAPIHono['openAPIRegistry'] },
  name: string,
  schema: z.ZodType,
  options: { text?: boolean; description?: string } = {},
) {
  app.openAPIRegistry.register(name, named(name, schema))
  const ref = { $ref: `#/components/schemas/${name}` }
  return {
    required: true,
    ...(options.description ? { description: options.description } : {}),
    content: {
      'application/json': { schema: ref },
      ...(options.text
        ? {
            'text/plain': {
              schema: { type: 'string' as const, contentMediaType: 'application/json', contentSchema: ref },
            },
          }
        : {}),
    },
  }
}

/** A path parameter: documented here, checked by the handler (an id that cannot exist is a 404). */
export const idParam = (description: string, example: string) => z.string().openapi({ description, example })

export { z }
