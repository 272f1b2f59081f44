/**
 * Serves the built widget (`/nps.js`, the card, the ESM entry, …) from the collector's root, so a site
 * owner needs one URL. Only plain file names of that one folder are served (no sub-folders, no dot
 * files, no traversal). Any site may load them (CORS `*`, CORP cross-origin); an ETag of the content and
 * a one-hour cache keep repeat loads cheap while a new loader still reaches visitors within the hour.
 *
 * The collector never imports the widget package: it serves whatever files the build left there.
 *
 * @example
 * app.route('/', widgetFiles(config.widgetDir))
 */
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { ApiError } from '../http/errors.ts'
import { errors, handleWildcard, openApp } from '../http/openapi.ts'

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

interface CachedFile {
  mtimeMs: number
  size: number
  body: Buffer
  etag: string
}

/**
 * Reads files by path, kept in memory with an ETag of their content until they change on disk.
 * Shared by the widget files and the `/docs` page's assets (routes/openapi.ts).
 */
export function fileCache() {
  const cache = new Map<string, CachedFile>()
  return async (path: string): Promise<CachedFile | undefined> => {
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) return undefined
    const cached = cache.get(path)
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached
    const body = await readFile(path)
    const file = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    }
    cache.set(path, file)
    return file
  }
}

/** A file's answer: an hour's cache, its ETag, 304 to a matching If-None-Match, its content type. */
export function answerFile(c: Context, name: string, file: CachedFile): Response {
  c.header('Cache-Control', 'public, max-age=3600')
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('ETag', file.etag)
  const match = c.req.header('if-none-match')
  if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
    return c.body(null, 304)
  }
  c.header('Content-Type', CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream')
  return c.body(new Uint8Array(file.body))
}

/** The route of a file of one folder, documented like every other route (it ignores a query string). */
export const fileRoute = (path: string, summary: string, tags: string[]) =>
  createRoute({
    method: 'get',
    path,
    tags,
    summary,
    request: { params: z.object({ file: z.string().openapi({ example: 'nps.js' }) }) },
    // A cache-busting `?v=2` on a script tag is common: files take any query string and ignore it.
    'x-query': 'ignored' as const,
    responses: {
      200: { description: 'the file' },
      304: { description: 'not modified (If-None-Match)' },
      ...errors(404),
    },
  })

export function widgetFiles(dir: string) {
  const load = fileCache()
  const app = openApp()

  // Mounted as `/*`, documented as `/{file}` (see handleWildcard).
  handleWildcard(
    app,
    fileRoute('/{file}', 'A file of the widget build: nps.js (the loader), the card, the ESM entry', [
      'widget',
    ]),
    async (c) => {
      const name = c.req.path.slice(1)
      if (!FILE_NAME.test(name)) throw new ApiError(404, 'not_found', 'no such file')
      const file = await load(join(dir, name))
      if (!file) {
        const folder = await stat(dir).catch(() => undefined)
        if (!folder?.isDirectory()) {
          throw new ApiError(
            404,
            'widget_not_built',
            'the widget is not built: run `pnpm build` at the repository root (or set NPSKIT_WIDGET_DIR)',
          )
        }
        throw new ApiError(404, 'not_found', `no file ${name} in the widget build`)
      }
      c.header('Access-Control-Allow-Origin', '*')
      c.header('Cross-Origin-Resource-Policy', 'cross-origin')
      return answerFile(c, name, file)
    },
  )

  return app
}
