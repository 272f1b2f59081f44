/**
 * A collector whose PostgreSQL goes away for a while: it keeps running, answers 503 with a Retry-After
 * (never a crash, never a 2xx for an answer it could not store) while the database cannot be reached,
 * and serves again once it can, without a restart. The database is reached through a TCP proxy the
 * test opens and cuts, standing for a network failure or a failover.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { createApp, defaultConfig, PostgresBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres, SERVER_URL } from '../harness/postgres.ts'

const ORIGIN = 'https://shop.example'

/** A TCP proxy to the test server that can be cut (every connection dropped, new ones refused) and restored. */
function proxy() {
  const target = new URL(SERVER_URL)
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => {})
        }
        client.pipe(upstream).pipe(client)
      })
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port
        resolve()
      })
    })
  return {
    open,
    get port() {
      return port
    },
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server?.close(() => resolve())
      }),
  }
}

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('a collector whose PostgreSQL goes away', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>
  let backend: PostgresBackend
  let app: ReturnType<typeof createApp>
  let survey: string
  const link = proxy()
  const key = `npk_${randomBytes(24).toString('base64url')}`

  const post = (id = randomUUID()) =>
    app.request(`/v1/surveys/${survey}/responses`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify({ id, score: 9 }),
    })
  const admin = (path: string) => app.request(`/v1${path}`, { headers: { authorization: `Bearer ${key}` } })

  beforeAll(async () => {
    database = await createDatabase()
    await link.open()
    const url = new URL(database.url)
    url.host = `127.0.0.1:${link.port}`
    backend = await PostgresBackend.connect(url.toString(), { poolSize: 2 })
    await backend.addApiKey({ name: 'ops', secret: key }, Date.now())
    survey = (
      await backend.createSurvey({ ...defaultSurveySettings('Outage'), allowedOrigins: [ORIGIN] }, Date.now())
    ).id
    app = createApp({ backend, config: defaultConfig({ rateLimit: 0 }) })
  })
  afterAll(async () => {
    await backend?.close()
    await link.cut()
    await database?.drop()
  })

  it('answers 503 with Retry-After while the database is gone, and serves again when it is back', async () => {
    expect((await post()).status).toBe(201)
    await link.cut()

    const lost = randomUUID()
    const refused = await post(lost)
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(await refused.json()).toEqual({
      error: { code: 'unavailable', message: 'the database is unavailable; retry shortly' },
    })
    const figures = await admin(`/surveys/${survey}/nps`)
    expect(figures.status).toBe(503)

    await link.open()
    // The same answer, retried by the widget, now counts once.
    let status = 0
    for (let attempt = 0; attempt < 50 && status !== 201; attempt++) {
      status = (await post(lost)).status
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(201)
    const nps = (await (await admin(`/surveys/${survey}/nps`)).json()) as { total: number }
    expect(nps.total).toBe(2)
  })
})
