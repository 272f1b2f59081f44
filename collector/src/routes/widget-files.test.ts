import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, tempDir } from '../testing.ts'

describe('widget files at the root path', () => {
  let f: Fixture
  let dir: string
  let remove: () => void
  beforeEach(async () => {
    ;({ dir, remove } = tempDir())
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'nps.js'), 'console.log("loader")')
    writeFileSync(join(dir, 'dist', 'nps-card.js'), 'console.log("card")')
    writeFileSync(join(dir, 'dist', 'nps.mjs'), 'export {}')
    writeFileSync(join(dir, 'secret.txt'), 'outside the folder')
    f = await fixture({ widgetDir: join(dir, 'dist') })
  })
  afterEach(async () => {
    await f.close()
    remove()
  })

  it('serves every built file so that any site can load it, cached for an hour with an ETag', async () => {
    for (const name of ['nps.js', 'nps-card.js', 'nps.mjs']) {
      const res = await f.app.request(`/${name}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600')
      expect(res.headers.get('access-control-allow-origin')).toBe('*')
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
      expect(res.headers.get('etag')).toMatch(/^".+"$/)
    }
    expect(await (await f.app.request('/nps.js')).text()).toBe('console.log("loader")')
  })

  it('answers 304 to a matching If-None-Match and a new ETag once the file changes', async () => {
    const etag = (await f.app.request('/nps.js')).headers.get('etag')!
    const again = await f.app.request('/nps.js', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    writeFileSync(join(dir, 'dist', 'nps.js'), 'console.log("loader v2")')
    const changed = await f.app.request('/nps.js', { headers: { 'if-none-match': etag } })
    expect(changed.status).toBe(200)
    expect(changed.headers.get('etag')).not.toBe(etag)
  })

  it('serves nothing outside the folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/.hidden',
      '/dist/nps.js',
    ]) {
      const res = await f.app.request(path)
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('outside the folder')
    }
  })

  it('leaves every route of the collector to Hono’s RegExpRouter, the hot POST included', async () => {
    await f.app.request('/nps.js')
    expect(f.app.router.name).toBe('SmartRouter + RegExpRouter')
  })

  it('says to run pnpm build when the widget is not built', async () => {
    const g = await fixture({ widgetDir: join(dir, 'missing') })
    try {
      const res = await g.app.request('/nps.js')
      expect(res.status).toBe(404)
      expect(await errorCode(res.clone())).toBe('widget_not_built')
      expect(await res.text()).toContain('pnpm build')
    } finally {
      await g.close()
    }
  })
})
