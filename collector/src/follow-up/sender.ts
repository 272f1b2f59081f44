/**
 * Empties the email outbox: claims due emails with a lease (so collectors sharing a database do not
 * send one twice), hands them to the mailer and records each attempt. A failed attempt is tried again
 * later, the wait doubling from 30 s up to an hour, for 24 hours after the email was queued; then the
 * email is marked failed. An SMTP server that is down for a night loses nothing.
 *
 * @example
 * const sender = new EmailSender({ store: backend, mailer, clock })
 * sender.start()
 * sender.kick() // after queueing, to send now rather than at the next poll
 * await sender.stop()
 */

import { HOUR_MS } from '../backend/backend.ts'
import type { AttemptOutcome, Email, FollowUpStore } from '../backend/follow-up.ts'
import type { Clock } from '../deps.ts'
import type { Logger } from '../http/log.ts'
import type { Mailer } from './mailer.ts'

/** The first retry waits this long; each next one twice as long as the one before, up to the cap. */
export const EMAIL_RETRY_FIRST_MS = 30_000
export const EMAIL_RETRY_CAP_MS = HOUR_MS
/** How long after it was queued an email is still tried. */
export const EMAIL_RETRY_SPAN_MS = 24 * HOUR_MS

/**
 * What an attempt that ended at `at` leads to: sent, another try later, or (once the email has been
 * tried for EMAIL_RETRY_SPAN_MS) failed.
 */
export function emailOutcome(
  email: Pick<Email, 'createdAt' | 'attempts'>,
  at: number,
  sent: boolean,
): AttemptOutcome {
  if (sent) return { status: 'delivered' }
  if (at - email.createdAt >= EMAIL_RETRY_SPAN_MS) return { status: 'failed' }
  // `attempts` counts the ones before this one: the first failure waits EMAIL_RETRY_FIRST_MS.
  const wait = Math.min(EMAIL_RETRY_CAP_MS, EMAIL_RETRY_FIRST_MS * 2 ** Math.min(email.attempts, 20))
  return { status: 'pending', nextAttemptAt: at + wait }
}

export interface EmailSenderOptions {
  store: Pick<FollowUpStore, 'claimEmails' | 'recordEmailAttempt'>
  mailer: Mailer
  clock: Clock
  logger?: Logger | undefined
  /** How often the outbox is looked at when nothing kicks it. */
  pollMs?: number | undefined
  /** Emails claimed (and sent at once) per round. */
  batch?: number | undefined
  /**
   * How long a claimed email is this collector's: longer than a send can take (see SMTP_TIMEOUTS), so
   * nobody else sends it meanwhile; after a crash, another collector sends it once it runs out.
   */
  leaseMs?: number | undefined
  /** How long `stop` waits for sends under way before it gives up on them (their lease runs out). */
  stopTimeoutMs?: number | undefined
}

/** Errors are kept short: a stack or a server's whole transcript is no use in a list. */
const MAX_ERROR_LENGTH = 500

export class EmailSender {
  readonly #store: EmailSenderOptions['store']
  readonly #mailer: Mailer
  readonly #clock: Clock
  readonly #logger: Logger | undefined
  readonly #pollMs: number
  readonly #batch: number
  readonly #leaseMs: number
  readonly #stopTimeoutMs: number
  #running = false
  #timer: ReturnType<typeof setTimeout> | undefined
  /** The round under way, if any: `stop` waits for it, a kick during it asks for another. */
  #round: Promise<void> | undefined
  #again = false

  constructor(options: EmailSenderOptions) {
    this.#store = options.store
    this.#mailer = options.mailer
    this.#clock = options.clock
    this.#logger = options.logger
    this.#pollMs = options.pollMs ?? 15_000
    this.#batch = options.batch ?? 10
    this.#leaseMs = options.leaseMs ?? 5 * 60_000
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.kick()
  }

  /** Looks at the outbox now instead of at the next poll (after emails were queued). */
  kick(): void {
    if (!this.#running) return
    if (this.#round) {
      this.#again = true
      return
    }
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#round = this.#loop().finally(() => {
      this.#round = undefined
      if (!this.#running) return
      // A kick that came after the loop's last look still gets its round.
      if (this.#again) this.kick()
      else this.#timer = setTimeout(() => this.kick(), this.#pollMs)
    })
  }

  /** Stops polling and waits (at most stopTimeoutMs) for the sends under way. */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    const round = this.#round
    if (round) {
      let timeout: ReturnType<typeof setTimeout> | undefined
      await Promise.race([
        round,
        new Promise<void>((resolve) => {
          timeout = setTimeout(resolve, this.#stopTimeoutMs)
        }),
      ])
      clearTimeout(timeout)
    }
    this.#mailer.close()
  }

  /** Rounds until one finds fewer emails than a batch and nobody kicked meanwhile. */
  async #loop(): Promise<void> {
    do {
      this.#again = false
      try {
        const sent = await this.sendDue()
        if (sent === this.#batch) this.#again = true
      } catch (error) {
        // The database is away: the next poll tries again; the emails wait in the outbox.
        this.#logger?.error('email outbox unavailable', { error: String(error) })
        this.#again = false
      }
    } while (this.#running && this.#again)
  }

  /** One round: claims the due emails, sends them, records each attempt; answers how many it claimed. */
  async sendDue(): Promise<number> {
    const emails = await this.#store.claimEmails(this.#clock.now(), this.#batch, this.#leaseMs)
    await Promise.all(emails.map((email) => this.#send(email)))
    return emails.length
  }

  async #send(email: Email): Promise<void> {
    let error: string | null = null
    try {
      const { rejected } = await this.#mailer.send(email)
      if (rejected.length > 0) error = `refused recipients: ${rejected.join(', ')}`.slice(0, MAX_ERROR_LENGTH)
    } catch (cause) {
      error = (cause instanceof Error ? cause.message : String(cause)).slice(0, MAX_ERROR_LENGTH) || 'failed'
      const at = this.#clock.now()
      const outcome = emailOutcome(email, at, false)
      this.#logger?.warn('email not sent', { emailId: email.id, error, outcome: outcome.status })
      await this.#store.recordEmailAttempt(email.id, at, error, outcome)
      return
    }
    await this.#store.recordEmailAttempt(email.id, this.#clock.now(), error, { status: 'delivered' })
  }
}
