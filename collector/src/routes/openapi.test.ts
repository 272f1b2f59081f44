import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Fixture, fixture } from '../testing.ts'

describe('health, OpenAPI and docs', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it('answers /healthz without a key', async () => {
    const res = await f.app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('describes every route of the contract in /openapi.json, with schemas generated from zod', async () => {
    const spec = (await (await f.app.request('/openapi.json')).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: {
        schemas: Record<string, { properties?: Record<string, { maximum?: number; maxLength?: number }> }>
      }
    }
    expect(spec.openapi).toBe('3.1.0')
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/surveys',
        '/v1/surveys/{surveyId}',
        '/v1/surveys/{surveyId}/widget',
        '/v1/surveys/{surveyId}/responses',
        '/v1/surveys/{surveyId}/events',
        '/v1/surveys/{surveyId}/responses/import',
        '/v1/respondents/{respondentId}',
        '/v1/keys',
        '/v1/surveys/{surveyId}/nps',
      ]),
    )
    expect(Object.keys(spec.paths['/v1/surveys/{surveyId}']!)).toEqual(['get', 'patch', 'delete'])
    const submission = spec.components.schemas.ResponseSubmission!.properties!
    expect(submission.score?.maximum).toBe(10)
    expect(submission.comment?.maxLength).toBe(2000)
  })

  it('serves /docs as one page that loads nothing from elsewhere', async () => {
    const res = await f.app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('/openapi.json')
    expect(html).not.toMatch(/(src|href)="https?:/)
  })

  it('answers an unknown route with a JSON 404', async () => {
    const res = await f.app.request('/nope/nope')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } })
  })
})
