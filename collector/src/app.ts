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
import { accessLog, createLogger, type Logger } from './http/log.ts'
import { createMetrics, METRICS_CONTENT_TYPE, type Metrics } from './http/metrics.ts'
import { errors, handle, json, openApp, readSecurity } from './http/openapi.ts'
import { linkAdminRoutes, linkPages, linkPublicRoutes } from './links/routes.ts'
import { caseRoutes } from './routes/cases.ts'
import { dashboardFiles } from './routes/dashboard-files.ts'
import { keyRoutes } from './routes/keys.ts'
import { lifecycleRoutes } from './routes/lifecycle.ts'
import { openapiRoutes } from './routes/openapi.ts'
import { publicRoutes } from './routes/public.ts'
import { responseRoutes } from './routes/responses.ts'
import { sessionRoutes } from './routes/sessions.ts'
import { surveyRoutes } from './routes/surveys.ts'
import { webhookRoutes } from './routes/webhooks.ts'
import { widgetFiles } from './routes/widget-files.ts'

export interface CreateAppOptions {
  backend: Backend
  config: Config
  clock?: Clock
  /** Where log lines go; default: JSON on stdout at `config.logLevel`. */
  logger?: Logger
  /** The request counters `/metrics` reports; pass one to serve them on another port too (server.ts). */
  metrics?: Metrics
}

export function createApp({
  backend,
  config,
  clock = systemClock,
  logger = createLogger({ level: config.logLevel }),
  metrics = createMetrics(),
}: CreateAppOptions) {
  const deps: AppDeps = { backend, config, clock }
  const app = openApp()
  app.use('*', accessLog(logger, metrics.observe))
  // One key check (and one wrong-key allowance per address) for every route that needs a key.
  const adminKey = requireAdminKey(backend, {
    failuresPerMinute: config.authFailureLimit,
    trustProxy: config.trustProxy,
    now: () => clock.now(),
    publicUrl: config.publicUrl,
  })

  const health = createRoute({
    method: 'get',
    path: '/healthz',
    tags: ['meta'],
    summary: 'Health: answers while the collector serves requests',
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'up'), ...errors(400) },
  })
  handle(app, health, (c) => c.json({ ok: true }))

  // Traffic figures are not for strangers: an admin key here, or none on a private port (server.ts).
  const meta = openApp()
  meta.use('*', adminKey)
  const metricsRoute = createRoute({
    method: 'get',
    path: '/',
    tags: ['meta'],
    security: readSecurity,
    summary: 'Prometheus metrics: requests, latencies, the write queue, group-commit sizes, storage',
    responses: {
      200: {
        description: 'the Prometheus text format',
        content: { 'text/plain': { schema: z.string() } },
      },
      ...errors(400, 401, 429),
    },
  })
  handle(meta, metricsRoute, async (c) =>
    c.body(metrics.render(await backend.stats()), 200, { 'content-type': METRICS_CONTENT_TYPE }),
  )
  app.route('/metrics', meta)

  // The document is generated from `app` itself on first read, once every route below is mounted.
  app.route('/', openapiRoutes(app, config.publicUrl))

  app.route('/v1', publicRoutes(deps))
  app.route('/v1', linkPublicRoutes(deps))
  const sessions = sessionRoutes(deps, adminKey)
  app.route('/v1', sessions.signIn)

  const admin = openApp<AdminEnv>()
  admin.use('*', adminKey)
  admin.route('/', sessions.current)
  admin.route('/', surveyRoutes(deps))
  admin.route('/', responseRoutes(deps))
  admin.route('/', lifecycleRoutes(deps))
  admin.route('/', keyRoutes(deps))
  admin.route('/', analyticsRoutes(deps))
  admin.route('/', caseRoutes(deps))
  admin.route('/', webhookRoutes(deps))
  admin.route('/', linkAdminRoutes(deps))
  app.route('/v1', admin)

  // Before the file routes, whose `/*` would take `/s/…` for a file name.
  app.route('/', linkPages(deps))
  app.route('/', dashboardFiles(config.dashboardDir))
  app.route('/', widgetFiles(config.widgetDir))

  app.notFound(notFoundRoute)
  app.onError(answerError)
  return app
}
