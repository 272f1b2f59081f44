/**
 * The webhook sender: claims the deliveries that are due (with a lease, so collectors sharing a
 * database do not send one twice), posts each signed body with node:http(s), and records the attempt
 * with what webhooks.ts decides it leads to — delivered, a retry at some time, or failed — and how the
 * endpoint stands. A few are sent at once (`concurrency`); deliveries about one answer wait for each
 * other (the store hands out only the oldest pending one of an order key).
 *
 * A request is bounded everywhere: a 10 s budget for connecting, the answer and its body; the first
 * 1 KiB of the answer kept for the log and the rest not read; redirects not followed (a 3xx is a
 * failed attempt). The address the socket connects to passes the guard of ssrf.ts unless
 * `allowPrivate`.
 *
 * Times (attempts, retries, leases, the signature's timestamp) come from the clock, so a test can move
 * a day ahead; latencies are measured with the process's own timer.
 *
 * @example
 * const sender = new WebhookSender({ store: backend, clock, allowPrivate: config.webhookAllowPrivate })
 * sender.start()
 * dispatcher.onWork = () => sender.kick()
 * await sender.stop()
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { performance } from 'node:perf_hooks'
import type { Delivery, DeliveryAttempt, FollowUpStore } from '../backend/follow-up.ts'
import type { Clock } from '../deps.ts'
import type { Logger } from '../http/log.ts'
import { Pace } from './pace.ts'
import {
  blockedAddressReason,
  blockedMessage,
  guardedLookup,
  hostAddress,
  webhookUrlSyntaxProblem,
} from './ssrf.ts'
import { attemptOutcome, endpointHealth, signatureHeaders } from './webhooks.ts'

/** How much of a receiver's answer is kept for the delivery log. */
export const ANSWER_KEPT_BYTES = 1024

export interface PostOptions {
  allowPrivate: boolean
  timeoutMs: number
  signal?: AbortSignal | undefined
  /** Keep-alive agents to reuse connections with (the sender's); none: a fresh connection per POST. */
  agents?: { http: HttpAgent; https: HttpsAgent } | undefined
}

/** What one POST got: the receiver's status (null: no answer) and, unless 2xx, why it failed. */
export interface PostResult {
  statusCode: number | null
  error: string | null
  latencyMs: number
}

/** Text a database can store: a cut-off character or a NUL in a receiver's answer made harmless. */
const storableText = (bytes: Buffer) => new TextDecoder().decode(bytes).replaceAll('\u0000', '\ufffd').trim()

function errorText(error: Error & { code?: string }, timeoutMs: number): string {
  if (error.name === 'BlockedAddressError') return error.message
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
      return 'the host does not resolve'
    case 'ECONNRESET':
      return 'the connection was reset'
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message
  }
}

/**
 * POSTs `body` to `url`, bounded as the module comment says. Never throws: a refused address, a
 * timeout or a dropped connection is a result with statusCode null.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<PostResult> {
  const started = performance.now()
  const done = (statusCode: number | null, error: string | null): PostResult => ({
    statusCode,
    error,
    latencyMs: Math.round(performance.now() - started),
  })
  const syntax = webhookUrlSyntaxProblem(url)
  if (syntax) return Promise.resolve(done(null, `refused: ${syntax}`))
  const target = new URL(url)
  // An address written in the URL is connected to without any lookup: checked here instead.
  const literal = hostAddress(target)
  const reason = literal && !options.allowPrivate ? blockedAddressReason(literal) : undefined
  if (literal && reason)
    return Promise.resolve(done(null, `refused: ${blockedMessage(literal, literal, reason)}`))

  return new Promise((resolve) => {
    let settled = false
    const finish = (result: PostResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(target, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'npskit-webhooks/1',
      },
      // The sender's agents keep connections to a receiver open between deliveries (a new TLS handshake
      // per delivery would cost more than the delivery); every new connection's address passes the
      // guard as it is made, and the sender closes them when it stops.
      agent: options.agents
        ? target.protocol === 'https:'
          ? options.agents.https
          : options.agents.http
        : false,
      ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
    })
    const fail = (error: Error) => finish(done(null, errorText(error, options.timeoutMs)))
    const timer = setTimeout(() => {
      const error = new Error('timed out')
      error.name = 'TimeoutError'
      req.destroy(error)
      fail(error)
    }, options.timeoutMs)
    const onAbort = () => {
      req.destroy()
      fail(new Error('the sender stopped'))
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', fail)
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0
      const chunks: Buffer[] = []
      let kept = 0
      const answer = () => {
        if (status >= 200 && status < 300) return finish(done(status, null))
        const text = storableText(Buffer.concat(chunks).subarray(0, ANSWER_KEPT_BYTES))
        const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : ''
        finish(done(status, `the receiver answered ${status}${redirect}${text ? `: ${text}` : ''}`))
      }
      res.on('data', (chunk: Buffer) => {
        if (kept < ANSWER_KEPT_BYTES) chunks.push(chunk)
        kept += chunk.length
        // Enough for the log: the rest of a large answer is not read.
        if (kept >= ANSWER_KEPT_BYTES) {
          answer()
          res.destroy()
        }
      })
      res.on('end', answer)
      res.on('error', answer)
      res.on('close', answer)
    })
    req.end(body)
  })
}

export interface WebhookSenderDeps {
  store: FollowUpStore
  clock: Clock
  /** config.webhookAllowPrivate: allow receivers on loopback, private and link-local addresses. */
  allowPrivate: boolean
  logger?: Logger | undefined
}

export interface WebhookSenderOptions {
  /** Deliveries sent at once (default 8). */
  concurrency?: number
  /** How often it looks for due deliveries while idle (default 500 ms). */
  pollMs?: number
  /** The budget of one attempt (default 10 s). */
  timeoutMs?: number
  /** How long a claimed delivery is held for this sender (default 60 s: longer than an attempt). */
  leaseMs?: number
  /** How long stop() waits for the attempts under way before cutting them off (default 15 s). */
  stopWaitMs?: number
  /** The jitter's source (default Math.random). */
  random?: () => number
}

export class WebhookSender {
  readonly #deps: WebhookSenderDeps
  readonly #concurrency: number
  readonly #pollMs: number
  readonly #timeoutMs: number
  readonly #leaseMs: number
  readonly #stopWaitMs: number
  readonly #random: () => number
  readonly #inFlight = new Set<Promise<void>>()
  readonly #pace = new Pace()
  #claimedAt = 0
  readonly #agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 16, timeout: 30_000 }),
  }
  #abort = new AbortController()
  #loop: Promise<void> | undefined
  #running = false
  #wake: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(deps: WebhookSenderDeps, options: WebhookSenderOptions = {}) {
    this.#deps = deps
    this.#concurrency = options.concurrency ?? 8
    this.#pollMs = options.pollMs ?? 500
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#leaseMs = options.leaseMs ?? 60_000
    this.#stopWaitMs = options.stopWaitMs ?? 15_000
    this.#random = options.random ?? Math.random
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#abort = new AbortController()
    this.#loop = this.#run()
  }

  /** Looks for due deliveries now rather than at the next poll (after new ones were stored). */
  kick(): void {
    this.#wake?.()
  }

  /**
   * Stops claiming, then waits for the attempts under way — at most `stopWaitMs`, after which they are
   * cut off and left unrecorded: their lease runs out and they are sent again later.
   */
  async stop(): Promise<void> {
    if (this.#running) {
      this.#running = false
      this.kick()
      await this.#loop
      let timer: NodeJS.Timeout | undefined
      const waited = await Promise.race([
        Promise.all(this.#inFlight).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), this.#stopWaitMs)
        }),
      ])
      clearTimeout(timer)
      if (!waited) {
        this.#abort.abort()
        await Promise.all(this.#inFlight)
      }
    }
    // The connections kept open to receivers (after drain() too).
    this.#agents.http.destroy()
    this.#agents.https.destroy()
  }

  /**
   * Sends everything due now, and what becomes due meanwhile, until nothing is; answers how many
   * attempts it made. For tests and one-off runs; the loop of start() does the same, forever.
   */
  async drain(): Promise<number> {
    let attempts = 0
    for (;;) {
      const claimed = await this.#claim(this.#concurrency - this.#inFlight.size)
      if (claimed.length === 0 && this.#inFlight.size === 0) return attempts
      attempts += claimed.length
      for (const delivery of claimed) this.#track(delivery)
      if (this.#inFlight.size > 0) await Promise.race(this.#inFlight)
    }
  }

  async #run(): Promise<void> {
    while (this.#running) {
      // While requests keep the thread busy (pace.ts), one claim per poll, none while those are out:
      // every attempt is a commit that would wait for the answers' commits and delay them.
      if (this.#pace.busy() && (this.#inFlight.size > 0 || Date.now() - this.#claimedAt < this.#pollMs)) {
        await this.#sleep()
        continue
      }
      // Claims are made for half the slots or more at once, so a claim's commit serves several.
      const free = this.#concurrency - this.#inFlight.size
      if (this.#inFlight.size > 0 && free < Math.ceil(this.#concurrency / 2)) {
        await this.#sleep()
        continue
      }
      this.#claimedAt = Date.now()
      let claimed: Delivery[] = []
      try {
        claimed = await this.#claim(free)
      } catch (error) {
        // The database went away for a moment: the deliveries are still there at the next poll.
        this.#deps.logger?.warn('webhook claim failed', { error: String(error) })
      }
      for (const delivery of claimed) this.#track(delivery)
      // A full claim may have left more due; otherwise wait for a poll, a kick or a free slot.
      if (free > 0 && claimed.length === free) continue
      await this.#sleep()
    }
  }

  #sleep(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(this.#timer)
        this.#wake = undefined
        resolve()
      }
      this.#wake = wake
      this.#timer = setTimeout(wake, this.#pollMs)
      this.#timer.unref?.()
    })
  }

  #claim(free: number): Promise<Delivery[]> {
    if (free <= 0) return Promise.resolve([])
    return this.#deps.store.claimDeliveries(this.#deps.clock.now(), free, this.#leaseMs)
  }

  #track(delivery: Delivery): void {
    const sending: Promise<void> = this.#send(delivery)
      .catch((error) => {
        this.#deps.logger?.warn('webhook attempt not recorded', {
          delivery: delivery.id,
          error: String(error),
        })
      })
      .finally(() => {
        this.#inFlight.delete(sending)
        // Half the slots came free: the loop may claim again.
        if (this.#inFlight.size <= this.#concurrency / 2) this.kick()
      })
    this.#inFlight.add(sending)
  }

  async #send(delivery: Delivery): Promise<void> {
    const { store, clock, allowPrivate } = this.#deps
    const endpoint = await store.getEndpoint(delivery.endpointId)
    // Deleted or disabled since the claim: nothing to send; a disabled endpoint's deliveries wait.
    if (!endpoint?.enabled) return
    const at = clock.now()
    const headers = signatureHeaders(endpoint.secret, delivery.id, delivery.payload, at)
    const result = await postWebhook(endpoint.url, headers, delivery.payload, {
      allowPrivate,
      timeoutMs: this.#timeoutMs,
      signal: this.#abort.signal,
      agents: this.#agents,
    })
    if (this.#abort.signal.aborted) return
    const attempt: DeliveryAttempt = { at, ...result }
    // The endpoint as it stands now: another attempt may have changed its health meanwhile.
    const current = (await store.getEndpoint(endpoint.id)) ?? endpoint
    await store.recordAttempt(
      delivery.id,
      attempt,
      attemptOutcome(delivery, result.statusCode, at, this.#random),
      endpointHealth(current, result.statusCode, at),
    )
  }
}
