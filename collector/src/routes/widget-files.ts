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
import { Hono } from 'hono'
import { ApiError } from '../http/errors.ts'

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

export function widgetFiles(dir: string) {
  const cache = new Map<string, CachedFile>()
  const app = new Hono()

  const load = async (name: string): Promise<CachedFile | undefined> => {
    const path = join(dir, name)
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) return undefined
    const cached = cache.get(name)
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached
    const body = await readFile(path)
    const file = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    }
    cache.set(name, file)
    return file
  }

  // A wildcard rather than a `/:file{…}` pattern: Hono's RegExpRouter (its fastest) cannot hold a
  // pattern param at the root beside the other routes, and one such route would put every request of
  // the collector, the hot POST included, on the slower TrieRouter.
  app.get('/*', async (c) => {
    const name = c.req.path.slice(1)
    if (!FILE_NAME.test(name)) throw new ApiError(404, 'not_found', 'no such file')
    const file = await load(name)
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
    c.header('Cache-Control', 'public, max-age=3600')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('ETag', file.etag)
    const match = c.req.header('if-none-match')
    if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag)) {
      return c.body(null, 304)
    }
    c.header('Content-Type', CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream')
    return c.body(new Uint8Array(file.body))
  })

  return app
}
