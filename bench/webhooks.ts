/**
 * Ingest with a webhook endpoint: the same widget answers as the ingest section, against two SQLite
 * collectors that differ only in that one survey has an endpoint subscribed to every event (a receiver
 * on loopback, bench/webhook-receiver.ts), so each answer also becomes a `response.created` delivery
 * and each detractor a case (the default rule) and a `case.opened` one. The follow-up waits for no
 * comment (`NPSKIT_FOLLOW_UP_SETTLE_SECONDS=0`): the dispatcher and the sender work while the load
 * runs, the worst case for ingest. The two take turns as in the ingest section (this VM's speed
 * drifts), and the figure is the median of the rounds' ratios; goal: within 10 % of the collector
 * without an endpoint.
 *
 * Afterwards the bench waits for the outbox to drain and counts: every delivery the answers caused must
 * have reached the receiver, and it says how long after the load the last one did.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { autocannonLoad, CONNECTIONS, haveWrk, type Load, type LoadFn, ORIGIN, wrkLoad } from './ingest.ts'
import { adminRequest, repoRoot, type ServerProcess, startCollector, startServer } from './lib/processes.ts'
import { figure, median, type SectionResult } from './lib/report.ts'

const ROUNDS = 10
const SECONDS = 2
const WARMUP_SECONDS = 2
/** How long the bench waits for the outbox to drain after the load. */
const DRAIN_LIMIT_MS = 180_000
const GROUP = 'ingest with a webhook endpoint, SQLite'

interface Side {
  server: ServerProcess
  url: string
  db: string
  surveyId: string
}

async function side(dir: string, name: string, receiver: string | undefined): Promise<Side> {
  const adminKey = `bench-admin-${randomUUID()}`
  const db = join(dir, `${name}.db`)
  const server = await startCollector({
    db,
    adminKey,
    rateLimit: 0,
    extra: { NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'true', NPSKIT_FOLLOW_UP_SETTLE_SECONDS: '0' },
  })
  const survey = await adminRequest<{ id: string }>(server.url, adminKey, 'POST', '/v1/surveys', {
    name: `Bench webhooks (${name})`,
    allowedOrigins: [ORIGIN],
  })
  if (receiver) {
    await adminRequest(server.url, adminKey, 'POST', '/v1/webhooks', {
      url: `${receiver}/hooks`,
      surveyId: survey.id,
    })
  }
  return { server, url: `${server.url}/v1/surveys/${survey.id}/responses`, db, surveyId: survey.id }
}

/** The outbox of a collector's file: deliveries by status. */
function outbox(db: string): { pending: number; delivered: number; failed: number } {
  const check = new Database(db, { readonly: true })
  try {
    const rows = check
      .prepare('SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status')
      .all() as {
      status: 'pending' | 'delivered' | 'failed'
      n: number
    }[]
    const counts = { pending: 0, delivered: 0, failed: 0 }
    for (const row of rows) counts[row.status] = row.n
    return counts
  } finally {
    check.close()
  }
}

/** How many answers of the survey are stored, and how many of them are detractors. */
function answers(db: string, surveyId: string): { all: number; detractors: number } {
  const check = new Database(db, { readonly: true })
  try {
    return check
      .prepare(
        'SELECT count(*) AS "all", count(*) FILTER (WHERE score <= 6) AS detractors FROM responses WHERE survey_id = ?',
      )
      .get(surveyId) as { all: number; detractors: number }
  } finally {
    check.close()
  }
}

const received = async (receiver: string) =>
  ((await (await fetch(`${receiver}/count`)).json()) as { count: number }).count

export async function benchWebhooks(): Promise<SectionResult> {
  const wrk = await haveWrk()
  const load: LoadFn = wrk ? wrkLoad : autocannonLoad
  const tool = wrk ? 'wrk' : 'autocannon (wrk not installed)'
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-webhooks-'))
  const receiver = await startServer(join(repoRoot, 'bench', 'webhook-receiver.ts'), { NPSKIT_PORT: '0' })
  let plain: Side | undefined
  let hooked: Side | undefined
  try {
    plain = await side(dir, 'without', undefined)
    hooked = await side(dir, 'with', receiver.url)
    await load(plain.url, WARMUP_SECONDS, 'v7')
    await load(hooked.url, WARMUP_SECONDS, 'v7')
    const without: Load[] = []
    const withEndpoint: Load[] = []
    const ratios: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const a = await load(plain.url, SECONDS, 'v7')
      const b = await load(hooked.url, SECONDS, 'v7')
      without.push(a)
      withEndpoint.push(b)
      ratios.push(b.rps / a.rps)
    }
    const loadEnded = Date.now()
    const backlog = outbox(hooked.db)
    let drainedAt: number | undefined
    while (Date.now() - loadEnded < DRAIN_LIMIT_MS) {
      const { pending } = outbox(hooked.db)
      const stored = answers(hooked.db, hooked.surveyId)
      const { delivered, failed } = outbox(hooked.db)
      // Drained: nothing pending, and every answer (and detractor case) has become a delivery.
      if (pending === 0 && delivered + failed >= stored.all + stored.detractors) {
        drainedAt = Date.now()
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const stored = answers(hooked.db, hooked.surveyId)
    const final = outbox(hooked.db)
    const expected = stored.all + stored.detractors
    const arrived = await received(receiver.url)
    const ratio = median(ratios)
    return {
      figures: [
        figure({
          group: GROUP,
          name: `POST /responses throughput with a webhook endpoint, ${ROUNDS} rounds`,
          value: median(withEndpoint.map((l) => l.rps)),
          unit: 'req/s',
          baseline: { label: 'the same collector, no endpoint', value: median(without.map((l) => l.rps)) },
          ratio,
          lowerIsBetter: false,
          goal: { text: '≥ 0.9× without an endpoint', met: ratio >= 0.9 },
          note: `every answer a response.created delivery, every detractor a case and a case.opened delivery, dispatched with no settle time; ${tool}, ${CONNECTIONS} connections, ${SECONDS} s turns; per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; ${backlog.pending} deliveries were pending when the load stopped`,
        }),
        figure({
          group: GROUP,
          name: 'deliveries that reached the receiver',
          value: arrived,
          unit: '',
          baseline: { label: 'answers + detractor cases stored', value: expected },
          lowerIsBetter: false,
          goal: { text: 'every one delivered', met: final.delivered >= expected && arrived >= expected },
          note: `outbox: ${final.delivered} delivered, ${final.pending} pending, ${final.failed} failed; the receiver counts each request (a retry counts again)`,
        }),
        figure({
          group: GROUP,
          name: 'outbox drained after the load',
          value: drainedAt === undefined ? DRAIN_LIMIT_MS / 1000 : (drainedAt - loadEnded) / 1000,
          unit: 's',
          lowerIsBetter: true,
          note:
            drainedAt === undefined
              ? `not drained within ${DRAIN_LIMIT_MS / 1000} s`
              : `${backlog.pending} deliveries pending at the end of the load, sent at about ${Math.round(backlog.pending / Math.max(0.001, (drainedAt - loadEnded) / 1000))}/s once it stopped`,
        }),
      ],
      errors: [],
    }
  } finally {
    await plain?.server.stop()
    await hooked?.server.stop()
    await receiver.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
