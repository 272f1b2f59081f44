import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Fixture, fixture, ORIGIN } from '../testing.ts'

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: { example?: unknown; enum?: unknown[]; default?: unknown }
  example?: unknown
}
interface Operation {
  tags?: string[]
  parameters?: Parameter[]
  security?: unknown[]
  'x-query'?: string
  responses: Record<string, unknown>
}
interface Document {
  openapi: string
  paths: Record<string, Record<string, Operation>>
  components: {
    schemas: Record<string, { properties?: Record<string, { maximum?: number; maxLength?: number }> }>
    securitySchemes: Record<string, { type: string; scheme: string }>
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head']

describe('health, OpenAPI and docs', () => {
  let f: Fixture
  let spec: Document
  let surveyId: string
  let endpointId: string
  let deliveryId: string
  let caseId: string
  beforeEach(async () => {
    f = await fixture()
    surveyId = await f.survey()
    const answer = crypto.randomUUID()
    await f.send(surveyId, 'responses', { id: answer, score: 3, comment: 'billing errors again' })
    const opened = await f.admin(`/v1/surveys/${surveyId}/cases`, {
      method: 'POST',
      body: { responseId: answer },
    })
    caseId = ((await opened.json()) as { id: string }).id
    const endpoint = await f.admin('/v1/webhooks', {
      method: 'POST',
      body: { url: 'https://203.0.113.10/hook' },
    })
    endpointId = ((await endpoint.json()) as { id: string }).id
    const ping = await f.admin(`/v1/webhooks/${endpointId}/test`, { method: 'POST' })
    deliveryId = ((await ping.json()) as { id: string }).id
    spec = (await (await f.app.request('/openapi.json')).json()) as Document
  })
  afterEach(() => f.close())

  /** The documented operation a registered route (Hono's method and path) is, if any. */
  function operationOf(method: string, path: string): { path: string; op: Operation } | undefined {
    const templated = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
    const exact = spec.paths[templated]?.[method.toLowerCase()]
    if (exact) return { path: templated, op: exact }
    // A wildcard file route (`/*`) is documented as `/{file}` (see handleWildcard).
    if (!templated.endsWith('/*')) return undefined
    const prefix = templated.slice(0, -1)
    for (const [candidate, item] of Object.entries(spec.paths)) {
      const op = item[method.toLowerCase()]
      if (op && candidate.startsWith(prefix) && /^\{[^/}]+\}$/.test(candidate.slice(prefix.length))) {
        return { path: candidate, op }
      }
    }
    return undefined
  }

  /** The app's own routes, one per method and path (Hono lists a route once per handler). */
  function registeredRoutes(): { method: string; path: string }[] {
    const seen = new Map<string, { method: string; path: string }>()
    for (const route of f.app.routes) {
      // `use()` middleware: on every route below its path, not a route of its own.
      if (route.method === 'ALL') {
        expect(route.path, 'an app.all() route is no operation the document can list').toMatch(/\*$/)
        continue
      }
      seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path })
    }
    return [...seen.values()]
  }

  /** A request to a documented path with its path parameters filled in. */
  function concrete(path: string): string {
    return path
      .replace('{id}', path.startsWith('/v1/keys') ? 'key_nope' : surveyId)
      .replace('{respondentId}', 'nobody')
      .replace('{account}', 'pro')
      .replace('{endpointId}', endpointId)
      .replace('{deliveryId}', deliveryId)
      .replace('{caseId}', caseId)
      .replace('{file}', 'nps.js')
  }

  const send = (method: string, url: string) =>
    f.app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${f.key}`,
        origin: ORIGIN,
        ...(method === 'POST' || method === 'PATCH' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' || method === 'PATCH' ? { body: '{}' } : {}),
    })

  it('answers /healthz without a key', async () => {
    const res = await f.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('documents every route the app has registered, by method and path', () => {
    const routes = registeredRoutes()
    expect(routes.length).toBeGreaterThan(20)
    const missing = routes.filter((r) => !operationOf(r.method, r.path)).map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
  })

  it('documents no operation the app does not have', () => {
    const routes = new Set(
      registeredRoutes().map((r) => {
        const found = operationOf(r.method, r.path)
        return `${r.method.toLowerCase()} ${found?.path}`
      }),
    )
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) {
        expect(routes.has(`${method} ${path}`), `${method} ${path}`).toBe(true)
      }
    }
  })

  it('refuses, on every route, a query parameter its document does not list, naming it', async () => {
    for (const { method, path } of registeredRoutes()) {
      const { path: documented, op } = operationOf(method, path)!
      if (op['x-query'] === 'ignored') continue
      const res = await send(method, `${concrete(documented)}?zz_undocumented=1`)
      const label = `${method} ${documented}`
      expect(res.status, label).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code, label).toBe('invalid_query')
      expect(body.error.message, label).toContain('zz_undocumented')
    }
  })

  it('accepts, on every route, each query parameter its document lists', async () => {
    let checked = 0
    for (const { method, path } of registeredRoutes()) {
      const { path: documented, op } = operationOf(method, path)!
      for (const p of (op.parameters ?? []).filter((p) => p.in === 'query')) {
        const name = p.name === 'segment.{key}' ? 'segment.plan' : p.name
        const value = p.schema?.example ?? p.example ?? p.schema?.enum?.[0] ?? p.schema?.default ?? 'x'
        const url = `${concrete(documented)}?${new URLSearchParams({ [name]: String(value) })}`
        const res = await send(method, url)
        const text = await res.text()
        expect(text, `${method} ${url}`).not.toContain(`unknown parameter`)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(50)
  })

  it('answers a missing survey with one code and message on every survey route: public, admin, analytics', async () => {
    let checked = 0
    for (const [path, item] of Object.entries(spec.paths)) {
      if (!path.startsWith('/v1/surveys/{id}')) continue
      for (const [method, op] of Object.entries(item)) {
        // Required parameters get a valid value, so the survey is what is missing.
        const required = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required)
        const query = new URLSearchParams(
          required.map((p): [string, string] => [p.name, String(p.schema?.example ?? p.schema?.enum?.[0])]),
        )
        const url = `${path.replace('{id}', 'srv_nope')}${required.length ? `?${query}` : ''}`
        const res = await send(method.toUpperCase(), url)
        expect(res.status, `${method} ${url}`).toBe(404)
        expect(await res.json(), `${method} ${url}`).toEqual({
          error: { code: 'not_found', message: 'survey srv_nope not found' },
        })
        checked++
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15)
  })

  it('answers what it documents: each JSON answer of a read parses with the schema of its route', async () => {
    await f.admin(`/v1/surveys/${surveyId}`, {
      method: 'PATCH',
      // An industry, so the benchmark answer holds rows to check; an account key for the accounts.
      body: {
        target: { nps: 40, deadline: '2027-06-30' },
        industry: 'b2b-software-saas',
        accounts: { key: 'plan' },
      },
    })
    for (const score of [10, 9, 3]) {
      await f.send(surveyId, 'responses', {
        id: crypto.randomUUID(),
        score,
        comment: 'slow checkout',
        locale: 'de',
        metadata: { plan: 'pro' },
      })
    }
    const queries: Record<string, string> = {
      '/v1/surveys/{id}/nps/breakdown': 'by=metadata.plan',
      '/v1/surveys/{id}/nps/compare': 'aFrom=2026-03-01&aTo=2026-03-02&bFrom=2026-02-01&bTo=2026-03-01',
      '/v1/surveys/{id}/themes': 'category=detractor&minCount=1',
      '/v1/surveys/{id}/themes/trend': 'theme=checkout&interval=day',
    }
    let checked = 0
    for (const definition of f.app.openAPIRegistry.definitions) {
      if (definition.type !== 'route' || definition.route.method !== 'get') continue
      const { path, responses } = definition.route
      const schema = (responses[200] as { content?: Record<string, { schema?: unknown }> })?.content?.[
        'application/json'
      ]?.schema as { safeParse?: (v: unknown) => { success: boolean; error?: unknown } } | undefined
      // Who is signed in needs the session cookie, not the key `send` carries (routes/sessions.test.ts).
      if (!schema?.safeParse || path === '/openapi.json' || path === '/v1/sessions/current') continue
      const url = `${concrete(path)}${queries[path] ? `?${queries[path]}` : ''}`
      const res = await send('GET', url)
      expect(res.status, url).toBe(200)
      const parsed = schema.safeParse(await res.json())
      expect(parsed.error, url).toBeUndefined()
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(13)
  })

  it('lists the parameters that used to be accepted without being documented', () => {
    const names = (path: string) =>
      (spec.paths[path]!.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
    expect(names('/v1/surveys/{id}/nps')).toEqual(
      expect.arrayContaining(['tz', 'device', 'from', 'to', 'locale', 'path', 'segment.{key}']),
    )
    expect(names('/v1/surveys/{id}/nps/breakdown')).toEqual(expect.arrayContaining(['by', 'limit']))
    expect(names('/v1/surveys/{id}/themes')).toEqual(
      expect.arrayContaining(['category', 'limit', 'minCount']),
    )
    expect(names('/v1/surveys/{id}/themes/trend')).toEqual(
      expect.arrayContaining(['theme', 'interval', 'from', 'to', 'tz']),
    )
    expect(names('/v1/surveys/{id}/responses')).toEqual(
      expect.arrayContaining(['tz', 'from', 'to', 'category', 'format', 'limit', 'cursor']),
    )
  })

  it('describes the bodies and answers with the schemas that validate them, and the admin key', () => {
    expect(spec.openapi).toBe('3.1.0')
    const submission = spec.components.schemas.ResponseSubmission!.properties!
    expect(submission.score?.maximum).toBe(10)
    expect(submission.comment?.maxLength).toBe(2000)
    const post = spec.paths['/v1/surveys/{id}/responses']!.post! as Operation & {
      requestBody: { content: Record<string, unknown> }
    }
    expect(Object.keys(post.requestBody.content)).toEqual(['application/json', 'text/plain'])
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(spec.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'npskit_session',
    })
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const op of Object.values(item)) {
        // Signing in is how a browser gets the cookie: it takes the key in its body.
        const admin =
          ((path.startsWith('/v1/') && !op.tags?.includes('public')) || path === '/metrics') &&
          path !== '/v1/sessions'
        if (!admin) {
          expect(op.security, path).toBeUndefined()
          continue
        }
        // Either way in (the key, or the session cookie from one), with one scope: admin or read.
        const ways = (op.security as Record<string, string[]>[]).flatMap((way) => Object.entries(way))
        expect(
          ways.map(([name]) => name),
          path,
        ).toEqual(path.startsWith('/v1/sessions/') ? ['session'] : ['bearer', 'session'])
        const scopes = new Set(ways.flatMap(([, scopes]) => scopes))
        expect(scopes.size, path).toBe(1)
        expect(['admin', 'read'], path).toContain([...scopes][0])
        expect(Object.keys(op.responses), path).toContain('401')
        expect(Object.keys(op.responses), path).toContain('403')
      }
    }
  })

  it('serves /docs from the collector itself: Swagger UI and its init script, nothing from elsewhere', async () => {
    const res = await f.app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await res.text()
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(html).not.toMatch(/<script>/)
    for (const [, asset] of html.matchAll(/(?:src|href)="(docs\/assets\/[^"]+)"/g)) {
      const file = await f.app.request(`/${asset}`)
      expect(file.status, asset).toBe(200)
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(100)
    }
    expect(await (await f.app.request('/docs/assets/init.js')).text()).toContain('openapi.json')
    expect((await f.app.request('/docs/assets/package.json')).status).toBe(404)
  })

  it('answers an unknown route with a JSON 404', async () => {
    const res = await f.app.request('/nope/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
