/**
 * The collector as one function: `createApp({ backend, config, clock })` returns a Hono app, so tests
 * call `app.request()` and the Node server (server.ts) is a thin shell around `app.fetch`. Every route
 * is mounted whatever the engine: each talks to the backend contract only.
 *
 * Route order matters: the public routes are registered before the admin surface, so that a public
 * route answers without meeting the admin key check that guards everything else under `/v1`.
 *
 * @example
 * const backend = await openBackend(loadConfig())
 * const app = createApp({ backend, config: loadConfig() })
 * const res = await app.request('/healthz')
 */
import { createRoute, z } from '@hono/zod-openapi'
import { analyticsRoutes } from './analytics/routes.ts'
import type { Backend } from './backend/backend.ts'
import type { Config } from './config.ts'
import { type AppDeps, type Clock, systemClock } from './deps.ts'
import { type AdminEnv, requireAdminKey } from './http/auth.ts'
import { answerError, notFoundRoute } from './http/errors.ts'
import { errors, handle, json, openApp } from './http/openapi.ts'
import { keyRoutes } from './routes/keys.ts'
import { openapiRoutes } from './routes/openapi.ts'
import { publicRoutes } from './routes/public.ts'
import { responseRoutes } from './routes/responses.ts'
import { surveyRoutes } from './routes/surveys.ts'
import { widgetFiles } from './routes/widget-files.ts'

export interface CreateAppOptions {
  backend: Backend
  config: Config
  clock?: Clock
}

export function createApp({ backend, config, clock = systemClock }: CreateAppOptions) {
  const deps: AppDeps = { backend, config, clock }
  const app = openApp()

  const health = createRoute({
    method: 'get',
    path: '/healthz',
    tags: ['meta'],
    summary: 'Health: answers while the collector serves requests',
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'up'), ...errors(400) },
  })
  handle(app, health, (c) => c.json({ ok: true }))
  // The document is generated from `app` itself on first read, once every route below is mounted.
  app.route('/', openapiRoutes(app, config.publicUrl))

  app.route('/v1', publicRoutes(deps))

  const admin = openApp<AdminEnv>()
  admin.use('*', requireAdminKey(backend))
  admin.route('/', surveyRoutes(deps))
  admin.route('/', responseRoutes(deps))
  admin.route('/', keyRoutes(deps))
  admin.route('/', analyticsRoutes(deps))
  app.route('/v1', admin)

  app.route('/', widgetFiles(config.widgetDir))

  app.notFound(notFoundRoute)
  app.onError(answerError)
  return app
}
