/**
 * The sender against a real SQLite backend and a real HTTP receiver on loopback. The clock is the
 * fixture's and is moved by hand, so a day of retries passes at once; `drain()` sends what is due.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Survey } from '../backend/backend.ts'
import type { NewEndpoint, WebhookEndpoint } from '../backend/follow-up.ts'
import { type Fixture, fixture, storedAnswer } from '../testing.ts'
import { WebhookSender } from './webhook-sender.ts'
import {
  buildDeliveries,
  FAILING_REASON,
  GONE_REASON,
  generateWebhookSecret,
  type WebhookEvent,
} from './webhooks.ts'

const HOUR = 3_600_000

interface Received {
  id: string
  body: string
  headers: IncomingHttpHeaders
}

/**
 * A receiver that answers each request with `status(request)` (default 204). `received` lists every
 * request that reached it, in order of arrival; `listen()` and `close()` take it up and down on one port.
 */
async function receiver(port = 0) {
  const received: Received[] = []
  let answer: (r: Received) => number | Promise<number> = () => 204
  let server: Server | undefined
  let bound = port
  const listen = async () => {
    server = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk) => {
        body += chunk
      })
      req.on('end', async () => {
        const r = { id: String(req.headers['webhook-id']), body, headers: req.headers }
        received.push(r)
        res.writeHead(await answer(r)).end()
      })
    })
    await new Promise<void>((resolve) => server!.listen(bound, '127.0.0.1', resolve))
    bound = (server.address() as AddressInfo).port
  }
  const close = async () => {
    if (!server) return
    server.closeAllConnections()
    await new Promise((resolve) => server!.close(resolve))
    server = undefined
  }
  await listen()
  open.push(close)
  return {
    received,
    get url() {
      return `http://127.0.0.1:${bound}/hook`
    },
    get port() {
      return bound
    },
    answer(fn: typeof answer) {
      answer = fn
    },
    listen,
    close,
  }
}

const open: (() => Promise<void>)[] = []

/** Whether `r` carries a valid signature of its body by `secret`, at the time its header gives. */
function signedBy(secret: string, r: Received): boolean {
  const at = new Date(Number(r.headers['webhook-timestamp']) * 1000)
  return new Webhook(secret).sign(r.id, at, r.body) === r.headers['webhook-signature']
}

describe('the webhook sender', () => {
  let f: Fixture
  let survey: Survey
  beforeEach(async () => {
    f = await fixture()
    const id = await f.survey({ name: 'Checkout NPS' })
    survey = (await f.backend.getSurvey(id))!
    expect(survey.settings.name).toBe('Checkout NPS')
  })
  afterEach(async () => {
    for (const close of open.splice(0)) await close()
    await f.close()
  })

  const endpointAt = (url: string, fields: Partial<NewEndpoint> = {}): Promise<WebhookEndpoint> =>
    f.backend.createEndpoint(
      {
        surveyId: null,
        url,
        format: 'standard',
        events: ['response.created', 'response.updated', 'case.opened'],
        filter: {},
        description: null,
        secret: generateWebhookSecret(),
        ...fields,
      },
      f.clock.now(),
    )

  const answered = (id: string, score = 3): WebhookEvent => ({
    type: 'response.created',
    survey,
    response: storedAnswer({ id, score, createdAt: f.clock.now(), comment: `answer ${id}` }),
  })

  /** Stores the deliveries `event` makes for `endpoints`, as the dispatcher would. */
  const enqueue = async (endpoints: WebhookEndpoint[], event: WebhookEvent) => {
    const deliveries = buildDeliveries(endpoints, event, f.clock.now())
    await f.backend.enqueueDeliveries(deliveries, f.clock.now())
    return deliveries
  }

  // Without jitter, deliveries that failed together are due together.
  const sender = (allowPrivate = true) =>
    new WebhookSender({ store: f.backend, clock: f.clock, allowPrivate }, { random: () => 0.5 })

  /** Moves the clock to the earliest pending retry of `ids` and sends what is due then. */
  const nextRetry = async (s: WebhookSender, ids: string[]) => {
    const due: number[] = []
    for (const id of ids) {
      const d = await f.backend.getDelivery(id)
      if (d?.status === 'pending' && d.nextAttemptAt !== null) due.push(d.nextAttemptAt)
    }
    f.clock.set(Math.max(f.clock.now(), Math.min(...due)))
    return s.drain()
  }

  it('delivers a signed body that the Standard Webhooks library verifies, and a changed body it rejects', async () => {
    // Receivers check the timestamp against their own clock: send at the real time.
    f.clock.set(Date.now())
    const r = await receiver()
    const endpoint = await endpointAt(r.url)
    const [delivery] = await enqueue([endpoint], answered('a-1'))
    expect(await sender().drain()).toBe(1)

    expect(r.received).toHaveLength(1)
    const got = r.received[0]!
    expect(got.id).toBe(delivery!.id)
    const verifier = new Webhook(endpoint.secret)
    expect(verifier.verify(got.body, got.headers as Record<string, string>)).toMatchObject({
      type: 'response.created',
      data: { survey: { id: survey.id, name: 'Checkout NPS' }, response: { id: 'a-1', score: 3 } },
    })
    expect(() =>
      verifier.verify(got.body.replace('"score":3', '"score":10'), got.headers as Record<string, string>),
    ).toThrow('No matching signature found')

    expect(await f.backend.getDelivery(delivery!.id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      deliveredAt: f.clock.now(),
      nextAttemptAt: null,
    })
  })

  it('gets every delivery to a receiver that was down, once it is up again, each signed and once', async () => {
    const r = await receiver()
    const endpoint = await endpointAt(r.url)
    await r.close()
    const ids: string[] = []
    for (const id of ['a-1', 'a-2', 'a-3'])
      ids.push(...(await enqueue([endpoint], answered(id))).map((d) => d.id))

    const s = sender()
    expect(await s.drain()).toBe(3)
    for (const id of ids) {
      expect(await f.backend.getDelivery(id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'connection refused',
      })
    }
    expect((await f.backend.getEndpoint(endpoint.id))?.failingSince).toBe(f.clock.now())
    // Two more retries while still down, then the receiver comes back.
    await nextRetry(s, ids)
    await nextRetry(s, ids)
    await r.listen()
    await nextRetry(s, ids)

    expect(r.received.map((x) => x.id).sort()).toEqual([...ids].sort())
    for (const got of r.received) expect(signedBy(endpoint.secret, got)).toBe(true)
    for (const id of ids) {
      const d = await f.backend.getDelivery(id)
      expect(d).toMatchObject({ status: 'delivered', attempts: 4 })
      expect(d?.history.map((a) => a.statusCode)).toEqual([null, null, null, 204])
    }
    expect((await f.backend.getEndpoint(endpoint.id))?.failingSince).toBeNull()
  })

  it('sends the deliveries of one answer in order, one at a time, while other answers go ahead', async () => {
    const r = await receiver()
    const endpoint = await endpointAt(r.url)
    const first = await enqueue([endpoint], answered('a'))
    const second = await enqueue([endpoint], { ...answered('a'), type: 'response.updated' } as WebhookEvent)
    const other = await enqueue([endpoint], answered('b'))
    const third = await enqueue([endpoint], { ...answered('a'), type: 'response.updated' } as WebhookEvent)
    const ofA = [first[0]!.id, second[0]!.id, third[0]!.id]
    // The receiver refuses the first message of answer a the first time.
    let refused = false
    r.answer((got) => {
      if (got.id === ofA[0] && !refused) {
        refused = true
        return 503
      }
      return 200
    })

    const s = sender()
    await s.drain()
    // a's first failed, so a's others waited; b went ahead.
    expect(r.received.map((x) => x.id).sort()).toEqual([ofA[0], other[0]!.id].sort())
    await nextRetry(s, [ofA[0]!])
    expect(r.received.slice(2).map((x) => x.id)).toEqual(ofA)
    for (const id of ofA) expect((await f.backend.getDelivery(id))?.status).toBe('delivered')
  })

  it('gives a delivery up after a day of failures, and disables the endpoint failing as long', async () => {
    const r = await receiver()
    r.answer(() => 500)
    const endpoint = await endpointAt(r.url)
    const started = f.clock.now()
    const [d] = await enqueue([endpoint], answered('a-1'))
    const s = sender()
    await s.drain()
    for (let i = 0; i < 20 && (await f.backend.getDelivery(d!.id))?.status === 'pending'; i++) {
      expect((await f.backend.getEndpoint(d!.endpointId))?.enabled).toBe(true)
      await nextRetry(s, [d!.id])
    }
    const given = await f.backend.getDelivery(d!.id)
    expect(given).toMatchObject({ status: 'failed', attempts: 12, nextAttemptAt: null, lastStatusCode: 500 })
    expect(given!.history.at(-1)!.at - started).toBeGreaterThan(24 * HOUR)
    expect(given!.history.at(-2)!.at - started).toBeLessThan(24 * HOUR)
    expect(await f.backend.getEndpoint(endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: FAILING_REASON,
      failingSince: started,
    })

    // While disabled, what the endpoint would hear of waits, and nothing is sent.
    const [waiting] = await enqueue([{ ...endpoint, enabled: true }], answered('a-2'))
    const sent = r.received.length
    f.clock.advance(48 * HOUR)
    expect(await s.drain()).toBe(0)
    expect(r.received).toHaveLength(sent)

    // Enabled again (PATCH enabled: true), with the receiver fixed: the waiting delivery goes.
    r.answer(() => 200)
    const res = await f.admin(`/v1/webhooks/${endpoint.id}`, { method: 'PATCH', body: { enabled: true } })
    expect(res.status).toBe(200)
    expect(await s.drain()).toBe(1)
    expect((await f.backend.getDelivery(waiting!.id))?.status).toBe('delivered')
    expect(await f.backend.getEndpoint(endpoint.id)).toMatchObject({ enabled: true, failingSince: null })
  })

  it('fails a delivery and disables the endpoint at once on 410 Gone', async () => {
    const r = await receiver()
    r.answer(() => 410)
    const endpoint = await endpointAt(r.url)
    const [d] = await enqueue([endpoint], answered('a-1'))
    await sender().drain()
    expect(await f.backend.getDelivery(d!.id)).toMatchObject({ status: 'failed', lastStatusCode: 410 })
    expect(await f.backend.getEndpoint(endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: GONE_REASON,
    })
  })

  it('never contacts a receiver on 127.0.0.1 without allowPrivate, by address or by name, and logs why', async () => {
    const r = await receiver()
    // Saved while allowed, or a name that resolves elsewhere now: the check at sending time holds.
    const byAddress = await endpointAt(r.url)
    const byName = await endpointAt(`http://localhost:${r.port}/hook`)
    const deliveries = await enqueue([byAddress, byName], answered('a-1'))
    expect(await sender(false).drain()).toBe(2)
    expect(r.received).toEqual([])
    const [one, two] = await Promise.all(deliveries.map((d) => f.backend.getDelivery(d.id)))
    expect(one).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null })
    expect(one?.lastError).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/)
    expect(two?.lastError).toMatch(/^refused: localhost resolves to .*, which is a loopback address/)
  })

  it('runs by itself once started: a kick sends at once, and stop waits for the attempt under way', async () => {
    const r = await receiver()
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let arrived: () => void = () => {}
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve
    })
    r.answer(async () => {
      arrived()
      await held
      return 200
    })
    const endpoint = await endpointAt(r.url)
    // Polling once a minute: only the kick can send it within the test.
    const s = new WebhookSender({ store: f.backend, clock: f.clock, allowPrivate: true }, { pollMs: 60_000 })
    s.start()
    const [d] = await enqueue([endpoint], answered('a-1'))
    s.kick()
    await arrival
    const stopped = s.stop()
    release()
    await stopped
    expect(await f.backend.getDelivery(d!.id)).toMatchObject({ status: 'delivered', attempts: 1 })
  })

  it('cuts off, unrecorded, an attempt still under way when stop has waited long enough', async () => {
    const r = await receiver()
    let arrived: () => void = () => {}
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve
    })
    r.answer(() => {
      arrived()
      return new Promise<number>(() => {})
    })
    const endpoint = await endpointAt(r.url)
    const [d] = await enqueue([endpoint], answered('a-1'))
    const s = new WebhookSender({ store: f.backend, clock: f.clock, allowPrivate: true }, { stopWaitMs: 50 })
    s.start()
    await arrival
    await s.stop()
    // Its lease runs out and it is sent again later, by this collector or another.
    expect(await f.backend.getDelivery(d!.id)).toMatchObject({ status: 'pending', attempts: 0 })
  })

  it('sends at most `concurrency` deliveries at once', async () => {
    const r = await receiver()
    let inFlight = 0
    let most = 0
    r.answer(async () => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((resolve) => setTimeout(resolve, 20))
      inFlight--
      return 200
    })
    const endpoint = await endpointAt(r.url)
    const ids: string[] = []
    for (let i = 0; i < 20; i++) ids.push(...(await enqueue([endpoint], answered(`a-${i}`))).map((d) => d.id))
    const s = new WebhookSender({ store: f.backend, clock: f.clock, allowPrivate: true }, { concurrency: 4 })
    expect(await s.drain()).toBe(20)
    expect(r.received).toHaveLength(20)
    expect(most).toBeLessThanOrEqual(4)
    expect(most).toBeGreaterThan(1)
  })
})
