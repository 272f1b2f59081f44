/**
 * What follows an answer, running beside the HTTP server: the dispatcher (change log → cases,
 * deliveries, case emails), the webhook sender, the email sender when an SMTP server is configured,
 * and the scheduler of digests and metric alerts. Each works from what the database holds, so any
 * number of collectors may run them on one database, and a restart picks up where the last run was.
 *
 * @example
 * const followUp = startFollowUp({ backend, config, clock, logger })
 * await followUp.stop()
 */
import type { Backend } from '../backend/backend.ts'
import type { Config } from '../config.ts'
import type { Clock } from '../deps.ts'
import type { Logger } from '../http/log.ts'
import { webhookAlert } from './alerts.ts'
import { Dispatcher } from './dispatcher.ts'
import { createMailer } from './mailer.ts'
import { Scheduler } from './scheduler.ts'
import { EmailSender } from './sender.ts'
import { WebhookSender } from './webhook-sender.ts'
import { buildDeliveries } from './webhooks.ts'

export interface FollowUp {
  /** Whether emails go out (NPSKIT_SMTP_URL is set). */
  readonly email: boolean
  /** Stops looking for work and waits (bounded) for what is under way. */
  stop(): Promise<void>
}

export function startFollowUp(deps: {
  backend: Backend
  config: Config
  clock: Clock
  logger?: Logger | undefined
}): FollowUp {
  const { backend, config, clock, logger } = deps
  const publicUrl = config.publicUrl
  const mailer = createMailer(config)
  const webhooks = new WebhookSender({
    store: backend,
    clock,
    allowPrivate: config.webhookAllowPrivate,
    logger,
  })
  const emails = mailer && new EmailSender({ store: backend, mailer, clock, logger })
  const kick = () => {
    webhooks.kick()
    emails?.kick()
  }
  const dispatcher = new Dispatcher(
    { backend, clock, publicUrl, logger, email: mailer !== undefined },
    { settleMs: config.followUpSettleMs, onWork: kick },
  )
  const scheduler = new Scheduler({
    backend,
    clock,
    email: mailer !== undefined,
    publicUrl,
    logger,
    onQueued: kick,
    deliveriesFor: async (alert, survey, at) =>
      buildDeliveries(
        await backend.listEndpoints(survey.id),
        { type: 'alert.nps_dropped', survey, alert: webhookAlert(alert) },
        at,
        { publicUrl },
      ),
  })
  webhooks.start()
  emails?.start()
  dispatcher.start()
  scheduler.start()
  return {
    email: mailer !== undefined,
    async stop() {
      // What makes work first, then what sends it.
      await Promise.all([dispatcher.stop(), scheduler.stop()])
      await Promise.all([webhooks.stop(), emails?.stop()])
      mailer?.close()
    },
  }
}
