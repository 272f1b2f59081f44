import { join } from 'node:path'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { generateSecret } from '../backend/secrets.ts'
import { SqliteBackend } from '../backend/sqlite/sqlite-backend.ts'
import { defaultConfig } from '../config.ts'
import { ORIGIN, tempDir, uuid } from '../testing.ts'
import { answerError } from './errors.ts'
import { accessLog, createLogger, type LogLevel } from './log.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function loggedApp(level: LogLevel = 'info') {
  const { dir, remove } = tempDir()
  const backend = new SqliteBackend(join(dir, 'npskit.db'))
  const key = generateSecret()
  await backend.addApiKey({ name: 'test', secret: key }, Date.now())
  const lines: string[] = []
  const app = createApp({
    backend,
    config: defaultConfig({ rateLimit: 0, widgetDir: join(dir, 'widget') }),
    logger: createLogger({ level, write: (line) => lines.push(line) }),
  })
  cleanups.push(async () => {
    await backend.close()
    remove()
  })
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  return { app, key, lines, entries }
}

describe('the access log', () => {
  it('writes one JSON line per request: time, request id, method, route pattern, status, duration', async () => {
    const { app, key, lines, entries } = await loggedApp()
    const res = await app.request('/v1/surveys', { headers: { authorization: `Bearer ${key}` } })
    expect(res.status).toBe(200)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\{.*\}\n$/)
    const [entry] = entries()
    expect(entry).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/v1/surveys',
      status: 200,
    })
    expect(Date.parse(entry!.time as string)).not.toBeNaN()
    expect(entry!.requestId).toBe(res.headers.get('x-request-id'))
    expect(typeof entry!.durationMs).toBe('number')
  })

  it('logs the route pattern, never the path, the key, the body, the query or the address', async () => {
    const { app, key, lines, entries } = await loggedApp()
    const created = await app.request('/v1/surveys', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Secret survey name', allowedOrigins: [ORIGIN] }),
    })
    const survey = ((await created.json()) as { id: string }).id
    await app.request(`/v1/surveys/${survey}/responses`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.9' },
      body: JSON.stringify({
        id: uuid(),
        score: 9,
        comment: 'my private comment',
        respondentId: 'alice@example.com',
      }),
    })
    await app.request('/v1/respondents/alice@example.com?token=hunter2', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    })
    const text = lines.join('')
    for (const secret of [
      key,
      survey,
      'Secret survey',
      'private comment',
      'alice',
      'hunter2',
      '203.0.113.9',
    ]) {
      expect(text).not.toContain(secret)
    }
    expect(entries().map((e) => [e.method, e.route, e.status])).toEqual([
      ['POST', '/v1/surveys', 201],
      ['POST', '/v1/surveys/:id/responses', 201],
      // Refused for its unknown parameter, and logged without it.
      ['DELETE', '/v1/respondents/:respondentId', 400],
    ])
  })

  it('answers every request with the id it logged, the public answers built with plain headers too', async () => {
    const { app, key, entries } = await loggedApp()
    const created = await app.request('/v1/surveys', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ids', allowedOrigins: [ORIGIN] }),
    })
    const survey = ((await created.json()) as { id: string }).id
    const answers = [
      created,
      await app.request(`/v1/surveys/${survey}/responses`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'text/plain' },
        body: JSON.stringify({ id: uuid(), score: 9 }),
      }),
      await app.request(`/v1/surveys/${survey}/widget`, { headers: { origin: ORIGIN } }),
      await app.request(`/v1/surveys/${survey}/responses`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'text/plain' },
        body: '{',
      }),
    ]
    expect(answers.map((res) => res.status)).toEqual([201, 201, 200, 400])
    expect(answers.map((res) => res.headers.get('x-request-id'))).toEqual(
      entries().map((entry) => entry.requestId),
    )
  })

  it('logs no route for a path that matches none', async () => {
    const { app, entries } = await loggedApp()
    await app.request('/nothing/here?key=npk_secret', { method: 'POST' })
    expect(entries()).toMatchObject([{ route: null, status: 404 }])
    expect(JSON.stringify(entries())).not.toContain('nothing')
  })

  it('keeps a sane incoming X-Request-Id and replaces one that is not', async () => {
    const { app, entries } = await loggedApp()
    const kept = await app.request('/healthz', { headers: { 'x-request-id': 'lb-4f2a9c' } })
    expect(kept.headers.get('x-request-id')).toBe('lb-4f2a9c')
    for (const bad of ['a'.repeat(65), 'two words', '<script>', 'x\u00e9']) {
      const res = await app.request('/healthz', { headers: { 'x-request-id': bad } })
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
    expect(entries()[0]!.requestId).toBe('lb-4f2a9c')
  })

  it('writes access lines at info and debug, not at warn, error or silent', async () => {
    for (const [level, count] of [
      ['debug', 1],
      ['info', 1],
      ['warn', 0],
      ['error', 0],
      ['silent', 0],
    ] as const) {
      const { app, lines } = await loggedApp(level)
      await app.request('/healthz')
      expect(lines, level).toHaveLength(count)
    }
  })

  it('sends an unexpected error through the same logger, with the request id, as a 500 line', async () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'error', write: (line) => lines.push(line) })
    const app = new Hono()
    app.use('*', accessLog(logger))
    app.get('/boom', () => {
      throw new Error('kaboom')
    })
    app.onError(answerError)
    const res = await app.request('/boom')
    expect(res.status).toBe(500)
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0]!)
    expect(entry).toMatchObject({
      level: 'error',
      msg: 'unhandled error',
      requestId: res.headers.get('x-request-id'),
    })
    expect(entry.error).toContain('kaboom')
  })
})
