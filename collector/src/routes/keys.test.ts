import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, everything, type Fixture, fixture } from '../testing.ts'

describe('admin: API keys', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it('creates a key whose secret works at once and is shown only in that answer', async () => {
    const res = await f.admin('/v1/keys', { method: 'POST', body: { name: 'ci' } })
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; key: string; last4: string }
    expect(created.key).toMatch(/^npk_/)
    expect(created.key.endsWith(created.last4)).toBe(true)
    expect(created.last4).toHaveLength(4)
    const withNewKey = await f.app.request('/v1/surveys', {
      headers: { authorization: `Bearer ${created.key}` },
    })
    expect(withNewKey.status).toBe(200)
    const list = await (await f.admin('/v1/keys')).text()
    expect(list).toContain(created.id)
    expect(list).not.toContain(created.key)
    const stored = JSON.stringify((await everything(f.backend)).keys)
    expect(stored).not.toContain(created.key)
  })

  it('lists a key by the last 4 characters of its secret, nothing more of it', async () => {
    // A 16-character NPSKIT_ADMIN_KEY: the list used to show its first 8, half of it.
    await f.backend.addApiKey({ name: 'NPSKIT_ADMIN_KEY', secret: 'Tr0ub4dor&3-horse' }, f.clock.now())
    const list = (await (await f.admin('/v1/keys')).json()) as { items: unknown[] }
    expect(list.items).toContainEqual(expect.objectContaining({ name: 'NPSKIT_ADMIN_KEY', last4: 'orse' }))
    const text = JSON.stringify(list)
    expect(text).not.toContain('Tr0u')
    expect(text).not.toContain('-hors')
  })

  it('revokes a key so that it no longer opens anything', async () => {
    const created = (await (
      await f.admin('/v1/keys', { method: 'POST', body: { name: 'temp' } })
    ).json()) as {
      id: string
      key: string
    }
    const res = await f.admin(`/v1/keys/${created.id}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull()
    const refused = await f.app.request('/v1/surveys', {
      headers: { authorization: `Bearer ${created.key}` },
    })
    expect(refused.status).toBe(401)
  })

  it('will not revoke the last active key (409) and answers 404 for an unknown key', async () => {
    const [only] = ((await (await f.admin('/v1/keys')).json()) as { items: { id: string }[] }).items
    const res = await f.admin(`/v1/keys/${only!.id}`, { method: 'DELETE' })
    expect(res.status).toBe(409)
    expect(await errorCode(res)).toBe('last_key')
    expect((await f.admin('/v1/keys/key_nope', { method: 'DELETE' })).status).toBe(404)
  })

  it('refuses a key without a name (400)', async () => {
    const res = await f.admin('/v1/keys', { method: 'POST', body: { name: '' } })
    expect(res.status).toBe(400)
  })
})
