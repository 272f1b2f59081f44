/**
 * Webhook deliveries survive the collector and the receiver failing. Answers arrive while the
 * receiver refuses every request (a 503: it is "down"), so their deliveries wait in the outbox with
 * failed attempts; the collector is killed with SIGKILL (no shutdown hook runs) while they are pending,
 * and started again on the same database. Once the receiver is back, every answer's `response.created`
 * arrives — verified with the `standardwebhooks` library, as a receiver would — and none is missing.
 * A body changed on the way is refused by the same check.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

const ORIGIN = 'https://shop.example'
const ANSWERS = 40

interface Received {
  id: string
  type: string
  answerId: string | undefined
}

/** A receiver on loopback that verifies each delivery; `up` false answers 503 to everything. */
function receiver() {
  let verifier: Webhook | undefined
  let up = false
  const received: Received[] = []
  const refused: string[] = []
  let tries = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      tries++
      if (!up || !verifier) {
        res.writeHead(503).end()
        return
      }
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = {
        'webhook-id': String(req.headers['webhook-id']),
        'webhook-timestamp': String(req.headers['webhook-timestamp']),
        'webhook-signature': String(req.headers['webhook-signature']),
      }
      try {
        const event = verifier.verify(body, headers) as { type: string; data: { response?: { id: string } } }
        received.push({ id: headers['webhook-id'], type: event.type, answerId: event.data.response?.id })
        res.writeHead(204).end()
      } catch (error) {
        refused.push((error as Error).message)
        res.writeHead(400).end()
      }
    })
  })
  return {
    received,
    refused,
    tries: () => tries,
    trust: (secret: string) => {
      verifier = new Webhook(secret)
    },
    set up(value: boolean) {
      up = value
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('webhook deliveries through a receiver outage and a SIGKILL', () => {
  const hooks = receiver()
  let collector: CollectorProcess
  let surveyId: string
  let endpointId: string
  let secret: string
  let hookUrl: string
  const answers: string[] = []

  beforeAll(async () => {
    const url = await hooks.listen()
    hookUrl = url
    // Act on answers at once (no wait for a comment), and allow the loopback receiver.
    collector = collectorProcess({
      env: { NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'true', NPSKIT_FOLLOW_UP_SETTLE_SECONDS: '0' },
    })
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Webhooks', allowedOrigins: [ORIGIN] })).id
    ;({ id: endpointId, secret } = await admin<{ id: string; secret: string }>(collector, '/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url, surveyId, events: ['response.created'] }),
    }))
    hooks.trust(secret)

    for (let i = 0; i < ANSWERS; i++) {
      const id = randomUUID()
      const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ id, score: i % 11 }),
      })
      expect(res.status).toBe(201)
      answers.push(id)
    }
  }, 120_000)

  afterAll(async () => {
    await collector?.close()
    await hooks.close()
  })

  it('stores a delivery for every answer while the receiver refuses them, and is killed with them pending', async () => {
    // Every answer has become a delivery, and the receiver has refused at least one attempt.
    await expect
      .poll(
        async () =>
          (await admin<{ items: unknown[] }>(collector, `/v1/webhooks/${endpointId}/deliveries?limit=100`))
            .items.length,
        { timeout: 30_000 },
      )
      .toBe(ANSWERS)
    await expect.poll(() => hooks.tries(), { timeout: 30_000 }).toBeGreaterThan(0)
    // Killed once every delivery's refused attempt is on record: one still under way when the process
    // dies is held by its 60 s lease and, unrecorded, would leave no delivery with a second attempt.
    const recorded = () =>
      admin<{ items: { status: string; attempts: number }[] }>(
        collector,
        `/v1/webhooks/${endpointId}/deliveries?limit=100`,
      )
    await expect
      .poll(async () => (await recorded()).items.every((d) => d.attempts >= 1), { timeout: 30_000 })
      .toBe(true)
    const log = await recorded()
    expect(log.items.every((d) => d.status === 'pending')).toBe(true)
    expect(hooks.received).toHaveLength(0)
    await collector.kill('SIGKILL')
  }, 90_000)

  it('delivers every answer once the receiver is back, after the restart, none lost', async () => {
    hooks.up = true
    await collector.start()
    // Retries come 5 s, 30 s … after a failure: the first of them brings everything.
    await expect
      .poll(() => new Set(hooks.received.map((r) => r.answerId)).size, { timeout: 90_000, interval: 500 })
      .toBe(ANSWERS)
    expect(new Set(hooks.received.map((r) => r.answerId))).toEqual(new Set(answers))
    expect(hooks.received.every((r) => r.type === 'response.created')).toBe(true)
    expect(hooks.refused).toEqual([])
    const log = await admin<{ items: { status: string; attempts: number }[] }>(
      collector,
      `/v1/webhooks/${endpointId}/deliveries?limit=100`,
    )
    expect(log.items.every((d) => d.status === 'delivered')).toBe(true)
    expect(log.items.some((d) => d.attempts > 1)).toBe(true)
  }, 120_000)

  it('refuses a delivery whose body was changed on the way', async () => {
    const [first] = hooks.received
    // The log shows the body parsed; serialised again it is the very text that was signed and sent.
    const detail = await admin<{ payload: unknown }>(
      collector,
      `/v1/webhooks/${endpointId}/deliveries/${first!.id}`,
    )
    const body = JSON.stringify(detail.payload)
    const wh = new Webhook(secret)
    const timestamp = new Date()
    const signature = wh.sign(first!.id, timestamp, body)
    const headers = {
      'webhook-id': first!.id,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': signature,
    }
    expect(() => wh.verify(body, headers)).not.toThrow()
    // The same signed message with its score changed, sent to the receiver: refused.
    const tampered = body.replace('"score":', '"score":1')
    expect(tampered).not.toBe(body)
    const res = await fetch(hookUrl, { method: 'POST', headers, body: tampered })
    expect(res.status).toBe(400)
    expect(hooks.refused).toHaveLength(1)
  })
})
