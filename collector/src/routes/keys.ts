/**
 * Admin routes for API keys: create (the secret is shown in that answer only), list, revoke. The last
 * active key cannot be revoked, so nobody locks themselves out of their own collector.
 *
 * @example
 * admin.route('/', keyRoutes(deps))
 */

import { textOf } from '@npskit/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { ApiKeyInfo } from '../backend/backend.ts'
import { generateSecret } from '../backend/secrets.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { ApiError, notFound } from '../http/errors.ts'

export const keyCreateSchema = z.strictObject({ name: textOf(200, 1) })

export function keyJson(key: ApiKeyInfo) {
  return {
    id: key.id,
    name: key.name,
    last4: key.last4,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  }
}

export function keyRoutes({ backend, config, clock }: AppDeps) {
  const app = new Hono<AdminEnv>()

  app.post('/keys', async (c) => {
    const { name } = await readJson(c.req.raw, keyCreateSchema, { limit: config.adminBodyLimit })
    const secret = generateSecret()
    const key = await backend.addApiKey({ name, secret }, clock.now())
    return c.json({ ...keyJson(key), key: secret }, 201)
  })

  app.get('/keys', async (c) => {
    return c.json({ items: (await backend.listApiKeys()).map(keyJson), nextCursor: null })
  })

  app.delete('/keys/:id', async (c) => {
    const id = c.req.param('id')
    const key = (await backend.listApiKeys()).find((k) => k.id === id)
    if (!key) throw notFound('key')
    if (key.revokedAt === null && (await backend.countActiveApiKeys()) <= 1) {
      throw new ApiError(409, 'last_key', 'this is the last active key; create another before revoking it')
    }
    const revoked = await backend.revokeApiKey(id, clock.now())
    if (!revoked) throw notFound('key')
    return c.json(keyJson(revoked))
  })

  return app
}
