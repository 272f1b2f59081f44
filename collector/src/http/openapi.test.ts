import { createRoute, z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { answerError } from './errors.ts'
import { handle, openApp } from './openapi.ts'
import { limitParam, querySchema } from './query.ts'

/** A small app of one route mounted each way: with handle() and with zod-openapi's own app.openapi(). */
function app() {
  const api = openApp()
  const query = querySchema({ limit: limitParam(10, 5) })
  handle(
    api,
    createRoute({
      method: 'get',
      path: '/handled',
      request: { query },
      responses: { 200: { description: 'ok' } },
    }),
    (c) => c.json(c.req.valid('query')),
  )
  handle(api, createRoute({ method: 'get', path: '/bare', responses: { 200: { description: 'ok' } } }), (c) =>
    c.json({ ok: true }),
  )
  api.openapi(
    createRoute({
      method: 'post',
      path: '/plain',
      request: {
        query,
        body: { content: { 'application/json': { schema: z.object({ name: z.string().min(1) }) } } },
      },
      responses: { 200: { description: 'ok' } },
    }),
    (c) => c.json({ ok: true }, 200),
  )
  api.onError(answerError)
  return api
}

const error = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error

describe('routes that describe themselves', () => {
  it('hands the validated query to the handler, defaults filled in', async () => {
    expect(await (await app().request('/handled')).json()).toEqual({ limit: 5 })
    expect(await (await app().request('/handled?limit=7')).json()).toEqual({ limit: 7 })
  })

  it('refuses an unknown, a repeated or a malformed parameter with 400 invalid_query naming it', async () => {
    for (const [url, name] of [
      ['/handled?limti=3', 'limti'],
      ['/handled?limit=3&limit=4', 'limit'],
      ['/handled?limit=0x3', 'limit'],
      ['/bare?x=1', 'x'],
    ] as const) {
      const res = await app().request(url)
      expect(res.status, url).toBe(400)
      const { code, message } = await error(res)
      expect(code).toBe('invalid_query')
      expect(message).toContain(name)
    }
  })

  it('answers the API’s errors for a route mounted with app.openapi() too (defaultHook)', async () => {
    const bad = await app().request('/plain?limit=99', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"x"}',
    })
    expect(bad.status).toBe(400)
    expect(await error(bad)).toMatchObject({
      code: 'invalid_query',
      message: 'limit must be an integer from 1 to 10',
    })
    const body = await app().request('/plain', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":""}',
    })
    expect(body.status).toBe(400)
    expect((await error(body)).code).toBe('invalid_body')
  })

  it('puts each route in the app’s document, with its parameters', () => {
    const doc = app().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } })
    expect(Object.keys(doc.paths ?? {})).toEqual(['/handled', '/bare', '/plain'])
    expect(doc.paths?.['/handled']?.get?.parameters).toMatchObject([
      { name: 'limit', in: 'query', required: false },
    ])
  })
})
