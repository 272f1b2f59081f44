/**
 * Both engines, one dataset, the same answers: a seeded dataset (14 months of answers with repeat
 * respondents, ties, metadata of every type, locales in both cases, comments in two languages, events)
 * is imported into a SQLite and a PostgreSQL backend, both take the same live writes on top (merges that
 * change scores, an erasure), and then every analytics endpoint must answer byte-for-byte the same JSON
 * through the HTTP API — summary, trend in a zone that changes clocks, breakdown, compare, target,
 * themes, latestPerRespondent — and the listings (filtered, searched, newest first, paged) and exports
 * the same rows.
 */
import { randomBytes } from 'node:crypto'
import {
  type Backend,
  createApp,
  type DataBatch,
  defaultConfig,
  type EventRecord,
  type StoredResponse,
  type Survey,
} from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requirePostgres } from '../harness/postgres.ts'
import { postgresEngine, sqliteEngine } from './engines.ts'

const NOW = Date.parse('2026-06-15T12:00:00Z')
const DAY = 86_400_000

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
}

function seededDataset(): { batches: DataBatch[]; surveyIds: string[] } {
  const next = random(2026)
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!
  const main: Survey = {
    id: 'srv_crossEngineMain',
    settings: {
      ...defaultSurveySettings('Checkout'),
      allowedOrigins: ['https://shop.example'],
      target: { nps: 35, deadline: '2026-12-31' },
      responseLifetimeDays: 120,
      // Breakdowns by these read the rollups (loaded with the copy), by the others every answer.
      breakdowns: ['locale', 'path', 'metadata.plan'],
      accounts: { key: 'agent' },
    },
    createdAt: Date.parse('2025-01-01T00:00:00Z'),
    updatedAt: Date.parse('2025-01-01T00:00:00Z'),
  }
  const other: Survey = { ...main, id: 'srv_crossEngineOther', settings: defaultSurveySettings('Other') }
  const comments = [
    'billing errors again',
    'the invoice was wrong',
    'Support war nicht pünktlich',
    'Rechnung falsch, nicht pünktlich',
    'fast checkout, love it',
    'great support team',
    'slow checkout page',
    'Schnell und einfach',
    '',
  ]
  const rows: StoredResponse[] = []
  const start = Date.parse('2025-04-01T00:00:00Z')
  for (let i = 0; i < 2500; i++) {
    const createdAt = start + Math.floor(next() * 440 * DAY)
    const path = pick(['/', '/checkout', '/checkout/done', '/pricing', null])
    rows.push({
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      createdAt,
      score: Math.min(10, Math.floor(next() * 12)),
      comment: next() < 0.4 ? pick(comments) : null,
      respondentId: next() < 0.8 ? `user-${Math.floor(next() * 600)}` : null,
      locale: pick(['de', 'de-AT', 'DE-ch', 'en', 'EN', 'en-GB', 'fr', null]),
      url: path ? `https://shop.example${path}` : null,
      path,
      device: pick(['desktop', 'mobile', 'tablet', null] as const),
      metadata:
        next() < 0.85
          ? {
              plan: pick(['free', 'pro', 'team']),
              seats: pick([1, 5, 50, 2.5]),
              beta: next() < 0.3,
              agent: `agent-${Math.floor(next() * 8)}`,
            }
          : null,
      contact: null,
      // Most answers from the widget, every third imported: both engines count the same response rate.
      source: i % 3 === 0 ? 'import' : 'widget',
    })
  }
  // Two answers of one respondent at the same millisecond: the latest is the one with the greater id.
  rows.unshift(
    {
      ...rows[0]!,
      id: 'ffffffff-0000-7000-8000-000000000001',
      respondentId: 'tie',
      score: 2,
      createdAt: NOW - 5 * DAY,
    },
    {
      ...rows[1]!,
      id: 'ffffffff-0000-7000-8000-000000000002',
      respondentId: 'tie',
      score: 9,
      createdAt: NOW - 5 * DAY,
    },
  )
  const events: EventRecord[] = Array.from({ length: 1200 }, (_, i) => ({
    surveyId: i % 7 === 0 ? other.id : main.id,
    type: next() < 0.75 ? 'shown' : 'dismissed',
    respondentId: `user-${Math.floor(next() * 600)}`,
    responseId: null,
    createdAt: start + Math.floor(next() * 440 * DAY),
  }))
  return {
    surveyIds: [main.id, other.id],
    batches: [
      { kind: 'surveys', rows: [main, other] },
      { kind: 'responses', surveyId: main.id, rows: rows.slice(0, 2000) },
      { kind: 'responses', surveyId: other.id, rows: rows.slice(2000) },
      { kind: 'events', rows: events },
    ],
  }
}

async function* batchesOf(batches: DataBatch[]): AsyncIterable<DataBatch> {
  yield* batches
}

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('the SQLite and PostgreSQL backends on one dataset', () => {
  const engines = { sqlite: sqliteEngine(), postgres: postgresEngine() }
  const apps: { name: string; backend: Backend; get: (path: string) => Promise<Response> }[] = []
  const { batches, surveyIds } = seededDataset()
  const [main, other] = surveyIds as [string, string]

  beforeAll(async () => {
    for (const [name, engine] of Object.entries(engines)) {
      const backend = await engine.open()
      const key = `npk_${randomBytes(24).toString('base64url')}`
      await backend.importData(batchesOf(batches))
      await backend.addApiKey({ name: 'cross-engine', secret: key }, NOW)
      // The same live writes on both: merges that change a score or only add a comment, a new answer
      // in the current hour, events, and an erasure.
      const mainRows = (batches[1] as Extract<DataBatch, { kind: 'responses' }>).rows
      for (const [i, row] of mainRows.slice(0, 40).entries()) {
        await backend.writeResponse(main, {
          id: row.id,
          score: i % 2 ? (row.score + 5) % 11 : row.score,
          comment: 'changed my mind',
          receivedAt: NOW,
        })
      }
      await backend.writeResponse(main, {
        id: '00000000-0000-7000-8000-99999999',
        score: 10,
        receivedAt: NOW - 1000,
      })
      await backend.writeEvent(main, { type: 'shown', respondentId: 'late' }, NOW - 2000)
      await backend.eraseRespondent('user-7', NOW)
      const app = createApp({ backend, config: defaultConfig({ rateLimit: 0 }), clock: { now: () => NOW } })
      apps.push({
        name,
        backend,
        get: async (path) =>
          app.request(`/v1/surveys/${path}`, { headers: { authorization: `Bearer ${key}` } }),
      })
    }
  }, 120_000)

  afterAll(async () => {
    for (const { backend } of apps) await backend.close()
    for (const engine of Object.values(engines)) await engine.cleanup()
  })

  const endpoints = [
    `${main}/nps`,
    `${main}/nps?from=2025-09-01&to=2026-03-01`,
    `${main}/nps?from=2025-09-01T10:30&to=2026-03-01T17:45:12.345&tz=Europe/Berlin`,
    `${main}/nps?locale=de`,
    `${main}/nps?locale=EN`,
    `${main}/nps?path=/checkout*`,
    `${main}/nps?path=/checkout`,
    `${main}/nps?device=mobile`,
    `${main}/nps?segment.plan=pro`,
    `${main}/nps?segment.seats=2.5`,
    `${main}/nps?segment.beta=true&segment.plan=team`,
    `${main}/nps?latestPerRespondent=true`,
    `${main}/nps?latestPerRespondent=true&from=2026-01-01&segment.plan=free`,
    `${main}/nps/trend?interval=day&from=2026-03-20&to=2026-04-05&tz=Europe/Berlin`,
    `${main}/nps/trend?interval=day&from=2025-10-20&to=2025-11-02&tz=America/New_York`,
    `${main}/nps/trend?interval=week&from=2025-06-01&to=2026-06-01&tz=Europe/Berlin`,
    `${main}/nps/trend?interval=month&from=2025-04-01&to=2026-07-01&tz=Asia/Kolkata`,
    `${main}/nps/trend?interval=week&window=90&from=2025-09-01&to=2026-06-01`,
    `${main}/nps/trend?interval=month&window=30&latestPerRespondent=true&from=2025-06-01&to=2026-06-01`,
    `${main}/nps/trend?interval=day&window=90&latestPerRespondent=true&segment.plan=free&from=2026-01-01&to=2026-04-01&tz=Europe/Berlin`,
    `${main}/nps/trend?interval=day&locale=de&from=2026-05-01&to=2026-06-01`,
    `${main}/nps/trend`,
    `${main}/nps/breakdown?by=locale`,
    `${main}/nps/breakdown?by=device`,
    `${main}/nps/breakdown?by=path&from=2025-12-01`,
    `${main}/nps/breakdown?by=metadata.plan`,
    `${main}/nps/breakdown?by=metadata.plan&from=2025-12-01T10:17:00Z&to=2026-03-03T08:05:00Z`,
    `${main}/nps/breakdown?by=metadata.seats`,
    `${main}/nps/breakdown?by=metadata.beta&latestPerRespondent=true`,
    `${main}/nps/breakdown?by=metadata.agent&segment.plan=pro&limit=3`,
    `${main}/nps/breakdown?by=metadata.agent&sort=lower&order=asc&minCount=2&limit=5&offset=1`,
    `${main}/nps/compare?aFrom=2026-01-01&aTo=2026-04-01&bFrom=2025-10-01&bTo=2026-01-01`,
    `${main}/nps/compare?aFrom=2026-01-01&aTo=2026-04-01&bFrom=2025-10-01&bTo=2026-01-01&device=desktop&latestPerRespondent=true`,
    `${main}/target`,
    `${main}/target?locale=de`,
    `${main}/themes?category=detractor&minCount=1`,
    `${main}/themes?category=promoter&from=2025-10-01`,
    `${main}/themes?category=passive&latestPerRespondent=true&minCount=1`,
    `${main}/themes/trend?theme=slow&interval=month&from=2025-04-01&to=2026-07-01`,
    `${main}/themes/trend?theme=checkout&interval=week&locale=de&from=2026-01-01&to=2026-04-01`,
    `${main}/metadata-keys`,
    `${main}/accounts?from=2026-01-01&to=2026-06-01`,
    `${main}/accounts?count=latest&segment.plan=pro&limit=3`,
    `${main}/accounts?count=respondents&from=2025-06-01&to=2026-06-01`,
    `${main}/movers?from=2025-06-01&to=2026-06-01&limit=1000`,
    `${main}/movers?by=account&direction=up&limit=1000&locale=de`,
    `${main}/nps?current=true`,
    `${main}/nps?current=true&latestPerRespondent=true&from=2026-01-01`,
    `${main}/nps/trend?interval=week&window=90&current=true&from=2025-09-01&to=2026-06-15`,
    `${main}/nps/breakdown?by=metadata.plan&current=true`,
    `${main}/nps/compare?aFrom=2026-03-01&aTo=2026-06-15&bFrom=2025-10-01&bTo=2026-03-01&current=true`,
    `${main}/themes?category=detractor&minCount=1&current=true`,
    `${main}/accounts?current=true&from=2025-06-01`,
    `${main}/movers?current=true&limit=1000`,
    `${other}/nps`,
    `${other}/nps?latestPerRespondent=true`,
    `${other}/nps/trend?interval=month&from=2025-04-01&to=2026-07-01`,
  ]

  it.each(endpoints)('answers GET %s with the same JSON on both engines', async (path) => {
    const [sqlite, postgres] = apps
    const a = await sqlite!.get(path)
    const b = await postgres!.get(path)
    expect(a.status).toBe(200)
    const text = await a.text()
    expect(await b.text()).toBe(text)
  })

  // PostgreSQL's jsonb keeps a metadata object's keys in an order of its own: answers compare as values.
  const listings = [
    `${main}/responses?limit=1000&locale=de&device=mobile`,
    `${main}/responses?limit=1000&path=/checkout*&segment.plan=pro&segment.seats=2.5`,
    `${main}/responses?limit=1000&minScore=3&maxScore=8&order=newest`,
    `${main}/responses?limit=1000&category=detractor&segment.beta=true&latestPerRespondent=true`,
    `${main}/responses?limit=50&order=newest&q=P%C3%9CNKTLICH`,
    `${main}/responses?limit=1000&q=checkout&from=2025-10-01&tz=Europe/Berlin`,
    `${main}/responses?limit=1000&q=%C3%BC&category=detractor&order=newest`,
    `${main}/responses?limit=1000&current=true&order=newest`,
    `${main}/accounts/agent-3/history?limit=1000`,
  ]

  it('answers a respondent’s history across surveys alike on both engines', async () => {
    const [sqlite, postgres] = apps
    // The respondent with the most answers in the first page of the listing.
    const listed = (await (await sqlite!.get(`${main}/responses?limit=1000`)).json()) as {
      items: { respondentId: string | null }[]
    }
    const counts = new Map<string, number>()
    for (const { respondentId } of listed.items) {
      if (respondentId) counts.set(respondentId, (counts.get(respondentId) ?? 0) + 1)
    }
    const [respondent] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!
    // The history spans surveys: its path leaves /v1/surveys/.
    const path = `../respondents/${respondent}/history?limit=1000`
    const a = (await (await sqlite!.get(path)).json()) as { items: unknown[] }
    expect(a.items.length).toBeGreaterThan(2)
    expect(await (await postgres!.get(path)).json()).toEqual(a)
  })

  it.each(listings)(
    'lists GET %s alike on both engines: the same answers in the same order',
    async (path) => {
      const [sqlite, postgres] = apps
      const a = (await (await sqlite!.get(path)).json()) as { items: unknown[]; nextCursor: string | null }
      expect(a.items.length).toBeGreaterThan(5)
      expect(await (await postgres!.get(path)).json()).toEqual(a)
    },
  )

  it('holds data that makes the comparisons mean something', async () => {
    const summary = (await (await apps[0]!.get(`${main}/nps`)).json()) as { total: number; shown: number }
    expect(summary.total).toBeGreaterThan(1500)
    expect(summary.shown).toBeGreaterThan(500)
    const latest = (await (await apps[0]!.get(`${main}/nps?latestPerRespondent=true`)).json()) as {
      total: number
    }
    expect(latest.total).toBeLessThan(summary.total)
    const trend = (await (await apps[0]!.get(endpoints[13]!)).json()) as {
      points: { end: string; start: string }[]
    }
    // 29 March 2026 lasts 23 hours in Berlin.
    const dst = trend.points.find((p) => p.start === '2026-03-28T23:00:00.000Z')!
    expect(Date.parse(dst.end) - Date.parse(dst.start)).toBe(23 * 3_600_000)
  })

  it('pages a filtered, searched listing newest first into the same pages on both engines', async () => {
    const pages = async (app: (typeof apps)[number]) => {
      const seen: string[][] = []
      let cursor = ''
      do {
        const res = await app.get(`${main}/responses?order=newest&q=e&device=desktop&limit=37${cursor}`)
        const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null }
        seen.push(page.items.map((r) => r.id))
        cursor = page.nextCursor ? `&cursor=${page.nextCursor}` : ''
      } while (cursor)
      return seen
    }
    const sqlite = await pages(apps[0]!)
    expect(sqlite.length).toBeGreaterThan(3)
    expect(await pages(apps[1]!)).toEqual(sqlite)
  })

  it('answers the same change feed on both engines, page by page: the same changes in the same order', async () => {
    // The numbers themselves may differ (PostgreSQL spends one on a repeat's insert that found the row,
    // as on every number of a round); what a poller sees is each change by its rank.
    const feed = async (app: (typeof apps)[number], survey: string) => {
      const changes: Record<string, unknown>[] = []
      let since = ''
      for (;;) {
        const res = await app.get(`${survey}/changes?limit=250${since}`)
        expect(res.status).toBe(200)
        const page = (await res.json()) as { items: { seq: number }[]; next: string }
        if (page.items.length === 0) return changes
        changes.push(...page.items.map(({ seq: _, ...change }) => change))
        since = `&since=${page.next}`
      }
    }
    for (const survey of [main, other]) {
      const sqlite = await feed(apps[0]!, survey)
      expect(sqlite.length).toBeGreaterThan(400)
      expect(await feed(apps[1]!, survey)).toEqual(sqlite)
    }
    const kinds = (await feed(apps[0]!, main)).map((c) => c.type)
    expect(kinds).toContain('response.erased')
    // The erasure was the last write: its tombstones are the last changes.
    expect(kinds.at(-1)).toBe('response.erased')
  })

  it('holds comments that a search finds only by folding case beyond ASCII', async () => {
    const found = async (q: string) =>
      ((await (await apps[0]!.get(`${main}/responses?limit=1000&q=${q}`)).json()) as { items: unknown[] })
        .items.length
    expect(await found('P%C3%9CNKTLICH')).toBeGreaterThan(10)
    expect(await found('P%C3%9CNKTLICH')).toBe(await found('p%C3%BCnktlich'))
  })

  it('exports the same answers on both engines, CSV to the byte', async () => {
    const [sqlite, postgres] = apps
    for (const path of [
      `${main}/responses?format=csv`,
      `${other}/responses?format=csv&category=detractor`,
      `${main}/responses?format=csv&order=newest&q=RECHNUNG&minScore=1`,
    ]) {
      const a = await (await sqlite!.get(path)).text()
      expect(a.split('\n').length).toBeGreaterThan(50)
      expect(await (await postgres!.get(path)).text()).toBe(a)
    }
    const lines = async (app: (typeof apps)[number]) =>
      (await (await app.get(`${main}/responses?format=ndjson`)).text())
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    expect(await lines(postgres!)).toEqual(await lines(sqlite!))
  })
})
