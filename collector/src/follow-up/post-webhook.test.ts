import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { postWebhook } from './webhook-sender.ts'

/** A receiver on loopback that answers with `handler` and counts what reaches it. */
async function receiver(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const requests: { headers: IncomingMessage['headers']; body: string }[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      requests.push({ headers: req.headers, body })
      handler(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  servers.push(server)
  return { url: `http://127.0.0.1:${port}/hook`, port, requests }
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const open = { allowPrivate: true, timeoutMs: 10_000 }

describe('posting a webhook', () => {
  it('sends the body as JSON with the given headers, and a 2xx is a success', async () => {
    const r = await receiver((_req, res) => res.writeHead(204).end())
    const result = await postWebhook(r.url, { 'webhook-id': 'msg_1' }, '{"a":1}', open)
    expect(result).toMatchObject({ statusCode: 204, error: null })
    expect(result.latencyMs).toBeGreaterThanOrEqual(0)
    expect(r.requests).toHaveLength(1)
    expect(r.requests[0]!.body).toBe('{"a":1}')
    expect(r.requests[0]!.headers).toMatchObject({
      'webhook-id': 'msg_1',
      'content-type': 'application/json',
      'content-length': '7',
      'user-agent': 'npskit-webhooks/1',
    })
  })

  it('keeps the first KiB of a failing answer for the log, cut where the KiB ends', async () => {
    // The 1024th byte is the first half of é: cut there, it is kept as a replacement character.
    const huge = `${'x'.repeat(1023)}\u00e9${'y'.repeat(1024 * 1024)}`
    const r = await receiver((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(huge))
    const result = await postWebhook(r.url, {}, '{}', open)
    expect(result.statusCode).toBe(500)
    expect(result.error).toBe(`the receiver answered 500: ${'x'.repeat(1023)}\ufffd`)
  })

  it('does not follow a redirect: a 3xx is a failed attempt and the other address is never asked', async () => {
    const elsewhere = await receiver((_req, res) => res.writeHead(200).end())
    const r = await receiver((_req, res) => res.writeHead(302, { location: elsewhere.url }).end())
    const result = await postWebhook(r.url, {}, '{}', open)
    expect(result).toMatchObject({
      statusCode: 302,
      error: 'the receiver answered 302 (redirects are not followed)',
    })
    expect(elsewhere.requests).toHaveLength(0)
  })

  it('gives up on a receiver that does not answer within the budget', async () => {
    const r = await receiver(() => {})
    const result = await postWebhook(r.url, {}, '{}', { allowPrivate: true, timeoutMs: 200 })
    expect(result).toMatchObject({ statusCode: null, error: 'no answer within 0.2 s' })
  })

  it('reports a refused connection as such', async () => {
    const r = await receiver((_req, res) => res.end())
    servers.pop()!.close()
    const result = await postWebhook(r.url, {}, '{}', open)
    expect(result).toMatchObject({ statusCode: null, error: 'connection refused' })
  })

  it('never contacts a loopback receiver unless private addresses are allowed, by address or by name', async () => {
    const r = await receiver((_req, res) => res.writeHead(200).end())
    const strict = { allowPrivate: false, timeoutMs: 10_000 }
    const byAddress = await postWebhook(r.url, {}, '{}', strict)
    expect(byAddress).toMatchObject({ statusCode: null })
    expect(byAddress.error).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/)
    const byName = await postWebhook(`http://localhost:${r.port}/hook`, {}, '{}', strict)
    expect(byName.error).toMatch(/^refused: localhost resolves to .*, which is a loopback address/)
    const mapped = await postWebhook(`http://[::ffff:127.0.0.1]:${r.port}/hook`, {}, '{}', strict)
    expect(mapped.error).toMatch(/^refused: ::ffff:7f00:1 is a loopback address/)
    expect(r.requests).toHaveLength(0)
    expect((await postWebhook(r.url, {}, '{}', open)).statusCode).toBe(200)
    expect(r.requests).toHaveLength(1)
  })

  it('refuses a URL of another scheme or with credentials without sending anything', async () => {
    expect((await postWebhook('ftp://127.0.0.1/x', {}, '{}', open)).error).toBe(
      'refused: url must be http or https, not ftp',
    )
    const r = await receiver((_req, res) => res.writeHead(200).end())
    const withUser = await postWebhook(r.url.replace('http://', 'http://u:p@'), {}, '{}', open)
    expect(withUser.error).toMatch(/^refused: url must not hold a user name or password/)
    expect(r.requests).toHaveLength(0)
  })
})
