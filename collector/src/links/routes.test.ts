import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, everything, type Fixture, fixture, ORIGIN, uuid } from '../testing.ts'

/** `app.request()` answers as http://localhost: the collector's own origin in these tests. */
const OWN = 'http://localhost'
const DAY = 86_400_000

describe('survey links', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey({ question: 'Would you recommend Acme?', theme: { accent: '#0f766e' } })
  })
  afterEach(() => f.close())

  const makeLink = async (body: Record<string, unknown> = {}) => {
    const res = await f.admin(`/v1/surveys/${survey}/links`, { method: 'POST', body })
    expect(res.status).toBe(201)
    return (await res.json()) as { url: string; token: string; expiresAt: string; responseId: string }
  }
  const answer = (body: unknown, origin: string | null = OWN) =>
    Promise.resolve(
      f.app.request(`/v1/surveys/${survey}/link-responses`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8', ...(origin ? { origin } : {}) },
        body: JSON.stringify(body),
      }),
    )
  const stored = async () => (await everything(f.backend)).responses

  it('makes a personal link on the collector’s page, with a 30-day expiry by default', async () => {
    const link = await makeLink({ respondentId: 'user-7', metadata: { accountId: 'acme' } })
    expect(link.url).toBe(`${OWN}/s/${survey}?t=${link.token}`)
    expect(Date.parse(link.expiresAt)).toBe(f.clock.now() + 30 * DAY)
    expect(link.responseId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('refuses a link that expires in the past or over a year ahead, and one for no survey', async () => {
    for (const expiresAt of [
      new Date(f.clock.now() - 1).toISOString(),
      new Date(f.clock.now() + 400 * DAY).toISOString(),
    ]) {
      const res = await f.admin(`/v1/surveys/${survey}/links`, { method: 'POST', body: { expiresAt } })
      expect(res.status).toBe(400)
      expect(await errorCode(res)).toBe('invalid_body')
    }
    const missing = await f.admin('/v1/surveys/srv_nope/links', { method: 'POST', body: {} })
    expect(missing.status).toBe(404)
    const unkeyed = await f.app.request(`/v1/surveys/${survey}/links`, { method: 'POST', body: '{}' })
    expect(unkeyed.status).toBe(401)
  })

  it('stores a link’s answer with the token’s respondent and metadata, source link, whatever the visitor sends', async () => {
    const link = await makeLink({ respondentId: 'user-7', metadata: { accountId: 'acme' } })
    const res = await answer({ token: link.token, score: 9, locale: 'en' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ category: 'promoter' })
    // Who answers cannot come from the request: the schema has no place for it.
    const forged = await answer({ token: link.token, score: 9, respondentId: 'someone-else' })
    expect(forged.status).toBe(400)
    expect(await stored()).toEqual([
      expect.objectContaining({
        id: link.responseId,
        score: 9,
        respondentId: 'user-7',
        metadata: { accountId: 'acme' },
        source: 'link',
      }),
    ])
  })

  it('keeps one answer per link: a second visit edits it (score and comment), no second count', async () => {
    const link = await makeLink({ respondentId: 'user-7' })
    expect((await answer({ token: link.token, score: 4 })).status).toBe(201)
    const again = await answer({ token: link.token, score: 8, comment: 'Better since the update' })
    expect(again.status).toBe(200)
    expect(await stored()).toEqual([
      expect.objectContaining({ id: link.responseId, score: 8, comment: 'Better since the update' }),
    ])
    const nps = (await (await f.admin(`/v1/surveys/${survey}/nps`)).json()) as {
      total: number
      passives: number
    }
    expect(nps).toMatchObject({ total: 1, passives: 1 })
  })

  it('counts link answers in the figures like the widget’s, not in the response rate’s numerator', async () => {
    const link = await makeLink()
    await answer({ token: link.token, score: 10 })
    await f.send(survey, 'responses', { id: uuid(), score: 2, source: 'widget' })
    const nps = (await (await f.admin(`/v1/surveys/${survey}/nps`)).json()) as Record<string, unknown>
    expect(nps).toMatchObject({ total: 2, promoters: 1, detractors: 1, nps: 0 })
  })

  it('refuses an expired, a changed and another survey’s token, storing nothing', async () => {
    const link = await makeLink({
      respondentId: 'user-7',
      expiresAt: new Date(f.clock.now() + DAY).toISOString(),
    })
    const other = await f.survey()
    const otherLink = (await (
      await f.admin(`/v1/surveys/${other}/links`, { method: 'POST', body: {} })
    ).json()) as { token: string }
    const [payload, signature] = link.token.split('.')
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), r: 'boss' }),
    ).toString('base64url')
    const tampered = await answer({ token: `${changed}.${signature}`, score: 10 })
    expect(tampered.status).toBe(403)
    expect(await errorCode(tampered)).toBe('link_invalid')
    const foreign = await answer({ token: otherLink.token, score: 10 })
    expect(await errorCode(foreign)).toBe('link_invalid')
    f.clock.advance(DAY)
    const expired = await answer({ token: link.token, score: 10 })
    expect(expired.status).toBe(403)
    expect(await errorCode(expired)).toBe('link_expired')
    expect(await stored()).toEqual([])
  })

  it('takes link answers only from the collector’s own origin, not the survey’s sites nor none', async () => {
    const link = await makeLink()
    const fromShop = await answer({ token: link.token, score: 9 }, ORIGIN)
    expect(fromShop.status).toBe(403)
    expect(await errorCode(fromShop)).toBe('origin_not_allowed')
    const without = await answer({ token: link.token, score: 9 }, null)
    expect(await errorCode(without)).toBe('origin_required')
    // And the survey's own list is untouched: the collector's origin may not send widget answers.
    const widget = await f.send(survey, 'responses', { id: uuid(), score: 9 }, { origin: OWN })
    expect(widget.status).toBe(403)
    expect(await stored()).toEqual([])
  })

  it('takes an open link’s answer by the id the page made, and refuses one with neither token nor id', async () => {
    const id = uuid()
    expect((await answer({ id, score: 7 })).status).toBe(201)
    expect((await answer({ id, score: 7, comment: 'ok' })).status).toBe(200)
    const neither = await answer({ score: 7 })
    expect(neither.status).toBe(400)
    expect(await stored()).toEqual([
      expect.objectContaining({ id, score: 7, comment: 'ok', source: 'link', respondentId: null }),
    ])
  })

  it('refuses link metadata the survey does not collect when the link is made', async () => {
    const declared = await f.survey({ metadataKeys: ['accountId'] })
    const res = await f.admin(`/v1/surveys/${declared}/links`, {
      method: 'POST',
      body: { metadata: { plan: 'pro' } },
    })
    expect(res.status).toBe(400)
  })
})

describe('the survey link page', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey({ question: 'Would you recommend <Acme>?' })
  })
  afterEach(() => f.close())

  const page = (path: string, headers: Record<string, string> = {}) =>
    Promise.resolve(f.app.request(path, { headers }))
  const dataOf = async (res: Response) => {
    const html = await res.text()
    const json = html.match(/<script type="application\/json" id="npskit-link">(.*?)<\/script>/s)?.[1]
    return {
      html,
      data: JSON.parse(json ?? 'null') as {
        config: { locale: string; strings: { question: string } }
        score?: number
      },
    }
  }

  it('serves the card’s page with the survey’s texts, a strict CSP and only the collector’s own script', async () => {
    const res = await page(`/s/${survey}`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const { html, data } = await dataOf(res)
    expect(html).toContain('<title>Would you recommend &lt;Acme&gt;?</title>')
    // The survey's text cannot close the data's script element.
    expect(html).not.toContain('<Acme>')
    expect(data.config.strings.question).toBe('Would you recommend <Acme>?')
    expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual(['../nps-page.js'])
  })

  it('speaks the visitor’s language: ?locale= first, then the link’s, then Accept-Language', async () => {
    expect(
      (await dataOf(await page(`/s/${survey}`, { 'accept-language': 'de-DE,de;q=0.9' }))).data.config.locale,
    ).toBe('de')
    expect(
      (await dataOf(await page(`/s/${survey}?locale=fr`, { 'accept-language': 'de' }))).data.config.locale,
    ).toBe('fr')
    const link = (await (
      await f.admin(`/v1/surveys/${survey}/links`, { method: 'POST', body: { locale: 'es' } })
    ).json()) as { token: string }
    expect(
      (await dataOf(await page(`/s/${survey}?t=${link.token}`, { 'accept-language': 'de' }))).data.config
        .locale,
    ).toBe('es')
  })

  it('shows a score chosen in the email as chosen, and stores nothing for the GET', async () => {
    const link = (await (
      await f.admin(`/v1/surveys/${survey}/links`, { method: 'POST', body: { respondentId: 'u1' } })
    ).json()) as { url: string; token: string }
    const res = await page(`${new URL(link.url).pathname}${new URL(link.url).search}&score=7&utm_source=mail`)
    expect(res.status).toBe(200)
    const { data } = await dataOf(res)
    expect(data).toMatchObject({ token: link.token, score: 7, identified: true })
    expect(await everything(f.backend).then((e) => e.responses)).toEqual([])
    // A mangled score chooses none rather than failing the page.
    expect((await dataOf(await page(`/s/${survey}?score=11`))).data.score).toBeUndefined()
  })

  it('says under a score chosen in the email that it is not sent yet, in the page’s language, and nothing without one', async () => {
    const hint = async (path: string, headers?: Record<string, string>) =>
      (await (await page(path, headers)).text()).match(
        /<p class="npskit-hint" id="npskit-hint">(.*?)<\/p>/,
      )?.[1]
    expect(await hint(`/s/${survey}?score=7`)).toBe(
      'Not sent yet: choose 7 to confirm, or pick another score.',
    )
    expect(await hint(`/s/${survey}?score=0`, { 'accept-language': 'de' })).toBe(
      'Noch nicht gesendet: Wählen Sie 0, um zu bestätigen, oder eine andere Bewertung.',
    )
    expect(await hint(`/s/${survey}`)).toBeUndefined()
    expect(await hint(`/s/${survey}?score=11`)).toBeUndefined()
  })

  it('answers a changed or expired token, and an unknown survey, with a readable page', async () => {
    const link = (await (
      await f.admin(`/v1/surveys/${survey}/links`, {
        method: 'POST',
        body: { expiresAt: new Date(f.clock.now() + DAY).toISOString() },
      })
    ).json()) as { token: string }
    const tampered = await page(`/s/${survey}?t=${link.token.slice(0, -3)}abc`)
    expect(tampered.status).toBe(403)
    expect(tampered.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await tampered.text()).toContain('This link is not valid')
    f.clock.advance(DAY)
    const expired = await page(`/s/${survey}?t=${link.token}`)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('This link has expired')
    const unknown = await page('/s/srv_missing')
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('Survey not found')
  })

  it('says why in the visitor’s language: the link’s, then Accept-Language, then the survey’s own', async () => {
    const french = await f.survey({ defaultLocale: 'fr' })
    const make = async (id: string, body: Record<string, unknown>) =>
      (
        (await (
          await f.admin(`/v1/surveys/${id}/links`, {
            method: 'POST',
            body: { expiresAt: new Date(f.clock.now() + DAY).toISOString(), ...body },
          })
        ).json()) as { token: string }
      ).token
    const spanish = await make(survey, { locale: 'es' })
    const plain = await make(survey, {})
    const ofFrench = await make(french, {})
    const titleOf = async (res: Response) => {
      const html = await res.text()
      return {
        status: res.status,
        lang: /<html lang="([^"]+)" dir="([^"]+)"/.exec(html)?.slice(1).join(' '),
        h1: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
      }
    }
    // A changed token: its claims are not read, so the visitor's language decides.
    expect(
      await titleOf(
        await page(`/s/${survey}?t=${plain.slice(0, -3)}abc`, { 'accept-language': 'de-CH, en;q=0.5' }),
      ),
    ).toEqual({
      status: 403,
      lang: 'de ltr',
      h1: 'Dieser Link ist ungültig',
    })
    expect(await titleOf(await page(`/s/${survey}?t=${plain}x`, { 'accept-language': 'ar' }))).toEqual({
      status: 403,
      lang: 'ar rtl',
      h1: 'هذا الرابط غير صالح',
    })
    f.clock.advance(DAY)
    // Expired, the link is still the collector's own: its language first, then Accept-Language.
    expect(await titleOf(await page(`/s/${survey}?t=${spanish}`, { 'accept-language': 'de' }))).toEqual({
      status: 410,
      lang: 'es ltr',
      h1: 'Este enlace ha caducado',
    })
    expect(
      await titleOf(await page(`/s/${survey}?t=${plain}`, { 'accept-language': 'ja,en;q=0.8' })),
    ).toEqual({
      status: 410,
      lang: 'ja ltr',
      h1: 'このリンクは有効期限が切れています',
    })
    // No language the visitor asks for is shipped: the survey's default language.
    expect(await titleOf(await page(`/s/${french}?t=${ofFrench}`, { 'accept-language': 'xx' }))).toEqual({
      status: 410,
      lang: 'fr ltr',
      h1: 'Ce lien a expiré',
    })
    // An unknown survey has no language of its own: the visitor's, else English.
    expect(await titleOf(await page('/s/srv_missing', { 'accept-language': 'pl' }))).toEqual({
      status: 404,
      lang: 'pl ltr',
      h1: 'Nie znaleziono ankiety',
    })
    const english = await page('/s/srv_missing')
    const html = await english.text()
    expect(html).toContain('<h1>Survey not found</h1>')
    // The page stays self-contained: no script, stylesheet, image or font from anywhere.
    expect(html).not.toMatch(/<(script|link|img|iframe)\b|url\(|@import/i)
  })
})

describe('the email snippet', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey({ question: 'How likely are you to recommend Acme?' })
  })
  afterEach(() => f.close())

  it('is a table of 11 score links to the personal page, inline styles only', async () => {
    const link = (await (
      await f.admin(`/v1/surveys/${survey}/links`, { method: 'POST', body: { respondentId: 'u1' } })
    ).json()) as { token: string }
    const res = await f.admin(`/v1/surveys/${survey}/links/email?token=${link.token}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html.startsWith('<table')).toBe(true)
    expect(html).not.toMatch(/<style|<script|class=/)
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
    expect(hrefs).toEqual(
      Array.from({ length: 11 }, (_, n) => `http://localhost/s/${survey}?t=${link.token}&score=${n}`),
    )
    expect(html).toContain('How likely are you to recommend Acme?')
  })

  it('links the open page without a token, and refuses a token that is not the survey’s', async () => {
    const html = await (await f.admin(`/v1/surveys/${survey}/links/email?locale=de`)).text()
    expect(html).toContain(`href="http://localhost/s/${survey}?score=0"`)
    expect(html).toContain('lang="de"')
    const bad = await f.admin(`/v1/surveys/${survey}/links/email?token=abc.def`)
    expect(bad.status).toBe(400)
    expect(await errorCode(bad)).toBe('invalid_query')
  })
})

describe('the survey link routes in /openapi.json', () => {
  it('are documented like every other route, the admin ones with the admin key', async () => {
    const f = await fixture()
    try {
      const spec = (await (await f.app.request('/openapi.json')).json()) as {
        paths: Record<string, Record<string, { security?: unknown[]; tags?: string[] }>>
      }
      expect(spec.paths['/s/{id}']?.get).toBeDefined()
      expect(spec.paths['/v1/surveys/{id}/link-responses']?.post?.tags).toEqual(['public'])
      expect(spec.paths['/v1/surveys/{id}/links']?.post?.security).toBeDefined()
      expect(spec.paths['/v1/surveys/{id}/links/email']?.get?.security).toBeDefined()
    } finally {
      await f.close()
    }
  })
})

describe('the survey link routes under the rate limit', () => {
  it('share one allowance per client: the page and its answers, each refused readably past it', async () => {
    const f = await fixture({ rateLimit: 3 })
    try {
      const survey = await f.survey()
      const page = () => Promise.resolve(f.app.request(`/s/${survey}`))
      expect((await page()).status).toBe(200)
      expect((await page()).status).toBe(200)
      const answer = await f.app.request(`/v1/surveys/${survey}/link-responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: OWN },
        body: JSON.stringify({ id: uuid(), score: 8 }),
      })
      expect(answer.status).toBe(201)
      const limited = await page()
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(await limited.text()).toContain('Too many requests')
      const refused = await f.app.request(`/v1/surveys/${survey}/link-responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: OWN },
        body: JSON.stringify({ id: uuid(), score: 8 }),
      })
      expect(refused.status).toBe(429)
      expect(await errorCode(refused)).toBe('rate_limited')
    } finally {
      await f.close()
    }
  })
})
