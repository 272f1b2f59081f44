/**
 * The site owner's side of a test: a tiny node:http server on its own port (so its own origin, never the
 * collector's) serving small fixture pages that embed the widget the way the README says.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HostPage {
  /** The page, or a function of the request's URL and a fresh nonce for this response. */
  html: string | ((ctx: { url: URL; nonce: string }) => string)
  /** Extra response headers, e.g. a Content-Security-Policy; `{nonce}` is replaced per response. */
  headers?: Record<string, string>
}

export interface HostServer {
  /** e.g. `http://127.0.0.1:40331` — a different origin from the collector's. */
  readonly origin: string
  /** Serves `page` at `path`; a path ending in `/*` also serves everything below it (an SPA's routes). */
  page(path: string, page: HostPage): void
  close(): Promise<void>
}

/**
 * @example
 * const host = await startHostServer()
 * host.page('/', { html: embedPage({ collector, surveyId }) })
 * await page.goto(`${host.origin}/`)
 */
export async function startHostServer(): Promise<HostServer> {
  const pages = new Map<string, HostPage>()
  const find = (pathname: string): HostPage | undefined => {
    const exact = pages.get(pathname)
    if (exact) return exact
    for (const [path, page] of pages) {
      if (path.endsWith('/*') && pathname.startsWith(path.slice(0, -1))) return page
    }
    return undefined
  }
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid')
    const page = find(url.pathname)
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const nonce = randomBytes(16).toString('base64')
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    }
    for (const [name, value] of Object.entries(page.headers ?? {}))
      headers[name] = value.replaceAll('{nonce}', nonce)
    const html = typeof page.html === 'function' ? page.html({ url, nonce }) : page.html
    res.writeHead(200, headers).end(html)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    page: (path, page) => void pages.set(path, page),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

export interface EmbedOptions {
  collectorUrl: string
  surveyId: string
  /** Extra attributes on the script tag, e.g. `{ 'data-locale': 'ar' }`. */
  attributes?: Record<string, string>
  /** A nonce for the tag and for the command-queue stub (strict CSP pages). */
  nonce?: string
  /** Script run after the stub, e.g. `npskit('identify', 'u1')`. */
  commands?: string
  title?: string
  body?: string
}

function escapeAttr(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')
}

/**
 * A host page with some real content and the widget embedded exactly as the README shows: the
 * command-queue stub, then one async script tag.
 */
export function embedPage(options: EmbedOptions): string {
  const nonceAttr = options.nonce ? ` nonce="${escapeAttr(options.nonce)}"` : ''
  const attrs = Object.entries({
    ...(options.nonce ? { 'data-nonce': options.nonce } : {}),
    ...options.attributes,
  })
    .map(([name, value]) => ` ${name}="${escapeAttr(value)}"`)
    .join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title ?? 'Acme Notes'}</title>
</head>
<body>
<main>
  <h1>${options.title ?? 'Acme Notes'}</h1>
  ${
    options.body ??
    `<p>Write things down, find them again. Acme Notes keeps your notes in sync on every device.</p>
  <p>Plans start at $4 a month. Cancel any time.</p>
  <p><a href="/pricing">See pricing</a></p>`
  }
</main>
<script${nonceAttr}>
  window.npskit = window.npskit || function () { (npskit.q = npskit.q || []).push(arguments) };
  ${options.commands ?? ''}
</script>
<script async src="${escapeAttr(options.collectorUrl)}/nps.js" data-survey="${escapeAttr(options.surveyId)}"${attrs}${nonceAttr}></script>
</body>
</html>`
}
