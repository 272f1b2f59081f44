/**
 * Ingest: `POST /v1/surveys/:id/responses` under concurrent load, every request with a fresh UUID, on the
 * real collector (rate limit off) and on the bare Hono baseline with the same body. Also samples the
 * collector's peak RSS and checks afterwards that every acknowledged answer is in the database.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon, { type Result } from 'autocannon'
import Database from 'better-sqlite3'
import { adminRequest, repoRoot, samplePeakRss, startCollector, startServer } from './lib/processes.ts'
import { type Figure, figure } from './lib/report.ts'

const ORIGIN = 'https://shop.example'
const CONNECTIONS = 50
const WARMUP_SECONDS = 2
const SECONDS = 8

function body(): string {
  return JSON.stringify({
    id: randomUUID(),
    score: Math.floor(Math.random() * 11),
    respondentId: `user-${Math.floor(Math.random() * 1e6)}`,
    locale: 'en',
    url: 'https://shop.example/checkout/done',
    metadata: { plan: 'pro', seats: 12 },
  })
}

async function load(url: string, seconds: number, acknowledged?: { count: number }): Promise<Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        setupRequest: (req) => ({ ...req, body: body() }),
        onResponse: (status) => {
          if (acknowledged && status >= 200 && status < 300) acknowledged.count++
        },
      },
    ],
  })
}

function describe(result: Result) {
  const total = result.requests.total
  const ok = total - result.non2xx
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: result.statusCodeStats,
  }
}

export async function benchIngest(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-ingest-'))
  try {
    const bare = await startServer(join(repoRoot, 'bench', 'baseline-server.ts'), { NPSKIT_PORT: '0' })
    let bareStats: ReturnType<typeof describe>
    let barePeak: number
    try {
      const url = `${bare.url}/v1/surveys/srv_bench/responses`
      const rss = samplePeakRss(bare.pid)
      await load(url, WARMUP_SECONDS)
      bareStats = describe(await load(url, SECONDS))
      barePeak = rss.stop()
    } finally {
      await bare.stop()
    }

    const adminKey = `bench-admin-${randomUUID()}`
    const db = join(dir, 'ingest.db')
    const collector = await startCollector({ db, adminKey, rateLimit: 0 })
    let stats: ReturnType<typeof describe>
    let peak: number
    const acknowledged = { count: 0 }
    let surveyId: string
    try {
      const survey = await adminRequest<{ id: string }>(collector.url, adminKey, 'POST', '/v1/surveys', {
        name: 'Bench ingest',
        allowedOrigins: [ORIGIN],
      })
      surveyId = survey.id
      const url = `${collector.url}/v1/surveys/${surveyId}/responses`
      const rss = samplePeakRss(collector.pid)
      await load(url, WARMUP_SECONDS, acknowledged)
      const result = await load(url, SECONDS, acknowledged)
      peak = rss.stop()
      stats = describe(result)
    } finally {
      await collector.stop()
    }
    const check = new Database(db, { readonly: true })
    const stored = check.prepare('SELECT count(*) AS n FROM responses WHERE survey_id = ?').get(surveyId) as {
      n: number
    }
    check.close()

    const note = `${CONNECTIONS} connections, ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up, unique UUID per request`
    return [
      figure({
        group: 'ingest',
        name: 'POST /responses throughput',
        value: stats.rps,
        unit: 'req/s',
        baseline: { label: 'bare Hono', value: bareStats.rps },
        lowerIsBetter: false,
        goal: { text: '≥ 0.7× bare Hono', met: stats.rps >= 0.7 * bareStats.rps },
        note: `${note}; non-2xx ${stats.non2xx}, errors ${stats.errors}; baseline non-2xx ${bareStats.non2xx}`,
      }),
      figure({
        group: 'ingest',
        name: 'POST /responses latency p50',
        value: stats.p50,
        unit: 'ms',
        baseline: { label: 'bare Hono', value: bareStats.p50 },
        lowerIsBetter: true,
      }),
      figure({
        group: 'ingest',
        name: 'POST /responses latency p99',
        value: stats.p99,
        unit: 'ms',
        baseline: { label: 'bare Hono', value: bareStats.p99 },
        lowerIsBetter: true,
      }),
      figure({
        group: 'ingest',
        name: 'acknowledged answers found in the database',
        value: stored.n,
        unit: '',
        baseline: { label: '2xx answers', value: acknowledged.count },
        lowerIsBetter: false,
        goal: { text: 'every 2xx stored', met: stored.n >= acknowledged.count },
      }),
      figure({
        group: 'memory',
        name: 'collector peak RSS during ingest',
        value: peak / 2 ** 20,
        unit: 'MiB',
        baseline: { label: 'bare Hono', value: barePeak / 2 ** 20 },
        lowerIsBetter: true,
        note: 'VmHWM of the collector process, sampled every 100 ms',
      }),
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
