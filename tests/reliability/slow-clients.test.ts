/**
 * Slow clients: a client that sends its headers or its body a byte at a time, or keeps an idle connection,
 * is disconnected once its timeout has passed, and connections beyond the cap are closed at once while
 * the collector keeps answering everyone else. Real sockets against the real CLI; the timeouts are made
 * small through the environment so the suite does not wait Node's minutes. Nothing here asserts how
 * fast a connection was closed, only that it was.
 */
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

const ORIGIN = 'https://shop.example'

interface Connection {
  socket: Socket
  /** Everything the server sent. */
  received(): string
  /** Resolves once the server has closed the connection (or reset it). */
  closed: Promise<void>
  isClosed(): boolean
}

function open(url: string): Promise<Connection> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname)
    let data = ''
    let done = false
    socket.on('data', (chunk) => {
      data += chunk.toString()
    })
    socket.on('error', () => {}) // a reset is a way of being closed
    const closed = new Promise<void>((r) =>
      socket.once('close', () => {
        done = true
        r()
      }),
    )
    socket.once('connect', () => resolve({ socket, received: () => data, closed, isClosed: () => done }))
    socket.once('error', reject)
  })
}

/** Writes `text` one byte at a time until the connection closes or the text is sent; returns bytes sent. */
async function trickle(connection: Connection, text: string, everyMs = 100): Promise<number> {
  let sent = 0
  for (const char of text) {
    if (connection.isClosed()) break
    connection.socket.write(char)
    sent += 1
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return sent
}

describe('a collector facing slow clients', () => {
  let collector: CollectorProcess
  let surveyId: string

  beforeAll(async () => {
    collector = collectorProcess({
      env: {
        NPSKIT_HEADERS_TIMEOUT_MS: '1000',
        NPSKIT_REQUEST_TIMEOUT_MS: '2000',
        NPSKIT_KEEP_ALIVE_TIMEOUT_MS: '500',
      },
    })
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Slow', allowedOrigins: [ORIGIN] })).id
  })
  afterAll(async () => {
    await collector?.close()
  })

  it('disconnects a client that sends its headers a byte at a time', async () => {
    const connection = await open(collector.url)
    // Far more header bytes than the timeout lets through at ten a second.
    const headers = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(600)}\r\n\r\n`
    const sent = await trickle(connection, headers)
    await connection.closed
    expect(sent).toBeLessThan(headers.length)
    expect(connection.received()).not.toMatch(/^HTTP\/1\.1 200/)
  }, 60_000)

  it('disconnects a client that connects and sends nothing', async () => {
    const connection = await open(collector.url)
    await connection.closed
    expect(connection.received()).not.toMatch(/^HTTP\/1\.1 2/)
  }, 60_000)

  it('disconnects a client that sends an answer body a byte at a time, and stores nothing of it', async () => {
    const connection = await open(collector.url)
    const body = JSON.stringify({
      id: '0190a0b0-0000-7000-8000-000000000001',
      score: 9,
      comment: 'x'.repeat(400),
    })
    connection.socket.write(
      `POST /v1/surveys/${surveyId}/responses HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    )
    const sent = await trickle(connection, body)
    await connection.closed
    expect(sent).toBeLessThan(body.length)
    expect(connection.received()).not.toMatch(/^HTTP\/1\.1 2/)
    const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/nps`, {
      headers: { authorization: `Bearer ${collector.adminKey}` },
    })
    expect(((await res.json()) as { total: number }).total).toBe(0)
  }, 60_000)

  it('closes an idle keep-alive connection after its request was answered', async () => {
    const connection = await open(collector.url)
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
    await connection.closed
    expect(connection.received()).toMatch(/^HTTP\/1\.1 200/)
  }, 60_000)
})

describe('a collector at its connection cap', () => {
  const CAP = 5
  let collector: CollectorProcess

  beforeAll(async () => {
    // Long timeouts: the held connections must outlast the test, so only the cap can refuse.
    collector = collectorProcess({
      env: { NPSKIT_MAX_CONNECTIONS: String(CAP), NPSKIT_KEEP_ALIVE_TIMEOUT_MS: '600000' },
    })
    await collector.start()
  })
  afterAll(async () => {
    await collector?.close()
  })

  it('closes connections beyond the cap at once, and answers again when some are gone', async () => {
    const held: Connection[] = []
    for (let i = 0; i < CAP; i++) {
      const connection = await open(collector.url)
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
      // Answered: the server has accepted and counts this connection, now idle and kept alive.
      while (!/\r\n\r\n/.test(connection.received())) await new Promise((r) => setTimeout(r, 10))
      held.push(connection)
    }
    const extra = await open(collector.url)
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
    await extra.closed
    expect(extra.received()).toBe('')
    expect(held.every((c) => !c.isClosed())).toBe(true)

    for (const c of held) c.socket.destroy()
    await Promise.all(held.map((c) => c.closed))
    // The server notices the closed sockets on its next turn; ask until it has.
    let status = 0
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
      status = await fetch(`${collector.url}/healthz`).then(
        (res) => res.status,
        () => 0,
      )
      if (status !== 200) await new Promise((r) => setTimeout(r, 50))
    }
    expect(status).toBe(200)
  }, 60_000)
})
