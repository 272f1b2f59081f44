import { defaultSurveySettings } from '@npskit/shared'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import type { Survey } from '../backend/backend.ts'
import type { Case, CaseLogEntry, WebhookEndpoint } from '../backend/follow-up.ts'
import { storedAnswer } from '../testing.ts'
import { slackMessage } from './slack.ts'
import {
  attemptOutcome,
  buildDeliveries,
  DISABLE_AFTER_MS,
  endpointHealth,
  FAILING_REASON,
  filterMatches,
  GONE_REASON,
  generateWebhookSecret,
  RETRY_FOR_MS,
  retryDelay,
  signatureHeaders,
  type WebhookEvent,
} from './webhooks.ts'

const AT = Date.parse('2026-03-01T12:00:00.000Z')
const HOUR = 3_600_000

const survey: Survey = {
  id: 'srv_checkout',
  settings: defaultSurveySettings('Checkout NPS'),
  createdAt: AT - 86_400_000,
  updatedAt: AT - 86_400_000,
}
const other: Survey = { ...survey, id: 'srv_other', settings: defaultSurveySettings('Other') }

function endpoint(fields: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: 'whe_1',
    surveyId: null,
    url: 'https://hooks.example/npskit',
    format: 'standard',
    events: ['response.created', 'response.updated', 'case.opened', 'case.updated', 'alert.nps_dropped'],
    filter: {},
    description: null,
    secret: generateWebhookSecret(),
    enabled: true,
    disabledReason: null,
    failingSince: null,
    createdAt: AT - HOUR,
    updatedAt: AT - HOUR,
    ...fields,
  }
}

const detractor = storedAnswer({
  id: '0b6f7c62-0000-4000-8000-000000000001',
  createdAt: AT - 60_000,
  score: 3,
  comment: 'The checkout kept failing',
  respondentId: 'u_42',
  locale: 'de',
  url: 'https://shop.example/checkout',
  path: '/checkout',
  device: 'desktop',
  metadata: { plan: 'pro', seats: 12, trial: false },
})

const aCase: Case = {
  id: 'case_1',
  surveyId: survey.id,
  responseId: detractor.id,
  status: 'open',
  assignee: 'ana@shop.example',
  dueAt: AT + 24 * HOUR,
  tags: ['billing'],
  score: 3,
  category: 'detractor',
  answeredAt: detractor.createdAt,
  openedAt: AT,
  openedBy: 'rule: detractors',
  updatedAt: AT,
  firstContactAt: null,
  closedAt: null,
}

const opened: CaseLogEntry = {
  seq: 7,
  caseId: aCase.id,
  at: AT,
  actor: 'rule: detractors',
  kind: 'opened',
  note: null,
  from: null,
  to: null,
}

const created: WebhookEvent = { type: 'response.created', survey, response: detractor }

describe('which endpoints hear of an event', () => {
  it('every enabled endpoint subscribed to its type, of its survey or of every survey', () => {
    const endpoints = [
      endpoint({ id: 'whe_all' }),
      endpoint({ id: 'whe_own', surveyId: survey.id }),
      endpoint({ id: 'whe_other', surveyId: other.id }),
      endpoint({ id: 'whe_off', enabled: false, disabledReason: 'disabled by test' }),
      endpoint({ id: 'whe_cases', events: ['case.opened'] }),
    ]
    expect(buildDeliveries(endpoints, created, AT).map((d) => d.endpointId)).toEqual(['whe_all', 'whe_own'])
    const caseEvent: WebhookEvent = {
      type: 'case.opened',
      survey,
      case: aCase,
      response: detractor,
      entry: opened,
    }
    expect(buildDeliveries(endpoints, caseEvent, AT).map((d) => d.endpointId)).toEqual([
      'whe_all',
      'whe_own',
      'whe_cases',
    ])
  })

  it('only when the answer passes the filter: categories, score range and segments compared as text', () => {
    const answer = { score: 3, category: 'detractor' as const, metadata: detractor.metadata }
    expect(filterMatches({}, answer)).toBe(true)
    expect(filterMatches({ categories: ['detractor'] }, answer)).toBe(true)
    expect(filterMatches({ categories: ['promoter', 'passive'] }, answer)).toBe(false)
    expect(filterMatches({ minScore: 3, maxScore: 3 }, answer)).toBe(true)
    expect(filterMatches({ minScore: 4 }, answer)).toBe(false)
    expect(filterMatches({ maxScore: 2 }, answer)).toBe(false)
    expect(filterMatches({ segments: [['plan', 'pro']] }, answer)).toBe(true)
    // A number or a boolean is compared as its JSON text, as the analytics segments compare it.
    expect(
      filterMatches(
        {
          segments: [
            ['seats', '12'],
            ['trial', 'false'],
          ],
        },
        answer,
      ),
    ).toBe(true)
    expect(filterMatches({ segments: [['seats', '12.0']] }, answer)).toBe(false)
    expect(
      filterMatches(
        {
          segments: [
            ['plan', 'pro'],
            ['region', 'eu'],
          ],
        },
        answer,
      ),
    ).toBe(false)
    expect(filterMatches({ segments: [['plan', 'pro']] }, { ...answer, metadata: null })).toBe(false)
  })

  it('for a case, by the case’s score when its answer is gone', () => {
    const filtered = [endpoint({ filter: { categories: ['detractor'] } })]
    const gone: WebhookEvent = { type: 'case.updated', survey, case: aCase, response: null, entry: opened }
    expect(buildDeliveries(filtered, gone, AT)).toHaveLength(1)
    expect(buildDeliveries([endpoint({ filter: { segments: [['plan', 'pro']] } })], gone, AT)).toHaveLength(0)
  })

  it('an alert ignores answer filters; a test ping ignores subscriptions but not a disabled endpoint', () => {
    const picky = endpoint({ filter: { categories: ['promoter'], segments: [['plan', 'free']] } })
    const alert: WebhookEvent = {
      type: 'alert.nps_dropped',
      survey,
      alert: { from: 42, to: 18.25, p: 0.012, windowDays: 7, segment: null },
    }
    expect(buildDeliveries([picky], alert, AT)).toHaveLength(1)
    expect(buildDeliveries([picky], created, AT)).toHaveLength(0)
    expect(
      buildDeliveries([endpoint({ events: ['case.opened'] })], { type: 'webhook.test' }, AT),
    ).toHaveLength(1)
    expect(buildDeliveries([endpoint({ enabled: false })], { type: 'webhook.test' }, AT)).toHaveLength(0)
  })
})

describe('a delivery', () => {
  it('has a msg_ id, the answer as its order key, and the answer id for erasure', () => {
    const [delivery] = buildDeliveries([endpoint({ surveyId: survey.id })], created, AT)
    expect(delivery).toMatchObject({
      endpointId: 'whe_1',
      surveyId: survey.id,
      orderKey: detractor.id,
      responseId: detractor.id,
      eventType: 'response.created',
    })
    expect(delivery!.id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/)
    const caseEvent: WebhookEvent = {
      type: 'case.updated',
      survey,
      case: aCase,
      response: null,
      entry: opened,
    }
    expect(buildDeliveries([endpoint()], caseEvent, AT)[0]).toMatchObject({
      orderKey: detractor.id,
      responseId: detractor.id,
    })
  })

  it('of a ping or an alert waits for nothing: its order key is its own id, it carries no answer', () => {
    const [ping] = buildDeliveries([endpoint()], { type: 'webhook.test' }, AT)
    expect(ping).toMatchObject({
      orderKey: ping!.id,
      responseId: null,
      surveyId: null,
      eventType: 'webhook.test',
    })
  })
})

describe('the Standard Webhooks body', () => {
  const body = (event: WebhookEvent, fields: Partial<WebhookEndpoint> = {}) =>
    JSON.parse(buildDeliveries([endpoint(fields)], event, AT)[0]!.payload)

  it('of an answer: type, ISO timestamp, the survey and the answer in the API’s JSON', () => {
    expect(body(created)).toEqual({
      type: 'response.created',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: {
        survey: { id: 'srv_checkout', name: 'Checkout NPS' },
        response: {
          id: detractor.id,
          createdAt: '2026-03-01T11:59:00.000Z',
          score: 3,
          source: 'import',
          category: 'detractor',
          comment: 'The checkout kept failing',
          respondentId: 'u_42',
          locale: 'de',
          url: 'https://shop.example/checkout',
          path: '/checkout',
          device: 'desktop',
          metadata: { plan: 'pro', seats: 12, trial: false },
          contact: null,
        },
      },
    })
  })

  it('of a case: the case and the change with ISO times, and its answer', () => {
    const due: CaseLogEntry = { ...opened, kind: 'due', actor: 'ana', from: null, to: AT + 2 * HOUR }
    const data = body({ type: 'case.updated', survey, case: aCase, response: detractor, entry: due }).data
    expect(data.case).toEqual({
      id: 'case_1',
      surveyId: 'srv_checkout',
      responseId: detractor.id,
      status: 'open',
      assignee: 'ana@shop.example',
      dueAt: '2026-03-02T12:00:00.000Z',
      tags: ['billing'],
      score: 3,
      category: 'detractor',
      answeredAt: '2026-03-01T11:59:00.000Z',
      openedAt: '2026-03-01T12:00:00.000Z',
      openedBy: 'rule: detractors',
      updatedAt: '2026-03-01T12:00:00.000Z',
      firstContactAt: null,
      closedAt: null,
    })
    expect(data.change).toEqual({
      seq: 7,
      at: '2026-03-01T12:00:00.000Z',
      actor: 'ana',
      kind: 'due',
      note: null,
      from: null,
      to: '2026-03-01T14:00:00.000Z',
    })
    expect(data.response.id).toBe(detractor.id)
  })

  it('of an alert and of a ping', () => {
    const alert: WebhookEvent = {
      type: 'alert.nps_dropped',
      survey,
      alert: { from: 42, to: 18.25, p: 0.012, windowDays: 7, segment: ['plan', 'pro'] },
    }
    expect(body(alert)).toEqual({
      type: 'alert.nps_dropped',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: {
        survey: { id: 'srv_checkout', name: 'Checkout NPS' },
        alert: { from: 42, to: 18.25, p: 0.012, windowDays: 7, segment: { key: 'plan', value: 'pro' } },
      },
    })
    expect(body({ type: 'webhook.test' })).toEqual({
      type: 'webhook.test',
      timestamp: '2026-03-01T12:00:00.000Z',
      data: { endpointId: 'whe_1', message: 'a test message from npskit' },
    })
  })
})

describe('the Slack message', () => {
  const publicUrl = 'https://nps.shop.example'

  it('of a detractor’s answer shows the score, the comment, the survey and a link to the answer', () => {
    const [delivery] = buildDeliveries([endpoint({ format: 'slack' })], created, AT, { publicUrl })
    const message = JSON.parse(delivery!.payload)
    expect(message.text).toBe('New answer on Checkout NPS: 3/10 (detractor): “The checkout kept failing”')
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'New answer on *Checkout NPS*: *3/10 (detractor)*' } },
      { type: 'section', text: { type: 'mrkdwn', text: '>The checkout kept failing' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `respondent u_42 · de · /checkout · <${publicUrl}/dashboard/surveys/srv_checkout/responses?period=custom&amp;from=2026-03-01&amp;to=2026-03-01&amp;tz=UTC&amp;score=3|Open in npskit>`,
          },
        ],
      },
    ])
  })

  it('of a new case links to the case and names its assignee', () => {
    const message = slackMessage(
      { type: 'case.opened', survey, case: aCase, response: detractor, entry: opened },
      publicUrl,
    )
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'Case opened on *Checkout NPS* for a *3/10 (detractor)* answer, assigned to *ana@shop.example*',
      },
    })
    expect(JSON.stringify(message.blocks)).toContain(
      `<${publicUrl}/dashboard/cases/case_1?survey=srv_checkout|Open the case>`,
    )
  })

  it('of a case note quotes the note; of an alert gives both figures, the window and p', () => {
    const note: CaseLogEntry = { ...opened, kind: 'note', actor: 'ana', note: 'Called, will refund' }
    const noted = slackMessage(
      { type: 'case.updated', survey, case: aCase, response: detractor, entry: note },
      undefined,
    )
    expect(noted.blocks.map((b) => (b.type === 'section' ? b.text.text : ''))).toEqual([
      'Case on *Checkout NPS* (3/10 (detractor)): a note by ana',
      '>Called, will refund',
      '',
    ])
    const alert = slackMessage(
      {
        type: 'alert.nps_dropped',
        survey,
        alert: { from: 42, to: 18.25, p: 0.0123, windowDays: 7, segment: ['plan', 'pro'] },
      },
      publicUrl,
    )
    expect(alert.text).toBe('NPS of Checkout NPS fell from 42 to 18.3')
    expect(alert.blocks[0]).toMatchObject({
      text: {
        text: 'The NPS of *Checkout NPS* for plan = pro fell from *42* to *18.3* over the last 7 days, against the 7 days before (p = 0.012)',
      },
    })
    expect(JSON.stringify(alert.blocks)).toContain(
      `<${publicUrl}/dashboard/surveys/srv_checkout?segment.plan=pro|Open in npskit>`,
    )
  })

  it('escapes what people wrote, so a comment cannot mention @channel or forge a link, and stays within Slack’s sizes', () => {
    const sly = {
      ...detractor,
      comment: `<!channel> see <https://evil.example|your bank> & more\nsecond line${'&'.repeat(2000)}`,
    }
    const message = slackMessage({ type: 'response.created', survey, response: sly }, undefined)
    const all = JSON.stringify(message)
    expect(all).not.toContain('<!channel>')
    expect(all).not.toContain('<https://evil.example')
    const quoteBlock = message.blocks[1] as { text: { text: string } }
    expect(
      quoteBlock.text.text.startsWith(
        '>&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; more\n>second line',
      ),
    ).toBe(true)
    expect(quoteBlock.text.text.length).toBeLessThanOrEqual(3000)
    // Cut between escapes, never inside one.
    expect(quoteBlock.text.text).toMatch(/(&amp;)+…$/)
    expect(message.text.length).toBeLessThanOrEqual(500)
  })

  it('leaves links out when the collector does not know its public URL', () => {
    const message = slackMessage(created, undefined)
    expect(JSON.stringify(message)).not.toContain('Open in npskit')
  })
})

describe('signatures', () => {
  it('use a whsec_ secret of 32 random bytes, new each time', () => {
    const secret = generateWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32)
    expect(generateWebhookSecret()).not.toBe(secret)
  })

  it('verify with the Standard Webhooks library, and not once the body is changed', () => {
    const secret = generateWebhookSecret()
    const now = Date.now()
    const [delivery] = buildDeliveries([endpoint({ secret })], created, now)
    const headers = signatureHeaders(secret, delivery!.id, delivery!.payload, now)
    expect(headers['webhook-id']).toBe(delivery!.id)
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now / 1000)))
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/)
    const receiver = new Webhook(secret)
    expect(receiver.verify(delivery!.payload, headers)).toEqual(JSON.parse(delivery!.payload))
    expect(() => receiver.verify(delivery!.payload.replace('"score":3', '"score":9'), headers)).toThrow(
      'No matching signature found',
    )
    expect(() => new Webhook(generateWebhookSecret()).verify(delivery!.payload, headers)).toThrow()
  })
})

describe('the retry schedule', () => {
  const noJitter = () => 0.5

  it('backs off from 5 s to 8 h, then keeps every 8 h', () => {
    const delays = Array.from({ length: 11 }, (_, i) => retryDelay(i + 1, noJitter) / 1000)
    expect(delays).toEqual([5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800, 28_800])
  })

  it('spreads each pause by ±20 %', () => {
    expect(retryDelay(1, () => 0)).toBe(4000)
    expect(retryDelay(1, () => 0.999999)).toBeCloseTo(6000, -1)
    expect(retryDelay(9, () => 0)).toBe(0.8 * 8 * HOUR)
  })

  it('tries a failing delivery for more than 24 hours, then gives up', () => {
    const delivery = { createdAt: AT, attempts: 0 }
    let at = AT
    const times: number[] = []
    for (;;) {
      times.push(at)
      const outcome = attemptOutcome(delivery, 503, at, noJitter)
      delivery.attempts++
      if (outcome.status !== 'pending') {
        expect(outcome.status).toBe('failed')
        break
      }
      expect(outcome.nextAttemptAt).toBeGreaterThan(at)
      at = outcome.nextAttemptAt
    }
    expect(times.at(-1)! - AT).toBeGreaterThan(RETRY_FOR_MS)
    expect(times.at(-2)! - AT).toBeLessThan(RETRY_FOR_MS)
    expect(times).toHaveLength(12)
  })

  it('ends at once on a 2xx (delivered) or a 410 Gone (failed); any other answer, or none, is retried', () => {
    const fresh = { createdAt: AT, attempts: 0 }
    expect(attemptOutcome(fresh, 200, AT)).toEqual({ status: 'delivered' })
    expect(attemptOutcome(fresh, 204, AT)).toEqual({ status: 'delivered' })
    expect(attemptOutcome(fresh, 410, AT)).toEqual({ status: 'failed' })
    for (const status of [null, 301, 400, 404, 429, 500]) {
      expect(attemptOutcome(fresh, status, AT, noJitter), String(status)).toEqual({
        status: 'pending',
        nextAttemptAt: AT + 5000,
      })
    }
  })
})

describe('endpoint health', () => {
  it('starts failing at the first failure after a success, and is clear again after a success', () => {
    expect(endpointHealth({ failingSince: null }, 500, AT)).toEqual({ failingSince: AT })
    expect(endpointHealth({ failingSince: AT }, null, AT + HOUR)).toEqual({ failingSince: AT })
    expect(endpointHealth({ failingSince: AT }, 200, AT + HOUR)).toEqual({ failingSince: null })
  })

  it('disables an endpoint failing for 24 hours, or at once on 410 Gone', () => {
    expect(endpointHealth({ failingSince: AT }, 500, AT + DISABLE_AFTER_MS - 1)).toEqual({ failingSince: AT })
    expect(endpointHealth({ failingSince: AT }, 500, AT + DISABLE_AFTER_MS)).toEqual({
      failingSince: AT,
      disable: FAILING_REASON,
    })
    expect(endpointHealth({ failingSince: null }, 410, AT)).toEqual({
      failingSince: AT,
      disable: GONE_REASON,
    })
  })
})
