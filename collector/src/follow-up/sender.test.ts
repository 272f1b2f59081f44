import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { NewEmail } from '../backend/follow-up.ts'
import { SqliteBackend } from '../backend/sqlite/sqlite-backend.ts'
import { manualClock, tempDir } from '../testing.ts'
import { createMailer, type Mailer } from './mailer.ts'
import { caseEmail } from './messages.ts'
import {
  EMAIL_RETRY_CAP_MS,
  EMAIL_RETRY_FIRST_MS,
  EMAIL_RETRY_SPAN_MS,
  EmailSender,
  emailOutcome,
} from './sender.ts'
import { answer, kase, PUBLIC_URL, startSmtp, survey, type TestSmtp } from './testing.ts'

const HOUR = 3_600_000

describe('emailOutcome', () => {
  const created = Date.UTC(2026, 2, 1)

  it('waits 30 s after the first failure and twice as long after each next one, up to an hour', () => {
    const waits = [0, 1, 2, 3, 7, 8, 30].map((attempts) => {
      const outcome = emailOutcome({ createdAt: created, attempts }, created + 1000, false)
      return outcome.status === 'pending' ? outcome.nextAttemptAt - (created + 1000) : outcome.status
    })
    expect(waits).toEqual([
      EMAIL_RETRY_FIRST_MS,
      60_000,
      120_000,
      240_000,
      // 30 s × 2⁷ would be 64 minutes: capped.
      EMAIL_RETRY_CAP_MS,
      EMAIL_RETRY_CAP_MS,
      EMAIL_RETRY_CAP_MS,
    ])
  })

  it('keeps trying for 24 hours after the email was queued, then gives up; a sent one is delivered', () => {
    expect(
      emailOutcome({ createdAt: created, attempts: 30 }, created + EMAIL_RETRY_SPAN_MS - 1, false),
    ).toMatchObject({
      status: 'pending',
    })
    expect(emailOutcome({ createdAt: created, attempts: 30 }, created + EMAIL_RETRY_SPAN_MS, false)).toEqual({
      status: 'failed',
    })
    expect(emailOutcome({ createdAt: created, attempts: 3 }, created, true)).toEqual({ status: 'delivered' })
  })
})

describe('EmailSender, with a real SQLite outbox and a real SMTP server', () => {
  let dir: ReturnType<typeof tempDir>
  let backend: SqliteBackend
  let smtp: TestSmtp
  let mailer: Mailer
  let clock: ReturnType<typeof manualClock>
  let sender: EmailSender

  beforeEach(async () => {
    dir = tempDir()
    backend = new SqliteBackend(join(dir.dir, 'npskit.db'))
    smtp = await startSmtp()
    mailer = createMailer({ smtpUrl: smtp.url, emailFrom: 'npskit <npskit@localhost>' }) as Mailer
    clock = manualClock()
    // Polling is left to the tests (sendDue), except where start/kick/stop is what is tested.
    sender = new EmailSender({ store: backend, mailer, clock, pollMs: 3_600_000, stopTimeoutMs: 2_000 })
  })

  afterEach(async () => {
    await sender.stop()
    await smtp.close()
    await backend.close()
    dir.remove()
  })

  /** A case email about a real answer of a real survey (the outbox keeps them together). */
  async function queueCaseEmail(): Promise<NewEmail> {
    const stored = await backend.createSurvey(survey({ emails: ['team@shop.example'] }).settings, clock.now())
    await backend.importResponses(stored.id, [answer()], clock.now())
    const email = caseEmail(stored, kase({ surveyId: stored.id }), answer(), PUBLIC_URL) as NewEmail
    await backend.enqueueEmails([email], clock.now())
    return email
  }

  it('sends a queued email once and records it sent', async () => {
    const email = await queueCaseEmail()
    expect(await sender.sendDue()).toBe(1)
    expect(smtp.received.map((m) => m.headers['x-npskit-email-id'])).toEqual([email.id])
    clock.advance(48 * HOUR)
    expect(await sender.sendDue()).toBe(0)
    expect(smtp.received).toHaveLength(1)
  })

  it('retries while the server refuses and while it is down, and delivers once it is back', async () => {
    const email = await queueCaseEmail()
    smtp.refuse = true
    expect(await sender.sendDue()).toBe(1)
    expect(smtp.received).toHaveLength(0)
    // Not due again before the back-off has passed.
    clock.advance(EMAIL_RETRY_FIRST_MS - 1)
    expect(await sender.sendDue()).toBe(0)

    clock.advance(1)
    await smtp.down()
    expect(await sender.sendDue()).toBe(1)
    clock.advance(60_000 - 1)
    expect(await sender.sendDue()).toBe(0)

    clock.advance(1)
    await smtp.up()
    smtp.refuse = false
    expect(await sender.sendDue()).toBe(1)
    expect(smtp.received.map((m) => m.headers['message-id'])).toEqual([`<${email.id}@localhost>`])
    clock.advance(48 * HOUR)
    expect(await sender.sendDue()).toBe(0)
  })

  it('gives up on an email the server has refused for 24 hours', async () => {
    await queueCaseEmail()
    smtp.refuse = true
    let attempts = 0
    // An attempt every hour (the longest wait) for a day and a bit: each is due when it is tried.
    for (let hour = 0; hour <= 26; hour++) {
      attempts += await sender.sendDue()
      clock.advance(HOUR)
    }
    expect(attempts).toBe(25)
    smtp.refuse = false
    clock.advance(7 * 24 * HOUR)
    expect(await sender.sendDue()).toBe(0)
    expect(smtp.received).toHaveLength(0)
  })

  it('sends when kicked, and stop waits for the send under way', async () => {
    const release = smtp.hold()
    sender.start()
    await queueCaseEmail()
    sender.kick()
    await vi.waitFor(() => expect(smtp.held).toBe(1), { timeout: 10_000 })
    const stopped = sender.stop()
    release()
    await stopped
    expect(smtp.received).toHaveLength(1)
    // Recorded as sent before stop resolved: nothing is due, however late.
    clock.advance(48 * HOUR)
    expect(await backend.claimEmails(clock.now(), 10, 60_000)).toEqual([])
  })

  it('stops within its bound when a send hangs, leaving the email to its lease', async () => {
    const release = smtp.hold()
    sender = new EmailSender({
      store: backend,
      mailer,
      clock,
      pollMs: 3_600_000,
      stopTimeoutMs: 50,
      leaseMs: 60_000,
    })
    sender.start()
    const email = await queueCaseEmail()
    sender.kick()
    await vi.waitFor(() => expect(smtp.held).toBe(1), { timeout: 10_000 })
    await sender.stop()
    // The lease runs out and the email is there to be sent again (by this or another collector).
    clock.advance(60_000)
    expect((await backend.claimEmails(clock.now(), 10, 60_000)).map((e) => e.id)).toEqual([email.id])
    release()
  })
})
