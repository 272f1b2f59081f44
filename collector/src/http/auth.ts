/**
 * Admin authentication: every admin route needs `Authorization: Bearer <key>` with an active key.
 * Applied once to the whole admin surface, so a new admin route cannot forget it.
 *
 * @example
 * admin.use('*', requireAdminKey(backend))
 */
import type { MiddlewareHandler } from 'hono'
import type { ApiKeyInfo, Keys } from '../backend/backend.ts'
import { ApiError } from './errors.ts'

export interface AdminEnv {
  Variables: { apiKey: ApiKeyInfo }
}

export function requireAdminKey(keys: Keys): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')
    const key = match ? await keys.verifyApiKey(match[1]!) : undefined
    if (!key) {
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
