import { defaultSurveySettings } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, uuid } from '../testing.ts'
import { isOriginAllowed, isSerializedOrigin } from './origin.ts'

const settings = (allowedOrigins: string[]) => ({ ...defaultSurveySettings('A'), allowedOrigins })

describe('the Origin a request may come from', () => {
  const shop = settings(['https://shop.example'])

  it('is taken only as a browser serialises it: a value that merely normalises to an allowed one is refused', () => {
    expect(isOriginAllowed(shop, 'https://shop.example')).toBe(true)
    for (const forged of [
      'https://user:pw@shop.example',
      'https://shop.example/path',
      'https://shop.example/',
      'https://shop%2eexample',
      'https:shop.example',
      'HTTPS://SHOP.EXAMPLE',
      'https://shop.example:443',
      ' https://shop.example',
      'null',
    ]) {
      expect(isOriginAllowed(shop, forged), forged).toBe(false)
      expect(isSerializedOrigin(forged), forged).toBe(false)
    }
  })

  it('matches every subdomain of a wildcard at any depth, with its scheme and port, and nothing else', () => {
    const wild = settings(['https://*.shop.example'])
    expect(isOriginAllowed(wild, 'https://a.shop.example')).toBe(true)
    expect(isOriginAllowed(wild, 'https://a.b.shop.example')).toBe(true)
    for (const other of [
      'https://shop.example',
      'https://evil-shop.example',
      'https://a.shop.example.evil',
      'http://a.shop.example',
      'https://a.shop.example:8443',
      'https://user@a.shop.example',
      'https://a.shop.example/x',
      'https://a%2eshop.example',
    ]) {
      expect(isOriginAllowed(wild, other), other).toBe(false)
    }
    const ported = settings(['https://*.shop.example:8443'])
    expect(isOriginAllowed(ported, 'https://a.shop.example:8443')).toBe(true)
    expect(isOriginAllowed(ported, 'https://a.shop.example')).toBe(false)
  })

  it('still matches origins a survey saved before they were normalised', () => {
    expect(isOriginAllowed(settings(['HTTPS://Shop.Example:443']), 'https://shop.example')).toBe(true)
    expect(isOriginAllowed(settings(['https://shop.example/bad path']), 'https://shop.example')).toBe(false)
  })

  it('lets `*` admit every origin and clients without one', () => {
    expect(isOriginAllowed(settings(['*']), undefined)).toBe(true)
    expect(isOriginAllowed(settings(['*']), 'https://any.example')).toBe(true)
    expect(isOriginAllowed(shop, undefined)).toBe(false)
  })
})

describe('allowedOrigins through the API', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it('refuses a forged Origin with 403 and echoes none of it in Access-Control-Allow-Origin', async () => {
    const survey = await f.survey({ allowedOrigins: ['https://shop.example'] })
    for (const origin of [
      'https://user:pw@shop.example',
      'https://shop.example/path',
      'https://shop%2eexample',
      'https:shop.example',
    ]) {
      const res = await f.send(survey, 'responses', { id: uuid(), score: 9 }, { origin })
      expect(res.status, origin).toBe(403)
      expect(await errorCode(res)).toBe('origin_not_allowed')
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
    }
    expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
  })

  it('takes answers from a wildcard’s subdomains and grants CORS to exactly that origin', async () => {
    const survey = await f.survey({ allowedOrigins: ['https://*.shop.example'] })
    const res = await f.send(
      survey,
      'responses',
      { id: uuid(), score: 9 },
      { origin: 'https://eu.shop.example' },
    )
    expect(res.status).toBe(201)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://eu.shop.example')
    const apex = await f.send(
      survey,
      'responses',
      { id: uuid(), score: 9 },
      { origin: 'https://shop.example' },
    )
    expect(apex.status).toBe(403)
  })

  it('saves origins in the form a browser sends, and refuses what is not an origin with a clear 400', async () => {
    const created = await f.admin('/v1/surveys', {
      method: 'POST',
      body: { name: 'A', allowedOrigins: ['HTTPS://SHOP.EXAMPLE:443', 'https://*.Shop.Example/'] },
    })
    expect(created.status).toBe(201)
    const survey = (await created.json()) as { id: string; allowedOrigins: string[] }
    expect(survey.allowedOrigins).toEqual(['https://shop.example', 'https://*.shop.example'])

    for (const [origin, reason] of [
      ['https://shop.example/path', 'must not have a path'],
      ['https://user:pw@shop.example', 'must not contain a user name or password'],
      ['https://shop.example?a=1', 'must not have a query or fragment'],
      ['https://a.*.example', 'may use * only as the whole first label'],
      ['https://*.example', 'a wildcard needs a domain of at least two labels'],
    ] as const) {
      const res = await f.admin(`/v1/surveys/${survey.id}`, {
        method: 'PATCH',
        body: { allowedOrigins: [origin] },
      })
      expect(res.status, origin).toBe(400)
      expect(await res.json()).toMatchObject({
        error: {
          code: 'invalid_body',
          message: expect.stringContaining(`allowedOrigins.0: ${origin} ${reason}`),
        },
      })
    }
  })
})
