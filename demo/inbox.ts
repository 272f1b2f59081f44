/**
 * The demo's follow-up inbox: what a team's systems would receive when a visitor answers, on this
 * machine and with no code of the user's. A webhook receiver that checks every delivery's Standard
 * Webhooks signature, and an SMTP server that accepts the collector's emails; both print one line per
 * arrival and keep the last ones for `GET /` on the receiver (plain text).
 *
 * `pnpm start` (demo/start.ts) runs it beside the collector, points the collector's NPSKIT_SMTP_URL at
 * the SMTP server and registers the receiver as the demo survey's webhook endpoint.
 *
 * @example
 * const inbox = await startInbox({ webhookPort: 0, smtpPort: 0 })
 * inbox.trust(secret) // the endpoint's secret, shown when it was made
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { Webhook } from 'standardwebhooks'

export interface Arrival {
  kind: 'webhook' | 'email'
  at: string
  /** One line: the event and whether its signature held, or the email's recipients and subject. */
  summary: string
  /** The webhook's body or the email's raw message. */
  body: string
}

export interface Inbox {
  /** `http://127.0.0.1:<port>/hooks`: the URL to register as a webhook endpoint. */
  readonly webhookUrl: string
  /** `smtp://127.0.0.1:<port>`: the collector's NPSKIT_SMTP_URL. */
  readonly smtpUrl: string
  /** The receiver's page of arrivals. */
  readonly pageUrl: string
  readonly arrivals: readonly Arrival[]
  /** The endpoint secret deliveries are verified with. */
  trust(secret: string): void
  close(): Promise<void>
}

/** What one webhook body or email may hold here: far more than any delivery the collector sends. */
const MAX_BYTES = 1024 * 1024
/** Arrivals kept for the page. */
const KEEP = 50

export async function startInbox(options: {
  webhookPort: number
  smtpPort: number
  host?: string
  print?: (line: string) => void
}): Promise<Inbox> {
  const host = options.host ?? '127.0.0.1'
  const print = options.print ?? ((line: string) => console.log(line))
  const arrivals: Arrival[] = []
  let verifier: Webhook | undefined
  const arrive = (arrival: Arrival) => {
    arrivals.push(arrival)
    if (arrivals.length > KEEP) arrivals.shift()
    print(`[${arrival.kind}] ${arrival.summary}`)
  }

  const receiver = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(
        arrivals.length === 0
          ? 'Nothing has arrived yet: answer the demo card with a score from 0 to 6.\n'
          : arrivals.map((a) => `${a.at}  [${a.kind}] ${a.summary}\n${a.body}\n`).join('\n'),
      )
      return
    }
    if (req.method !== 'POST' || req.url !== '/hooks') {
      res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BYTES) req.destroy()
      else chunks.push(chunk)
    })
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      }
      let event: { type?: string } = {}
      try {
        event = (verifier ?? new Webhook(Buffer.from('unset').toString('base64'))).verify(body, headers) as {
          type?: string
        }
      } catch (error) {
        arrive({
          kind: 'webhook',
          at: new Date().toISOString(),
          summary: `refused: ${(error as Error).message} (${headers['webhook-id']})`,
          body,
        })
        res.writeHead(401).end()
        return
      }
      arrive({
        kind: 'webhook',
        at: new Date().toISOString(),
        summary: `${event.type ?? '?'} — signature verified (${headers['webhook-id']})`,
        body,
      })
      res.writeHead(204).end()
    })
  })

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_BYTES,
    onData(stream, session, done) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const subject = /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '(no subject)'
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ')
        arrive({ kind: 'email', at: new Date().toISOString(), summary: `to ${to}: ${subject}`, body: raw })
        done()
      })
    },
  })

  const listen = (server: Server | SMTPServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = server as Server
      s.once('error', reject)
      s.listen(port, host, () => {
        const inner = server instanceof SMTPServer ? (server as unknown as { server: Server }).server : s
        resolve((inner.address() as AddressInfo).port)
      })
    })
  const webhookPort = await listen(receiver, options.webhookPort)
  const smtpPort = await listen(smtp, options.smtpPort)

  return {
    webhookUrl: `http://${host}:${webhookPort}/hooks`,
    smtpUrl: `smtp://${host}:${smtpPort}`,
    pageUrl: `http://localhost:${webhookPort}/`,
    arrivals,
    trust(secret: string) {
      verifier = new Webhook(secret)
    },
    async close() {
      await Promise.all([
        new Promise<void>((done) => receiver.close(() => done())),
        new Promise<void>((done) => smtp.close(() => done())),
      ])
    },
  }
}
