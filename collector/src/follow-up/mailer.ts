/**
 * The one way email leaves the collector: an SMTP transport made from `NPSKIT_SMTP_URL`, sending as
 * `NPSKIT_EMAIL_FROM`. Without a URL there is no mailer, and then nothing is queued either (the
 * dispatcher and the scheduler are told so): an outbox nobody empties would only grow.
 *
 * @example
 * const mailer = createMailer(config) // undefined without config.smtpUrl
 * await mailer?.send({ id: 'eml_…', to: ['ana@shop.example'], subject: 'Hi', text: 'Hello', html: null })
 */
import { createTransport } from 'nodemailer'
import type { NewEmail } from '../backend/follow-up.ts'
import type { Config } from '../config.ts'

export type OutgoingEmail = Pick<NewEmail, 'id' | 'to' | 'subject' | 'text' | 'html'>

export interface Mailer {
  /**
   * Resolves once the SMTP server accepted the message for at least one recipient, with the ones it
   * refused (sending again would repeat it to the others); rejects when it took it for nobody.
   */
  send(email: OutgoingEmail): Promise<{ rejected: string[] }>
  /** Closes the transport's connections. */
  close(): void
}

/**
 * Bounds on one conversation with the SMTP server: a server that accepts the connection and then says
 * nothing must not hold a send (and so `stop`) for nodemailer's default ten minutes.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }

/** The mailer of the configuration; undefined when `smtpUrl` is not set. */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'emailFrom'>): Mailer | undefined {
  if (!config.smtpUrl) return undefined
  const transport = createTransport({ url: config.smtpUrl, ...SMTP_TIMEOUTS })
  const from = config.emailFrom
  // The host part of the From address names the Message-ID's domain, as mail servers expect.
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'localhost'
  return {
    async send(email) {
      const info = await transport.sendMail({
        from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html === null ? {} : { html: email.html }),
        // The same id on every attempt, so a receiver that got a retry twice can tell.
        messageId: `<${email.id}@${domain}>`,
        headers: { 'X-Npskit-Email-Id': email.id },
      })
      const rejected = ((info.rejected ?? []) as unknown[]).map((address) =>
        typeof address === 'string' ? address : String((address as { address?: unknown }).address),
      )
      return { rejected }
    },
    close() {
      transport.close()
    },
  }
}
