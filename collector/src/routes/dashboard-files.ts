/**
 * Serves the dashboard (dashboard/dist, built by `pnpm build`): `/` and every `/dashboard/…` view answer
 * its one page, which routes in the browser, so any view's URL can be bookmarked or reloaded; the hashed
 * assets under `/dashboard/assets/` are cached for a year. Pages carry a strict Content-Security-Policy:
 * scripts, styles, frames and requests from the collector's own origin only, and no one else may frame
 * them (the card preview is framed by the dashboard itself).
 *
 * @example
 * app.route('/', dashboardFiles(config.dashboardDir))
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { ApiError } from '../http/errors.ts'
import { errors, handle, handleWildcard, openApp } from '../http/openapi.ts'
import { answerFile, fileCache, fileRoute } from './widget-files.ts'

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const tags = ['dashboard']

const policy = (frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self'",
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ')

const pageRoute = (path: string, summary: string) =>
  createRoute({
    method: 'get',
    path,
    tags,
    summary,
    'x-query': 'ignored' as const,
    responses: {
      200: { description: 'the page', content: { 'text/html': { schema: z.string() } } },
      304: { description: 'not modified (If-None-Match)' },
      ...errors(404),
    },
  })

export function dashboardFiles(dir: string) {
  const load = fileCache()
  const app = openApp()

  const notBuilt = async () => {
    const folder = await stat(dir).catch(() => undefined)
    return new ApiError(
      404,
      'dashboard_not_built',
      folder?.isDirectory()
        ? `the dashboard build in ${dir} is incomplete: run \`pnpm build\` at the repository root`
        : 'the dashboard is not built: run `pnpm build` at the repository root (or set NPSKIT_DASHBOARD_DIR)',
    )
  }

  /** A page: never cached without asking (a new build must reach the next load), framed as `frameAncestors` allows. */
  const page = async (c: Context, name: string, frameAncestors: string) => {
    const file = await load(join(dir, name))
    if (!file) throw await notBuilt()
    const res = answerFile(c, name, file)
    res.headers.set('Cache-Control', 'no-cache')
    res.headers.set('Content-Security-Policy', policy(frameAncestors))
    res.headers.set('Referrer-Policy', 'same-origin')
    if (frameAncestors === "'none'") res.headers.set('X-Frame-Options', 'DENY')
    return res
  }

  handle(app, pageRoute('/', 'The dashboard: sign in, or the surveys when signed in'), (c) =>
    page(c, 'index.html', "'none'"),
  )

  handleWildcard(
    app,
    fileRoute(
      '/dashboard/assets/{file}',
      'A file of the dashboard build (content-hashed: cached for a year)',
      tags,
    ),
    async (c) => {
      const name = c.req.path.slice('/dashboard/assets/'.length)
      if (!FILE_NAME.test(name)) throw new ApiError(404, 'not_found', 'no such file')
      const file = await load(join(dir, 'assets', name))
      if (!file)
        throw (await load(join(dir, 'index.html')))
          ? new ApiError(404, 'not_found', `no file ${name} in the dashboard build`)
          : await notBuilt()
      const res = answerFile(c, name, file)
      res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
      return res
    },
  )

  handle(
    app,
    pageRoute('/dashboard/preview', 'The card preview the settings view frames (the widget’s own build)'),
    (c) => page(c, 'preview.html', "'self'"),
  )

  handle(app, pageRoute('/dashboard', 'The dashboard’s surveys'), (c) => page(c, 'index.html', "'none'"))
  handleWildcard(
    app,
    createRoute({
      ...pageRoute(
        '/dashboard/{view}',
        'A view of the dashboard (routed in the browser): surveys, a survey’s overview, breakdown, compare, themes, responses, settings; keys',
      ),
      request: { params: z.object({ view: z.string().openapi({ example: 'surveys' }) }) },
    }),
    (c) => page(c, 'index.html', "'none'"),
  )

  return app
}
