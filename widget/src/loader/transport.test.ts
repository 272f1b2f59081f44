import { describe, expect, it, vi } from 'vitest'
import { MemoryStorage } from '../test/fakes.ts'
import { jsonStorage } from './storage.ts'
import { createTransport, settles } from './transport.ts'

type Reply = number | 'offline'

/** A collector stand-in that answers each request with the next status of `replies`. */
function setup(replies: Reply[], hidden = false) {
  const raw = new MemoryStorage()
  const kv = jsonStorage(() => raw)
  const sent: { url: string; init: RequestInit; body: unknown }[] = []
  const beacons: { url: string; body: unknown }[] = []
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {}, body: JSON.parse(String(init?.body)) })
    const reply = replies.shift() ?? 201
    if (reply === 'offline') throw new TypeError('Failed to fetch')
    return new Response(null, { status: reply })
  })
  const t = createTransport({
    base: 'https://c.example',
    kv,
    fetch: fetch as typeof globalThis.fetch,
    beacon: (url, data) => {
      beacons.push({ url, body: JSON.parse(String(data)) })
      return true
    },
    isHidden: () => hidden,
  })
  return { t, kv, raw, sent, beacons }
}

const answer = (comment?: string) => ({
  p: '/v1/surveys/srv_a/responses',
  k: 'id-1',
  b: { id: 'id-1', score: 9, respondentId: 'v1', ...(comment ? { comment } : {}) },
})

describe('settles', () => {
  it('settles on 2xx and on a 4xx that can never succeed, not on 408, 429, 5xx', () => {
    expect([200, 201, 202, 400, 403, 404, 413].map(settles)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ])
    expect([408, 429, 500, 502, 503].map(settles)).toEqual([false, false, false, false, false])
  })
})

describe('createTransport', () => {
  it('posts text/plain without a preflight, keepalive, without cookies', async () => {
    const { t, sent } = setup([201])
    await t.send(answer())
    expect(sent[0]?.url).toBe('https://c.example/v1/surveys/srv_a/responses')
    expect(sent[0]?.init).toMatchObject({
      method: 'POST',
      keepalive: true,
      mode: 'cors',
      credentials: 'omit',
    })
    expect(sent[0]?.init.headers).toBeUndefined()
    expect(new Request('https://c.example', { method: 'POST', body: 'x' }).headers.get('content-type')).toBe(
      'text/plain;charset=UTF-8',
    )
  })

  it('forgets a message once the collector confirms it', async () => {
    const { t } = setup([201])
    expect(await t.send(answer())).toBe(true)
    expect(t.pending()).toEqual([])
  })

  it('keeps an answer the network lost and sends it on the next flush', async () => {
    const { t, sent } = setup(['offline', 503, 429, 200])
    expect(await t.send(answer())).toBe(false)
    await t.flush()
    await t.flush()
    expect(t.pending()).toHaveLength(1)
    await t.flush()
    expect(t.pending()).toEqual([])
    expect(sent.map((s) => s.body)).toEqual(Array(4).fill(answer().b))
  })

  it('drops a message the collector refuses for good instead of retrying forever', async () => {
    const { t } = setup([400])
    expect(await t.send(answer())).toBe(true)
    expect(t.pending()).toEqual([])
  })

  it('survives a reload: a new transport on the same storage sends what the old one could not', async () => {
    const first = setup(['offline'])
    await first.t.send(answer())
    const sent: unknown[] = []
    const second = createTransport({
      base: 'https://c.example',
      kv: first.kv,
      fetch: (async (_u: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)))
        return new Response(null, { status: 200 })
      }) as unknown as typeof fetch,
      isHidden: () => false,
    })
    await second.flush()
    expect(sent).toEqual([answer().b])
    expect(second.pending()).toEqual([])
  })

  it('replaces a queued score with the comment for the same answer, so it is sent once', async () => {
    const { t, sent } = setup(['offline', 'offline', 201])
    await t.send(answer())
    await t.send(answer('Great support'))
    expect(t.pending().map((m) => m.b)).toEqual([answer('Great support').b])
    await t.flush()
    expect(sent.at(-1)?.body).toEqual(answer('Great support').b)
    expect(t.pending()).toEqual([])
  })

  it('sends a beacon when the page is hidden, keeping answers queued and letting events go', async () => {
    const { t, sent, beacons } = setup([], true)
    await t.send(answer())
    await t.send({ p: '/v1/surveys/srv_a/events', b: { type: 'dismissed', respondentId: 'v1' } })
    expect(sent).toEqual([])
    expect(beacons.map((b) => b.url)).toEqual([
      'https://c.example/v1/surveys/srv_a/responses',
      'https://c.example/v1/surveys/srv_a/events',
    ])
    expect(t.pending().map((m) => m.p)).toEqual(['/v1/surveys/srv_a/responses'])
  })

  it('stops a flush at the first failure and keeps the order', async () => {
    const { t, sent } = setup(['offline', 'offline', 'offline'])
    await t.send({ p: '/e', b: { n: 1 } })
    await t.send({ p: '/e', b: { n: 2 } })
    await t.flush()
    expect(sent.map((s) => s.body)).toEqual([{ n: 1 }, { n: 2 }, { n: 1 }])
    expect(t.pending().map((m) => m.b)).toEqual([{ n: 1 }, { n: 2 }])
  })

  it('keeps no more than 50 messages when the collector stays down', async () => {
    const { t } = setup(Array(60).fill('offline'))
    for (let n = 0; n < 60; n++) await t.send({ p: '/e', b: { n } })
    expect(t.pending()).toHaveLength(50)
    expect(t.pending()[0]?.b).toEqual({ n: 10 })
  })
})
