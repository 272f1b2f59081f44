/**
 * Ingest with a webhook endpoint: the same widget answers as the ingest section, against two SQLite
 * collectors that differ only in that one survey has an endpoint subscribed to every event (a receiver
 * on loopback, bench/webhook-receiver.ts), so each answer also becomes a `response.created` delivery
 * and each detractor a case (the default rule) and a `case.opened` one. The follow-up waits for no
 * comment (`NPSKIT_FOLLOW_UP_SETTLE_SECONDS=0`): the dispatcher and the sender work while the load
 * runs, the worst case for ingest. The two take turns as in the ingest section (this VM's speed
 * drifts), and the figure is the median of the rounds' ratios; goal: within 10 % of the collector
 * without an endpoint. The collector whose turn it is not is frozen (SIGSTOP) until its next turn:
 * otherwise the one with the endpoint would catch up on its deliveries during the other's turn, taking
 * the CPU from the baseline and making itself look faster than it is.
 *
 * Afterwards the bench waits a while and says how far the collector got: how many deliveries it made
 * of those the answers call for, and how many it sent per second once the load stopped. (20 s of
 * saturating load is more answers than most surveys get in a year; that none is lost is checked by
 * tests/reliability/webhook-crash.test.ts.)
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
const DRAIN_LIMIT_MS = 120_000
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
    const a = plain
    const b = hooked
    // One turn of one collector, the other frozen meanwhile.
    const turn = async (own: Side, other: Side, seconds: number) => {
      process.kill(other.server.pid, 'SIGSTOP')
      try {
        return await load(own.url, seconds, 'v7')
      } finally {
        process.kill(other.server.pid, 'SIGCONT')
      }
    }
    await turn(a, b, WARMUP_SECONDS)
    await turn(b, a, WARMUP_SECONDS)
    const without: Load[] = []
    const withEndpoint: Load[] = []
    const ratios: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const x = await turn(a, b, SECONDS)
      const y = await turn(b, a, SECONDS)
      without.push(x)
      withEndpoint.push(y)
      ratios.push(y.rps / x.rps)
    }
    await plain.server.stop()
    const loadEnded = Date.now()
    const deliveredAtEnd = outbox(hooked.db).delivered
    const backlog = outbox(hooked.db)
    const stillToMake = answers(hooked.db, hooked.surveyId)
    const notYetMade =
      stillToMake.all + stillToMake.detractors - (backlog.pending + backlog.delivered + backlog.failed)
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
    const drainSeconds = ((drainedAt ?? Date.now()) - loadEnded) / 1000
    const sentWhileDraining = final.delivered - deliveredAtEnd
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
          note: `every answer a response.created delivery, every detractor a case and a case.opened delivery, dispatched with no settle time; the collector not on its turn frozen (SIGSTOP); ${tool}, ${CONNECTIONS} connections, ${SECONDS} s turns; per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; when the load stopped, ${backlog.delivered} deliveries had been sent, ${backlog.pending} were pending and ${notYetMade} not yet made (the dispatcher takes small steps while requests keep the thread busy)`,
        }),
        figure({
          group: GROUP,
          name: `deliveries made when the bench stopped waiting (at most ${DRAIN_LIMIT_MS / 1000} s)`,
          value: final.delivered + final.pending + final.failed,
          unit: '',
          baseline: { label: 'answers + detractor cases stored', value: expected },
          lowerIsBetter: false,
          note: `the dispatcher catches up after the burst; outbox then: ${final.delivered} delivered, ${final.pending} pending, ${final.failed} failed, ${expected - (final.delivered + final.pending + final.failed)} still to make; the receiver counted ${arrived} requests (a retry counts again). That none is lost is what tests/reliability/webhook-crash.test.ts checks`,
        }),
        figure({
          group: GROUP,
          name: 'deliveries sent per second after the load',
          value: sentWhileDraining / Math.max(0.001, drainSeconds),
          unit: '/s',
          lowerIsBetter: false,
          note:
            drainedAt === undefined
              ? `${sentWhileDraining} sent in the ${DRAIN_LIMIT_MS / 1000} s the bench waits; ${final.pending} still pending (they go out after it stops waiting)`
              : `the outbox was empty ${drainSeconds.toFixed(1)} s after the load: ${sentWhileDraining} sent meanwhile`,
        }),
      ],
      errors: [],
    }
  } finally {
    for (const side of [plain, hooked]) {
      try {
        if (side) process.kill(side.server.pid, 'SIGCONT')
      } catch {
        // Gone already.
      }
    }
    await plain?.server.stop()
    await hooked?.server.stop()
    await receiver.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
