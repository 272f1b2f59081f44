import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateSecret } from './backend/secrets.ts'
import { SqliteBackend } from './backend/sqlite/sqlite-backend.ts'
import { defaultConfig } from './config.ts'
import { type RunningServer, startServer } from './server.ts'
import { ORIGIN, tempDir, uuid } from './testing.ts'

describe('the Node server on a real socket', () => {
  let server: RunningServer
  let dbPath: string
  let key: string
  let survey: string
  let remove: () => void

  beforeEach(async () => {
    const tmp = tempDir()
    remove = tmp.remove
    dbPath = join(tmp.dir, 'npskit.db')
    const backend = new SqliteBackend(dbPath)
    key = generateSecret()
    await backend.addApiKey({ name: 'test', secret: key }, Date.now())
    server = await startServer({ backend, config: defaultConfig({ port: 0, dbPath, rateLimit: 0 }) })
    const res = await fetch(`${server.url}/v1/surveys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Socket', allowedOrigins: [ORIGIN] }),
    })
    survey = ((await res.json()) as { id: string }).id
  })
  afterEach(async () => {
    await server.close()
    remove()
  })

  const post = (body: unknown, origin = ORIGIN) =>
    fetch(`${server.url}/v1/surveys/${survey}/responses`, {
      method: 'POST',
      headers: { origin, 'content-type': 'text/plain' },
      body: JSON.stringify(body),
    })

  /** The stored answers as the admin API lists them: only committed rows. */
  const committedRows = async () => {
    const res = await fetch(`${server.url}/v1/surveys/${survey}/responses?limit=1000`, {
      headers: { authorization: `Bearer ${key}` },
    })
    const { items } = (await res.json()) as { items: { id: string; score: number; comment: string | null }[] }
    return items
      .map(({ id, score, comment }) => ({ id, score, comment }))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  it('listens on the port it reports, on 127.0.0.1', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.port).toBeGreaterThan(0)
  })

  it('stores one row when the same answer arrives 40 times at once: one 201, the rest 200', async () => {
    const id = uuid()
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post({ id, score: 9, comment: `try ${i}` }).then((r) => r.status)),
    )
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(39)
    expect(await committedRows()).toHaveLength(1)
  })

  it('has every acknowledged answer committed to the file when it answers', async () => {
    const ids = Array.from({ length: 200 }, () => uuid())
    const statuses = await Promise.all(ids.map((id, i) => post({ id, score: i % 11 }).then((r) => r.status)))
    expect(new Set(statuses)).toEqual(new Set([201]))
    expect((await committedRows()).map((r) => r.id)).toEqual([...ids].sort())
  })

  it('refuses a streamed body over the limit without a Content-Length (413) and stores nothing', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${server.url}/v1/surveys/${survey}/responses`,
        {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write(`{"id":"${uuid()}","score":5,"comment":"`)
      for (let i = 0; i < 20; i++) req.write('x'.repeat(1024))
      req.end('"}')
    })
    expect(status).toBe(413)
    expect(await committedRows()).toEqual([])
  })

  it('refuses a disallowed origin over the socket too, storing nothing', async () => {
    const res = await post({ id: uuid(), score: 10 }, 'https://evil.example')
    expect(res.status).toBe(403)
    expect(await committedRows()).toEqual([])
  })

  it('finishes in-flight writes when it shuts down', async () => {
    const ids = Array.from({ length: 50 }, () => uuid())
    const sent = ids.map((id) =>
      post({ id, score: 7 })
        .then((r) => r.status)
        .catch(() => 0),
    )
    // Let the requests reach the server before shutting it down.
    await new Promise((resolve) => setTimeout(resolve, 20))
    await server.close()
    const statuses = await Promise.all(sent)
    const acknowledged = ids.filter((_, i) => statuses[i] === 201)
    // The server is gone: what a collector started again on the file finds.
    const reopened = new SqliteBackend(dbPath)
    const rows = reopened.listResponses(survey, {}, 1000).items.map((r) => r.id)
    await reopened.close()
    for (const id of acknowledged) expect(rows).toContain(id)
  })
})

describe('the metrics port', () => {
  it('serves /metrics without a key on its own port, while the public port still asks for one', async () => {
    const tmp = tempDir()
    const backend = new SqliteBackend(join(tmp.dir, 'npskit.db'))
    const server = await startServer({
      backend,
      config: defaultConfig({ port: 0, metricsPort: 0, rateLimit: 0 }),
    })
    try {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.metricsUrl).not.toBe(server.url)
      await fetch(`${server.url}/healthz`)
      const res = await fetch(`${server.metricsUrl}/metrics`)
      expect(res.status).toBe(200)
      // The same counters as the app's: the request to the public port is in them.
      expect(await res.text()).toContain(
        'npskit_http_requests_total{method="GET",route="/healthz",status="200"} 1',
      )
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
      // Nothing else is served there.
      expect((await fetch(`${server.metricsUrl}/v1/surveys`)).status).toBe(404)
    } finally {
      await server.close()
      tmp.remove()
    }
  })
})
