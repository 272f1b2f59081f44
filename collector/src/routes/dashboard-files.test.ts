import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, tempDir } from '../testing.ts'

const INDEX =
  '<!doctype html><title>npskit</title><script type="module" src="/dashboard/assets/index-abc123.js"></script>'
const PREVIEW = '<!doctype html><title>preview</title>'

/** The directives of a Content-Security-Policy header, by name. */
function directives(res: Response): Map<string, string> {
  const header = res.headers.get('content-security-policy') ?? ''
  return new Map(
    header
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/)
        return [name, values.join(' ')] as [string, string]
      }),
  )
}

describe('the dashboard’s files', () => {
  let f: Fixture
  let dir: string
  let remove: () => void
  beforeEach(async () => {
    ;({ dir, remove } = tempDir())
    const dist = join(dir, 'dist')
    mkdirSync(join(dist, 'assets'), { recursive: true })
    writeFileSync(join(dist, 'index.html'), INDEX)
    writeFileSync(join(dist, 'preview.html'), PREVIEW)
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("dashboard")')
    writeFileSync(join(dist, 'assets', 'index-def456.css'), 'body{margin:0}')
    // Files a looser name check would reach: a dot file and a sub-folder of the assets, and one beside.
    writeFileSync(join(dist, 'assets', '.hidden'), 'outside the folder')
    mkdirSync(join(dist, 'assets', 'sub'))
    writeFileSync(join(dist, 'assets', 'sub', 'index-abc123.js'), 'outside the folder')
    writeFileSync(join(dist, 'secret.txt'), 'outside the folder')
    writeFileSync(join(dir, 'secret.txt'), 'outside the folder')
    f = await fixture({ dashboardDir: dist })
  })
  afterEach(async () => {
    await f.close()
    remove()
  })

  it('answers the landing page and every view’s URL with index.html, revalidated on each load', async () => {
    for (const path of [
      '/',
      '/dashboard',
      '/dashboard/surveys',
      '/dashboard/surveys/srv_abc',
      '/dashboard/surveys/srv_abc/settings',
      '/dashboard/keys',
      '/dashboard/no-such-view',
    ]) {
      const res = await f.app.request(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8')
      expect(res.headers.get('cache-control'), path).toBe('no-cache')
      expect(await res.text(), path).toBe(INDEX)
    }
  })

  it('lets the pages run only the collector’s own scripts and styles, and no other site frame them', async () => {
    for (const path of ['/', '/dashboard/surveys/srv_abc']) {
      const res = await f.app.request(path)
      const csp = directives(res)
      expect(csp.get('default-src'), path).toBe("'self'")
      expect(csp.get('script-src'), path).toBe("'self'")
      expect(csp.get('style-src'), path).toBe("'self'")
      expect(csp.get('connect-src'), path).toBe("'self'")
      expect(csp.get('frame-ancestors'), path).toBe("'none'")
      expect(csp.get('object-src'), path).toBe("'none'")
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
    }
  })

  it('serves the card preview with the same policy, framed by the dashboard itself only', async () => {
    const res = await f.app.request('/dashboard/preview')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(PREVIEW)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const csp = directives(res)
    expect(csp.get('script-src')).toBe("'self'")
    expect(csp.get('frame-ancestors')).toBe("'self'")
    expect(res.headers.get('x-frame-options')).toBeNull()
  })

  it('answers 304 to a page’s own ETag, so a reload costs no body until a new build', async () => {
    const etag = (await f.app.request('/')).headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    expect((await f.app.request('/', { headers: { 'if-none-match': etag } })).status).toBe(304)
    writeFileSync(join(dir, 'dist', 'index.html'), `${INDEX}<!-- a new build -->`)
    const rebuilt = await f.app.request('/', { headers: { 'if-none-match': etag } })
    expect(rebuilt.status).toBe(200)
    expect(await rebuilt.text()).toContain('a new build')
  })

  it('caches the content-hashed assets for a year, with an ETag and 304', async () => {
    const js = await f.app.request('/dashboard/assets/index-abc123.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await js.text()).toBe('console.log("dashboard")')
    const etag = js.headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    const again = await f.app.request('/dashboard/assets/index-abc123.js', {
      headers: { 'if-none-match': etag },
    })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')

    const css = await f.app.request('/dashboard/assets/index-def456.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('answers not_found for an asset the build does not have', async () => {
    const res = await f.app.request('/dashboard/assets/index-000000.js')
    expect(res.status).toBe(404)
    expect(await errorCode(res.clone())).toBe('not_found')
    expect(await res.text()).toContain('index-000000.js')
  })

  it('serves nothing outside the assets folder, whatever the path spells', async () => {
    for (const path of [
      '/dashboard/assets/..%2fsecret.txt',
      '/dashboard/assets/..%2f..%2fsecret.txt',
      '/dashboard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/dashboard/assets/..%5c..%5csecret.txt',
      '/dashboard/assets/.hidden',
      '/dashboard/assets/sub/index-abc123.js',
      '/dashboard/assets/sub%2findex-abc123.js',
      '/dashboard/assets/index-abc123.js%00.png',
      '/dashboard/assets/index abc123.js',
      '/dashboard/assets/',
      '/dashboard/assets/%',
    ]) {
      const res = await f.app.request(path)
      expect(res.status, path).toBe(404)
      const text = await res.text()
      expect(text, path).not.toContain('outside the folder')
    }
  })

  it('resolves dot segments as a URL before routing, so they name a view and get the page', async () => {
    // A browser resolves `..` (and `%2e%2e`) before it asks, and so does the URL the collector routes
    // on: what is left is a view's path, which answers the page (showing "No such page"), never a file.
    for (const path of ['/dashboard/assets/../secret.txt', '/dashboard/assets/%2e%2e/secret.txt']) {
      const res = await f.app.request(path)
      expect(res.status, path).toBe(200)
      expect(await res.text(), path).toBe(INDEX)
    }
  })

  it('says to run pnpm build when the dashboard is not built', async () => {
    const g = await fixture({ dashboardDir: join(dir, 'missing') })
    try {
      for (const path of [
        '/',
        '/dashboard/surveys',
        '/dashboard/preview',
        '/dashboard/assets/index-abc123.js',
      ]) {
        const res = await g.app.request(path)
        expect(res.status, path).toBe(404)
        expect(await errorCode(res.clone()), path).toBe('dashboard_not_built')
        expect(await res.text(), path).toContain('run `pnpm build`')
      }
    } finally {
      await g.close()
    }
  })

  it('calls a folder without its pages an incomplete build', async () => {
    mkdirSync(join(dir, 'empty'))
    const g = await fixture({ dashboardDir: join(dir, 'empty') })
    try {
      const res = await g.app.request('/')
      expect(res.status).toBe(404)
      expect(await errorCode(res.clone())).toBe('dashboard_not_built')
      expect(await res.text()).toMatch(/incomplete: run `pnpm build`/)
    } finally {
      await g.close()
    }
  })
})
