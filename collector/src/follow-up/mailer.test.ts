import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMailer, type Mailer } from './mailer.ts'
import { caseEmail } from './messages.ts'
import { answer, kase, PUBLIC_URL, startSmtp, survey, type TestSmtp } from './testing.ts'

let smtp: TestSmtp
let mailer: Mailer | undefined

beforeEach(async () => {
  smtp = await startSmtp()
})

afterEach(async () => {
  mailer?.close()
  await smtp.close()
})

describe('createMailer', () => {
  it('makes no mailer without an SMTP URL', () => {
    expect(createMailer({ smtpUrl: undefined, emailFrom: 'npskit <npskit@localhost>' })).toBeUndefined()
  })

  it('delivers a case email over SMTP with the credentials of the URL, from NPSKIT_EMAIL_FROM', async () => {
    mailer = createMailer({ smtpUrl: smtp.url, emailFrom: 'Shop NPS <nps@shop.example>' })
    const email = caseEmail(
      survey({ emails: ['team@shop.example'] }),
      kase({ assignee: 'ana@shop.example' }),
      answer({ comment: 'billing errors again — “twice”' }),
      PUBLIC_URL,
    )
    if (!mailer || !email) throw new Error('expected a mailer and an email')
    expect(await mailer.send(email)).toEqual({ rejected: [] })

    expect(smtp.received).toHaveLength(1)
    const [arrived] = smtp.received
    expect(arrived?.from).toBe('nps@shop.example')
    expect(arrived?.to).toEqual(['ana@shop.example'])
    expect(arrived?.headers).toMatchObject({
      from: 'Shop NPS <nps@shop.example>',
      to: 'ana@shop.example',
      subject: 'Detractor (3/10) on Checkout: "billing errors again — “twice”"',
      'message-id': `<${email.id}@shop.example>`,
      'x-npskit-email-id': email.id,
    })
    expect(arrived?.text).toContain('A detractor answered 3/10 on Checkout.')
    expect(arrived?.text).toContain('> billing errors again — “twice”')
    expect(arrived?.text).toContain(
      'Open the case: https://nps.shop.example/dashboard/cases/case_1?survey=srv_checkout',
    )
    expect(arrived?.html).toContain(
      'href="https://nps.shop.example/dashboard/cases/case_1?survey=srv_checkout"',
    )
  })

  it('rejects when the server does not take the password', async () => {
    mailer = createMailer({ smtpUrl: smtp.url.replace(':secret@', ':wrong@'), emailFrom: 'nps@shop.example' })
    const email = caseEmail(survey({ emails: ['team@shop.example'] }), kase(), answer(), PUBLIC_URL)
    if (!mailer || !email) throw new Error('expected a mailer and an email')
    await expect(mailer.send(email)).rejects.toThrow()
    expect(smtp.received).toHaveLength(0)
  })
})
