/**
 * Admin authentication: every admin route needs `Authorization: Bearer <key>` with an active key, or
 * the dashboard's session cookie (`npskit_session`, made by POST /v1/sessions from a key). Applied once
 * to the whole admin surface, so a new admin route cannot forget it; what the key's scope allows is
 * checked once too, by `handle()` from the route's own `security` (http/openapi.ts, `requireScope`).
 *
 * Wrong keys are throttled per client address (an IPv6 address by its /64): each may fail `authFailureLimit` times a minute
 * (refilled evenly), then gets 429 `rate_limited` with `Retry-After` and no key check at all until then,
 * so a guesser learns nothing faster than the limit. Only failures count: a valid key never spends any
 * of the allowance, and an attacker at one address cannot slow down an admin at another. Signing in
 * spends the same allowance (`checkKey`).
 *
 * A cookie is sent by the browser whoever asks it to, so with the cookie every state-changing request
 * must carry the collector's own `Origin`; Bearer requests (scripts) are unaffected.
 *
 * @example
 * admin.use('*', requireAdminKey(backend, { failuresPerMinute: 10, trustProxy: false, now: Date.now }))
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { ApiKeyInfo, KeyScope, Keys, Sessions } from '../backend/backend.ts'
import { addressBlock, clientAddress } from './client.ts'
import { ApiError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'

export const SESSION_COOKIE = 'npskit_session'

export interface AdminEnv {
  Variables: {
    apiKey: ApiKeyInfo
    /** Set when the request came with the session cookie rather than a Bearer key. */
    session?: { token: string; expiresAt: number }
  }
}

export interface AdminKeyOptions {
  /** Failed attempts per minute per client address; 0 turns the throttle off. */
  failuresPerMinute: number
  trustProxy: boolean
  now: () => number
  /** NPSKIT_PUBLIC_URL: its origin is the collector's own, besides the request's. */
  publicUrl?: string | undefined
}

/** The admin middleware, and the throttled key check that signing in shares with it. */
export type AdminAuth = MiddlewareHandler<AdminEnv> & {
  /** The active key `secret` is; 401 for any other, 429 once the address has spent its allowance. */
  checkKey(c: Context, secret: string | undefined): Promise<ApiKeyInfo>
}

const rateLimited = (wait: number) =>
  new ApiError(429, 'rate_limited', `too many wrong keys from this address; retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  })

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' })

/** What each scope may do: an admin key everything a read key may, and more. */
export function allows(scope: KeyScope, needed: KeyScope): boolean {
  return scope === 'admin' || needed === 'read'
}

/**
 * Refuses a key whose scope falls short of `needed`: 403 `forbidden`, naming both. Called by
 * `handle()` for every route that declares `security`, so no admin route can leave it out.
 */
export function requireScope(c: Context, needed: KeyScope): void {
  const key = (c as Context<AdminEnv>).get('apiKey') as ApiKeyInfo | undefined
  // No key on a route that declares one: a mounting mistake, refused rather than let through.
  if (!key || !allows(key.scope, needed)) {
    throw new ApiError(
      403,
      'forbidden',
      `this needs ${needed === 'admin' ? 'an admin' : 'a read'} key; this key's scope is ${key?.scope ?? 'none'}`,
    )
  }
}

/** The scheme the client used: https when the URL says so, or a trusted proxy does. */
export function isHttps(
  c: Context,
  options: { trustProxy: boolean; publicUrl?: string | undefined },
): boolean {
  if (options.publicUrl?.startsWith('https:')) return true
  if (options.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https') return true
  return new URL(c.req.url).protocol === 'https:'
}

/** Whether `Origin` is the collector's own: the request's scheme and host, or NPSKIT_PUBLIC_URL's origin. */
export function isOwnOrigin(
  c: Context,
  origin: string | undefined,
  options: { trustProxy: boolean; publicUrl?: string | undefined },
): boolean {
  if (!origin) return false
  if (options.publicUrl && origin === new URL(options.publicUrl).origin) return true
  return origin === requestOrigin(c, options.trustProxy)
}

/** The origin this request was made to: its scheme and host, or what a trusted proxy says they were. */
function requestOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url)
  const scheme = isHttps(c, { trustProxy }) ? 'https:' : url.protocol
  const host = (trustProxy && c.req.header('x-forwarded-host')?.split(',')[0]?.trim()) || url.host
  return `${scheme}//${host}`
}

/** Where the collector is reached from outside, for links it hands out: NPSKIT_PUBLIC_URL, else this request's origin. */
export function ownBaseUrl(
  c: Context,
  options: { trustProxy: boolean; publicUrl?: string | undefined },
): string {
  return options.publicUrl ?? requestOrigin(c, options.trustProxy)
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses a state-changing request from another page: 403 `forbidden`, naming the origin expected. */
export function requireOwnOrigin(
  c: Context,
  options: { trustProxy: boolean; publicUrl?: string | undefined },
) {
  if (SAFE_METHODS.has(c.req.method)) return
  const origin = c.req.header('origin')
  if (isOwnOrigin(c, origin, options)) return
  throw new ApiError(
    403,
    'forbidden',
    origin
      ? `a signed-in change must come from the collector's own pages, not ${origin}`
      : 'a signed-in change must come from the collector’s own pages: Origin is missing',
  )
}

export function requireAdminKey(keys: Keys & Sessions, options: AdminKeyOptions): AdminAuth {
  const failures = new RateLimiter(options.failuresPerMinute, options.now)

  const checkKey = async (c: Context, secret: string | undefined): Promise<ApiKeyInfo> => {
    const client = addressBlock(clientAddress(c, options.trustProxy))
    const waiting = failures.refusedFor(client)
    if (waiting > 0) throw rateLimited(waiting)
    const key = secret ? await keys.verifyApiKey(secret) : undefined
    if (key) return key
    // Asking without a key is no guess; a wrong key is, and the one that runs the allowance dry is
    // already answered 429.
    const wait = secret ? failures.take(client) : 0
    if (wait > 0) throw rateLimited(wait)
    throw unauthorized('an admin key is required: Authorization: Bearer <key>')
  }

  const middleware: MiddlewareHandler<AdminEnv> = async (c, next) => {
    const header = c.req.header('authorization')
    const token = header === undefined ? getCookie(c, SESSION_COOKIE) : undefined
    if (token) {
      // A session token has 256 random bits: an unknown one is a stale cookie, not a guess.
      const session = await keys.verifySession(token, options.now())
      if (!session) throw unauthorized('the session has ended or is unknown: sign in again')
      requireOwnOrigin(c, options)
      c.set('apiKey', session.key)
      c.set('session', { token, expiresAt: session.expiresAt })
    } else {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
      c.set('apiKey', await checkKey(c, match?.[1]))
    }
    await next()
  }
  return Object.assign(middleware, { checkKey })
}
