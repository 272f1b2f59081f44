/**
 * Admin authentication: every admin route needs `Authorization: Bearer <key>` with an active key.
 * Applied once to the whole admin surface, so a new admin route cannot forget it.
 *
 * Wrong keys are throttled per client address (an IPv6 address by its /64): each may fail `authFailureLimit` times a minute
 * (refilled evenly), then gets 429 `rate_limited` with `Retry-After` and no key check at all until then,
 * so a guesser learns nothing faster than the limit. Only failures count: a valid key never spends any
 * of the allowance, and an attacker at one address cannot slow down an admin at another.
 *
 * @example
 * admin.use('*', requireAdminKey(backend, { failuresPerMinute: 10, trustProxy: false, now: Date.now }))
 */
import type { MiddlewareHandler } from 'hono'
import type { ApiKeyInfo, Keys } from '../backend/backend.ts'
import { addressBlock, clientAddress } from './client.ts'
import { ApiError } from './errors.ts'
import { RateLimiter } from './rate-limit.ts'

export interface AdminEnv {
  Variables: { apiKey: ApiKeyInfo }
}

export interface AdminKeyOptions {
  /** Failed attempts per minute per client address; 0 turns the throttle off. */
  failuresPerMinute: number
  trustProxy: boolean
  now: () => number
}

const rateLimited = (wait: number) =>
  new ApiError(429, 'rate_limited', `too many wrong keys from this address; retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  })

export function requireAdminKey(keys: Keys, options: AdminKeyOptions): MiddlewareHandler<AdminEnv> {
  const failures = new RateLimiter(options.failuresPerMinute, options.now)
  return async (c, next) => {
    const client = addressBlock(clientAddress(c, options.trustProxy))
    const waiting = failures.refusedFor(client)
    if (waiting > 0) throw rateLimited(waiting)
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
    const key = match ? await keys.verifyApiKey(match[1]!) : undefined
    if (!key) {
      // Asking without a key is no guess; a wrong key is, and the one that runs the allowance dry is
      // already answered 429.
      const wait = match ? failures.take(client) : 0
      if (wait > 0) throw rateLimited(wait)
      throw new ApiError(
        401,
        'unauthorized',
        'an admin key is required: Authorization: Bearer <key>',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      )
    }
    c.set('apiKey', key)
    await next()
  }
}
