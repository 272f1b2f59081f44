import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, uuid } from '../testing.ts'

const DAY = 86_400_000

// biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read field by field in the assertions
type Json = any
const read = async (res: Response | Promise<Response>): Promise<Json> => (await res).json()

let f: Fixture
beforeEach(async () => {
  f = await fixture()
})
afterEach(() => f.close())

const iso = (ms: number) => new Date(ms).toISOString()

/** A survey with a 30-day lifetime and answers 10 (score 9), 40 (score 2) and 100 days old (score 5). */
async function survey(settings: object = {}) {
  const id = await f.survey({ responseLifetimeDays: 30, ...settings })
  const now = f.clock.now()
  const rows = [
    { id: uuid(), score: 9, createdAt: iso(now - 10 * DAY) },
    { id: uuid(), score: 2, createdAt: iso(now - 40 * DAY) },
    { id: uuid(), score: 5, createdAt: iso(now - 100 * DAY) },
  ]
  const res = await f.admin(`/v1/surveys/${id}/responses/import`, {
    method: 'POST',
    body: `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
    headers: { 'content-type': 'application/x-ndjson' },
  })
  expect(res.status).toBe(200)
  return { id, now }
}

describe('current=true: figures over the answers’ lifetime', () => {
  it('counts only the answers of the lifetime up to now, and says so in counted', async () => {
    const { id, now } = await survey()
    const current = await read(f.admin(`/v1/surveys/${id}/nps?current=true`))
    expect(current).toMatchObject({ total: 1, promoters: 1, from: iso(now - 30 * DAY), to: iso(now) })
    expect(current.counted).toEqual({
      from: iso(now - 30 * DAY),
      to: iso(now),
      current: true,
      lifetimeDays: 30,
    })
    const every = await read(f.admin(`/v1/surveys/${id}/nps?current=false`))
    expect(every).toMatchObject({ total: 3, counted: { from: null, to: null, current: false } })
    expect((await read(f.admin(`/v1/surveys/${id}/nps`))).total).toBe(3)
  })

  it('answers an empty window, not an error, for a from/to wholly before the lifetime', async () => {
    const { id, now } = await survey()
    const to = iso(now - 35 * DAY)
    const res = await f.admin(`/v1/surveys/${id}/nps?current=true&from=${iso(now - 200 * DAY)}&to=${to}`)
    expect(res.status).toBe(200)
    const body = await read(res)
    expect(body).toMatchObject({ total: 0, nps: null })
    expect(body.counted).toEqual({
      from: iso(now - 30 * DAY),
      to: iso(now - 30 * DAY),
      current: true,
      lifetimeDays: 30,
    })
    // The same period without current counts its answer.
    expect((await read(f.admin(`/v1/surveys/${id}/nps?from=${iso(now - 200 * DAY)}&to=${to}`))).total).toBe(2)
    const trend = await read(
      f.admin(
        `/v1/surveys/${id}/nps/trend?interval=month&current=true&from=${iso(now - 200 * DAY)}&to=${to}`,
      ),
    )
    expect(trend.points.every((p: { total: number }) => p.total === 0)).toBe(true)
    expect(trend.points.length).toBeGreaterThan(5)
  })

  it('refuses a current that is not true or false, and current=false on the target, with a 400', async () => {
    const { id } = await survey()
    for (const path of ['nps?current=yes', 'nps?current=', 'nps/trend?current=1', 'target?current=false']) {
      const res = await f.admin(`/v1/surveys/${id}/${path}`)
      expect(res.status, path).toBe(400)
      expect(await errorCode(res)).toBe('invalid_query')
    }
    expect((await read(f.admin(`/v1/surveys/${id}/target?current=true`))).current.total).toBe(1)
  })

  it('is the default of a survey with countCurrentOnly, which current=false overrides', async () => {
    const { id } = await survey({ countCurrentOnly: true })
    const settings = await read(f.admin(`/v1/surveys/${id}`))
    expect(settings.countCurrentOnly).toBe(true)
    expect(await read(f.admin(`/v1/surveys/${id}/nps`))).toMatchObject({
      total: 1,
      counted: { current: true },
    })
    expect(await read(f.admin(`/v1/surveys/${id}/nps?current=false`))).toMatchObject({
      total: 3,
      counted: { current: false },
    })
    // An export holds every answer whatever the default: current only when asked.
    expect((await read(f.admin(`/v1/surveys/${id}/responses`))).items.length).toBe(3)
    const csv = await f.admin(`/v1/surveys/${id}/responses?format=csv&current=true`)
    expect((await csv.text()).trim().split('\n').length).toBe(2)
    expect(csv.headers.get('npskit-window')).toMatch(/^from=\S+; to=\S+; current=true; lifetime-days=30$/)
    const off = await read(
      f.admin(`/v1/surveys/${id}`, { method: 'PATCH', body: { countCurrentOnly: false } }),
    )
    expect(off.countCurrentOnly).toBeUndefined()
    expect((await read(f.admin(`/v1/surveys/${id}/nps`))).total).toBe(3)
  })

  it('cuts the benchmark and the accounts to the lifetime as before, and to from/to with current=false', async () => {
    const { id, now } = await survey({ accounts: { key: 'plan' } })
    await f.send(id, 'responses', { id: uuid(), score: 10, metadata: { plan: 'pro' } })
    // The window ends at now, exclusive (as /target's always has): the answer counts a moment later.
    f.clock.advance(1000)
    const benchmark = await read(f.admin(`/v1/surveys/${id}/benchmark`))
    expect(benchmark).toMatchObject({ current: { total: 2 }, counted: { current: true, lifetimeDays: 30 } })
    const all = await read(f.admin(`/v1/surveys/${id}/benchmark?current=false`))
    expect(all).toMatchObject({ current: { total: 4 }, counted: { current: false } })
    const accounts = await read(f.admin(`/v1/surveys/${id}/accounts?current=true`))
    expect(accounts.items.map((a: { account: string; n: number }) => [a.account, a.n])).toEqual([['pro', 1]])
    expect(accounts.counted).toEqual({
      from: iso(now + 1000 - 30 * DAY),
      to: iso(now + 1000),
      current: true,
      lifetimeDays: 30,
    })
  })
})
