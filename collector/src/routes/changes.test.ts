import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodeChangeToken } from '../http/query.ts'
import { errorCode, type Fixture, fixture, uuid } from '../testing.ts'

interface ChangesBody {
  items: (
    | {
        type: 'response.upserted'
        seq: number
        response: { id: string; comment: string | null; category: string }
      }
    | { type: 'response.erased'; seq: number; id: string; erasedAt: string }
  )[]
  next: string
}

describe('admin: the change feed', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey()
  })
  afterEach(() => f.close())

  const changes = async (query = '') => {
    const res = await f.admin(`/v1/surveys/${survey}/changes${query}`)
    expect(res.status).toBe(200)
    return (await res.json()) as ChangesBody
  }

  it('answers every answer from the beginning without since, as stored, with a token to resume from', async () => {
    const id = uuid()
    await f.send(survey, 'responses', { id, score: 3, respondentId: 'ana' })
    const body = await changes()
    expect(body.items).toEqual([
      {
        type: 'response.upserted',
        seq: body.items[0]!.seq,
        response: expect.objectContaining({ id, score: 3, category: 'detractor', respondentId: 'ana' }),
      },
    ])
    expect(body.next).toBe(encodeChangeToken(body.items[0]!.seq))
  })

  it('carries the answer’s contact consent, so a poller can follow up', async () => {
    const id = uuid()
    await f.send(survey, 'responses', { id, score: 1 })
    await f.send(survey, 'responses', { id, score: 1, contact: { email: 'ana@example.com' } })
    const body = await changes()
    expect(body.items).toMatchObject([{ response: { id, contact: { email: 'ana@example.com' } } }])
  })

  it('keeps the same next when nothing changed, and resumes from it with only what changed since', async () => {
    const first = uuid()
    await f.send(survey, 'responses', { id: first, score: 9 })
    const { next } = await changes()
    const again = await changes(`?since=${next}`)
    expect(again).toEqual({ items: [], next })

    // The follow-up comment merged into the answer, then a new answer.
    await f.send(survey, 'responses', { id: first, score: 9, comment: 'fast delivery' })
    const second = uuid()
    await f.send(survey, 'responses', { id: second, score: 5 })
    const later = await changes(`?since=${next}`)
    expect(
      later.items.map((c) => c.type === 'response.upserted' && [c.response.id, c.response.comment]),
    ).toEqual([
      [first, 'fast delivery'],
      [second, null],
    ])
    expect(later.next).not.toBe(next)
  })

  it('tells a poller about an erasure with a tombstone that holds nothing of the answer', async () => {
    const id = uuid()
    await f.send(survey, 'responses', {
      id,
      score: 1,
      comment: 'write me at ana@example.com',
      respondentId: 'ana',
    })
    const { next } = await changes()
    expect((await f.admin('/v1/respondents?respondentId=ana', { method: 'DELETE' })).status).toBe(200)
    const body = await changes(`?since=${next}`)
    expect(body.items).toEqual([
      { type: 'response.erased', seq: expect.any(Number), id, erasedAt: expect.any(String) },
    ])
    const erased = body.items[0] as { erasedAt: string }
    expect(new Date(erased.erasedAt).toISOString()).toBe(erased.erasedAt)
    const whole = JSON.stringify(await changes())
    expect(whole).not.toContain('ana')
  })

  it('pages by limit, up to 1000, 100 by default', async () => {
    for (let i = 0; i < 5; i++) await f.send(survey, 'responses', { id: uuid(), score: i })
    const first = await changes('?limit=2')
    expect(first.items).toHaveLength(2)
    const rest = await changes(`?since=${first.next}&limit=1000`)
    expect(rest.items).toHaveLength(3)
    expect(rest.items[0]!.seq).toBeGreaterThan(first.items[1]!.seq)
    for (const limit of ['0', '1001', '1e2', 'ten']) {
      const res = await f.admin(`/v1/surveys/${survey}/changes?limit=${limit}`)
      expect(res.status).toBe(400)
      expect(await errorCode(res)).toBe('invalid_query')
    }
  })

  it('refuses with 400 invalid_query a token this API did not give out, and unknown parameters', async () => {
    const made = [
      'garbage',
      Buffer.from('c1:-1').toString('base64url'),
      Buffer.from('c1:007').toString('base64url'),
      Buffer.from('c1:1.5').toString('base64url'),
      Buffer.from('c1:99999999999999999').toString('base64url'),
      Buffer.from(JSON.stringify([0, 'x'])).toString('base64url'),
      `${encodeChangeToken(3)}=`,
      '',
    ]
    for (const since of made) {
      const res = await f.admin(`/v1/surveys/${survey}/changes?since=${encodeURIComponent(since)}`)
      expect(res.status, since).toBe(400)
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'invalid_query',
        message: 'since is not a token this API gave out',
      })
    }
    const res = await f.admin(`/v1/surveys/${survey}/changes?cursor=abc`)
    expect(res.status).toBe(400)
    expect(await errorCode(res)).toBe('invalid_query')
  })

  it('answers 404 for a survey that does not exist, and 401 without a key', async () => {
    const res = await f.admin('/v1/surveys/srv_missing/changes')
    expect(res.status).toBe(404)
    expect((await f.app.request(`/v1/surveys/${survey}/changes`)).status).toBe(401)
  })
})
