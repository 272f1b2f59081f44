/**
 * Reads on 1,000,000 answers over a year, for each engine: the collector's `/nps`, a year of daily
 * `/nps/trend` and a `/nps/breakdown?by=device`, each timed over HTTP on the real collector (its CLI on
 * the engine's dataset), against the same aggregate run as a full table scan on the same data in the
 * same run:
 *
 * - SQLite: plain SQL with `NOT INDEXED`, in-process on a read-only handle of the same file.
 * - PostgreSQL: the same plain SQL over a postgres.js connection with index, index-only and bitmap scans
 *   turned off (`SET enable_indexscan = off` …), so the planner can only scan the table (in parallel,
 *   as it likes).
 *
 * The fast answers must also be the right ones: the totals, the per-day counts of the trend and the
 * per-device counts of the breakdown are checked against the full scan's.
 */
import Database from 'better-sqlite3'
import type { Sql } from 'postgres'
import { type Dataset, dataset, type Engine, YEAR_FROM, YEAR_TO } from './dataset.ts'
import { connect, describe } from './lib/postgres.ts'
import { adminRequest, counted, startCollector } from './lib/processes.ts'
import { type Figure, figure, median, type SectionResult } from './lib/report.ts'

const RUNS = 15
const BASELINE_RUNS = 3
const SLOW_RUNS = 3
const DAY = 86_400_000

const ENGINE_NAME: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' }
const groupOf = (engine: Engine) => `reads, ${ENGINE_NAME[engine]} (1,000,000 answers over a year)`

interface Timed<Row> {
  ms: number
  rows: Row[]
}

/** The full-scan baselines, one per read, all rows with numeric counts. */
interface Scans {
  label: string
  nps: Timed<{ score: number; n: number }>
  trend: Timed<{ day: number; score: number; n: number }>
  breakdown: Timed<{ device: string | null; score: number; n: number }>
  /** Anything worth saying about how the scans ran (their plan). */
  note?: string
}

async function timeHttp(
  url: string,
  adminKey: string,
  runs: number,
): Promise<{ ms: number; range: string; body: unknown }> {
  const times: number[] = []
  let body: unknown
  // One untimed request warms the page cache and the prepared statements, as on a running server.
  for (let i = -1; i < runs; i++) {
    const started = performance.now()
    const res = await fetch(url, { headers: { authorization: `Bearer ${adminKey}` } })
    const text = await res.text()
    const elapsed = performance.now() - started
    if (!res.ok) throw new Error(`GET ${url} → ${res.status} ${text.slice(0, 500)}`)
    body = JSON.parse(text)
    if (i >= 0) times.push(elapsed)
  }
  const range = `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} ms`
  return { ms: median(times), range, body }
}

function timeSql<Row>(
  db: Database.Database,
  sql: string,
  params: unknown[],
  runs: number,
  warmUp = false,
): Timed<Row> {
  const statement = db.prepare(sql)
  const times: number[] = []
  let rows: Row[] = []
  for (let i = warmUp ? -1 : 0; i < runs; i++) {
    const started = performance.now()
    rows = statement.all(...params) as Row[]
    if (i >= 0) times.push(performance.now() - started)
  }
  return { ms: median(times), rows }
}

async function timePg<Row>(
  sql: Sql,
  text: string,
  params: unknown[],
  runs: number,
  warmUp = false,
): Promise<Timed<Row>> {
  const times: number[] = []
  let rows: Row[] = []
  for (let i = warmUp ? -1 : 0; i < runs; i++) {
    const started = performance.now()
    rows = (await sql.unsafe(text, params as never[], { prepare: true })) as unknown as Row[]
    if (i >= 0) times.push(performance.now() - started)
  }
  return { ms: median(times), rows }
}

const WHERE = (p: (n: number) => string) =>
  `survey_id = ${p(1)} AND created_at >= ${p(2)} AND created_at < ${p(3)}`

function sqliteScans(db: string, surveyId: string): Scans {
  // A read-only handle of the same file, while the collector is stopped.
  const handle = new Database(db, { readonly: true })
  try {
    const where = WHERE(() => '?')
    const params = [surveyId, YEAR_FROM, YEAR_TO]
    return {
      label: 'full-scan SQL, in-process',
      nps: timeSql(
        handle,
        `SELECT score, count(*) AS n FROM responses NOT INDEXED WHERE ${where} GROUP BY score`,
        params,
        BASELINE_RUNS,
        // One untimed scan first brings the file into the page cache for every baseline query.
        true,
      ),
      trend: timeSql(
        handle,
        `SELECT CAST((created_at - ?) / ${DAY} AS INTEGER) AS day, score, count(*) AS n FROM responses NOT INDEXED
         WHERE ${where} GROUP BY day, score`,
        [YEAR_FROM, ...params],
        BASELINE_RUNS,
      ),
      breakdown: timeSql(
        handle,
        `SELECT device, score, count(*) AS n FROM responses NOT INDEXED WHERE ${where} GROUP BY device, score`,
        params,
        BASELINE_RUNS,
      ),
    }
  } finally {
    handle.close()
  }
}

/** The plan's node types, depth first, from EXPLAIN (FORMAT JSON). */
function nodeTypes(plan: { 'Node Type': string; 'Parallel Aware'?: boolean; Plans?: unknown[] }): string[] {
  const type = `${plan['Parallel Aware'] ? 'Parallel ' : ''}${plan['Node Type']}`
  return [type, ...(plan.Plans ?? []).flatMap((p) => nodeTypes(p as typeof plan))]
}

async function postgresScans(url: string, surveyId: string): Promise<Scans> {
  const sql = connect(url)
  const conn = await sql.reserve()
  try {
    // Only the table itself may be read: the covering index would answer these counts without it.
    await conn.unsafe(
      'SET enable_indexscan = off; SET enable_indexonlyscan = off; SET enable_bitmapscan = off',
    )
    const where = WHERE((n) => `$${n}`)
    const params = [surveyId, YEAR_FROM, YEAR_TO]
    const queries = {
      nps: `SELECT score, count(*)::int AS n FROM responses WHERE ${where} GROUP BY score`,
      trend: `SELECT ((created_at - $2) / ${DAY})::int AS day, score, count(*)::int AS n FROM responses
        WHERE ${where} GROUP BY day, score`,
      breakdown: `SELECT device, score, count(*)::int AS n FROM responses WHERE ${where} GROUP BY device, score`,
    }
    // A baseline that used an index would not be a full scan: say which plan ran, refuse an index.
    const plans: string[] = []
    for (const [name, text] of Object.entries(queries)) {
      const [row] = (await conn.unsafe(`EXPLAIN (FORMAT JSON) ${text}`, params as never[])) as unknown as {
        'QUERY PLAN': [{ Plan: Parameters<typeof nodeTypes>[0] }]
      }[]
      const nodes = nodeTypes(row!['QUERY PLAN'][0].Plan)
      if (nodes.some((n) => /Index|Bitmap/.test(n))) {
        throw new Error(`the full-scan baseline of ${name} uses an index: ${nodes.join(' → ')}`)
      }
      plans.push(`${name}: ${nodes.join(' → ')}`)
    }
    return {
      label: 'full-scan SQL, index scans off',
      // One untimed scan first brings the table into the page cache for every baseline query.
      nps: await timePg(conn, queries.nps, params, BASELINE_RUNS, true),
      trend: await timePg(conn, queries.trend, params, BASELINE_RUNS),
      breakdown: await timePg(conn, queries.breakdown, params, BASELINE_RUNS),
      note: `full-scan plans: ${plans.join('; ')}`,
    }
  } finally {
    conn.release()
    await sql.end()
  }
}

/** The three reads over HTTP on the engine's dataset, each beside its full scan and checked against it. */
async function readsOf(data: Dataset, scans: Scans): Promise<Figure[]> {
  const group = groupOf(data.engine)
  const from = new Date(YEAR_FROM).toISOString()
  const to = new Date(YEAR_TO).toISOString()
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
  const scanTotal = scans.nps.rows.reduce((sum, r) => sum + r.n, 0)
  const collector = await startCollector(
    data.engine === 'sqlite'
      ? { db: data.db, adminKey: data.adminKey }
      : { databaseUrl: data.url, adminKey: data.adminKey },
  )
  try {
    const base = `${collector.url}/v1/surveys/${data.surveyId}`
    const nps = await timeHttp(`${base}/nps?${range}`, data.adminKey, RUNS)
    const trend = await timeHttp(`${base}/nps/trend?interval=day&${range}`, data.adminKey, RUNS)
    const breakdown = await timeHttp(`${base}/nps/breakdown?by=device&${range}`, data.adminKey, RUNS)
    // Each respondent's latest answer, and a daily trend of 90-day windows with it (issue 16's goals):
    // fewer runs, as the latest ones are counted from the answers themselves.
    const latest = await timeHttp(`${base}/nps?latestPerRespondent=true&${range}`, data.adminKey, SLOW_RUNS)
    const rolling = await timeHttp(
      `${base}/nps/trend?interval=day&window=90&latestPerRespondent=true&${range}`,
      data.adminKey,
      SLOW_RUNS,
    )
    const rollingPoints = (rolling.body as { points?: unknown[] }).points?.length ?? 0
    const declared = await declaredBreakdowns(group, collector.url, base, data.adminKey, range)
    const total = (nps.body as { total?: number }).total
    const points = (trend.body as { points?: { start: string; total: number }[] }).points ?? []
    const groups = (breakdown.body as { groups?: { value: string | null; total: number }[] }).groups ?? []
    const check = `answers counted: API ${total}, full scan ${scanTotal}`
    // The fast answers must also be the right ones: per day and per device, as the full scan counts them.
    const scanPerDay = new Map<number, number>()
    for (const r of scans.trend.rows) scanPerDay.set(r.day, (scanPerDay.get(r.day) ?? 0) + r.n)
    const trendMismatches = points.filter(
      (p) => (scanPerDay.get(Math.round((Date.parse(p.start) - YEAR_FROM) / DAY)) ?? 0) !== p.total,
    ).length
    const scanPerDevice = new Map<string | null, number>()
    for (const r of scans.breakdown.rows)
      scanPerDevice.set(r.device, (scanPerDevice.get(r.device) ?? 0) + r.n)
    const breakdownMismatches = groups.filter((g) => scanPerDevice.get(g.value) !== g.total).length
    const where =
      data.engine === 'postgres'
        ? `; PostgreSQL database ${describe(data.url)}${scans.note ? `; ${scans.note}` : ''}`
        : ''
    const generated = data.generatedInSeconds
      ? `; dataset generated in ${data.generatedInSeconds.toFixed(1)} s`
      : ''
    return [
      figure({
        group,
        name: 'GET /nps',
        value: nps.ms,
        unit: 'ms',
        baseline: { label: scans.label, value: scans.nps.ms },
        lowerIsBetter: true,
        goal: { text: '< 20 ms', met: nps.ms < 20 && total === scanTotal },
        note: `median of ${RUNS} over HTTP (${nps.range}); ${check}${generated}${where}`,
      }),
      figure({
        group,
        name: 'GET /nps/trend (daily, one year)',
        value: trend.ms,
        unit: 'ms',
        baseline: { label: scans.label, value: scans.trend.ms },
        lowerIsBetter: true,
        goal: { text: '< 100 ms', met: trend.ms < 100 && trendMismatches === 0 && points.length === 365 },
        note: `median of ${RUNS} (${trend.range}); ${points.length} points, ${trendMismatches} differ from the full scan's daily counts`,
      }),
      figure({
        group,
        name: 'GET /nps?latestPerRespondent=true',
        value: latest.ms,
        unit: 'ms',
        baseline: { label: scans.label, value: scans.nps.ms },
        lowerIsBetter: true,
        goal: { text: '≤ 150 ms', met: latest.ms <= 150 },
        note: `median of ${SLOW_RUNS} (${latest.range}); the baseline counts every answer, not the latest`,
      }),
      figure({
        group,
        name: 'GET /nps/trend (daily, 90-day window, latestPerRespondent)',
        value: rolling.ms,
        unit: 'ms',
        baseline: { label: scans.label, value: scans.trend.ms },
        lowerIsBetter: true,
        goal: { text: '≤ 1 s', met: rolling.ms <= 1000 && rollingPoints === 365 },
        note: `median of ${SLOW_RUNS} (${rolling.range}); ${rollingPoints} points`,
      }),
      figure({
        group,
        name: 'GET /nps/breakdown?by=device',
        value: breakdown.ms,
        unit: 'ms',
        baseline: { label: scans.label, value: scans.breakdown.ms },
        lowerIsBetter: true,
        goal: {
          text: 'same counts as the full scan',
          met: breakdownMismatches === 0 && groups.length === scanPerDevice.size,
        },
        note: `median of ${RUNS} (${breakdown.range}); ${groups.length} groups, ${breakdownMismatches} differ from the full scan's counts`,
      }),
      ...declared,
    ]
  } finally {
    await collector.stop()
  }
}

/**
 * A breakdown by a dimension the survey declares (settings.breakdowns: read from the rollup) against the
 * same breakdown undeclared (every answer counted), in the same run: `metadata.plan` over the year, and
 * `device` over a range that starts and ends off the hour (the edges counted from the answers). The
 * survey is declared for the measurement and undeclared again after, so the cached dataset stays as it
 * was; declaring it (the PATCH, and the background count of both dimensions from 1,000,000 answers
 * that the reads wait for) is timed too. Both answers must be the same JSON but for `rollup`, which says
 * how each was counted.
 */
async function declaredBreakdowns(
  group: string,
  collectorUrl: string,
  surveyBase: string,
  adminKey: string,
  range: string,
): Promise<Figure[]> {
  const surveyPath = surveyBase.slice(collectorUrl.length)
  const offHour = `from=${encodeURIComponent(new Date(YEAR_FROM + 37 * 60_000).toISOString())}&to=${encodeURIComponent(new Date(YEAR_TO - 11 * 60_000).toISOString())}`
  const reads = [
    { name: 'metadata.plan', url: `${surveyBase}/nps/breakdown?by=metadata.plan&${range}` },
    { name: 'device, edges off the hour', url: `${surveyBase}/nps/breakdown?by=device&${offHour}` },
  ]
  const undeclared = []
  for (const read of reads) undeclared.push(await timeHttp(read.url, adminKey, RUNS))
  const started = performance.now()
  await adminRequest(collectorUrl, adminKey, 'PATCH', surveyPath, { breakdowns: ['device', 'metadata.plan'] })
  const patchMs = performance.now() - started
  const surveyId = surveyPath.split('/').at(-1)!
  for (const by of ['device', 'metadata.plan']) await counted(collectorUrl, adminKey, surveyId, by)
  const countedMs = performance.now() - started
  try {
    const figures: Figure[] = []
    for (const [i, read] of reads.entries()) {
      const rolled = await timeHttp(read.url, adminKey, RUNS)
      // Every figure the same; only `rollup` says how each was counted (counted, undeclared).
      const answered = (body: unknown) => JSON.stringify({ ...(body as object), rollup: undefined })
      const same = answered(rolled.body) === answered(undeclared[i]!.body)
      const groups = (rolled.body as { groups?: unknown[] }).groups?.length ?? 0
      figures.push(
        figure({
          group,
          name: `GET /nps/breakdown?by=${read.name}, declared (rollup)`,
          value: rolled.ms,
          unit: 'ms',
          baseline: {
            label: 'the same breakdown undeclared (counts every answer)',
            value: undeclared[i]!.ms,
          },
          lowerIsBetter: true,
          goal: { text: '≤ 50 ms, the same JSON as undeclared', met: rolled.ms <= 50 && same },
          note: `median of ${RUNS} (${rolled.range}; undeclared ${undeclared[i]!.range}); ${groups} groups; ${same ? 'same JSON' : 'DIFFERENT JSON'} as undeclared`,
        }),
      )
    }
    figures.push(
      figure({
        group,
        name: 'PATCH breakdowns: [device, metadata.plan]',
        value: patchMs,
        unit: 'ms',
        lowerIsBetter: true,
        note: `answered at once; both rollups then counted from 1,000,000 answers in batches of 20,000 (ingest waits one batch at most: see the stall section) in ${(countedMs / 1000).toFixed(1)} s`,
      }),
    )
    return figures
  } finally {
    await adminRequest(collectorUrl, adminKey, 'PATCH', surveyPath, { breakdowns: null })
  }
}

/**
 * The reads of each engine asked for, SQLite first. SQLite failing fails the section; PostgreSQL failing
 * (no server reachable, say) is reported as not measured beside SQLite's figures.
 */
export async function benchReads(
  engines: readonly Engine[] = ['sqlite', 'postgres'],
): Promise<SectionResult> {
  const result: SectionResult = { figures: [], errors: [] }
  if (engines.includes('sqlite')) {
    const data = await dataset('sqlite')
    result.figures.push(...(await readsOf(data, sqliteScans(data.db, data.surveyId))))
  }
  if (engines.includes('postgres')) {
    try {
      const data = await dataset('postgres')
      result.figures.push(...(await readsOf(data, await postgresScans(data.url, data.surveyId))))
    } catch (error) {
      result.errors.push({
        group: groupOf('postgres'),
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return result
}
