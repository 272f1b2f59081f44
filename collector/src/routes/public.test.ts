import { translations, type WidgetConfig } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, everything, type Fixture, fixture, ORIGIN, uuid } from '../testing.ts'

describe('public routes', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey()
  })
  afterEach(() => f.close())

  const rows = () => f.backend.listResponses(survey, {}, 1000).items

  describe('POST /v1/surveys/:id/responses', () => {
    it('stores an answer sent as JSON and answers 201 with its category', async () => {
      const id = uuid()
      const res = await f.send(survey, 'responses', { id, score: 9, locale: 'de', respondentId: 'u1' })
      expect(res.status).toBe(201)
      expect(await res.json()).toEqual({ id, category: 'promoter' })
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('vary')).toContain('Origin')
      expect(rows()).toMatchObject([
        { id, score: 9, locale: 'de', respondentId: 'u1', createdAt: f.clock.now() },
      ])
    })

    it('accepts the same body as text/plain, as sendBeacon sends it', async () => {
      const res = await f.send(
        survey,
        'responses',
        { id: uuid(), score: 3 },
        { contentType: 'text/plain;charset=UTF-8' },
      )
      expect(res.status).toBe(201)
      expect(rows()).toHaveLength(1)
    })

    it('merges the follow-up comment into the same row, answers 200 and keeps the first receipt time', async () => {
      const id = uuid()
      const firstAt = f.clock.now()
      await f.send(survey, 'responses', { id, score: 7 })
      f.clock.advance(30_000)
      const res = await f.send(survey, 'responses', { id, score: 7, comment: '<b>faster</b> =1+1' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ id, category: 'passive' })
      expect(rows()).toMatchObject([{ id, createdAt: firstAt, comment: '<b>faster</b> =1+1' }])
    })

    it('records the widget’s answers as widget and any other client’s as api, kept through a repeat', async () => {
      const [card, client] = [uuid(), uuid()]
      await f.send(survey, 'responses', { id: card, score: 9, source: 'widget' })
      await f.send(survey, 'responses', { id: client, score: 9 })
      // A repeat says nothing new about where the answer came from.
      await f.send(survey, 'responses', { id: card, score: 9, comment: 'later' })
      await f.send(survey, 'responses', { id: client, score: 9, source: 'widget' })
      const sources = Object.fromEntries(rows().map((r) => [r.id, r.source]))
      expect(sources).toEqual({ [card]: 'widget', [client]: 'api' })
    })

    it('refuses a source other than widget or api (imports and links are not the public endpoint’s)', async () => {
      const res = await f.send(survey, 'responses', { id: uuid(), score: 9, source: 'import' })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_body')
      expect(rows()).toEqual([])
    })

    it('derives the page path and a device class, and stores no IP address', async () => {
      const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
      await f.send(
        survey,
        'responses',
        { id: uuid(), score: 10, url: 'https://shop.example/checkout/done?order=7#x' },
        { headers: { 'user-agent': ua, 'x-forwarded-for': '203.0.113.9' } },
      )
      expect(rows()).toMatchObject([{ path: '/checkout/done', device: 'mobile' }])
      const dump = JSON.stringify(await everything(f.backend))
      expect(dump).not.toContain('203.0.113.9')
    })

    it('stores consent to be contacted with the follow-up: the address trimmed, its domain lower-cased', async () => {
      const id = uuid()
      await f.send(survey, 'responses', { id, score: 4 })
      expect(rows()).toMatchObject([{ id, contact: null }])
      const res = await f.send(survey, 'responses', {
        id,
        score: 4,
        comment: 'Call me',
        contact: { email: '  Ana.Lima@Example.COM ' },
      })
      expect(res.status).toBe(200)
      expect(rows()).toMatchObject([{ id, comment: 'Call me', contact: { email: 'Ana.Lima@example.com' } }])
      // A retry of the score alone (the loader's queue) does not take the consent back.
      await f.send(survey, 'responses', { id, score: 4 })
      expect(rows()).toMatchObject([{ id, contact: { email: 'Ana.Lima@example.com' } }])
    })

    it('stores the consent of a visitor the site identified without an address', async () => {
      const id = uuid()
      await f.send(survey, 'responses', { id, score: 9, respondentId: 'user-42', contact: {} })
      expect(rows()).toMatchObject([{ id, respondentId: 'user-42', contact: { email: null } }])
    })

    it('refuses a bad address with 400 naming contact.email, and stores nothing', async () => {
      const res = await f.send(survey, 'responses', { id: uuid(), score: 2, contact: { email: 'ana@' } })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        'contact.email: must be an email address',
      )
      expect(rows()).toEqual([])
    })

    it('refuses an Origin not on the survey’s list with 403 and stores nothing', async () => {
      const res = await f.send(
        survey,
        'responses',
        { id: uuid(), score: 10 },
        { origin: 'https://evil.example' },
      )
      expect(res.status).toBe(403)
      expect(await errorCode(res)).toBe('origin_not_allowed')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      expect(rows()).toEqual([])
    })

    it('refuses a request without Origin unless the survey allows every origin', async () => {
      const closed = await f.send(survey, 'responses', { id: uuid(), score: 10 }, { origin: null })
      expect(closed.status).toBe(403)
      expect(await errorCode(closed)).toBe('origin_required')
      const open = await f.survey({ allowedOrigins: ['*'] })
      expect((await f.send(open, 'responses', { id: uuid(), score: 10 }, { origin: null })).status).toBe(201)
      expect(
        (await f.send(open, 'responses', { id: uuid(), score: 10 }, { origin: 'https://any.example' }))
          .status,
      ).toBe(201)
      expect(rows()).toEqual([])
    })

    it('matches origins regardless of case and default port', async () => {
      const other = await f.survey({ allowedOrigins: ['https://Shop.Example:443'] })
      expect(
        (await f.send(other, 'responses', { id: uuid(), score: 1 }, { origin: 'https://shop.example' }))
          .status,
      ).toBe(201)
    })

    it('answers 404 for an unknown survey', async () => {
      const res = await f.send('srv_doesnotexist', 'responses', { id: uuid(), score: 5 })
      expect(res.status).toBe(404)
      expect(await errorCode(res)).toBe('not_found')
    })

    it('answers 400 invalid_json for malformed JSON', async () => {
      const res = await f.send(survey, 'responses', '{"id": "x", score: }')
      expect(res.status).toBe(400)
      expect(await errorCode(res)).toBe('invalid_json')
    })

    it('refuses a __proto__ key rather than lose it between validation and storage', async () => {
      const res = await f.send(
        survey,
        'responses',
        `{"id":"${uuid()}","score":3,"metadata":{"__proto__":{"x":1}}}`,
      )
      expect(res.status).toBe(400)
      expect(rows()).toEqual([])
    })

    it('refuses the NUL character in any text it would store, naming the field', async () => {
      for (const [field, body] of [
        ['comment', { comment: 'bad\u0000' }],
        ['respondentId', { respondentId: 'a\u0000b' }],
        ['metadata.plan', { metadata: { plan: 'p\u0000' } }],
        ['url', { url: 'https://shop.example/a\u0000' }],
      ] as const) {
        const res = await f.send(survey, 'responses', { id: uuid(), score: 3, ...body })
        expect(res.status).toBe(400)
        expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
          `${field}: must not contain the NUL character (U+0000)`,
        )
      }
      expect(rows()).toEqual([])
    })

    it('refuses half of a surrogate pair in any text it would store, naming the field', async () => {
      for (const [field, body] of [
        ['comment', { comment: 'a\ud800b' }],
        ['respondentId', { respondentId: '\udc00' }],
        ['metadata.plan', { metadata: { plan: 'p\ud83d' } }],
      ] as const) {
        const res = await f.send(survey, 'responses', { id: uuid(), score: 3, ...body })
        expect(res.status).toBe(400)
        expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
          `${field}: must be Unicode text (it holds half of a surrogate pair)`,
        )
      }
      // A whole pair, an emoji, is text like any other.
      expect(
        (await f.send(survey, 'responses', { id: uuid(), score: 3, comment: 'great \ud83d\ude00' })).status,
      ).toBe(201)
    })

    it('answers 404 for a survey id that cannot be one, without looking it up', async () => {
      for (const id of ['%00', 'srv_a%00b', 'srv_', 'x'.repeat(300)]) {
        const res = await f.send(id, 'responses', { id: uuid(), score: 3 })
        expect(res.status).toBe(404)
        expect(await errorCode(res)).toBe('not_found')
      }
    })

    it('answers 415 for another media type', async () => {
      const res = await f.send(survey, 'responses', 'id=1&score=3', {
        contentType: 'application/x-www-form-urlencoded',
      })
      expect(res.status).toBe(415)
      expect(await errorCode(res)).toBe('unsupported_media_type')
    })

    it('answers 413 for a body over 16 KiB and stores nothing', async () => {
      const res = await f.send(survey, 'responses', { id: uuid(), score: 5, comment: 'x'.repeat(17 * 1024) })
      expect(res.status).toBe(413)
      // The widget must be able to read a refusal (or it would retry it forever): CORS on errors too.
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(await errorCode(res)).toBe('body_too_large')
      expect(rows()).toEqual([])
    })

    it.each([
      ['a score above 10', { score: 11 }, 'score'],
      ['a fractional score', { score: 7.5 }, 'score'],
      ['a score as text', { score: '9' }, 'score'],
      ['an id that is not a UUID', { id: 'abc' }, 'id'],
      ['a comment over 2000 characters', { comment: 'x'.repeat(2001) }, 'comment'],
      ['a respondent id over 128 characters', { respondentId: 'r'.repeat(129) }, 'respondentId'],
      ['a url that is not a URL', { url: 'not a url' }, 'url'],
      ['a bad locale', { locale: 'english please' }, 'locale'],
      [
        '21 metadata keys',
        { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
        'metadata',
      ],
      ['a metadata value over 256 characters', { metadata: { plan: 'p'.repeat(257) } }, 'metadata.plan'],
      ['an unknown field', { ip: '1.2.3.4' }, ''],
      ['consent as true', { contact: true }, 'contact'],
      ['a contact email that is not an address', { contact: { email: 'ana at example' } }, 'contact.email'],
      [
        'a contact email over 254 characters',
        { contact: { email: `${'a'.repeat(250)}@x.io` } },
        'contact.email',
      ],
      ['a contact email as a number', { contact: { email: 42 } }, 'contact.email'],
      ['an unknown contact field', { contact: { phone: '555' } }, 'contact'],
    ])('answers 400 invalid_body for %s', async (_, change, path) => {
      const res = await f.send(survey, 'responses', { id: uuid(), score: 5, ...change })
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } }
      expect(body.error.code).toBe('invalid_body')
      expect(body.error.issues.map((i) => i.path)).toContain(path)
      expect(rows()).toEqual([])
    })
  })

  describe('metadata keys', () => {
    const keys = (from: number, count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, i]))
    const message = async (res: Response) => {
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('invalid_body')
      return body.error.message
    }

    it('learns up to 50 distinct keys, then refuses an answer with a new one, saying how to choose them', async () => {
      for (const from of [0, 20, 40]) {
        const count = from === 40 ? 10 : 20
        expect(
          (await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(from, count) })).status,
        ).toBe(201)
      }
      const refused = await f.send(survey, 'responses', {
        id: uuid(),
        score: 7,
        metadata: { k3: 1, plan: 'pro' },
      })
      expect(await message(refused)).toBe(
        'metadata key "plan" refused: this survey already collects 50 metadata keys (or would with it), the most it learns by itself; declaring metadataKeys in its settings chooses them',
      )
      // Keys it already collects are still welcome, and the refused answer was not stored.
      expect(
        (await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(30, 20) })).status,
      ).toBe(201)
      expect(rows()).toHaveLength(4)
      expect(f.backend.metadataKeys(survey)).toHaveLength(50)
    })

    it('refuses an answer that would take the survey past 50 keys, storing none of its keys', async () => {
      await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(0, 20) })
      await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(20, 20) })
      expect(
        await message(await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(40, 11) })),
      ).toContain('"k40", "k41"')
      expect(f.backend.metadataKeys(survey)).toHaveLength(40)
      expect(
        (await f.send(survey, 'responses', { id: uuid(), score: 7, metadata: keys(40, 10) })).status,
      ).toBe(201)
    })

    it('takes only the keys a survey declares, naming the key refused and the keys allowed', async () => {
      const declared = await f.survey({ metadataKeys: ['plan', 'seats'] })
      expect(
        (await f.send(declared, 'responses', { id: uuid(), score: 9, metadata: { plan: 'pro' } })).status,
      ).toBe(201)
      const res = await f.send(declared, 'responses', {
        id: uuid(),
        score: 9,
        metadata: { plan: 'pro', tier: 2 },
      })
      expect(await message(res)).toBe(
        'metadata key "tier" is not collected by this survey; its metadataKeys are "plan", "seats"',
      )
      expect(f.backend.listResponses(declared, {}, 10).items).toHaveLength(1)
    })

    it('refuses a __proto__ key however the JSON spells it, naming it', async () => {
      for (const body of [
        `{"id":"${uuid()}","score":5,"metadata":{"\\u005f_proto__":"x"}}`,
        `{"id":"${uuid()}","score":5,"metadata":{"__proto__":"x"}}`,
      ]) {
        const res = await f.send(survey, 'responses', body)
        expect(await message(res)).toContain('__proto__')
      }
      expect(rows()).toEqual([])
    })
  })

  describe('POST /v1/surveys/:id/events', () => {
    it('records shown and dismissed events with 202', async () => {
      const shown = await f.send(survey, 'events', { type: 'shown', respondentId: 'v1' })
      const dismissed = await f.send(
        survey,
        'events',
        { type: 'dismissed', respondentId: 'v1' },
        { contentType: 'text/plain' },
      )
      expect([shown.status, dismissed.status]).toEqual([202, 202])
      expect((await everything(f.backend)).events.map((e) => e.type)).toEqual(['shown', 'dismissed'])
    })

    it('refuses an unknown event type and a disallowed origin', async () => {
      expect((await f.send(survey, 'events', { type: 'clicked', respondentId: 'v1' })).status).toBe(400)
      expect(
        (
          await f.send(
            survey,
            'events',
            { type: 'shown', respondentId: 'v1' },
            { origin: 'https://evil.example' },
          )
        ).status,
      ).toBe(403)
      expect((await everything(f.backend)).events).toEqual([])
    })
  })

  describe('CORS preflight', () => {
    const preflight = (origin: string, path = 'responses') =>
      f.app.request(`/v1/surveys/${survey}/${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      })

    it('allows an allowed origin to POST JSON', async () => {
      const res = await preflight(ORIGIN)
      expect(res.status).toBe(204)
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(res.headers.get('access-control-allow-methods')).toBe('POST')
      expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type')
    })

    it('answers nothing a browser would accept for another origin', async () => {
      const res = await preflight('https://evil.example', 'events')
      expect(res.status).toBe(403)
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    })
  })

  describe('GET /v1/surveys/:id/widget', () => {
    it('answers the config in the requested locale with its direction and the survey’s own texts', async () => {
      const id = await f.survey({
        question: 'Would you recommend Acme?',
        followUp: { detractor: 'What went wrong?' },
      })
      const res = await f.app.request(`/v1/surveys/${id}/widget?locale=ar`, { headers: { origin: ORIGIN } })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('public, max-age=300')
      expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      const config = (await res.json()) as WidgetConfig
      expect(config).toMatchObject({ surveyId: id, locale: 'ar', dir: 'rtl' })
      expect(config.strings.question).toBe('Would you recommend Acme?')
      expect(config.strings.followUp.detractor).toBe('What went wrong?')
      expect(config.strings.send).not.toBe('Send')
      expect(config.display).toMatchObject({ delaySeconds: 5, sampleRate: 1 })
      expect(config.theme).toMatchObject({ position: 'bottom-right' })
    })

    it('says whether the card asks for contact consent, with its strings in the visitor’s language', async () => {
      const config = async (id: string) =>
        (await (
          await f.app.request(`/v1/surveys/${id}/widget?locale=de`, { headers: { origin: ORIGIN } })
        ).json()) as WidgetConfig
      expect((await config(survey)).contact).toEqual({ ask: false })
      const asking = await config(await f.survey({ contact: { ask: true } }))
      expect(asking.contact).toEqual({ ask: true })
      expect(asking.strings).toMatchObject({
        contact: 'Dürfen wir Sie dazu kontaktieren?',
        email: 'Ihre E-Mail-Adresse',
      })
    })

    it('gives the survey’s own texts of the visitor’s locale string by string, the rest its defaults', async () => {
      const id = await f.survey({ texts: { fr: { question: 'Recommanderiez-vous Acme\u00a0?' } } })
      const config = async (locale: string) =>
        (await (
          await f.app.request(`/v1/surveys/${id}/widget?locale=${locale}`, { headers: { origin: ORIGIN } })
        ).json()) as WidgetConfig
      const fr = await config('fr')
      expect(fr.strings).toEqual({ ...translations.fr, question: 'Recommanderiez-vous Acme\u00a0?' })
      expect((await config('de')).strings).toEqual(translations.de)
    })

    it('passes the thank-you link and the theme’s corners and font to the card, and no link for none', async () => {
      const thanks = { action: 'review', url: 'https://g2.example/acme', site: 'G2' } as const
      const id = await f.survey({ thanks, theme: { radius: 6, font: 'inherit' } })
      const read = async (survey: string) =>
        (await (
          await f.app.request(`/v1/surveys/${survey}/widget?locale=en`, { headers: { origin: ORIGIN } })
        ).json()) as WidgetConfig
      const config = await read(id)
      expect(config.thanks).toEqual(thanks)
      expect(config.theme).toMatchObject({ radius: 6, font: 'inherit' })
      expect(config.strings.review).toBe('Would you tell others on {site}?')
      expect('thanks' in (await read(await f.survey({ thanks: { action: 'none' } })))).toBe(false)
      expect('thanks' in (await read(survey))).toBe(false)
    })

    it('falls back to Accept-Language, then to the survey’s default locale', async () => {
      const id = await f.survey({ defaultLocale: 'fr' })
      const byHeader = await f.app.request(`/v1/surveys/${id}/widget`, {
        headers: { origin: ORIGIN, 'accept-language': 'de-CH, en;q=0.5' },
      })
      expect(((await byHeader.json()) as { locale: string }).locale).toBe('de')
      const fallback = await f.app.request(`/v1/surveys/${id}/widget?locale=xx`, {
        headers: { origin: ORIGIN },
      })
      expect(((await fallback.json()) as { locale: string }).locale).toBe('fr')
    })

    it('answers a client without Origin too: the config is public and changes nothing', async () => {
      const res = await f.app.request(`/v1/surveys/${survey}/widget?locale=en`)
      expect(res.status).toBe(200)
      expect(res.headers.get('vary')).toContain('Origin')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('answers 404 for an unknown survey and 403 for a disallowed origin', async () => {
      expect((await f.app.request('/v1/surveys/srv_nope/widget')).status).toBe(404)
      expect(
        (await f.app.request(`/v1/surveys/${survey}/widget`, { headers: { origin: 'https://evil.example' } }))
          .status,
      ).toBe(403)
    })
  })

  describe('rate limit', () => {
    it('answers 429 with Retry-After past the per-minute limit per client, and lets the next minute through', async () => {
      const g = await fixture({ rateLimit: 3, trustProxy: true })
      try {
        const id = await g.survey()
        const from = (ip: string) =>
          g.send(id, 'events', { type: 'shown', respondentId: 'v' }, { headers: { 'x-forwarded-for': ip } })
        for (let i = 0; i < 3; i++) expect((await from('198.51.100.1')).status).toBe(202)
        const limited = await from('198.51.100.1')
        expect(limited.status).toBe(429)
        expect(await errorCode(limited)).toBe('rate_limited')
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
        expect((await from('198.51.100.2')).status).toBe(202)
        g.clock.advance(60_000)
        expect((await from('198.51.100.1')).status).toBe(202)
      } finally {
        await g.close()
      }
    })

    it('ignores X-Forwarded-For unless told to trust the proxy', async () => {
      const g = await fixture({ rateLimit: 1 })
      try {
        const id = await g.survey()
        const from = (ip: string) =>
          g.send(id, 'events', { type: 'shown', respondentId: 'v' }, { headers: { 'x-forwarded-for': ip } })
        expect((await from('198.51.100.1')).status).toBe(202)
        expect((await from('198.51.100.2')).status).toBe(429)
      } finally {
        await g.close()
      }
    })
  })
})
