/**
 * Reads on 1,000,000 answers over a year: the collector's `/nps`, a year of daily `/nps/trend` and a
 * `/nps/breakdown?by=device`, each timed over HTTP on the real collector, against the same aggregate run as
 * plain SQL with `NOT INDEXED` (a full table scan) on the same file in the same run.
 */
import Database from 'better-sqlite3'
import { type Dataset, dataset, YEAR_FROM, YEAR_TO } from './dataset.ts'
import { startCollector } from './lib/processes.ts'
import { type Figure, figure, median } from './lib/report.ts'

const RUNS = 15
const BASELINE_RUNS = 3
const DAY = 86_400_000

async function timeHttp(url: string, adminKey: string, runs: number): Promise<{ ms: number; body: unknown }> {
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
  return { ms: median(times), body }
}

function timeSql(db: Database.Database, sql: string, params: unknown[], runs: number, warmUp = false) {
  const statement = db.prepare(sql)
  const times: number[] = []
  let rows: unknown[] = []
  for (let i = warmUp ? -1 : 0; i < runs; i++) {
    const started = performance.now()
    rows = statement.all(...params)
    if (i >= 0) times.push(performance.now() - started)
  }
  return { ms: median(times), rows }
}

export async function benchReads(): Promise<{ figures: Figure[]; data: Dataset }> {
  const data = await dataset()
  const from = new Date(YEAR_FROM).toISOString()
  const to = new Date(YEAR_TO).toISOString()
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`
  // The baseline reads a copy-free, read-only handle of the same file, while the collector is stopped.
  const db = new Database(data.db, { readonly: true })
  const where = 'survey_id = ? AND created_at >= ? AND created_at < ?'
  const params = [data.surveyId, YEAR_FROM, YEAR_TO]
  const scanNps = timeSql(
    db,
    `SELECT score, count(*) AS n FROM responses NOT INDEXED WHERE ${where} GROUP BY score`,
    params,
    BASELINE_RUNS,
    // One untimed scan first brings the file into the page cache for every baseline query.
    true,
  )
  const scanTrend = timeSql(
    db,
    `SELECT CAST((created_at - ?) / ${DAY} AS INTEGER) AS day, score, count(*) AS n FROM responses NOT INDEXED
     WHERE ${where} GROUP BY day, score`,
    [YEAR_FROM, ...params],
    BASELINE_RUNS,
  )
  const scanBreakdown = timeSql(
    db,
    `SELECT device, score, count(*) AS n FROM responses NOT INDEXED WHERE ${where} GROUP BY device, score`,
    params,
    BASELINE_RUNS,
  )
  const scanTotal = (scanNps.rows as { n: number }[]).reduce((sum, r) => sum + r.n, 0)
  db.close()

  const collector = await startCollector({ db: data.db, adminKey: data.adminKey })
  try {
    const base = `${collector.url}/v1/surveys/${data.surveyId}`
    const nps = await timeHttp(`${base}/nps?${range}`, data.adminKey, RUNS)
    const trend = await timeHttp(`${base}/nps/trend?interval=day&${range}`, data.adminKey, RUNS)
    const breakdown = await timeHttp(`${base}/nps/breakdown?by=device&${range}`, data.adminKey, RUNS)
    const total = (nps.body as { total?: number }).total
    const points = (trend.body as { points?: { start: string; total: number }[] }).points ?? []
    const groups = (breakdown.body as { groups?: { value: string | null; total: number }[] }).groups ?? []
    const check = `answers counted: API ${total}, full scan ${scanTotal}`
    // The fast answers must also be the right ones: per day and per device, as the full scan counts them.
    const scanPerDay = new Map<number, number>()
    for (const r of scanTrend.rows as { day: number; n: number }[]) {
      scanPerDay.set(r.day, (scanPerDay.get(r.day) ?? 0) + r.n)
    }
    const trendMismatches = points.filter(
      (p) => (scanPerDay.get(Math.round((Date.parse(p.start) - YEAR_FROM) / DAY)) ?? 0) !== p.total,
    ).length
    const scanPerDevice = new Map<string | null, number>()
    for (const r of scanBreakdown.rows as { device: string | null; n: number }[]) {
      scanPerDevice.set(r.device, (scanPerDevice.get(r.device) ?? 0) + r.n)
    }
    const breakdownMismatches = groups.filter((g) => scanPerDevice.get(g.value) !== g.total).length
    return {
      data,
      figures: [
        figure({
          group: 'reads (1,000,000 answers over a year)',
          name: 'GET /nps',
          value: nps.ms,
          unit: 'ms',
          baseline: { label: 'full-scan SQL, in-process', value: scanNps.ms },
          lowerIsBetter: true,
          goal: { text: '< 20 ms', met: nps.ms < 20 && total === scanTotal },
          note: `median of ${RUNS} over HTTP; ${check}${data.generatedInSeconds ? `; dataset generated in ${data.generatedInSeconds.toFixed(1)} s` : ''}`,
        }),
        figure({
          group: 'reads (1,000,000 answers over a year)',
          name: 'GET /nps/trend (daily, one year)',
          value: trend.ms,
          unit: 'ms',
          baseline: { label: 'full-scan SQL, in-process', value: scanTrend.ms },
          lowerIsBetter: true,
          goal: { text: '< 100 ms', met: trend.ms < 100 && trendMismatches === 0 && points.length === 365 },
          note: `median of ${RUNS}; ${points.length} points, ${trendMismatches} differ from the full scan's daily counts`,
        }),
        figure({
          group: 'reads (1,000,000 answers over a year)',
          name: 'GET /nps/breakdown?by=device',
          value: breakdown.ms,
          unit: 'ms',
          baseline: { label: 'full-scan SQL, in-process', value: scanBreakdown.ms },
          lowerIsBetter: true,
          goal: {
            text: 'same counts as the full scan',
            met: breakdownMismatches === 0 && groups.length === scanPerDevice.size,
          },
          note: `median of ${RUNS}; ${groups.length} groups, ${breakdownMismatches} differ from the full scan's counts`,
        }),
      ],
    }
  } finally {
    await collector.stop()
  }
}
