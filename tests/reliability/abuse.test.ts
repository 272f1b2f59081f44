/**
 * Abuse: a client that floods the public routes is slowed with 429 and a Retry-After it can trust, and is
 * served again once it waits; a request from an origin the survey does not allow, and an admin request
 * without a valid key, are refused with the API's error shape.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey, errorShapeProblem } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

/** The one page origin every reliability survey allows. */
const ORIGIN = 'https://shop.example'

// 120 a minute: a burst of 120, then one more every half second, so recovery takes about a second.
const RATE_LIMIT = 120

describe('a collector under abuse', () => {
  let collector: CollectorProcess
  let surveyId: string

  beforeAll(async () => {
    collector = collectorProcess({ env: { NPSKIT_RATE_LIMIT: String(RATE_LIMIT) } })
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Reliability', allowedOrigins: [ORIGIN] })).id
  })

  afterAll(async () => {
    await collector?.close()
  })

  const answer = (origin: string | undefined) =>
    fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin === undefined ? {} : { origin }) },
      body: JSON.stringify({ id: randomUUID(), score: 9 }),
    })

  it.each([
    'https://evil.example',
    'http://shop.example',
    'https://shop.example.evil.example',
    'https://evil.example/https://shop.example',
    'null',
  ])('refuses an answer from the origin %s with 403', async (origin) => {
    const res = await answer(origin)
    const text = await res.text()
    expect(res.status, text).toBe(403)
    expect(errorShapeProblem(text)).toBeUndefined()
  })

  it('does not grant a disallowed origin cross-origin access in a preflight', async () => {
    const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    await res.arrayBuffer()
    expect(res.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
    expect(res.headers.get('access-control-allow-origin')).not.toBe('*')
  })

  it.each([
    ['no authorization header', undefined],
    ['an unknown key', 'Bearer npskit_not_a_real_key_0123456789'],
    ['a key without the Bearer scheme', 'KEY'],
  ])('refuses an admin request with %s with 401', async (_, authorization) => {
    const value = authorization === 'KEY' ? collector.adminKey : authorization
    for (const path of ['/v1/surveys', `/v1/surveys/${surveyId}/nps`]) {
      const res = await fetch(`${collector.url}${path}`, {
        headers: value === undefined ? {} : { authorization: value },
      })
      const text = await res.text()
      expect(res.status, `${path}: ${text}`).toBe(401)
      expect(errorShapeProblem(text)).toBeUndefined()
    }
  })

  it('answers a flood with 429 and a Retry-After, and serves the client again after that wait', async () => {
    const statuses: number[] = []
    let limited: Response | undefined
    let limitedText = ''
    for (let i = 0; i < RATE_LIMIT * 2 && !limited; i++) {
      const res = await answer(ORIGIN)
      statuses.push(res.status)
      if (res.status === 429) {
        limited = res
        limitedText = await res.text()
      } else {
        await res.arrayBuffer()
      }
    }
    expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined()
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(RATE_LIMIT / 2)
    expect(errorShapeProblem(limitedText)).toBeUndefined()
    const retryAfter = Number(limited!.headers.get('retry-after'))
    expect(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
      `Retry-After ${retryAfter}`,
    ).toBe(true)

    // Still limited right away…
    const again = await answer(ORIGIN)
    await again.arrayBuffer()
    expect(again.status).toBe(429)
    // …and served once the client has waited as told.
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100))
    const recovered = await answer(ORIGIN)
    const text = await recovered.text()
    expect(recovered.status, text).toBe(201)
  })
})
