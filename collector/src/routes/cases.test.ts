import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Dispatcher } from '../follow-up/dispatcher.ts'
import { type Fixture, fixture, uuid } from '../testing.ts'

/** The JSON of a case as the routes answer it (only what these tests read). */
type CaseBody = Record<string, unknown> & {
  id: string
  log: { kind: string; [field: string]: unknown }[]
}
type Body = Record<string, Record<string, unknown>>

describe('case routes', () => {
  let f: Fixture
  let surveyId: string
  beforeEach(async () => {
    f = await fixture()
    surveyId = await f.survey()
  })
  afterEach(() => f.close())

  /** An answer through the public route, as the card sends it. */
  const answer = async (score: number, comment?: string) => {
    const id = uuid()
    const res = await f.send(surveyId, 'responses', { id, score, ...(comment ? { comment } : {}) })
    expect(res.status).toBe(201)
    return id
  }

  const openByHand = (responseId: string, body: Record<string, unknown> = {}) =>
    f.admin(`/v1/surveys/${surveyId}/cases`, { method: 'POST', body: { responseId, ...body } })

  it('open a case for an answer by hand, logged with the name of the key, and refuse a second one', async () => {
    const responseId = await answer(8, 'fine, but slow exports')
    const res = await openByHand(responseId, {
      assignee: 'dana@acme.test',
      tags: ['exports', 'exports'],
      note: 'worth a call',
    })
    expect(res.status).toBe(201)
    const opened = (await res.json()) as CaseBody
    expect(opened).toMatchObject({
      surveyId,
      responseId,
      status: 'open',
      assignee: 'dana@acme.test',
      tags: ['exports'],
      score: 8,
      category: 'passive',
      openedBy: 'test',
      response: { id: responseId, comment: 'fine, but slow exports' },
    })
    expect(opened.log.map((e) => e.kind)).toEqual(['opened', 'note'])
    expect(opened.log[1]).toMatchObject({ actor: 'test', note: 'worth a call' })

    const again = await openByHand(responseId)
    expect(again.status).toBe(409)
    expect(((await again.json()) as Body).error).toMatchObject({ code: 'case_exists' })
  })

  it('answer 404 for an answer the survey does not have, and 400 naming a bad field', async () => {
    expect((await openByHand(uuid())).status).toBe(404)
    const responseId = await answer(3)
    const bad = await openByHand(responseId, { dueAt: 'next tuesday' })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('dueAt')
  })

  it('log each change of status, assignee and due time, and each note, in order', async () => {
    const responseId = await answer(2, 'billing errors again')
    const opened = (await (await openByHand(responseId)).json()) as { id: string }
    f.clock.advance(3_600_000)
    const patched = await f.admin(`/v1/cases/${opened.id}`, {
      method: 'PATCH',
      body: { status: 'contacted', assignee: 'sam', dueAt: '2026-03-05T09:00:00Z' },
    })
    expect(patched.status).toBe(200)
    const noted = await f.admin(`/v1/cases/${opened.id}/notes`, {
      method: 'POST',
      body: { text: 'Called; refund sent.' },
    })
    expect(noted.status).toBe(201)
    const read = (await (await f.admin(`/v1/cases/${opened.id}`)).json()) as CaseBody
    expect(read).toMatchObject({
      status: 'contacted',
      assignee: 'sam',
      dueAt: '2026-03-05T09:00:00.000Z',
      firstContactAt: new Date(f.clock.now()).toISOString(),
    })
    expect(read.log.map((e) => e.kind)).toEqual(['opened', 'status', 'assignee', 'due', 'note'])
    expect(read.log[1]).toMatchObject({ from: 'open', to: 'contacted', actor: 'test' })
    expect(read.log[3]).toMatchObject({ from: null, to: '2026-03-05T09:00:00.000Z' })
  })

  it('refuse an empty change and an unknown status', async () => {
    const opened = (await (await openByHand(await answer(1))).json()) as { id: string }
    expect((await f.admin(`/v1/cases/${opened.id}`, { method: 'PATCH', body: {} })).status).toBe(400)
    const bad = await f.admin(`/v1/cases/${opened.id}`, { method: 'PATCH', body: { status: 'done' } })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('status')
    expect((await f.admin('/v1/cases/case_missing')).status).toBe(404)
  })

  it('list the inbox newest first, filtered by status, assignee, overdue and category, in pages', async () => {
    const ids: string[] = []
    for (const score of [1, 2, 3, 8]) {
      ids.push(((await (await openByHand(await answer(score))).json()) as { id: string }).id)
      f.clock.advance(1000)
    }
    await f.admin(`/v1/cases/${ids[0]}`, { method: 'PATCH', body: { status: 'resolved', assignee: 'sam' } })
    await f.admin(`/v1/cases/${ids[1]}`, { method: 'PATCH', body: { dueAt: '2026-03-01T00:00:00Z' } })
    const list = async (query: string) =>
      (await (await f.admin(`/v1/surveys/${surveyId}/cases${query}`)).json()) as {
        items: { id: string }[]
        nextCursor: string | null
      }
    expect((await list('')).items.map((c) => c.id)).toEqual([...ids].reverse())
    expect((await list('?status=open,contacted')).items).toHaveLength(3)
    expect((await list('?assignee=sam')).items.map((c) => c.id)).toEqual([ids[0]])
    expect((await list('?unassigned=true')).items).toHaveLength(3)
    expect((await list('?overdue=true')).items.map((c) => c.id)).toEqual([ids[1]])
    expect((await list('?category=passive')).items.map((c) => c.id)).toEqual([ids[3]])
    const first = await list('?limit=3')
    expect(first.items).toHaveLength(3)
    const rest = await list(`?limit=3&cursor=${first.nextCursor}`)
    expect(rest.items.map((c) => c.id)).toEqual([ids[0]])
    expect(rest.nextCursor).toBeNull()
    const bad = await f.admin(`/v1/surveys/${surveyId}/cases?status=closed`)
    expect(bad.status).toBe(400)
  })

  it('answer the follow-up figures: detractors with a case, contacted share, medians, per assignee', async () => {
    const a = ((await (await openByHand(await answer(0), { assignee: 'sam' })).json()) as { id: string }).id
    await openByHand(await answer(4), { assignee: 'sam' })
    await answer(5)
    f.clock.advance(2 * 3_600_000)
    await f.admin(`/v1/cases/${a}`, { method: 'PATCH', body: { status: 'resolved' } })
    const figures = (await (await f.admin(`/v1/surveys/${surveyId}/cases/figures`)).json()) as Body
    expect(figures.detractors).toEqual({ answers: 3, withCase: 2, share: 2 / 3 })
    expect(figures.overall).toMatchObject({
      cases: 2,
      resolved: 1,
      contactedShare: 0.5,
      medianHoursToResolution: 2,
    })
    expect(figures.byAssignee).toEqual([{ assignee: 'sam', figures: figures.overall }])
  })

  it('open cases by the survey’s rule once the dispatcher has seen the answer with its comment', async () => {
    const dispatcher = new Dispatcher({
      backend: f.backend,
      clock: f.clock,
      publicUrl: undefined,
      email: false,
    })
    const detractor = await answer(3, 'billing errors again')
    await answer(9, 'love it')
    await dispatcher.step()
    const inbox = (await (await f.admin(`/v1/surveys/${surveyId}/cases`)).json()) as {
      items: Record<string, unknown>[]
    }
    expect(inbox.items).toHaveLength(1)
    expect(inbox.items[0]).toMatchObject({
      responseId: detractor,
      openedBy: 'rule: Every detractor',
      status: 'open',
    })
  })
})
