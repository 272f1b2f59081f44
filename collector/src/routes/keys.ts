/**
 * Admin routes for API keys: create (the secret is shown in that answer only), list, revoke. The last
 * active key cannot be revoked, so nobody locks themselves out of their own collector.
 *
 * @example
 * admin.route('/', keyRoutes(deps))
 */

import { createRoute, z } from '@hono/zod-openapi'
import { textOf } from '@npskit/shared'
import type { ApiKeyInfo } from '../backend/backend.ts'
import { generateSecret } from '../backend/secrets.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { ApiError, notFound } from '../http/errors.ts'
import {
  errors,
  handle,
  idParam,
  json,
  jsonBody,
  openApp,
  adminSecurity as security,
} from '../http/openapi.ts'
import { pageOf } from './surveys.ts'

export const keyScopeSchema = z.enum(['admin', 'read']).openapi({
  description:
    '`admin`: everything; `read`: the GET routes of surveys, answers, figures and exports, and /metrics (no settings, keys, imports or erasure)',
})

export const keyCreateSchema = z.strictObject({
  name: textOf(200, 1),
  scope: keyScopeSchema.default('admin'),
})

export function keyJson(key: ApiKeyInfo) {
  return {
    id: key.id,
    name: key.name,
    scope: key.scope,
    last4: key.last4,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  }
}

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: keyScopeSchema,
    last4: z.string().nullable().openapi({
      description: 'the last 4 characters of the secret; null for a key stored before they were kept',
    }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey', { description: 'a key, without its secret' })

const tags = ['keys']

export function keyRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  const createKeyRoute = createRoute({
    method: 'post',
    path: '/keys',
    tags,
    security,
    summary: 'Create a key with a scope, admin by default (its secret is in this answer only)',
    request: { body: jsonBody(app, 'ApiKeyCreate', keyCreateSchema) },
    responses: {
      201: json(
        apiKeySchema.extend({ key: z.string() }).openapi('ApiKeyCreated'),
        'the key, with its secret in `key`',
      ),
      ...errors(400, 401, 413, 415),
    },
  })
  handle(app, createKeyRoute, async (c) => {
    const { name, scope } = await readJson(c.req.raw, keyCreateSchema, { limit: config.adminBodyLimit })
    const secret = generateSecret()
    const key = await backend.addApiKey({ name, secret, scope }, clock.now())
    return c.json({ ...keyJson(key), key: secret }, 201)
  })

  const listKeysRoute = createRoute({
    method: 'get',
    path: '/keys',
    tags,
    security,
    summary: 'List keys, revoked ones included',
    responses: { 200: json(pageOf(apiKeySchema), 'every key'), ...errors(400, 401) },
  })
  handle(app, listKeysRoute, async (c) => {
    return c.json({ items: (await backend.listApiKeys()).map(keyJson), nextCursor: null })
  })

  const revokeKeyRoute = createRoute({
    method: 'delete',
    path: '/keys/{id}',
    tags,
    security,
    summary: 'Revoke a key (not the last active admin key); its dashboard sessions end at once',
    request: { params: z.object({ id: idParam('the key id', 'key_7Hq2') }) },
    responses: { 200: json(apiKeySchema, 'the revoked key'), ...errors(401, 404, 409) },
  })
  handle(app, revokeKeyRoute, async (c) => {
    const id = c.req.param('id')
    const keys = await backend.listApiKeys()
    const key = keys.find((k) => k.id === id)
    if (!key) throw notFound('key')
    // Read keys cannot make keys: without an active admin key nobody could manage the collector again.
    const admins = keys.filter((k) => k.revokedAt === null && k.scope === 'admin').length
    if (key.revokedAt === null && key.scope === 'admin' && admins <= 1) {
      throw new ApiError(
        409,
        'last_key',
        'this is the last active admin key; create another before revoking it',
      )
    }
    const revoked = await backend.revokeApiKey(id, clock.now())
    if (!revoked) throw notFound('key')
    return c.json(keyJson(revoked))
  })

  return app
}
