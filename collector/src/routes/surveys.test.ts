import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, everything, type Fixture, fixture, uuid } from '../testing.ts'

describe('admin: surveys', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it('creates a survey from a name alone, filling in every default', async () => {
    const res = await f.admin('/v1/surveys', { method: 'POST', body: { name: 'Onboarding' } })
    expect(res.status).toBe(201)
    const survey = (await res.json()) as Record<string, unknown>
    expect(survey).toMatchObject({
      name: 'Onboarding',
      question: null,
      defaultLocale: 'en',
      allowedOrigins: [],
      display: { delaySeconds: 5, resurveyAfterDays: 90, dismissBackoffDays: 14, sampleRate: 1 },
      theme: { accent: '#4f46e5' },
      target: null,
      responseLifetimeDays: 90,
      createdAt: new Date(f.clock.now()).toISOString(),
    })
    expect(survey.id).toMatch(/^srv_/)
  })

  it('takes every setting on create: texts, origins, display rules, theme, target and lifetime', async () => {
    const body = {
      name: 'Checkout NPS',
      question: 'How likely are you to recommend Acme?',
      followUp: { promoter: 'What do you love?', passive: null, detractor: 'What should we fix?' },
      defaultLocale: 'de',
      allowedOrigins: ['https://shop.example', 'http://localhost:5173'],
      display: {
        delaySeconds: 2,
        resurveyAfterDays: 30,
        dismissBackoffDays: 7,
        sampleRate: 0.25,
        minPageViews: 2,
        urlInclude: ['/checkout/*'],
        urlExclude: ['/checkout/admin*'],
      },
      theme: { accent: '#112233', position: 'center', mode: 'dark' },
      target: { nps: 40, deadline: '2027-06-30' },
      responseLifetimeDays: 180,
    }
    const res = await f.admin('/v1/surveys', { method: 'POST', body })
    expect(res.status).toBe(201)
    expect(await res.json()).toMatchObject(body)
  })

  it('reads, lists with a cursor, patches (nested objects merge) and deletes', async () => {
    const a = await f.survey({ name: 'A' })
    f.clock.advance(1)
    const b = await f.survey({ name: 'B' })
    f.clock.advance(1)
    const c = await f.survey({ name: 'C' })
    expect(((await (await f.admin(`/v1/surveys/${b}`)).json()) as { name: string }).name).toBe('B')

    const first = (await (await f.admin('/v1/surveys?limit=2')).json()) as {
      items: { id: string }[]
      nextCursor: string
    }
    const second = (await (await f.admin(`/v1/surveys?limit=2&cursor=${first.nextCursor}`)).json()) as {
      items: { id: string }[]
      nextCursor: string | null
    }
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([a, b, c])
    expect(second.nextCursor).toBeNull()

    f.clock.advance(1000)
    const patched = await f.admin(`/v1/surveys/${a}`, {
      method: 'PATCH',
      body: { display: { sampleRate: 0.5 }, target: { nps: 30, deadline: '2027-01-31' } },
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({
      name: 'A',
      display: { sampleRate: 0.5, delaySeconds: 5 },
      target: { nps: 30, deadline: '2027-01-31' },
      updatedAt: new Date(f.clock.now()).toISOString(),
    })

    await f.send(c, 'responses', { id: uuid(), score: 9, respondentId: 'r' })
    expect((await f.admin(`/v1/surveys/${c}`, { method: 'DELETE' })).status).toBe(204)
    expect((await f.admin(`/v1/surveys/${c}`)).status).toBe(404)
    expect((await everything(f.backend)).responses).toEqual([])
  })

  it.each([
    ['no name', {}],
    ['an empty name', { name: '' }],
    ['a sample rate above 1', { name: 'x', display: { sampleRate: 2 } }],
    ['an origin with a path', { name: 'x', allowedOrigins: ['https://shop.example/path'] }],
    ['a colour that is not hex', { name: 'x', theme: { accent: 'red' } }],
    ['a target deadline that is not a date', { name: 'x', target: { nps: 40, deadline: 'soon' } }],
    ['an NPS target above 100', { name: 'x', target: { nps: 120, deadline: '2027-01-01' } }],
    ['an unknown setting', { name: 'x', colour: 'blue' }],
  ])('refuses a survey with %s (400)', async (_, body) => {
    const res = await f.admin('/v1/surveys', { method: 'POST', body })
    expect(res.status).toBe(400)
    expect(await errorCode(res)).toBe('invalid_body')
  })

  it.each([
    [
      'a javascript: thank-you link',
      { action: 'link', url: 'javascript:alert(1)', label: 'Go' },
      'javascript:',
    ],
    ['a data: review link', { action: 'review', url: 'data:text/html,<b>hi</b>', site: 'G2' }, 'data:'],
    ['an ftp: thank-you link', { action: 'link', url: 'ftp://acme.example/file', label: 'Go' }, 'ftp:'],
  ])(
    'refuses %s with a 400 naming thanks.url and the scheme, and keeps the settings as they were',
    async (_, thanks, scheme) => {
      const created = (await (
        await f.admin('/v1/surveys', { method: 'POST', body: { name: 'A' } })
      ).json()) as {
        id: string
      }
      for (const [method, path, body] of [
        ['PATCH', `/v1/surveys/${created.id}`, { thanks }],
        ['POST', '/v1/surveys', { name: 'B', thanks }],
      ] as const) {
        const res = await f.admin(path, { method, body })
        expect(res.status, `${method} ${path}`).toBe(400)
        const { error } = (await res.json()) as {
          error: { code: string; message: string; issues: { path: string; message: string }[] }
        }
        expect(error.code).toBe('invalid_body')
        expect(error.message).toContain('thanks.url')
        expect(error.message).toContain(scheme)
        expect(error.issues).toContainEqual({ path: 'thanks.url', message: expect.stringContaining('http') })
      }
      const kept = (await (await f.admin(`/v1/surveys/${created.id}`)).json()) as Record<string, unknown>
      expect('thanks' in kept).toBe(false)
    },
  )

  it('answers 400 for malformed JSON, 415 for a form body, 404 for an unknown survey', async () => {
    const malformed = await f.admin('/v1/surveys', {
      method: 'POST',
      body: '{"name":',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed.status).toBe(400)
    expect(await errorCode(malformed)).toBe('invalid_json')
    const form = await f.admin('/v1/surveys', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(form.status).toBe(415)
    expect((await f.admin('/v1/surveys/srv_nope')).status).toBe(404)
    expect((await f.admin('/v1/surveys/srv_nope', { method: 'PATCH', body: { name: 'y' } })).status).toBe(404)
    expect((await f.admin('/v1/surveys/srv_nope', { method: 'DELETE' })).status).toBe(404)
    const badCursor = await f.admin('/v1/surveys?cursor=nonsense')
    expect(badCursor.status).toBe(400)
    expect((await f.admin('/v1/surveys?limit=0')).status).toBe(400)
  })
})

describe('admin authentication', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it.each([
    ['GET', '/v1/surveys'],
    ['POST', '/v1/surveys'],
    ['GET', '/v1/surveys/srv_x'],
    ['PATCH', '/v1/surveys/srv_x'],
    ['DELETE', '/v1/surveys/srv_x'],
    ['GET', '/v1/surveys/srv_x/responses'],
    ['POST', '/v1/surveys/srv_x/responses/import'],
    ['DELETE', '/v1/respondents/r1'],
    ['GET', '/v1/keys'],
    ['POST', '/v1/keys'],
    ['DELETE', '/v1/keys/key_x'],
  ])('refuses %s %s without a valid key (401)', async (method, path) => {
    for (const authorization of [undefined, 'Bearer npk_wrong', `Basic ${f.key}`, f.key]) {
      const res = await f.app.request(path, { method, headers: authorization ? { authorization } : {} })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
      expect(await errorCode(res)).toBe('unauthorized')
    }
  })
})
