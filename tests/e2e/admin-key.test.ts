/**
 * The admin key an operator sets in the environment, and wrong keys, as a real collector process meets
 * them: a revoked NPSKIT_ADMIN_KEY stays revoked through a restart and the start-up says so; a client
 * address that keeps sending wrong keys is slowed down with 429, while an admin at another address
 * (127.0.0.2: Linux routes all of 127/8 to loopback) gets in at once.
 */
import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

/** A GET of the key list over a socket from `localAddress`, as another machine would send it. */
function listKeys(
  collector: CollectorProcess,
  key: string,
  localAddress = '127.0.0.1',
): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      `${collector.url}/v1/keys`,
      { headers: { authorization: `Bearer ${key}` }, localAddress, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }),
        )
      },
    )
    req.on('error', fail)
    req.end()
  })
}

describe('the admin key', () => {
  const collectors: CollectorProcess[] = []
  afterEach(async () => {
    for (const collector of collectors.splice(0)) await collector.close()
  })

  it('stays revoked when NPSKIT_ADMIN_KEY still holds it at the next start, which says so', async () => {
    const collector = collectorProcess({ adminKey: 'npskit-env-key-0123456789' })
    collectors.push(collector)
    await collector.start()
    const admin = { authorization: `Bearer ${collector.adminKey}`, 'content-type': 'application/json' }
    const created = await fetch(`${collector.url}/v1/keys`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'second admin' }),
    })
    const second = ((await created.json()) as { key: string }).key
    const keys = (await (await fetch(`${collector.url}/v1/keys`, { headers: admin })).json()) as {
      items: { id: string; name: string; last4: string | null }[]
    }
    const envKey = keys.items.find((k) => k.name === 'NPSKIT_ADMIN_KEY')!
    expect(envKey.last4).toBe('6789')
    const revoked = await fetch(`${collector.url}/v1/keys/${envKey.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${second}` },
    })
    expect(revoked.status).toBe(200)
    expect(collector.output()).not.toContain('was revoked')

    await collector.restart()
    expect(collector.output()).toMatch(
      /NPSKIT_ADMIN_KEY was revoked on \S+ and stays revoked: it opens nothing\. Set NPSKIT_ADMIN_KEY to a new secret/,
    )
    expect((await listKeys(collector, collector.adminKey)).status).toBe(401)
    const list = await listKeys(collector, second)
    expect(list.status).toBe(200)
    expect(JSON.parse(list.body).items).toContainEqual(
      expect.objectContaining({ id: envKey.id, revokedAt: expect.any(String) }),
    )
  })

  it('slows down wrong keys from one address with 429, never an admin at another', async () => {
    const collector = collectorProcess({ env: { NPSKIT_AUTH_FAILURE_LIMIT: '5' } })
    collectors.push(collector)
    await collector.start()
    for (let i = 0; i < 5; i++) expect((await listKeys(collector, `npk_guess-${i}`)).status).toBe(401)
    const limited = await listKeys(collector, 'npk_guess-5')
    expect(limited.status).toBe(429)
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: 'rate_limited' } })
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1)

    expect((await listKeys(collector, collector.adminKey, '127.0.0.2')).status).toBe(200)
    expect((await listKeys(collector, 'npk_typo', '127.0.0.2')).status).toBe(401)
  })
})
