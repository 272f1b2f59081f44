/**
 * Bad input: 10,000 generated malformed requests against the public and admin routes of a real collector
 * on loopback. Every answer must be a 4xx with the error shape — never a 5xx, never a dropped connection —
 * the process must stay up, and the stored data must be exactly what it was before.
 */
import { createHash, randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey, errorShapeProblem } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'
import { openDatabase } from '../harness/database.ts'
import {
  type Attempt,
  badReadQuery,
  badSurveyId,
  malformedEventBody,
  malformedResponseBody,
  malformedSurveyBody,
  sqlFragments,
  validResponse,
} from './malformed.ts'

/** The one page origin every reliability survey allows. */
const ORIGIN = 'https://shop.example'

const encoder = new TextEncoder()

/** Every row of every table of the collector's database (SQLite or PostgreSQL), hashed: equal hashes mean nothing was written. */
async function snapshot(
  collector: CollectorProcess,
): Promise<{ hash: string; rows: Record<string, number> }> {
  const db = await openDatabase(collector)
  try {
    const hash = createHash('sha256')
    const rows: Record<string, number> = {}
    // The follow-up dispatcher's position moves in the background as it reads the seeded answers.
    for (const table of (await db.tables()).filter((t) => t !== 'follow_up_cursors')) {
      const lines = (await db.query(`SELECT * FROM "${table}"`)).map((r) => JSON.stringify(r)).sort()
      rows[table] = lines.length
      hash.update(`${table}\n${lines.join('\n')}\n`)
    }
    return { hash: hash.digest('hex'), rows }
  } finally {
    await db.close()
  }
}

describe('a collector fed malformed requests', () => {
  let collector: CollectorProcess
  let surveyId: string
  let before: Awaited<ReturnType<typeof snapshot>>
  let sent = 0

  beforeAll(async () => {
    collector = collectorProcess()
    await collector.start()
    // No case rules: the detractors below would open cases in the background, which is follow-up's
    // work and not what this test is about (the snapshot must show what the malformed requests did).
    surveyId = (
      await createSurvey(collector, { name: 'Reliability', allowedOrigins: [ORIGIN], cases: { rules: [] } })
    ).id
    // Some real data, so "unchanged" means something.
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({
          id: randomUUID(),
          score: i % 11,
          comment: `seed ${i}`,
          respondentId: `seed-${i}`,
        }),
      })
      expect(res.status).toBe(201)
    }
    before = await snapshot(collector)
  })

  afterAll(async () => {
    await collector?.close()
  })

  /** Sends one attempt; throws with the request and the answer unless it is a 4xx with the error shape. */
  async function expectRefused(attempt: Attempt): Promise<void> {
    sent++
    const describeRequest = () =>
      `${attempt.label}: ${attempt.method} ${attempt.path} ${JSON.stringify(attempt.headers)} body ${
        attempt.body ? JSON.stringify(Buffer.from(attempt.body).toString('latin1').slice(0, 300)) : '(none)'
      }${attempt.body && attempt.body.length > 300 ? `… (${attempt.body.length} B)` : ''}`
    let res: Response
    let text: string
    try {
      res = await fetch(`${collector.url}${attempt.path}`, {
        method: attempt.method,
        headers: attempt.headers,
        body: attempt.body,
      })
      text = await res.text()
    } catch (error) {
      throw new Error(`no answer (${(error as Error).cause ?? error}) to ${describeRequest()}`)
    }
    const problem = res.status < 400 || res.status > 499 ? `status ${res.status}` : errorShapeProblem(text)
    if (problem)
      throw new Error(`${problem} — answered ${res.status} ${text.slice(0, 300)} to ${describeRequest()}`)
  }

  const publicHeaders = (type: string): Record<string, string> => ({
    origin: ORIGIN,
    ...(type ? { 'content-type': type } : {}),
  })
  const adminHeaders = (type?: string): Record<string, string> => ({
    authorization: `Bearer ${collector.adminKey}`,
    ...(type ? { 'content-type': type } : {}),
  })
  const onSurvey = (good: string) =>
    fc.oneof({ weight: 9, arbitrary: fc.constant(good) }, { weight: 1, arbitrary: badSurveyId })

  it('refuses 4,500 malformed answers and answers to unknown surveys with a 4xx error', async () => {
    const attempt = fc.oneof(
      { weight: 9, arbitrary: fc.tuple(malformedResponseBody(), onSurvey(surveyId)) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          validResponse.map((v) => ({
            type: 'application/json',
            body: encoder.encode(JSON.stringify(v)),
            label: 'valid answer, unknown survey',
          })),
          badSurveyId,
        ),
      },
    )
    await fc.assert(
      fc.asyncProperty(attempt, ([b, id]) =>
        expectRefused({
          method: 'POST',
          path: `/v1/surveys/${id}/responses`,
          headers: publicHeaders(b.type),
          body: b.body,
          label: b.label,
        }),
      ),
      { numRuns: 4500 },
    )
  }, 180_000)

  it('refuses 1,500 malformed events with a 4xx error', async () => {
    await fc.assert(
      fc.asyncProperty(malformedEventBody(), onSurvey(surveyId), (b, id) =>
        expectRefused({
          method: 'POST',
          path: `/v1/surveys/${id}/events`,
          headers: publicHeaders(b.type),
          body: b.body,
          label: b.label,
        }),
      ),
      { numRuns: 1500 },
    )
  }, 120_000)

  it('refuses 500 widget-config reads of unknown or impossible surveys with a 4xx error', async () => {
    await fc.assert(
      fc.asyncProperty(badSurveyId, (id) =>
        expectRefused({
          method: 'GET',
          path: `/v1/surveys/${id}/widget?locale=en`,
          headers: { origin: ORIGIN },
          label: 'unknown survey widget config',
        }),
      ),
      { numRuns: 500 },
    )
  }, 60_000)

  it('refuses 1,500 malformed survey creations and changes with a 4xx error', async () => {
    await fc.assert(
      fc.asyncProperty(
        malformedSurveyBody(),
        fc.oneof(
          fc.constant({ method: 'POST', path: '/v1/surveys' }),
          onSurvey(surveyId).map((id) => ({ method: 'PATCH', path: `/v1/surveys/${id}` })),
        ),
        (b, route) =>
          expectRefused({ ...route, headers: adminHeaders(b.type), body: b.body, label: b.label }),
      ),
      { numRuns: 1500 },
    )
  }, 120_000)

  it('refuses 1,000 reads with impossible filters or of unknown surveys with a 4xx error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: badReadQuery.map((q) => `/v1/surveys/${surveyId}/${q}`) },
          { weight: 1, arbitrary: badSurveyId.map((id) => `/v1/surveys/${id}/nps`) },
        ),
        (path) => expectRefused({ method: 'GET', path, headers: adminHeaders(), label: 'bad read' }),
      ),
      { numRuns: 1000 },
    )
  }, 120_000)

  it('refuses 1,000 admin requests without a valid key with a 4xx error', async () => {
    const routes = [
      { method: 'GET', path: '/v1/surveys' },
      { method: 'POST', path: '/v1/surveys', json: { name: 'Should not exist', allowedOrigins: [ORIGIN] } },
      { method: 'GET', path: `/v1/surveys/${surveyId}` },
      { method: 'PATCH', path: `/v1/surveys/${surveyId}`, json: { name: 'Renamed without a key' } },
      { method: 'DELETE', path: `/v1/surveys/${surveyId}` },
      { method: 'DELETE', path: '/v1/respondents/seed-1' },
      { method: 'GET', path: `/v1/surveys/${surveyId}/nps` },
      { method: 'GET', path: `/v1/surveys/${surveyId}/responses?format=csv` },
      { method: 'GET', path: `/v1/surveys/${surveyId}/nps/trend?interval=day` },
    ]
    const badAuthorization = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(
        '',
        'Bearer',
        'Bearer ',
        'Basic dXNlcjpwYXNz',
        'Token abc',
        'Bearer null',
        'Bearer undefined',
      ),
      fc.constantFrom(...sqlFragments.filter((s) => /^[\x20-\x7e]*$/.test(s))).map((s) => `Bearer ${s}`),
      fc.stringMatching(/^[A-Za-z0-9_]{1,80}$/).map((s) => `Bearer ${s}`),
      fc.constantFrom('drop-last', 'upper', 'extra', 'no-scheme', 'double').map((how) => {
        const key = collector.adminKey
        if (how === 'drop-last') return `Bearer ${key.slice(0, -1)}`
        if (how === 'upper') return `Bearer ${key.toUpperCase()}`
        if (how === 'extra') return `Bearer ${key}x`
        if (how === 'no-scheme') return key
        return `Bearer Bearer ${key}`
      }),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), badAuthorization, (route, authorization) =>
        expectRefused({
          method: route.method,
          path: route.path,
          headers: {
            ...(authorization === undefined ? {} : { authorization }),
            ...(route.json ? { 'content-type': 'application/json' } : {}),
          },
          body: route.json ? encoder.encode(JSON.stringify(route.json)) : undefined,
          label: `authorization ${JSON.stringify(authorization)}`,
        }),
      ),
      { numRuns: 1000 },
    )
  }, 120_000)

  it('sent at least 10,000 requests, is still up, and stored nothing', async () => {
    expect(sent).toBeGreaterThanOrEqual(10_000)
    expect(collector.running).toBe(true)
    const health = await fetch(`${collector.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await snapshot(collector)).toEqual(before)
  })
})
