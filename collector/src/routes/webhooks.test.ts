import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture } from '../testing.ts'

interface EndpointBody {
  id: string
  surveyId: string | null
  url: string
  format: string
  events: string[]
  filter: Record<string, unknown>
  description: string | null
  enabled: boolean
  disabledReason: string | null
  failingSince: string | null
  createdAt: string
  updatedAt: string
  secret?: string
}

interface DeliveryBody {
  id: string
  endpointId: string
  eventType: string
  status: string
  attempts: number
  createdAt: string
  nextAttemptAt: string | null
  payload?: unknown
  history?: unknown[]
}

const PUBLIC_URL = 'https://203.0.113.10/hooks/npskit'

describe('webhook endpoints', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  const create = async (body: Record<string, unknown>) => {
    const res = await f.admin('/v1/webhooks', { method: 'POST', body })
    return { res, body: (await res.json()) as EndpointBody & { error?: { code: string; message: string } } }
  }

  it('are made with defaults, and the secret is in that answer only', async () => {
    const { res, body } = await create({ url: PUBLIC_URL })
    expect(res.status).toBe(201)
    expect(body).toEqual({
      id: expect.stringMatching(/^whe_/),
      surveyId: null,
      url: PUBLIC_URL,
      format: 'standard',
      events: ['response.created', 'response.updated', 'case.opened', 'case.updated', 'alert.nps_dropped'],
      filter: {},
      description: null,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdAt: '2026-03-01T12:00:00.000Z',
      updatedAt: '2026-03-01T12:00:00.000Z',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    })
    const read = await f.admin(`/v1/webhooks/${body.id}`)
    expect(read.status).toBe(200)
    const { secret, ...shown } = body
    expect(await read.json()).toEqual(shown)
    const list = await (await f.admin('/v1/webhooks')).text()
    expect(list).toContain(body.id)
    expect(list).not.toContain(secret!.slice(6))
  })

  it('take a survey, a format, events (each once), a filter and a description', async () => {
    const surveyId = await f.survey()
    const { res, body } = await create({
      url: PUBLIC_URL,
      surveyId,
      format: 'slack',
      events: ['case.opened', 'case.opened', 'alert.nps_dropped'],
      filter: { categories: ['detractor'], maxScore: 6, segments: [['plan', 'pro']] },
      description: 'the #cx channel',
    })
    expect(res.status).toBe(201)
    expect(body).toMatchObject({
      surveyId,
      format: 'slack',
      events: ['case.opened', 'alert.nps_dropped'],
      filter: { categories: ['detractor'], maxScore: 6, segments: [['plan', 'pro']] },
      description: 'the #cx channel',
    })
  })

  it('refuse bad input with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'ftp://203.0.113.10/x' }, 'url'],
      [{ url: 'https://user:pw@203.0.113.10/x' }, 'url'],
      [{ url: PUBLIC_URL, events: ['response.deleted'] }, 'events.0'],
      [{ url: PUBLIC_URL, events: [] }, 'events'],
      [{ url: PUBLIC_URL, format: 'teams' }, 'format'],
      [{ url: PUBLIC_URL, filter: { minScore: 7, maxScore: 3 } }, 'filter.minScore'],
      [{ url: PUBLIC_URL, filter: { minScore: 11 } }, 'filter.minScore'],
      [{ url: PUBLIC_URL, filter: { segments: [['plan']] } }, 'filter.segments.0'],
      [{ url: PUBLIC_URL, filter: { colour: 'red' } }, 'filter'],
      [{ url: PUBLIC_URL, secret: 'whsec_mine' }, ''],
      [{ url: PUBLIC_URL, description: 'x'.repeat(501) }, 'description'],
      [{ url: PUBLIC_URL, surveyId: 'nope' }, 'surveyId'],
    ]
    for (const [input, path] of cases) {
      const { res, body } = await create(input)
      expect(res.status, JSON.stringify(input)).toBe(400)
      expect(body.error?.code, JSON.stringify(input)).toBe('invalid_body')
      const issues = (body as unknown as { error: { issues: { path: string }[] } }).error.issues
      expect(
        issues.map((i) => i.path),
        JSON.stringify(input),
      ).toContain(path)
    }
    const missing = await create({ url: PUBLIC_URL, surveyId: 'srv_nope' })
    expect(missing.res.status).toBe(404)
    expect(missing.body.error).toEqual({ code: 'not_found', message: 'survey srv_nope not found' })
  })

  it('refuse a URL on loopback, private or link-local addresses, saying why', async () => {
    for (const [url, reason] of [
      ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
      ['http://10.0.0.5/hook', '10.0.0.5 is a private address'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
      ['http://[::1]/hook', '::1 is a loopback address'],
      ['http://[::ffff:192.168.0.1]/hook', '::ffff:c0a8:1 is a private address'],
      ['http://100.64.1.1/hook', '100.64.1.1 is a shared (carrier-grade NAT) address'],
      ['http://localhost:8080/hook', 'localhost resolves to'],
    ]) {
      const { res, body } = await create({ url })
      expect(res.status, url).toBe(400)
      expect(body.error?.message, url).toContain(reason)
      expect(body.error?.message, url).toContain('NPSKIT_WEBHOOK_ALLOW_PRIVATE')
    }
    expect((await f.admin('/v1/webhooks')).status).toBe(200)
    expect(((await (await f.admin('/v1/webhooks')).json()) as { items: unknown[] }).items).toEqual([])
  })

  it('may be private when the collector allows it', async () => {
    const open = await fixture({ webhookAllowPrivate: true })
    try {
      const res = await open.admin('/v1/webhooks', {
        method: 'POST',
        body: { url: 'http://127.0.0.1:8080/hook' },
      })
      expect(res.status).toBe(201)
    } finally {
      await open.close()
    }
  })

  it('are at most 100 per collector', async () => {
    for (let i = 0; i < 100; i++) expect((await create({ url: PUBLIC_URL })).res.status).toBe(201)
    const { res, body } = await create({ url: PUBLIC_URL })
    expect(res.status).toBe(409)
    expect(body.error).toEqual({
      code: 'too_many_endpoints',
      message: 'a collector keeps at most 100 webhook endpoints',
    })
  })

  it('are listed for a survey: its own and the collector-wide ones', async () => {
    const a = await f.survey({ name: 'A' })
    const b = await f.survey({ name: 'B' })
    const everywhere = (await create({ url: PUBLIC_URL })).body.id
    const ofA = (await create({ url: PUBLIC_URL, surveyId: a })).body.id
    const ofB = (await create({ url: PUBLIC_URL, surveyId: b })).body.id
    const ids = async (query: string) =>
      ((await (await f.admin(`/v1/webhooks${query}`)).json()) as { items: { id: string }[] }).items
        .map((e) => e.id)
        .sort()
    expect(await ids('')).toEqual([everywhere, ofA, ofB].sort())
    expect(await ids(`?surveyId=${a}`)).toEqual([everywhere, ofA].sort())
    const unknown = await f.admin('/v1/webhooks?surveyId=srv_nope')
    expect(unknown.status).toBe(404)
    expect(await errorCode(unknown)).toBe('not_found')
  })

  it('change by PATCH; the URL is checked again; disabling names the key, enabling clears it', async () => {
    const { body } = await create({ url: PUBLIC_URL })
    const patch = (change: unknown) =>
      f.admin(`/v1/webhooks/${body.id}`, { method: 'PATCH', body: change as Record<string, unknown> })
    f.clock.advance(1000)
    const changed = await patch({
      url: 'https://203.0.113.11/other',
      events: ['case.opened'],
      description: 'ops',
    })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({
      url: 'https://203.0.113.11/other',
      events: ['case.opened'],
      description: 'ops',
      updatedAt: '2026-03-01T12:00:01.000Z',
    })
    const refused = await patch({ url: 'http://192.168.1.1/' })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'private address',
    )

    const off = await patch({ enabled: false })
    expect(await off.json()).toMatchObject({ enabled: false, disabledReason: 'disabled by test' })
    // Disabling it again keeps the reason it has.
    expect(await (await patch({ enabled: false, description: null })).json()).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by test',
      description: null,
    })
    expect(await (await patch({ enabled: true })).json()).toMatchObject({
      enabled: true,
      disabledReason: null,
    })
    expect((await patch({ enabled: 'yes' })).status).toBe(400)
    expect((await patch({ secret: 'x' })).status).toBe(400)
  })

  it('are deleted, and unknown ones answer 404 on every route', async () => {
    const { body } = await create({ url: PUBLIC_URL })
    expect((await f.admin(`/v1/webhooks/${body.id}`, { method: 'DELETE' })).status).toBe(204)
    for (const id of [body.id, 'whe_nope', 'srv_nope', 'x'.repeat(300)]) {
      for (const [method, path] of [
        ['GET', `/v1/webhooks/${id}`],
        ['PATCH', `/v1/webhooks/${id}`],
        ['DELETE', `/v1/webhooks/${id}`],
        ['GET', `/v1/webhooks/${id}/deliveries`],
        ['POST', `/v1/webhooks/${id}/test`],
      ] as const) {
        const res = await f.admin(path, { method, ...(method === 'PATCH' ? { body: {} } : {}) })
        expect(res.status, `${method} ${path}`).toBe(404)
        expect(await res.json()).toEqual({
          error: { code: 'not_found', message: 'webhook endpoint not found' },
        })
      }
    }
  })
})

describe('a webhook endpoint’s deliveries', () => {
  let f: Fixture
  let endpointId: string
  beforeEach(async () => {
    f = await fixture()
    const res = await f.admin('/v1/webhooks', { method: 'POST', body: { url: PUBLIC_URL } })
    endpointId = ((await res.json()) as EndpointBody).id
  })
  afterEach(() => f.close())

  const ping = async () => {
    const res = await f.admin(`/v1/webhooks/${endpointId}/test`, { method: 'POST' })
    expect(res.status).toBe(202)
    return (await res.json()) as DeliveryBody
  }

  it('include a test ping, pending at once, with its body and no attempts yet', async () => {
    const delivery = await ping()
    expect(delivery).toMatchObject({
      id: expect.stringMatching(/^msg_/),
      endpointId,
      eventType: 'webhook.test',
      status: 'pending',
      attempts: 0,
      createdAt: '2026-03-01T12:00:00.000Z',
      nextAttemptAt: '2026-03-01T12:00:00.000Z',
    })
    const detail = (await (
      await f.admin(`/v1/webhooks/${endpointId}/deliveries/${delivery.id}`)
    ).json()) as DeliveryBody
    expect(detail.payload).toEqual({
      type: 'webhook.test',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: { endpointId, message: 'a test message from npskit' },
    })
    expect(detail.history).toEqual([])
  })

  it('are listed newest first, page by page', async () => {
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      made.push((await ping()).id)
      f.clock.advance(1000)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `&cursor=${cursor}` : ''
      const page = (await (
        await f.admin(`/v1/webhooks/${endpointId}/deliveries?limit=2${query}`)
      ).json()) as {
        items: DeliveryBody[]
        nextCursor: string | null
      }
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((d) => d.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(made.reverse())
    expect((await f.admin(`/v1/webhooks/${endpointId}/deliveries?cursor=junk`)).status).toBe(400)
    expect((await f.admin(`/v1/webhooks/${endpointId}/deliveries?limit=0`)).status).toBe(400)
  })

  it('can be sent again: the same delivery, pending at the time of asking', async () => {
    const delivery = await ping()
    f.clock.advance(60_000)
    const res = await f.admin(`/v1/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
    })
    expect(res.status).toBe(202)
    expect(await res.json()).toMatchObject({
      id: delivery.id,
      status: 'pending',
      nextAttemptAt: '2026-03-01T12:01:00.000Z',
    })
  })

  it('belong to their endpoint: another endpoint’s delivery, or none, is 404', async () => {
    const delivery = await ping()
    const other = (await (
      await f.admin('/v1/webhooks', { method: 'POST', body: { url: PUBLIC_URL } })
    ).json()) as EndpointBody
    for (const [method, path] of [
      ['GET', `/v1/webhooks/${other.id}/deliveries/${delivery.id}`],
      ['POST', `/v1/webhooks/${other.id}/deliveries/${delivery.id}/redeliver`],
      ['GET', `/v1/webhooks/${endpointId}/deliveries/msg_nope`],
      ['GET', `/v1/webhooks/${endpointId}/deliveries/whe_nope`],
    ] as const) {
      const res = await f.admin(path, { method })
      expect(res.status, path).toBe(404)
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'delivery not found' } })
    }
  })

  it('of a disabled endpoint are neither pinged nor sent again: 409', async () => {
    const delivery = await ping()
    await f.admin(`/v1/webhooks/${endpointId}`, { method: 'PATCH', body: { enabled: false } })
    for (const path of [
      `/v1/webhooks/${endpointId}/test`,
      `/v1/webhooks/${endpointId}/deliveries/${delivery.id}/redeliver`,
    ]) {
      const res = await f.admin(path, { method: 'POST' })
      expect(res.status, path).toBe(409)
      expect(await errorCode(res)).toBe('endpoint_disabled')
    }
  })

  it('go with their endpoint', async () => {
    const delivery = await ping()
    await f.admin(`/v1/webhooks/${endpointId}`, { method: 'DELETE' })
    expect(await f.backend.getDelivery(delivery.id)).toBeUndefined()
  })
})
