import { describe, expect, it } from 'vitest'
import type { NpsAlert } from './alerts.ts'
import type { Digest } from './digest.ts'
import { caseLink } from './links.ts'
import {
  alertEmail,
  alertSentence,
  caseEmail,
  digestEmail,
  escapeHtml,
  isEmailAddress,
  oneLine,
} from './messages.ts'
import { answer, kase, PUBLIC_URL, survey } from './testing.ts'

const team = { emails: ['team@shop.example'] }

describe('caseEmail', () => {
  it('names the category, the score, the survey and the comment in the subject, and links to the case', () => {
    const email = caseEmail(survey(team), kase(), answer(), PUBLIC_URL)
    expect(email).toMatchObject({
      kind: 'case',
      surveyId: 'srv_checkout',
      responseId: 'resp-1',
      to: ['team@shop.example'],
      subject: 'Detractor (3/10) on Checkout: "billing errors again"',
    })
    expect(email?.id).toMatch(/^eml_/)
    const link = 'https://nps.shop.example/dashboard/cases/case_1?survey=srv_checkout'
    expect(caseLink(`${PUBLIC_URL}/`, 'case_1', 'srv_checkout')).toBe(link)
    expect(email?.text).toContain(`Open the case: ${link}`)
    expect(email?.html).toContain(`href="${link}"`)
    expect(email?.text).toContain('> billing errors again')
    expect(email?.text).toContain('Due: 2026-03-04 12:00 UTC')
    expect(email?.text).toContain('plan: pro')
  })

  it('goes to the assignee when that is an address, else to the notification addresses', () => {
    expect(caseEmail(survey(team), kase({ assignee: 'ana@shop.example' }), answer(), PUBLIC_URL)?.to).toEqual(
      ['ana@shop.example'],
    )
    expect(caseEmail(survey(team), kase({ assignee: 'Ana' }), answer(), PUBLIC_URL)?.to).toEqual([
      'team@shop.example',
    ])
    expect(isEmailAddress('Ana <ana@shop.example>')).toBe(false)
  })

  it('is not made without notifications, with case emails off, with nobody to send it to, or once the answer is gone', () => {
    expect(
      caseEmail(survey(null), kase({ assignee: 'ana@shop.example' }), answer(), PUBLIC_URL),
    ).toBeUndefined()
    expect(caseEmail(survey({ ...team, caseEmails: false }), kase(), answer(), PUBLIC_URL)).toBeUndefined()
    expect(caseEmail(survey({ emails: [] }), kase({ assignee: 'Ana' }), answer(), PUBLIC_URL)).toBeUndefined()
    expect(caseEmail(survey(team), kase(), null, PUBLIC_URL)).toBeUndefined()
  })

  it('says what it can without a comment or a public URL', () => {
    const email = caseEmail(survey(team), kase(), answer({ comment: null }), undefined)
    expect(email?.subject).toBe('Detractor (3/10) on Checkout')
    expect(email?.text).toContain('No comment was left.')
    expect(email?.text).not.toContain('/dashboard/')
  })

  it('escapes everything an answer brings into the HTML, and keeps the subject on one line', () => {
    const comment =
      'late\r\nBcc: evil@example.com\r\n<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    const email = caseEmail(
      survey(team),
      kase({ tags: ['<b>vip</b>'] }),
      answer({ comment, metadata: { '<k>': '"><svg onload=alert(1)>' }, respondentId: "o'neil<" }),
      PUBLIC_URL,
    )
    const html = email?.html ?? ''
    expect(html).not.toMatch(/<script|<img|<svg|<b>/)
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;',
    )
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;')
    expect(html).toContain('o&#39;neil&lt;')
    expect(email?.subject).not.toMatch(/[\r\n]/)
    expect(email?.subject).toContain('"late Bcc: evil@example.com <script>')
    // The text part is plain: it says what was written.
    expect(email?.text).toContain('<script>alert("x")</script>')
  })
})

describe('escapeHtml and oneLine', () => {
  it('escapes the five characters that change the meaning of HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    )
  })

  it('flattens line breaks and control characters and shortens with an ellipsis', () => {
    expect(oneLine('a\r\nb\tc\u0000d\u2028e', 100)).toBe('a b c d e')
    expect(oneLine('x'.repeat(70), 60)).toBe(`${'x'.repeat(59)}…`)
  })
})

const alert: NpsAlert = {
  surveyId: 'srv_checkout',
  segment: null,
  windowDays: 14,
  alpha: 0.05,
  current: {
    from: '2026-02-15T12:00:00.000Z',
    to: '2026-03-01T12:00:00.000Z',
    nps: 33.2,
    ci95: [25.1, 40.9],
    total: 200,
    promoters: 100,
    passives: 66,
    detractors: 34,
  },
  previous: {
    from: '2026-02-01T12:00:00.000Z',
    to: '2026-02-15T12:00:00.000Z',
    nps: 41,
    ci95: [33, 48.7],
    total: 200,
    promoters: 110,
    passives: 68,
    detractors: 28,
  },
  delta: -7.8,
  z: -2.97,
  pValue: 0.0031,
}

describe('alertEmail', () => {
  it('says how far NPS fell, how sure the test is and over how long', () => {
    expect(alertSentence(alert)).toBe('NPS fell from 41 to 33 (p = 0.003) over the last 14 days')
    const email = alertEmail(survey(team), alert, PUBLIC_URL)
    expect(email).toMatchObject({
      kind: 'alert',
      responseId: null,
      to: ['team@shop.example'],
      subject: 'NPS fell from 41 to 33 on Checkout',
    })
    expect(email?.text).toContain('NPS fell from 41 to 33 (p = 0.003) over the last 14 days.')
    expect(email?.text).toContain('Open the survey: https://nps.shop.example/dashboard/surveys/srv_checkout')
  })

  it('names the segment, escaped, and links to the survey filtered by it', () => {
    const segmented = { ...alert, segment: ['plan', '<pro>'] as [string, string], pValue: 0.0001 }
    expect(alertSentence(segmented)).toBe(
      'NPS fell from 41 to 33 (p < 0.001) over the last 14 days for plan = <pro>',
    )
    const email = alertEmail(survey(team), segmented, PUBLIC_URL)
    expect(email?.subject).toBe('NPS fell from 41 to 33 on Checkout (plan = <pro>)')
    expect(email?.html).toContain('plan = &lt;pro&gt;')
    expect(email?.html).not.toContain('<pro>')
    expect(email?.text).toContain('/dashboard/surveys/srv_checkout?segment.plan=%3Cpro%3E')
  })

  it('is not made when the survey has no notification address', () => {
    expect(alertEmail(survey({ emails: [] }), alert, PUBLIC_URL)).toBeUndefined()
  })
})

describe('digestEmail', () => {
  const digest: Digest = {
    surveyId: 'srv_checkout',
    cadence: 'weekly',
    from: Date.UTC(2026, 1, 23, 8),
    to: Date.UTC(2026, 2, 2, 8),
    summary: {
      total: 40,
      promoters: 20,
      passives: 10,
      detractors: 10,
      nps: 25,
      ci95: [1.5, 45.2],
      marginOfError: 22,
      lowSample: false,
    },
    previousNps: 30,
    change: -5,
    detractors: {
      count: 10,
      latest: [{ id: 'r9', score: 2, comment: 'slow <delivery>', createdAt: Date.UTC(2026, 2, 1) }],
    },
    overdue: {
      count: 1,
      more: false,
      cases: [{ id: 'case_7', score: 4, assignee: 'Ana', dueAt: Date.UTC(2026, 2, 1, 9) }],
    },
  }

  it('gives the NPS with its interval, the change, the new detractors and the overdue cases', () => {
    const email = digestEmail(survey(team), digest, PUBLIC_URL)
    expect(email).toMatchObject({
      kind: 'digest',
      to: ['team@shop.example'],
      subject: 'Weekly NPS for Checkout: NPS 25',
    })
    const text = email?.text ?? ''
    expect(text).toContain('Period: 2026-02-23 08:00 UTC – 2026-03-02 08:00 UTC')
    expect(text).toContain('NPS: 25 (95% interval 2 to 45)')
    expect(text).toContain('Change: -5.0 points since the last digest (30)')
    expect(text).toContain('New detractors: 10. The latest comments:\n- 2/10: "slow <delivery>"')
    expect(text).toContain(
      'Overdue cases: 1\n- 4/10, due 2026-03-01 09:00 UTC, assigned to Ana — https://nps.shop.example/dashboard/cases/case_7?survey=srv_checkout',
    )
    expect(email?.html).toContain('slow &lt;delivery&gt;')
  })

  it('says so when nobody answered and no case is overdue, and has no change line the first time', () => {
    const empty = digestEmail(
      survey(team),
      {
        ...digest,
        cadence: 'daily',
        summary: {
          ...digest.summary,
          total: 0,
          promoters: 0,
          passives: 0,
          detractors: 0,
          nps: null,
          ci95: null,
        },
        previousNps: null,
        change: null,
        detractors: { count: 0, latest: [] },
        overdue: { count: 0, more: false, cases: [] },
      },
      PUBLIC_URL,
    )
    expect(empty?.subject).toBe('Daily NPS for Checkout: no answers')
    expect(empty?.text).toContain('New detractors: 0.')
    expect(empty?.text).toContain('No case is overdue.')
    expect(empty?.text).not.toContain('Change:')
  })
})
