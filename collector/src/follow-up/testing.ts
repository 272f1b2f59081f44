/**
 * Fixtures of the follow-up tests: a survey, an answer and its case as the messages take them, and a
 * real SMTP server on loopback (smtp-server) with what arrived parsed just enough to read: headers,
 * and the text and HTML parts decoded. The server can refuse mail (a 451, as a server with a full
 * queue answers) and go down and come back on the same port. Not part of the API.
 */
import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { defaultSurveySettings, type NotificationSettings } from '@npskit/shared'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import type { Case } from '../backend/follow-up.ts'

export const PUBLIC_URL = 'https://nps.shop.example'
export const AT = Date.UTC(2026, 2, 1, 12, 0)

export function survey(notifications?: Partial<NotificationSettings> | null): Survey {
  const settings = defaultSurveySettings('Checkout')
  if (notifications === null) delete settings.notifications
  else settings.notifications = { ...(settings.notifications as NotificationSettings), ...notifications }
  return { id: 'srv_checkout', settings, createdAt: AT - 86_400_000, updatedAt: AT }
}

export function answer(fields: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id: 'resp-1',
    createdAt: AT,
    score: 3,
    comment: 'billing errors again',
    respondentId: 'user-42',
    locale: 'en',
    url: 'https://shop.example/checkout',
    path: '/checkout',
    device: 'desktop',
    metadata: { plan: 'pro' },
    contact: null,
    source: 'widget',
    ...fields,
  }
}

export function kase(fields: Partial<Case> = {}): Case {
  return {
    id: 'case_1',
    surveyId: 'srv_checkout',
    responseId: 'resp-1',
    status: 'open',
    assignee: null,
    dueAt: AT + 72 * 3_600_000,
    tags: [],
    score: 3,
    category: 'detractor',
    answeredAt: AT,
    openedAt: AT,
    openedBy: 'rule: Every detractor',
    updatedAt: AT,
    firstContactAt: null,
    closedAt: null,
    ...fields,
  }
}

export interface ReceivedEmail {
  from: string
  to: string[]
  /** Header names in lower case; folded lines unfolded, encoded words decoded. */
  headers: Record<string, string>
  text: string
  html: string | null
}

export interface TestSmtp {
  /** `smtp://npskit:secret@127.0.0.1:<port>` */
  url: string
  received: ReceivedEmail[]
  /** While true, every MAIL FROM is answered 451 (try again later). */
  refuse: boolean
  /** Messages whose data arrived and wait for `hold`'s release before the server answers. */
  readonly held: number
  /** Until the returned function is called, the server takes messages but does not answer them. */
  hold(): () => void
  /** Closes the port: senders get a refused connection. */
  down(): Promise<void>
  /** Listens on the same port again. */
  up(): Promise<void>
  close(): Promise<void>
}

export const SMTP_USER = 'npskit'
export const SMTP_PASS = 'secret'

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedEmail[] = []
  const state = { refuse: false, held: 0, release: undefined as Promise<void> | undefined }
  let port = 0
  let server: SMTPServer | undefined
  const make = () =>
    new SMTPServer({
      // Plain SMTP with a password over loopback: no certificate to make for a test.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASS)
          callback(null, { user: auth.username })
        else callback(new Error('bad credentials'))
      },
      onMailFrom(_address, _session, callback) {
        if (!state.refuse) return callback()
        const error = new Error('queue full, try later') as Error & { responseCode: number }
        error.responseCode = 451
        callback(error)
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', async () => {
          if (state.release) {
            state.held++
            await state.release
            state.held--
          }
          received.push({
            ...(await parseMessage(Buffer.concat(chunks))),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          })
          callback()
        })
      },
    })
  const listen = async () => {
    server = make()
    const s = server
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject)
      s.listen(port, '127.0.0.1', () => resolve())
    })
    port = (s.server.address() as AddressInfo).port
  }
  const down = async () => {
    const s = server
    server = undefined
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }
  await listen()
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`,
    received,
    get refuse() {
      return state.refuse
    },
    set refuse(value: boolean) {
      state.refuse = value
    },
    get held() {
      return state.held
    },
    hold() {
      let release = () => {}
      state.release = new Promise<void>((resolve) => {
        release = () => {
          state.release = undefined
          resolve()
        }
      })
      return release
    },
    down,
    up: listen,
    close: down,
  }
}

/** The headers, text and HTML of a message as it arrived, decoded by mailparser (as a mail client would). */
async function parseMessage(raw: Buffer): Promise<Pick<ReceivedEmail, 'headers' | 'text' | 'html'>> {
  const parsed = await simpleParser(raw)
  const headers: Record<string, string> = {}
  for (const [name, value] of parsed.headers) {
    headers[name] =
      typeof value === 'string'
        ? value
        : value instanceof Date
          ? value.toISOString()
          : typeof value === 'object' && value !== null && 'text' in value
            ? String(value.text)
            : String(value)
  }
  return { headers, text: (parsed.text ?? '').replace(/\n$/, ''), html: parsed.html || null }
}

export const DAY = 86_400_000

/**
 * Answers spread evenly over [from, to) with these category counts (promoters 9–10, passives 7–8,
 * detractors 3), as an import hands them to the backend; `fields` adds to every answer.
 */
export function answersBetween(
  from: number,
  to: number,
  counts: { promoters: number; passives: number; detractors: number },
  fields: Partial<StoredResponse> = {},
): StoredResponse[] {
  const scores = [
    ...Array.from({ length: counts.promoters }, (_, i) => 9 + (i % 2)),
    ...Array.from({ length: counts.passives }, (_, i) => 7 + (i % 2)),
    ...Array.from({ length: counts.detractors }, () => 3),
  ]
  // Interleaved, so every part of the period has every category (a prefix of it has the same NPS).
  const order = scores
    .map((score, i) => ({ score, key: (i * 7919) % scores.length }))
    .sort((a, b) => a.key - b.key)
  const step = (to - from) / order.length
  return order.map(({ score }, i) => ({
    id: randomUUID(),
    createdAt: Math.floor(from + i * step),
    score,
    comment: null,
    respondentId: null,
    locale: null,
    url: null,
    path: null,
    device: null,
    metadata: null,
    contact: null,
    source: 'import',
    ...fields,
  }))
}
