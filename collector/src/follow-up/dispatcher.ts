/**
 * The dispatcher: turns what happened (a survey's change log, read after its cursor) into what must
 * follow — cases opened by the survey's rules, webhook deliveries, case emails — and stores them in the
 * same transaction that moves the cursor past those changes (`commitFollowUp`). A crash before that
 * commit leaves the changes to be read again; after it, the deliveries are stored. So nothing a change
 * causes is lost, and nothing is caused twice but by a retry of the whole step (at least once).
 *
 * An answer from the card comes in two parts: the score, then the follow-up comment (and the contact
 * consent) a few seconds later. The dispatcher waits `settleMs` after an answer's first receipt before
 * acting on it, unless it already has a comment, so the case, its email and the webhook carry what the
 * visitor wrote. Changes are read in number order, so it stops at the first answer still settling.
 *
 * Several collectors on one database may run a dispatcher each: the cursor's compare-and-set lets one
 * of them store a step, and the others find the cursor moved and read on from there.
 *
 * @example
 * const dispatcher = new Dispatcher({ backend, clock, publicUrl, email: true }, { settleMs: 30_000 })
 * dispatcher.start()
 * await dispatcher.stop()
 */
import type { Backend, Survey } from '../backend/backend.ts'
import type { FollowUpChange, FollowUpWork, WebhookEndpoint } from '../backend/follow-up.ts'
import type { Clock } from '../deps.ts'
import type { Logger } from '../http/log.ts'
import { caseEmail } from './messages.ts'
import { Pace } from './pace.ts'
import { caseFor } from './rules.ts'
import { buildDeliveries } from './webhooks.ts'

export interface DispatcherDeps {
  backend: Backend
  clock: Clock
  /** Where the collector is reached from outside (config.publicUrl), for links to the dashboard. */
  publicUrl: string | undefined
  logger?: Logger | undefined
  /** Whether emails are sent at all (an SMTP server is configured): none are queued otherwise. */
  email: boolean
}

export interface DispatcherOptions {
  /** How long after an answer's first receipt the dispatcher acts on it (see above). */
  settleMs?: number
  /** How often it looks for changes while idle. */
  pollMs?: number
  /** Changes read per survey and step. */
  batch?: number
  /** Called after each step that stored work (the senders are kicked from here). */
  onWork?: (work: FollowUpWork) => void
}

export class Dispatcher {
  readonly #deps: DispatcherDeps
  readonly #settleMs: number
  readonly #pollMs: number
  readonly #batch: number
  readonly #onWork: (work: FollowUpWork) => void
  readonly #links: { publicUrl: string | undefined }
  readonly #pace = new Pace()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #stopped = true
  /** Set by stop(): a step under way ends after the survey it is on. */
  #closing = false

  constructor(deps: DispatcherDeps, options: DispatcherOptions = {}) {
    this.#deps = deps
    this.#settleMs = options.settleMs ?? 30_000
    this.#pollMs = options.pollMs ?? 1_000
    this.#batch = options.batch ?? 500
    this.#onWork = options.onWork ?? (() => {})
    this.#links = { publicUrl: deps.publicUrl }
  }

  start(): void {
    this.#stopped = false
    this.#closing = false
    this.#schedule(0)
  }

  /** Waits for the step under way, then stops. */
  async stop(): Promise<void> {
    this.#stopped = true
    this.#closing = true
    clearTimeout(this.#timer)
    await this.#running
  }

  #schedule(delay: number): void {
    if (this.#stopped) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      // More may be waiting after a step that acted: go on at once, unless requests keep the thread
      // busy (pace.ts), then at the next poll.
      this.#running = this.step()
        .then((acted) => this.#schedule(acted > 0 && !this.#pace.busy() ? 0 : this.#pollMs))
        .catch((error) => {
          // A database outage: try again at the next poll; the cursor has not moved.
          this.#deps.logger?.warn('follow-up dispatch failed', { error: String(error) })
          this.#schedule(this.#pollMs)
        })
    }, delay)
    this.#timer.unref?.()
  }

  /** One pass over every survey; answers how many changes it acted on. */
  async step(): Promise<number> {
    const { backend } = this.#deps
    const everywhere = await backend.listEndpoints()
    let acted = 0
    let after: { createdAt: number; id: string } | undefined
    for (;;) {
      const page = await backend.listSurveys(200, after)
      for (const survey of page.items) {
        if (this.#closing) return acted
        acted += await this.#stepSurvey(
          survey,
          everywhere.filter((e) => e.surveyId === null || e.surveyId === survey.id),
        )
      }
      if (!page.next) return acted
      after = page.next
    }
  }

  async #stepSurvey(survey: Survey, endpoints: WebhookEndpoint[]): Promise<number> {
    const { backend, clock } = this.#deps
    const now = clock.now()
    const from = await backend.followUpCursor(survey.id)
    const page = await backend.followUpChanges(survey.id, from, this.#batch)
    const work: FollowUpWork = { cases: [], deliveries: [], emails: [] }
    let to = from
    let acted = 0
    for (const change of page.items) {
      if (this.#settling(change, now)) break
      await this.#follow(survey, endpoints, change, now, work)
      to = change.seq
      acted++
    }
    if (to === from) return 0
    const stored = await backend.commitFollowUp(survey.id, from, to, work, now)
    if (stored && (work.cases.length > 0 || work.deliveries.length > 0 || work.emails.length > 0)) {
      this.#onWork(work)
    }
    return acted
  }

  /** A card's answer that may still get its comment: not acted on yet (see the module comment). */
  #settling(change: FollowUpChange, now: number): boolean {
    return (
      change.type === 'response' &&
      change.created &&
      change.response.comment === null &&
      change.response.createdAt > now - this.#settleMs
    )
  }

  async #follow(
    survey: Survey,
    endpoints: WebhookEndpoint[],
    change: FollowUpChange,
    now: number,
    work: FollowUpWork,
  ): Promise<void> {
    if (change.type === 'response') {
      const { response } = change
      const type = change.created ? 'response.created' : 'response.updated'
      work.deliveries.push(...buildDeliveries(endpoints, { type, survey, response }, now, this.#links))
      // An update may bring what a rule asks for (the contact consent comes with the comment); an
      // answer that has a case already is skipped by the store.
      const opened = caseFor(survey, response, now)
      if (opened) work.cases.push(opened)
      return
    }
    const type = change.entry.kind === 'opened' ? 'case.opened' : 'case.updated'
    const emails = type === 'case.opened' && this.#deps.email
    // The answer is read only for someone to tell about it.
    if (endpoints.length === 0 && !emails) return
    const found = await this.#deps.backend.getCase(change.case.id)
    const response = found?.response ?? null
    work.deliveries.push(
      ...buildDeliveries(
        endpoints,
        { type, survey, case: change.case, response, entry: change.entry },
        now,
        this.#links,
      ),
    )
    if (emails) {
      const email = caseEmail(survey, change.case, response, this.#deps.publicUrl)
      if (email) work.emails.push(email)
    }
  }
}
