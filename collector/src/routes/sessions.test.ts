import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import { errorCode, type Fixture, fixture } from '../testing.ts'

const HOUR = 3_600_000
/** app.request() asks http://localhost: the collector's own origin in these tests. */
const OWN = 'http://localhost'

describe('dashboard sessions', () => {
  let f: Fixture
  afterEach(() => f.close())

  const signIn = (key: string, headers: Record<string, string> = {}) =>
    f.app.request('/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ key }),
    })

  /** Signs in with `key` (default: the fixture's admin key) and answers the `name=value` cookie. */
  async function cookieFor(key = f.key): Promise<string> {
    const res = await signIn(key)
    expect(res.status).toBe(201)
    return res.headers.get('set-cookie')!.split(';')[0]!
  }

  const withCookie = (
    cookie: string,
    path: string,
    init: { method?: string; origin?: string; body?: unknown } = {},
  ) =>
    f.app.request(path, {
      method: init.method ?? 'GET',
      headers: {
        cookie,
        ...(init.origin ? { origin: init.origin } : {}),
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    })

  it('sign in with a key: 201 with the key name, scope and expiry, and an HttpOnly SameSite=Strict cookie', async () => {
    f = await fixture()
    const res = await signIn(f.key)
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({
      keyName: 'test',
      scope: 'admin',
      expiresAt: new Date(f.clock.now() + 12 * HOUR).toISOString(),
    })
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^npskit_session=nps_[A-Za-z0-9_-]{43};/)
    const flags = cookie.split(/;\s*/).slice(1)
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=43200']))
    // Over plain http a Secure cookie would never come back.
    expect(flags).not.toContain('Secure')
    // The token is the cookie's only: not in the body, not stored (only its hash is).
    const token = cookie.split(';')[0]!.split('=')[1]!
    expect(JSON.stringify(await f.backend.listApiKeys())).not.toContain(token)
  })

  it('last NPSKIT_SESSION_HOURS', async () => {
    expect(loadConfig({ NPSKIT_SESSION_HOURS: '2' }).sessionHours).toBe(2)
    expect(loadConfig({}).sessionHours).toBe(12)
    expect(() => loadConfig({ NPSKIT_SESSION_HOURS: '0' })).toThrow(/NPSKIT_SESSION_HOURS/)
    f = await fixture({ sessionHours: 2 })
    const res = await signIn(f.key)
    expect(res.headers.get('set-cookie')).toContain('Max-Age=7200')
    expect(((await res.json()) as { expiresAt: string }).expiresAt).toBe(
      new Date(f.clock.now() + 2 * HOUR).toISOString(),
    )
  })

  it('set a Secure cookie when the collector is reached over https, and only then', async () => {
    f = await fixture({ publicUrl: 'https://nps.example.com' })
    expect((await signIn(f.key)).headers.get('set-cookie')).toMatch(/;\s*Secure(;|$)/)
    await f.close()
    f = await fixture({ trustProxy: true })
    expect((await signIn(f.key, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).toMatch(
      /;\s*Secure(;|$)/,
    )
    expect((await signIn(f.key, { 'x-forwarded-proto': 'http' })).headers.get('set-cookie')).not.toContain(
      'Secure',
    )
    await f.close()
    // Without a trusted proxy, anyone could send the header: it is not believed.
    f = await fixture()
    expect((await signIn(f.key, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie')).not.toContain(
      'Secure',
    )
  })

  it('let the cookie in where a key would go, and say who is signed in', async () => {
    f = await fixture()
    const cookie = await cookieFor()
    expect((await withCookie(cookie, '/v1/surveys')).status).toBe(200)
    const current = await withCookie(cookie, '/v1/sessions/current')
    expect(current.status).toBe(200)
    expect(await current.json()).toEqual({
      keyName: 'test',
      scope: 'admin',
      expiresAt: new Date(f.clock.now() + 12 * HOUR).toISOString(),
    })
    // Nobody signed in, or a script with a Bearer key: no session.
    expect((await f.app.request('/v1/sessions/current')).status).toBe(401)
    const bearer = await f.admin('/v1/sessions/current')
    expect(bearer.status).toBe(401)
    expect(await errorCode(bearer)).toBe('unauthorized')
  })

  it('refuse a wrong key or a bad body', async () => {
    f = await fixture()
    const wrong = await signIn('npk_not-a-key')
    expect(wrong.status).toBe(401)
    expect(await errorCode(wrong)).toBe('unauthorized')
    expect(wrong.headers.get('set-cookie')).toBeNull()
    const bad = await f.app.request('/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: f.key }),
    })
    expect(bad.status).toBe(400)
    expect(await errorCode(bad)).toBe('invalid_body')
  })

  it('throttle wrong keys at sign-in with the same allowance as wrong Bearer keys', async () => {
    f = await fixture({ trustProxy: true, authFailureLimit: 3 })
    const from = { 'x-forwarded-for': '203.0.113.7' }
    for (let i = 0; i < 3; i++) expect((await signIn(`npk_guess-${i}`, from)).status).toBe(401)
    const limited = await signIn('npk_guess-3', from)
    expect(limited.status).toBe(429)
    expect(await errorCode(limited)).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    // Not even the right key, at sign-in or as a Bearer key, until the wait is over.
    expect((await signIn(f.key, from)).status).toBe(429)
    expect((await f.admin('/v1/surveys', { headers: from })).status).toBe(429)
    expect((await signIn(f.key, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(201)
  })

  it('sign out: the session ends on the server at once and the cookie is cleared', async () => {
    f = await fixture()
    const cookie = await cookieFor()
    const out = await withCookie(cookie, '/v1/sessions/current', { method: 'DELETE', origin: OWN })
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^npskit_session=;.*Max-Age=0/)
    expect(out.headers.get('set-cookie')).toContain('HttpOnly')
    // The same token, kept by anyone who copied it, no longer works.
    const after = await withCookie(cookie, '/v1/surveys')
    expect(after.status).toBe(401)
    expect(await errorCode(after)).toBe('unauthorized')
  })

  it('end when they expire, and the expired session is deleted', async () => {
    f = await fixture()
    const cookie = await cookieFor()
    const token = cookie.split('=')[1]!
    f.clock.advance(12 * HOUR - 1)
    expect((await withCookie(cookie, '/v1/surveys')).status).toBe(200)
    f.clock.advance(1)
    expect((await withCookie(cookie, '/v1/surveys')).status).toBe(401)
    // Gone from storage, not just refused: asked about an earlier moment, it is not found either.
    expect(await f.backend.verifySession(token, f.clock.now() - HOUR)).toBeUndefined()
  })

  it('end when the key they came from is revoked', async () => {
    f = await fixture()
    const made = await f.admin('/v1/keys', { method: 'POST', body: { name: 'laptop' } })
    const { id, key } = (await made.json()) as { id: string; key: string }
    const cookie = await cookieFor(key)
    expect((await withCookie(cookie, '/v1/surveys')).status).toBe(200)
    expect((await f.admin(`/v1/keys/${id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await withCookie(cookie, '/v1/surveys')).status).toBe(401)
    expect((await signIn(key)).status).toBe(401)
  })

  it("refuse every change made with the cookie unless Origin is the collector's own; Bearer requests are unaffected", async () => {
    f = await fixture()
    const cookie = await cookieFor()
    const body = { name: 'From the dashboard' }
    for (const origin of [undefined, 'https://evil.example', 'http://localhost:8080', 'null']) {
      const res = await withCookie(cookie, '/v1/surveys', { method: 'POST', origin, body })
      expect(res.status, String(origin)).toBe(403)
      expect(await errorCode(res), String(origin)).toBe('forbidden')
    }
    const id = (await f.backend.listSurveys(10)).items.length
    expect(id).toBe(0)
    for (const method of ['PATCH', 'DELETE']) {
      const res = await withCookie(cookie, '/v1/surveys/srv_nope', {
        method,
        origin: 'https://evil.example',
        body,
      })
      expect(res.status, method).toBe(403)
    }
    // Sign-out is a change too.
    expect((await withCookie(cookie, '/v1/sessions/current', { method: 'DELETE' })).status).toBe(403)
    // Reads need no Origin, and the collector's own pages may change things.
    expect((await withCookie(cookie, '/v1/surveys', { origin: 'https://evil.example' })).status).toBe(200)
    expect((await withCookie(cookie, '/v1/surveys', { method: 'POST', origin: OWN, body })).status).toBe(201)
    const script = await f.admin('/v1/surveys', {
      method: 'POST',
      body,
      headers: { origin: 'https://evil.example' },
    })
    expect(script.status).toBe(201)
  })

  it("take NPSKIT_PUBLIC_URL's origin as the collector's own, and refuse a sign-in from another page", async () => {
    f = await fixture({ publicUrl: 'https://nps.example.com/' })
    const cookie = await cookieFor()
    const body = { name: 'Behind the proxy' }
    const res = await withCookie(cookie, '/v1/surveys', {
      method: 'POST',
      origin: 'https://nps.example.com',
      body,
    })
    expect(res.status).toBe(201)
    const elsewhere = await signIn(f.key, { origin: 'https://evil.example' })
    expect(elsewhere.status).toBe(403)
    expect(await errorCode(elsewhere)).toBe('forbidden')
    expect(elsewhere.headers.get('set-cookie')).toBeNull()
    expect((await signIn(f.key, { origin: 'https://nps.example.com' })).status).toBe(201)
  })
})
