/**
 * Dashboard sessions as a browser meets them on a real collector process over real HTTP: a read key
 * signs in and gets a cookie it can read with but not change anything with; an admin's cookie changes
 * things only from the collector's own origin; a session outlives a restart (it is stored, not held in
 * memory), ends at sign-out and when its key is revoked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

describe('dashboard sessions on a real collector', () => {
  const collectors: CollectorProcess[] = []
  afterEach(async () => {
    for (const collector of collectors.splice(0)) await collector.close()
  })

  it('sign in with a key, use the cookie, refuse what the scope or the origin does not allow, and end', async () => {
    const collector = collectorProcess({ env: { NPSKIT_SESSION_HOURS: '1' } })
    collectors.push(collector)
    await collector.start()
    const url = collector.url
    const bearer = { authorization: `Bearer ${collector.adminKey}`, 'content-type': 'application/json' }
    const made = await fetch(`${url}/v1/keys`, {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ name: 'customer success', scope: 'read' }),
    })
    const readKey = (await made.json()) as { id: string; key: string; scope: string }
    expect(readKey.scope).toBe('read')

    async function signIn(key: string): Promise<string> {
      const res = await fetch(`${url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ key }),
      })
      expect(res.status).toBe(201)
      const [cookie] = res.headers.getSetCookie()
      const flags = cookie!.split(/;\s*/).slice(1)
      expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', 'Max-Age=3600']))
      expect(flags).not.toContain('Secure')
      return cookie!.split(';')[0]!
    }
    const survey = JSON.stringify({ name: 'Signed in' })
    const post = (cookie: string, origin: string) =>
      fetch(`${url}/v1/surveys`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: survey,
      })

    const reader = await signIn(readKey.key)
    const who = await fetch(`${url}/v1/sessions/current`, { headers: { cookie: reader } })
    expect(await who.json()).toMatchObject({ keyName: 'customer success', scope: 'read' })
    expect((await fetch(`${url}/v1/surveys`, { headers: { cookie: reader } })).status).toBe(200)
    const refused = await post(reader, url)
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({
      error: { code: 'forbidden', message: "this needs an admin key; this key's scope is read" },
    })

    const admin = await signIn(collector.adminKey)
    const elsewhere = await post(admin, 'https://evil.example')
    expect(elsewhere.status).toBe(403)
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    expect((await post(admin, url)).status).toBe(201)

    // Stored on the server: a restart signs nobody out.
    await collector.stop()
    await collector.restart()
    expect((await fetch(`${url}/v1/surveys`, { headers: { cookie: admin } })).status).toBe(200)

    // Revoking the read key ends its session at once.
    const revoked = await fetch(`${url}/v1/keys/${readKey.id}`, { method: 'DELETE', headers: bearer })
    expect(revoked.status).toBe(200)
    expect((await fetch(`${url}/v1/surveys`, { headers: { cookie: reader } })).status).toBe(401)

    // Signing out ends the admin's session on the server and clears the cookie.
    const out = await fetch(`${url}/v1/sessions/current`, {
      method: 'DELETE',
      headers: { cookie: admin, origin: url },
    })
    expect(out.status).toBe(204)
    expect(out.headers.getSetCookie()[0]).toMatch(/^npskit_session=;.*Max-Age=0/)
    expect((await fetch(`${url}/v1/surveys`, { headers: { cookie: admin } })).status).toBe(401)
  })
})
