/**
 * `/openapi.json`, the API described by its own routes: every route is declared with `createRoute` and
 * zod schemas (http/openapi.ts), so the document is the app's registry, generated once on first read,
 * and lists every path, parameter, body and answer there is. `/docs` renders it with Swagger UI,
 * served from the collector itself (the `swagger-ui-dist` package): nothing loads from elsewhere, so
 * the page works offline and under a strict Content-Security-Policy; Authorize takes a key, and
 * "Try it out" sends the request.
 *
 * @example
 * app.route('/', openapiRoutes(app, config.publicUrl))
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi'
import type { Env } from 'hono'
import { ApiError } from '../http/errors.ts'
import { handle, openApp } from '../http/openapi.ts'
import { answerFile, fileCache, fileRoute } from './widget-files.ts'

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
const docsDir = fileURLToPath(new URL('../../docs/', import.meta.url))

/** The only files `/docs/assets/` serves: Swagger UI's, and our init script. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': join(swaggerDir, 'swagger-ui.css'),
  'swagger-ui-bundle.js': join(swaggerDir, 'swagger-ui-bundle.js'),
  'favicon-32x32.png': join(swaggerDir, 'favicon-32x32.png'),
  'init.js': join(docsDir, 'init.js'),
}

// Relative URLs, so the page also works behind a proxy that serves the collector under a path.
const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>npskit collector API</title>
<link rel="icon" href="docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/assets/init.js"></script>
</body>
</html>
`

const DESCRIPTION = `Collects NPS answers from the npskit widget and serves trustworthy NPS figures.

Every error answers \`{ "error": { "code", "message", "issues"? } }\`; each code means one thing on every
route (a missing survey is 404 \`not_found\` everywhere). Admin routes need \`Authorization: Bearer <key>\`
(Authorize, above). Query parameters are exactly the ones listed per route: any other, or one given twice,
is a 400 \`invalid_query\` naming it. Dates and times are ISO 8601; one without an offset is read in \`tz\`
(default UTC).`

const meta = ['meta']

// biome-ignore lint/suspicious/noExplicitAny: the root app, whatever its environment.
export function openapiRoutes(root: OpenAPIHono<any>, serverUrl?: string) {
  const app = openApp<Env>()
  const load = fileCache()
  root.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'a key: NPSKIT_ADMIN_KEY, or one made with POST /v1/keys. Its scope (`admin` or `read`) is listed on each operation',
  })
  root.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'npskit_session',
    description:
      'the dashboard session from POST /v1/sessions, with the scope of the key it was made from; a POST, PATCH, PUT or DELETE with it must carry the collector’s own Origin',
  })

  let document: string | undefined
  handle(
    app,
    createRoute({
      method: 'get',
      path: '/openapi.json',
      tags: meta,
      summary: 'This document (OpenAPI 3.1), generated from the routes’ own schemas',
      responses: {
        200: {
          description: 'the OpenAPI document',
          content: { 'application/json': { schema: z.object({ openapi: z.string() }).passthrough() } },
        },
      },
    }),
    (c) => {
      // Generated (and serialised) on first read, when every route is mounted; routes do not change after.
      document ??= JSON.stringify(
        root.getOpenAPI31Document({
          openapi: '3.1.0',
          info: { title: 'npskit collector', version: '1', description: DESCRIPTION },
          ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
          tags: [
            {
              name: 'public',
              description: 'called by the widget: CORS for the survey’s allowed origins, no key',
            },
            { name: 'surveys', description: 'admin: surveys and their settings' },
            { name: 'responses', description: 'admin: answers, export, import, erasure' },
            { name: 'analytics', description: 'admin: NPS figures' },
            { name: 'keys', description: 'admin: API keys' },
            { name: 'meta', description: 'health, this document, its page' },
            { name: 'widget', description: 'the widget’s files' },
            {
              name: 'dashboard',
              description: 'the dashboard’s pages and files (a browser UI over this same API)',
            },
          ],
        }),
      )
      return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' })
    },
  )

  // Scripts and styles from this origin only (Swagger UI sets styles through the DOM, which CSP allows);
  // data: images are its icons; requests go to this origin, or to NPSKIT_PUBLIC_URL's for "Try it out".
  const connect = serverUrl ? `'self' ${new URL(serverUrl).origin}` : "'self'"
  const csp = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`

  handle(
    app,
    createRoute({
      method: 'get',
      path: '/docs',
      tags: meta,
      summary: 'This API as a page (Swagger UI): read it, enter a key under Authorize, try a request',
      responses: { 200: { description: 'the page', content: { 'text/html': { schema: z.string() } } } },
    }),
    (c) => {
      c.header('Content-Security-Policy', csp)
      return c.html(DOCS_HTML)
    },
  )

  handle(
    app,
    fileRoute('/docs/assets/{file}', 'A file of the /docs page (Swagger UI and its init script)', meta),
    async (c) => {
      const name = c.req.param('file') ?? ''
      const path = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
      const file = path ? await load(path) : undefined
      if (!file) throw new ApiError(404, 'not_found', 'no such file')
      return answerFile(c, name, file)
    },
  )

  return app
}
