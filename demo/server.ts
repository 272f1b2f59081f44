/**
 * The demo host site: a few static pages served by node:http, on another origin than the collector, with
 * the collector's URL and the demo survey's id filled into each page's embed tag. The /csp page gets a
 * strict Content-Security-Policy with a fresh nonce per response, to show the widget works under one.
 *
 * Run alone with `tsx demo/server.ts` (env NPSKIT_COLLECTOR_URL, NPSKIT_SURVEY_ID, DEMO_PORT), or let
 * `pnpm start` (demo/start.ts) run it next to the collector.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const pagesDir = join(dirname(fileURLToPath(import.meta.url)), 'pages')

export interface DemoServerOptions {
  /** Where the collector serves nps.js, e.g. `http://localhost:8787`. */
  collectorUrl: string
  /** The survey to embed; a function when it is known only after the server has its port. */
  surveyId: string | (() => string)
  /**
   * The collector admin key the site's own backend holds, to make personal survey links on /commands
   * (POST /commands/link). Never sent to a browser. A function when it is known only later; none: the
   * page says it cannot.
   */
  adminKey?: string | null | (() => string | null)
  /** 0 picks a free port. */
  port?: number
  host?: string
}

export interface DemoServer {
  /** e.g. `http://localhost:5173`. */
  readonly url: string
  readonly server: Server
  close(): Promise<void>
}

const NAV = [
  ['/', 'Product'],
  ['/app', 'App'],
  ['/commands', 'Command queue'],
  ['/csp', 'Strict CSP'],
] as const

/** Pages by path; `/app/…` routes all get the single-page app shell. */
function pageFor(pathname: string): string | null {
  if (pathname === '/' || pathname === '/index.html') return 'index.html'
  if (pathname === '/app' || pathname.startsWith('/app/')) return 'app.html'
  if (pathname === '/commands') return 'commands.html'
  if (pathname === '/csp') return 'csp.html'
  return null
}

const ASSETS: Record<string, string> = {
  '/style.css': 'text/css; charset=utf-8',
  '/app.js': 'text/javascript; charset=utf-8',
  '/commands.js': 'text/javascript; charset=utf-8',
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

function header(pathname: string): string {
  const links = NAV.map(([href, label]) => {
    const current = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`)
    return `<a href="${href}"${current ? ' aria-current="page"' : ''}>${label}</a>`
  }).join('')
  return `<header class="site"><div class="wrap"><a class="logo" href="/">Acme <span>Notes</span></a><nav class="site" aria-label="Site">${links}</nav></div></header>`
}

/** The strict policy of the /csp page: no inline script or style without this response's nonce. */
export function strictCsp(collectorUrl: string, nonce: string): string {
  const collector = new URL(collectorUrl).origin
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' ${collector}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `connect-src 'self' ${collector}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Fills a page template: `{{collector}}`, `{{survey}}`, `{{nonce}}`, `{{csp}}`, `{{header}}`. */
export function renderPage(
  file: string,
  vars: { collectorUrl: string; surveyId: string; pathname: string; nonce: string },
): string {
  const template = readFileSync(join(pagesDir, file), 'utf8')
  const values: Record<string, string> = {
    collector: escapeHtml(vars.collectorUrl.replace(/\/$/, '')),
    survey: escapeHtml(vars.surveyId),
    nonce: escapeHtml(vars.nonce),
    csp: escapeHtml(strictCsp(vars.collectorUrl, vars.nonce)),
    header: header(vars.pathname),
  }
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole)
}

/**
 * What the site's backend does to survey a customer by email: asks the collector (with its admin key)
 * for a personal link carrying who they are and their account, and for the email snippet of that link.
 */
async function makeLink(
  req: IncomingMessage,
  options: DemoServerOptions,
): Promise<{ url: string; expiresAt: string; snippet: string }> {
  const key = typeof options.adminKey === 'function' ? options.adminKey() : options.adminKey
  if (!key) throw new Error('this demo has no admin key (start it with NPSKIT_ADMIN_KEY=<key> pnpm start)')
  let raw = ''
  for await (const chunk of req) {
    raw += chunk
    if (raw.length > 4096) throw new Error('too large')
  }
  const input = JSON.parse(raw || '{}') as { respondentId?: string; accountId?: string }
  const surveyId = typeof options.surveyId === 'function' ? options.surveyId() : options.surveyId
  const collector = options.collectorUrl.replace(/\/$/, '')
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${collector}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`)
    return text
  }
  const link = JSON.parse(
    await call(`/v1/surveys/${surveyId}/links`, {
      method: 'POST',
      body: JSON.stringify({
        respondentId: input.respondentId || 'customer-1',
        metadata: { accountId: input.accountId || 'acme-corp' },
        expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      }),
    }),
  ) as { url: string; token: string; expiresAt: string }
  const snippet = await call(`/v1/surveys/${surveyId}/links/email?token=${encodeURIComponent(link.token)}`)
  return { url: link.url, expiresAt: link.expiresAt, snippet }
}

/**
 * Starts the demo site.
 *
 * @example
 * const demo = await startDemoServer({ collectorUrl: 'http://localhost:8787', surveyId: 'srv_demo', port: 5173 })
 * console.log(demo.url) // http://localhost:5173
 */
export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1'
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://demo.invalid')
    if (pathname === '/commands/link' && req.method === 'POST') {
      void makeLink(req, options).then(
        (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
        (error: Error) =>
          res
            .writeHead(502, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: error.message })),
      )
      return
    }
    const asset = ASSETS[pathname]
    if (asset) {
      res.writeHead(200, { 'content-type': asset, 'cache-control': 'no-cache' })
      res.end(readFileSync(join(pagesDir, pathname.slice(1))))
      return
    }
    const file = pageFor(pathname)
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    const nonce = randomBytes(16).toString('base64')
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
    }
    if (file === 'csp.html') headers['content-security-policy'] = strictCsp(options.collectorUrl, nonce)
    res.writeHead(200, headers)
    res.end(
      renderPage(file, {
        collectorUrl: options.collectorUrl,
        surveyId: typeof options.surveyId === 'function' ? options.surveyId() : options.surveyId,
        pathname,
        nonce,
      }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const shownHost = host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' ? 'localhost' : host
  return {
    url: `http://${shownHost}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const collectorUrl = process.env.NPSKIT_COLLECTOR_URL ?? 'http://localhost:8787'
  const surveyId = process.env.NPSKIT_SURVEY_ID
  if (!surveyId) {
    console.error('Set NPSKIT_SURVEY_ID to the survey to embed (or run `pnpm start`, which creates one).')
    process.exit(1)
  }
  const demo = await startDemoServer({ collectorUrl, surveyId, port: Number(process.env.DEMO_PORT ?? 5173) })
  console.log(`demo site on ${demo.url}`)
  const stop = () => void demo.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
