/**
 * Several collectors on one PostgreSQL database, as behind a load balancer: what one of them changes,
 * the others see — a revoked key at once, a changed or deleted survey as soon as its NOTIFY arrives
 * (well within the widget config's cache time), also after the listening connection was lost — an
 * answer whose score and comment reach two collectors at the same moment is one row, and a breakdown
 * declared through one is counted exactly while another stores answers.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createApp, defaultConfig, PostgresBackend } from '@npskit/collector'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'
import { stored } from './contract.ts'

const ORIGIN = 'https://shop.example'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `check` holds or `ms` have passed; answers how long it took, or throws. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now()
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`)
    await sleep(20)
  }
  return Date.now() - started
}

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('several collectors on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createDatabase>>
  const backends: PostgresBackend[] = []
  const key = `npk_${randomBytes(24).toString('base64url')}`
  type App = ReturnType<typeof createApp>
  let one: App
  let two: App

  const admin = (app: App, path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
    app.request(`/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${init.key ?? key}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
  const widget = async (app: App, survey: string) => {
    const res = await app.request(`/v1/surveys/${survey}/widget?locale=en`, { headers: { origin: ORIGIN } })
    return res.status === 200
      ? ((await res.json()) as { strings: { question: string } }).strings.question
      : res.status
  }
  const answer = async (app: App, survey: string, body: object) =>
    app.request(`/v1/surveys/${survey}/responses`, {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'text/plain' },
      body: JSON.stringify(body),
    })
  const newSurvey = async (question: string) => {
    const res = await admin(one, '/surveys', {
      method: 'POST',
      body: { name: 'Shared', question, allowedOrigins: [ORIGIN] },
    })
    return ((await res.json()) as { id: string }).id
  }

  beforeAll(async () => {
    database = await createDatabase()
    for (let i = 0; i < 2; i++) backends.push(await PostgresBackend.connect(database.url, { poolSize: 3 }))
    await backends[0]!.addApiKey({ name: 'shared', secret: key }, Date.now())
    ;[one, two] = backends.map((backend) =>
      createApp({ backend, config: defaultConfig({ rateLimit: 0 }) }),
    ) as [App, App]
  })
  afterAll(async () => {
    for (const backend of backends) await backend.close()
    await database?.drop()
  })

  it('refuses a key revoked through one collector on every other one at once', async () => {
    const created = (await (
      await admin(one, '/keys', { method: 'POST', body: { name: 'temp' } })
    ).json()) as {
      id: string
      key: string
    }
    expect((await admin(two, '/surveys', { key: created.key })).status).toBe(200)
    expect((await admin(one, `/keys/${created.id}`, { method: 'DELETE' })).status).toBe(200)
    expect((await admin(two, '/surveys', { key: created.key })).status).toBe(401)
  })

  it('serves a survey changed through one collector from the other as soon as the change commits', async () => {
    const survey = await newSurvey('Would you recommend us?')
    expect(await widget(two, survey)).toBe('Would you recommend us?')
    const changed = await admin(one, `/surveys/${survey}`, {
      method: 'PATCH',
      body: { question: 'Would you tell a friend?' },
    })
    expect(changed.status).toBe(200)
    // The cache would keep the old question for a minute; the NOTIFY drops it at once.
    const took = await within(2000, async () => (await widget(two, survey)) === 'Would you tell a friend?')
    expect(took).toBeLessThan(2000)
  })

  it('stops taking answers for a survey deleted through the other collector', async () => {
    const survey = await newSurvey('Soon gone?')
    expect((await answer(two, survey, { id: randomUUID(), score: 8 })).status).toBe(201)
    expect((await admin(one, `/surveys/${survey}`, { method: 'DELETE' })).status).toBe(204)
    await within(2000, async () => (await answer(two, survey, { id: randomUUID(), score: 8 })).status === 404)
    // Answers are refused by the database at once; the widget config leaves the cache when the NOTIFY
    // arrives, which under load may be a moment later — still well within the bound.
    await within(2000, async () => (await widget(two, survey)) === 404)
  })

  it('leaves nothing of a survey deleted through one collector while the other is storing its answers', async () => {
    const survey = await newSurvey('Busy, then gone?')
    expect((await answer(two, survey, { id: randomUUID(), score: 7 })).status).toBe(201)
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      // Hold the next batch of answers at its start for a moment, so the deletion lands in the middle.
      await sql.unsafe(`CREATE FUNCTION hold() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
        CREATE TRIGGER hold BEFORE INSERT ON responses FOR EACH STATEMENT EXECUTE FUNCTION hold()`)
      const late = Promise.all(
        Array.from({ length: 5 }, () =>
          answer(two, survey, { id: randomUUID(), score: 7 }).then((r) => r.status),
        ),
      )
      await sleep(150)
      expect((await admin(one, `/surveys/${survey}`, { method: 'DELETE' })).status).toBe(204)
      // Those answers either came first and went with the survey, or found it gone: none is left.
      expect((await late).every((status) => status === 201 || status === 404)).toBe(true)
      await sql.unsafe('DROP TRIGGER hold ON responses; DROP FUNCTION hold()')
      const [left] = await sql`SELECT
        (SELECT count(*) FROM responses WHERE survey_id = ${survey})::int AS responses,
        (SELECT count(*) FROM response_hours WHERE survey_id = ${survey})::int AS hours`
      expect(left).toEqual({ responses: 0, hours: 0 })
    } finally {
      await sql.end()
    }
  })

  it('counts a breakdown declared through one collector exactly while the other stores answers', async () => {
    const survey = await newSurvey('Counted meanwhile?')
    const base = Date.parse('2026-03-01T00:00:00Z')
    const locales = ['en', 'de', 'fr']
    const old = Array.from({ length: 300 }, (_, i) =>
      stored({ id: randomUUID(), createdAt: base + i * 60_000, score: i % 11, locale: locales[i % 3]! }),
    )
    await backends[1]!.importResponses(survey, old, base)
    // A third collector, counting ten answers per batch: the other's writes land between its batches.
    const counting = await PostgresBackend.connect(database.url, { poolSize: 2, breakdownBatch: 10 })
    try {
      const settings = (await counting.getSurvey(survey))!.settings
      await counting.updateSurvey(survey, { ...settings, breakdowns: ['locale'] }, Date.now())
      await Promise.all([
        ...Array.from({ length: 60 }, (_, i) =>
          answer(two, survey, { id: randomUUID(), score: i % 11, locale: locales[(i + 1) % 3] }),
        ),
        // Old answers imported again with another locale and score (merged), and new ones in the past.
        backends[1]!.importResponses(
          survey,
          [
            ...old.slice(0, 40).map((r) => ({ ...r, locale: 'it', score: 10 - r.score })),
            ...Array.from({ length: 40 }, (_, i) =>
              stored({ id: randomUUID(), createdAt: base + i * 7 * 60_000 + 1, score: 3, locale: 'es' }),
            ),
          ],
          base,
        ),
      ])
      await counting.fillBreakdowns()
      expect(await counting.breakdownRollup(survey, { kind: 'locale' })).toBe('counted')
      const sql = postgres(database.url, { max: 1, onnotice: () => {} })
      try {
        const rows = await sql<{ locale: string; score: number; n: number }[]>`
          SELECT locale, score, count(*)::int AS n FROM responses WHERE survey_id = ${survey} GROUP BY 1, 2`
        const recount = new Map<string, number[]>()
        for (const row of rows) {
          if (!recount.has(row.locale)) recount.set(row.locale, new Array<number>(11).fill(0))
          recount.get(row.locale)![row.score] = row.n
        }
        const groups = await counting.breakdown(survey, {}, { kind: 'locale' })
        expect(new Map(groups.map((g) => [g.value, g.distribution]))).toEqual(recount)
        expect([...recount.values()].flat().reduce((a, b) => a + b)).toBe(300 + 60 + 40)
      } finally {
        await sql.end()
      }
    } finally {
      await counting.close()
    }
  })

  it('merges an answer whose score and comment reach the two collectors at the same moment into one row', async () => {
    const survey = await newSurvey('Together?')
    const ids = Array.from({ length: 40 }, () => randomUUID())
    const statuses = await Promise.all(
      ids.flatMap((id) => [
        answer(one, survey, { id, score: 6 }).then((r) => r.status),
        answer(two, survey, { id, score: 6, comment: 'from the other collector' }).then((r) => r.status),
      ]),
    )
    // Exactly one of each pair created the row; the other merged into it.
    for (let i = 0; i < ids.length; i++)
      expect([statuses[2 * i], statuses[2 * i + 1]].sort()).toEqual([200, 201])
    const page = (await (await admin(two, `/surveys/${survey}/responses?limit=1000`)).json()) as {
      items: { id: string; comment: string | null }[]
    }
    expect(page.items.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(page.items.every((r) => r.comment === 'from the other collector')).toBe(true)
    const nps = (await (await admin(one, `/surveys/${survey}/nps`)).json()) as { total: number }
    expect(nps.total).toBe(ids.length)
  })

  it('holds a survey to 50 metadata keys exactly when answers with new keys reach both collectors at once', async () => {
    const survey = await newSurvey('Many keys?')
    const metadata = (i: number) => Object.fromEntries(Array.from({ length: 3 }, (_, k) => [`c${i}_${k}`, k]))
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        answer(i % 2 ? one : two, survey, { id: randomUUID(), score: 9, metadata: metadata(i) }).then(
          (r) => r.status,
        ),
      ),
    )
    // Three new keys an answer: 16 answers fit in 50 (48 keys), whichever collector each reached.
    expect(statuses.filter((status) => status === 201)).toHaveLength(16)
    expect(statuses.filter((status) => status === 400)).toHaveLength(44)
    expect(await backends[0]!.metadataKeys(survey)).toHaveLength(48)
    // A key the other collector registered is known to this one without a refusal.
    const known = (await backends[1]!.metadataKeys(survey))[0]!
    expect((await answer(one, survey, { id: randomUUID(), score: 9, metadata: { [known]: 1 } })).status).toBe(
      201,
    )
  })

  it('drops every cached survey when its listening connection comes back after a loss', async () => {
    const survey = await newSurvey('Before the outage?')
    expect(await widget(two, survey)).toBe('Before the outage?')
    // Cut the second collector's LISTEN connection, and change the survey while it is gone.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      const listeners = await sql`SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'listen %' AND pid <> pg_backend_pid()`
      expect(listeners.length).toBe(2)
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'listen %' AND pid <> pg_backend_pid()`
    } finally {
      await sql.end()
    }
    await admin(one, `/surveys/${survey}`, { method: 'PATCH', body: { question: 'After the outage?' } })
    await within(15_000, async () => (await widget(two, survey)) === 'After the outage?')
  })
})
