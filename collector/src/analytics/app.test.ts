import { afterEach, beforeEach, expect, it } from 'vitest'
import { type Fixture, fixture, uuid } from '../testing.ts'

let f: Fixture
beforeEach(async () => {
  f = await fixture()
})
afterEach(() => f.close())

it('serves NPS figures through the full app, only to an admin key, from answers sent by the widget path', async () => {
  const id = await f.survey()
  for (const score of [10, 9, 8, 3]) {
    expect((await f.send(id, 'responses', { id: uuid(), score, respondentId: `r${score}` })).status).toBe(201)
  }
  expect((await f.send(id, 'events', { type: 'shown', respondentId: 'r10' })).status).toBe(202)
  expect((await f.send(id, 'events', { type: 'dismissed', respondentId: 'r0' })).status).toBe(202)

  const anonymous = await f.app.request(`/v1/surveys/${id}/nps`)
  expect(anonymous.status).toBe(401)

  const res = await f.admin(`/v1/surveys/${id}/nps`)
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({
    total: 4,
    promoters: 2,
    passives: 1,
    detractors: 1,
    nps: 25,
    dismissed: 1,
    shown: 1,
  })

  const trend = await f.admin(`/v1/surveys/${id}/nps/trend?interval=week`)
  expect(trend.status).toBe(200)
  const bad = await f.admin(`/v1/surveys/${id}/nps/trend?interval=year`)
  expect(bad.status).toBe(400)
})
