import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, uuid } from '../testing.ts'

const DAY = 86_400_000

// biome-ignore lint/suspicious/noExplicitAny: a JSON answer, read field by field in the assertions
type Json = any
/** An answer's JSON body. */
const read = async (res: Response | Promise<Response>): Promise<Json> => (await res).json()

let f: Fixture
beforeEach(async () => {
  f = await fixture()
})
afterEach(async () => {
  await f.close()
})

/** Which of the database's raw files (db, -wal, -shm) hold this text, byte for byte. */
function filesHolding(dbPath: string, text: string): string[] {
  const needle = Buffer.from(text)
  return ['', '-wal', '-shm'].filter((suffix) => {
    try {
      return readFileSync(`${dbPath}${suffix}`).includes(needle)
    } catch {
      return false // not there (a WAL truncated away, no -shm yet)
    }
  })
}

/** Answers around the one under test, so it shares pages with others as it would in a real survey. */
async function crowd(surveyId: string, count = 200) {
  for (let i = 0; i < count; i++) {
    const res = await f.send(surveyId, 'responses', {
      id: uuid(),
      score: i % 11,
      comment: `an ordinary comment number ${i}`,
      respondentId: `crowd-${i}`,
    })
    expect(res.status).toBe(201)
  }
}

const ndjson = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`

const importRows = (surveyId: string, rows: object[]) =>
  f.admin(`/v1/surveys/${surveyId}/responses/import`, {
    method: 'POST',
    body: ndjson(rows),
    headers: { 'content-type': 'application/x-ndjson' },
  })

describe('erasure that leaves nothing behind (SQLite files)', () => {
  it('leaves no trace of an erased respondent’s comment in the database, its WAL or its shared memory', async () => {
    const survey = await f.survey()
    await crowd(survey, 100)
    const secret = `erase-me-${uuid()}`
    await f.send(survey, 'responses', { id: uuid(), score: 3, comment: secret, respondentId: 'ana-erased' })
    await crowd(survey, 100)
    // The test can fail: the comment is in the files before.
    expect(filesHolding(f.dbPath, secret).length).toBeGreaterThan(0)

    const res = await f.admin('/v1/respondents/ana-erased', { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(filesHolding(f.dbPath, secret)).toEqual([])
    expect(filesHolding(f.dbPath, 'ana-erased')).toEqual([])
    // The rest is still there.
    expect(filesHolding(f.dbPath, 'an ordinary comment number 42').length).toBeGreaterThan(0)
  })

  it('leaves no trace of an answer deleted by id', async () => {
    const survey = await f.survey()
    await crowd(survey, 100)
    const id = uuid()
    const secret = `delete-me-${uuid()}`
    await f.send(survey, 'responses', { id, score: 9, comment: secret })
    await crowd(survey, 100)
    expect(filesHolding(f.dbPath, secret).length).toBeGreaterThan(0)

    const res = await f.admin(`/v1/surveys/${survey}/responses/${id}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await read(res)).toEqual({
      id,
      deleted: { responses: 1, events: 0, cases: 0, deliveries: 0, emails: 0 },
    })
    expect(filesHolding(f.dbPath, secret)).toEqual([])
    const again = await f.admin(`/v1/surveys/${survey}/responses/${id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(await errorCode(again)).toBe('not_found')
  })

  it('leaves no trace of a comment an anonymising retention run removed', async () => {
    const survey = await f.survey({ retention: { days: 30, action: 'anonymise', keepMetadata: ['plan'] } })
    const secret = `anonymise-me-${uuid()}`
    const old = f.clock.now() - 40 * DAY
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: uuid(),
      score: i % 11,
      comment: i === 150 ? secret : `old comment ${i}`,
      respondentId: `old-${i}`,
      metadata: { plan: 'pro', email: `old-${i}@example.com` },
      // Recent at import, old by the time the run comes: the import writes it as it is.
      createdAt: new Date(old + 20 * DAY + i * 1000).toISOString(),
    }))
    expect((await importRows(survey, rows)).status).toBe(200)
    await crowd(survey, 50)
    expect(filesHolding(f.dbPath, secret).length).toBeGreaterThan(0)

    f.clock.advance(30 * DAY)
    const due = await f.admin(`/v1/surveys/${survey}/retention`)
    expect(await read(due)).toMatchObject({ due: 300, lastRun: null })
    const run = await f.admin(`/v1/surveys/${survey}/retention/run`, { method: 'POST' })
    expect(run.status).toBe(200)
    expect(await read(run)).toMatchObject({ kind: 'retention', anonymised: 300, deleted: 0 })
    expect(filesHolding(f.dbPath, secret)).toEqual([])
    expect(filesHolding(f.dbPath, 'old-150@example.com')).toEqual([])
    const after = await f.admin(`/v1/surveys/${survey}/retention`)
    expect(await read(after)).toMatchObject({ due: 0, lastRun: { anonymised: 300 } })
  })
})

describe('deletion by filter', () => {
  it('says how many answers a filter selects, then deletes exactly those and records it', async () => {
    const survey = await f.survey()
    const now = f.clock.now()
    const rows = Array.from({ length: 120 }, (_, i) => ({
      id: uuid(),
      score: i % 11,
      metadata: { plan: i % 2 ? 'pro' : 'free' },
      createdAt: new Date(now - (i + 1) * DAY).toISOString(),
    }))
    expect((await importRows(survey, rows)).status).toBe(200)
    const from = new Date(now - 60.5 * DAY).toISOString()
    const query = `from=${from}&segment.plan=pro`
    const dry = await f.admin(`/v1/surveys/${survey}/responses?${query}&dryRun=true`, { method: 'DELETE' })
    expect(await read(dry)).toEqual({ dryRun: true, answers: 30, run: null })
    expect((await read(f.admin(`/v1/surveys/${survey}/nps`))).total).toBe(120)

    const res = await f.admin(`/v1/surveys/${survey}/responses?${query}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    const body = await read(res)
    expect(body).toMatchObject({ dryRun: false, answers: 30, run: { kind: 'deletion', deleted: 30 } })
    expect(body.run.filter).toEqual({ from, 'segment.plan': 'pro' })
    expect((await read(f.admin(`/v1/surveys/${survey}/nps`))).total).toBe(90)
    expect((await read(f.admin(`/v1/surveys/${survey}/nps?${query}`))).total).toBe(0)
    const runs = await read(f.admin(`/v1/surveys/${survey}/lifecycle-runs`))
    expect(runs.items).toEqual([body.run])
  })

  it('refuses a deletion without a filter, a bad flag and an unknown segment key with a 400', async () => {
    const survey = await f.survey()
    for (const query of [
      '',
      '?dryRun=true',
      '?dryRun=yes&from=2026-01-01',
      '?from=2026-02-30',
      '?latestPerRespondent=true',
    ]) {
      const res = await f.admin(`/v1/surveys/${survey}/responses${query}`, { method: 'DELETE' })
      expect(res.status, query).toBe(400)
    }
    const res = await f.admin(`/v1/surveys/nope/responses?from=2026-01-01`, { method: 'DELETE' })
    expect(res.status).toBe(404)
  })
})

describe('retention settings, import and export', () => {
  it('takes a retention policy in the settings and refuses a bad one', async () => {
    const survey = await f.survey()
    const ok = await f.admin(`/v1/surveys/${survey}`, {
      method: 'PATCH',
      body: { retention: { days: 365, action: 'delete' } },
    })
    expect((await read(ok)).retention).toEqual({ days: 365, action: 'delete' })
    for (const retention of [{ days: 0, action: 'delete' }, { days: 10, action: 'shred' }, { days: 10 }]) {
      const res = await f.admin(`/v1/surveys/${survey}`, { method: 'PATCH', body: { retention } })
      expect(res.status).toBe(400)
    }
    const off = await f.admin(`/v1/surveys/${survey}`, { method: 'PATCH', body: { retention: null } })
    expect((await read(off)).retention).toBeUndefined()
    const run = await f.admin(`/v1/surveys/${survey}/retention/run`, { method: 'POST' })
    expect(run.status).toBe(409)
    expect(await errorCode(run)).toBe('no_retention')
  })

  it('anonymises rows past the period at import, and leaves them out under delete', async () => {
    const now = f.clock.now()
    const rows = [
      {
        id: uuid(),
        score: 9,
        comment: 'old',
        respondentId: 'r1',
        metadata: { plan: 'pro', email: 'x' },
        createdAt: new Date(now - 400 * DAY).toISOString(),
      },
      {
        id: uuid(),
        score: 2,
        comment: 'recent',
        respondentId: 'r2',
        createdAt: new Date(now - 10 * DAY).toISOString(),
      },
    ]
    const anonymising = await f.survey({
      retention: { days: 365, action: 'anonymise', keepMetadata: ['plan'] },
    })
    const res = await importRows(anonymising, rows)
    expect(await read(res)).toEqual({
      imported: 2,
      created: 2,
      updated: 0,
      retention: { deleted: 0, anonymised: 1 },
    })
    const listed = await read(f.admin(`/v1/surveys/${anonymising}/responses`))
    expect(
      listed.items.map((r: { comment: string | null; respondentId: string | null; metadata: unknown }) => [
        r.comment,
        r.respondentId,
        r.metadata,
      ]),
    ).toEqual([
      [null, null, { plan: 'pro' }],
      ['recent', 'r2', null],
    ])

    const deleting = await f.survey({ retention: { days: 365, action: 'delete' } })
    const res2 = await importRows(deleting, rows)
    expect(await read(res2)).toEqual({
      imported: 2,
      created: 1,
      updated: 0,
      retention: { deleted: 1, anonymised: 0 },
    })
    expect((await read(f.admin(`/v1/surveys/${deleting}/nps`))).total).toBe(1)
  })

  it('says in every export which policy the data was under, and the CSV imports back as it is', async () => {
    const survey = await f.survey({
      retention: { days: 365, action: 'anonymise', keepMetadata: ['plan', 'seats'] },
    })
    await f.send(survey, 'responses', { id: uuid(), score: 8, comment: 'fine', metadata: { plan: 'pro' } })
    const csv = await f.admin(`/v1/surveys/${survey}/responses?format=csv`)
    expect(csv.headers.get('npskit-retention')).toBe('days=365; action=anonymise; keep-metadata=plan,seats')
    const ndjsonExport = await f.admin(`/v1/surveys/${survey}/responses?format=ndjson`)
    expect(ndjsonExport.headers.get('npskit-retention')).toBe(
      'days=365; action=anonymise; keep-metadata=plan,seats',
    )
    const other = await f.survey()
    const plain = await f.admin(`/v1/surveys/${other}/responses?format=csv`)
    expect(plain.headers.get('npskit-retention')).toBe('forever')
    const back = await f.admin(`/v1/surveys/${other}/responses/import`, {
      method: 'POST',
      body: await csv.text(),
      headers: { 'content-type': 'text/csv' },
    })
    expect(await read(back)).toMatchObject({ imported: 1, created: 1 })
  })
})
