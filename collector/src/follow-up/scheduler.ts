/**
 * Runs the scheduled jobs of every survey once a minute: the digest (when a mailer exists: a digest is
 * only an email), the metric alert (its email when a mailer exists, its webhooks always) and the
 * retention policy (lifecycle/retention.ts; at start-up, then every `retentionEveryMs`). Each job
 * keeps its state in the survey's schedule marks, committed compare-and-set, so every collector of a
 * shared database may run a scheduler: each digest and alert is still sent once.
 *
 * @example
 * const scheduler = new Scheduler({ backend, clock, email: mailer !== undefined, publicUrl, onEmails: () => sender.kick() })
 * scheduler.start()
 * await scheduler.stop()
 */
import type { Backend, Cursor, LifecycleRun, Survey } from '../backend/backend.ts'
import type { Clock } from '../deps.ts'
import type { Logger } from '../http/log.ts'
import { type BatchOptions, type LifecycleBackend, runRetention } from '../lifecycle/retention.ts'
import { type AlertOptions, type NpsAlert, runAlerts } from './alerts.ts'
import { type Digest, runDigest } from './digest.ts'

export interface SchedulerOptions {
  backend: Pick<
    Backend,
    'listSurveys' | 'distribution' | 'listResponses' | 'listCases' | 'scheduleMark' | 'commitSchedule'
  > &
    LifecycleBackend
  clock: Clock
  /** Whether emails are queued (a mailer exists). */
  email: boolean
  publicUrl: string | undefined
  deliveriesFor?: AlertOptions['deliveriesFor']
  logger?: Logger | undefined
  /** Called after a run queued emails (to kick the sender) or deliveries (the webhook sender). */
  onQueued?: (() => void) | undefined
  /** Default one minute. */
  intervalMs?: number | undefined
  /**
   * Alerts are measured at most this often per collector (two counts per survey and segment): a drop
   * that is real today is still one ten minutes later. Default ten minutes.
   */
  alertEveryMs?: number | undefined
  /** A survey's retention policy is applied at most this often (by any collector); default an hour. */
  retentionEveryMs?: number | undefined
  /** How retention runs batch their work (lifecycle/retention.ts). */
  retentionBatches?: BatchOptions | undefined
}

/** What one run did, for tests and logs. */
export interface ScheduleRun {
  digests: Digest[]
  alerts: NpsAlert[]
  /** The retention runs this collector made. */
  retention: LifecycleRun[]
}

/** Surveys read per page of listSurveys. */
const SURVEY_PAGE = 100

export class Scheduler {
  readonly #options: SchedulerOptions
  readonly #intervalMs: number
  readonly #alertEveryMs: number
  #timer: ReturnType<typeof setTimeout> | undefined
  #running = false
  #run: Promise<unknown> | undefined
  #lastAlerts = Number.NEGATIVE_INFINITY

  constructor(options: SchedulerOptions) {
    this.#options = options
    this.#intervalMs = options.intervalMs ?? 60_000
    this.#alertEveryMs = options.alertEveryMs ?? 10 * 60_000
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#tick()
  }

  /** Stops the timer and waits for a run under way (it is bounded by the database's own timeouts). */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#run
  }

  #tick(): void {
    const now = this.#options.clock.now()
    const alerts = now - this.#lastAlerts >= this.#alertEveryMs
    if (alerts) this.#lastAlerts = now
    this.#run = this.runOnce(now, { alerts })
      .catch((error) => this.#options.logger?.error('scheduled jobs failed', { error: String(error) }))
      .finally(() => {
        this.#run = undefined
        if (this.#running) this.#timer = setTimeout(() => this.#tick(), this.#intervalMs)
      })
  }

  /** Every survey's due jobs at `now`; a survey whose job fails is logged and the others still run. */
  async runOnce(now: number, { alerts = true }: { alerts?: boolean } = {}): Promise<ScheduleRun> {
    const { backend, logger } = this.#options
    const done: ScheduleRun = { digests: [], alerts: [], retention: [] }
    let after: Cursor | undefined
    do {
      const page = await backend.listSurveys(SURVEY_PAGE, after)
      for (const survey of page.items) {
        try {
          await this.#runSurvey(survey, now, alerts, done)
        } catch (error) {
          logger?.error('scheduled job failed', { surveyId: survey.id, error: String(error) })
        }
      }
      after = page.next ?? undefined
    } while (after)
    if (done.retention.length > 0) {
      logger?.info('retention applied', {
        runs: done.retention.length,
        deleted: done.retention.reduce((n, r) => n + r.deleted, 0),
        anonymised: done.retention.reduce((n, r) => n + r.anonymised, 0),
      })
    }
    if (done.digests.length > 0 || done.alerts.length > 0) {
      logger?.info('scheduled jobs sent', { digests: done.digests.length, alerts: done.alerts.length })
      this.#options.onQueued?.()
    }
    return done
  }

  async #runSurvey(survey: Survey, now: number, alerts: boolean, done: ScheduleRun): Promise<void> {
    const { backend, email, publicUrl, deliveriesFor } = this.#options
    if (survey.settings.retention) {
      const run = await runRetention(backend, survey, now, {
        ...this.#options.retentionBatches,
        everyMs: this.#options.retentionEveryMs ?? 60 * 60_000,
        clock: () => this.#options.clock.now(),
      })
      if (run) done.retention.push(run)
    }
    const notifications = survey.settings.notifications
    if (!notifications) return
    if (email && notifications.digest !== 'off') {
      const digest = await runDigest(backend, survey, now, { publicUrl })
      if (digest) done.digests.push(digest)
    }
    if (alerts && notifications.alert) {
      done.alerts.push(...(await runAlerts(backend, survey, now, { email, publicUrl, deliveriesFor })))
    }
  }
}
