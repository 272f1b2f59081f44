/**
 * The collector as one function: `createApp({ store, config, clock })` returns a Hono app, so tests call
 * `app.request()` and the Node server (server.ts) is a thin shell around `app.fetch`.
 *
 * Route order matters: the public routes are registered before the admin surface, so that a public
 * route answers without meeting the admin key check that guards everything else under `/v1`.
 *
 * @example
 * const store = new SqliteStore('./data/npskit.db')
 * const app = createApp({ store, config: loadConfig() })
 * const res = await app.request('/healthz')
 */
import { Hono } from 'hono'
import { analyticsRoutes } from './analytics/routes.ts'
import { type AnalyticsStore, SqliteAnalytics } from './analytics/store.ts'
import type { Config } from './config.ts'
import { type AppDeps, type Clock, systemClock } from './deps.ts'
import { type AdminEnv, requireAdminKey } from './http/auth.ts'
import { ApiError } from './http/errors.ts'
import { keyRoutes } from './routes/keys.ts'
import { openapiRoutes } from './routes/openapi.ts'
import { publicRoutes } from './routes/public.ts'
import { responseRoutes } from './routes/responses.ts'
import { surveyRoutes } from './routes/surveys.ts'
import { widgetFiles } from './routes/widget-files.ts'
import { SqliteStore } from './store/sqlite-store.ts'
import type { Store } from './store/store.ts'

export interface CreateAppOptions {
  store: Store
  config: Config
  clock?: Clock
  /** The read side of NPS figures; defaults to SQL over a SqliteStore's database. */
  analytics?: AnalyticsStore
}

export function createApp({ store, config, clock = systemClock, analytics }: CreateAppOptions) {
  const deps: AppDeps = { store, config, clock }
  const app = new Hono()

  app.get('/healthz', (c) => c.json({ ok: true }))
  app.route('/', openapiRoutes(config.publicUrl))

  app.route('/v1', publicRoutes(deps))

  const admin = new Hono<AdminEnv>()
  admin.use('*', requireAdminKey(store))
  admin.route('/', surveyRoutes(deps))
  admin.route('/', responseRoutes(deps))
  admin.route('/', keyRoutes(deps))
  const reads = analytics ?? (store instanceof SqliteStore ? new SqliteAnalytics(store.db) : undefined)
  if (reads) {
    const getSurvey = (id: string) => store.getSurvey(id)
    admin.route('/', analyticsRoutes({ analytics: reads, getSurvey, clock: () => new Date(clock.now()) }))
  }
  app.route('/v1', admin)

  app.route('/', widgetFiles(config.widgetDir))

  app.notFound((c) => c.json(new ApiError(404, 'not_found', 'no such route').toJSON(), 404))
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
      return c.json(error.toJSON(), error.status)
    }
    console.error(error)
    return c.json(new ApiError(500, 'internal', 'something went wrong on our side').toJSON(), 500)
  })
  return app
}
