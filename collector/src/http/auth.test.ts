import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture } from '../testing.ts'

describe('wrong admin keys', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture({ trustProxy: true, authFailureLimit: 10 })
  })
  afterEach(() => f.close())

  const from = (address: string, key: string) =>
    f.app.request('/v1/surveys', {
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': address },
    })

  it('are refused with 429 and Retry-After after ten from one address, until that time has passed', async () => {
    for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', `npk_guess-${i}`)).status).toBe(401)
    const limited = await from('203.0.113.7', 'npk_guess-10')
    expect(limited.status).toBe(429)
    expect(await errorCode(limited)).toBe('rate_limited')
    const wait = Number(limited.headers.get('retry-after'))
    expect(wait).toBeGreaterThanOrEqual(1)
    // While refused, not even the right key is checked: a guesser learns nothing faster than the limit.
    expect((await from('203.0.113.7', f.key)).status).toBe(429)
    f.clock.advance(wait * 1000)
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
    expect((await from('203.0.113.7', 'npk_guess-11')).status).toBe(401)
    expect((await from('203.0.113.7', 'npk_guess-12')).status).toBe(429)
  })

  it('from one address never slow down an admin at another', async () => {
    for (let i = 0; i < 50; i++) await from('203.0.113.7', `npk_guess-${i}`)
    expect((await from('203.0.113.7', 'npk_guess')).status).toBe(429)
    expect((await from('198.51.100.2', f.key)).status).toBe(200)
    expect((await from('198.51.100.2', 'npk_typo')).status).toBe(401)
  })

  it('from one IPv6 /64 count together, whichever of its addresses they come from', async () => {
    for (let i = 0; i < 10; i++) await from(`2001:db8:1:2::${i + 1}`, `npk_guess-${i}`)
    expect((await from('2001:db8:1:2::ffff', 'npk_guess')).status).toBe(429)
    expect((await from('2001:db8:1:3::1', f.key)).status).toBe(200)
  })

  it('are counted apart from good ones: a valid key is never refused for the requests it made', async () => {
    for (let i = 0; i < 100; i++) expect((await from('203.0.113.7', f.key)).status).toBe(200)
    for (let i = 0; i < 9; i++) await from('203.0.113.7', `npk_guess-${i}`)
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
    // Asking without any key is not a guess.
    for (let i = 0; i < 20; i++) {
      const res = await f.app.request('/v1/surveys', { headers: { 'x-forwarded-for': '203.0.113.7' } })
      expect(res.status).toBe(401)
    }
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
  })
})

interface Operation {
  security?: Record<string, string[]>[]
}

describe('key scopes', () => {
  let f: Fixture
  let surveyId: string
  let readKey: string
  beforeEach(async () => {
    f = await fixture()
    surveyId = await f.survey()
    const res = await f.admin('/v1/keys', {
      method: 'POST',
      body: { name: 'dashboard viewer', scope: 'read' },
    })
    readKey = ((await res.json()) as { key: string }).key
  })
  afterEach(() => f.close())

  /** Every operation of the document that takes a key (Bearer), as `METHOD /path`, with its scope. */
  async function keyedOperations(): Promise<
    { label: string; method: string; path: string; scope: string }[]
  > {
    const spec = (await (await f.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Operation>>
    }
    return Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.security?.some((way) => way.bearer))
        .map(([method, op]) => ({
          label: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          scope: op.security!.find((way) => way.bearer)!.bearer![0]!,
        })),
    )
  }

  const concrete = (path: string) =>
    path
      .replace('{id}', path.startsWith('/v1/keys') ? 'key_nope' : surveyId)
      .replace('{respondentId}', 'nobody')
      .replace('{account}', 'acme')

  const request = (method: string, path: string, headers: Record<string, string>) =>
    f.app.request(concrete(path), {
      method,
      headers: {
        ...headers,
        ...(method === 'POST' || method === 'PATCH' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' || method === 'PATCH' ? { body: '{}' } : {}),
    })

  it('are read on the GET routes of surveys, answers, figures and exports (and /metrics), admin everywhere else', async () => {
    const read = (await keyedOperations()).filter((op) => op.scope === 'read').map((op) => op.label)
    expect(read.sort()).toEqual(
      [
        'GET /metrics',
        'GET /v1/surveys',
        'GET /v1/surveys/{id}',
        'GET /v1/surveys/{id}/responses',
        'GET /v1/surveys/{id}/changes',
        'GET /v1/surveys/{id}/metadata-keys',
        'GET /v1/surveys/{id}/retention',
        'GET /v1/surveys/{id}/lifecycle-runs',
        'GET /v1/surveys/{id}/nps',
        'GET /v1/surveys/{id}/nps/trend',
        'GET /v1/surveys/{id}/nps/breakdown',
        'GET /v1/surveys/{id}/nps/compare',
        'GET /v1/surveys/{id}/target',
        'GET /v1/surveys/{id}/benchmark',
        'GET /v1/benchmarks',
        'GET /v1/surveys/{id}/themes',
        'GET /v1/surveys/{id}/themes/trend',
        'GET /v1/surveys/{id}/accounts',
        'GET /v1/surveys/{id}/accounts/{account}/history',
        'GET /v1/surveys/{id}/movers',
        'GET /v1/respondents/{respondentId}/history',
        'GET /v1/surveys/{id}/cases',
        'GET /v1/surveys/{id}/cases/figures',
        'GET /v1/cases/{caseId}',
        'GET /v1/webhooks',
        'GET /v1/webhooks/{endpointId}',
        'GET /v1/webhooks/{endpointId}/deliveries',
        'GET /v1/webhooks/{endpointId}/deliveries/{deliveryId}',
      ].sort(),
    )
  })

  it('refuse a read key with 403 forbidden on every admin operation, naming both scopes, and on no read one', async () => {
    const operations = await keyedOperations()
    expect(operations.filter((op) => op.scope === 'admin').length).toBeGreaterThanOrEqual(9)
    for (const op of operations) {
      const res = await request(op.method, op.path, { authorization: `Bearer ${readKey}` })
      if (op.scope === 'admin') {
        expect(res.status, op.label).toBe(403)
        expect(await res.json(), op.label).toEqual({
          error: { code: 'forbidden', message: "this needs an admin key; this key's scope is read" },
        })
      } else {
        expect(res.status, op.label).not.toBe(403)
        expect(res.status, op.label).not.toBe(401)
      }
    }
  })

  it('hold for a session made from a read key just as for the key itself', async () => {
    const signIn = await f.app.request('/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: readKey }),
    })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    for (const op of await keyedOperations()) {
      const res = await request(op.method, op.path, { cookie, origin: 'http://localhost' })
      if (op.scope === 'admin') {
        expect(res.status, op.label).toBe(403)
        expect(await errorCode(res), op.label).toBe('forbidden')
      } else {
        expect([401, 403], op.label).not.toContain(res.status)
      }
    }
  })

  it('give a read key the same answers an admin key gets on the read operations', async () => {
    for (const op of (await keyedOperations()).filter((op) => op.scope === 'read')) {
      const asAdmin = await request(op.method, op.path, { authorization: `Bearer ${f.key}` })
      const asReader = await request(op.method, op.path, { authorization: `Bearer ${readKey}` })
      expect(asReader.status, op.label).toBe(asAdmin.status)
      // /metrics counts the requests themselves, so its text moves between the two.
      if (op.path !== '/metrics') expect(await asReader.text(), op.label).toBe(await asAdmin.text())
    }
  })

  it('are given when a key is made (admin by default) and shown in the key list', async () => {
    const made = await f.admin('/v1/keys', { method: 'POST', body: { name: 'ci' } })
    expect(made.status).toBe(201)
    expect(await made.json()).toMatchObject({ name: 'ci', scope: 'admin' })
    const bad = await f.admin('/v1/keys', { method: 'POST', body: { name: 'x', scope: 'owner' } })
    expect(bad.status).toBe(400)
    expect(await errorCode(bad)).toBe('invalid_body')
    const list = (await (await f.admin('/v1/keys')).json()) as { items: { name: string; scope: string }[] }
    expect(list.items.map((k) => `${k.name}: ${k.scope}`).sort()).toEqual([
      'ci: admin',
      'dashboard viewer: read',
      'test: admin',
    ])
  })

  it('keep the last active admin key from being revoked, even beside active read keys', async () => {
    const list = (await (await f.admin('/v1/keys')).json()) as { items: { id: string; scope: string }[] }
    const admin = list.items.find((k) => k.scope === 'admin')!
    const res = await f.admin(`/v1/keys/${admin.id}`, { method: 'DELETE' })
    expect(res.status).toBe(409)
    expect(await errorCode(res)).toBe('last_key')
    const reader = list.items.find((k) => k.scope === 'read')!
    expect((await f.admin(`/v1/keys/${reader.id}`, { method: 'DELETE' })).status).toBe(200)
  })
})
