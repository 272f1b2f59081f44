/**
 * Heavy admin work against public latency, on a real collector (SQLite): while each heavy admin request
 * runs — a 300,000-row NDJSON import, `/themes` over 4,000 long comments, a 13 MB CSV with 200,000
 * columns, a 24 MiB NDJSON line without a newline, two breakdowns declared on those 300,000 answers
 * (counted in the background) — a probe sends `GET /healthz` and an answer's POST,
 * one every ~10 ms without waiting for the previous one, and its p99 latency during the work is reported
 * against the probe's p99 on the idle collector in the same run. Goal: no admin request delays the probe
 * by more than 100 ms.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminRequest, counted, type ServerProcess, startCollector } from './lib/processes.ts'
import { type Figure, figure, percentile } from './lib/report.ts'

const GROUP = 'admin work vs. public latency (SQLite)'
const ORIGIN = 'https://probe.example'
const PROBE_EVERY_MS = 10
const IDLE_MS = 3_000
const GOAL_MS = 100

interface Probe {
  /** Latencies in ms of the probe requests sent while it ran, and the messages of those that failed. */
  stop: () => Promise<{ latencies: number[]; failures: string[] }>
}

/** Fires a probe request every PROBE_EVERY_MS (open loop: a slow answer does not delay the next send). */
function probe(server: ServerProcess, surveyId: string): Probe {
  const latencies: number[] = []
  const failures: string[] = []
  const pending = new Set<Promise<void>>()
  let n = 0
  const send = () => {
    const started = performance.now()
    const request =
      n++ % 2 === 0
        ? fetch(`${server.url}/healthz`)
        : fetch(`${server.url}/v1/surveys/${surveyId}/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: ORIGIN },
            body: JSON.stringify({ id: randomUUID(), score: n % 11, comment: 'probe' }),
          })
    const done = request
      .then(async (res) => {
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`probe answered ${res.status}`)
        latencies.push(performance.now() - started)
      })
      .catch((error: Error) => {
        failures.push((error.cause as Error | undefined)?.message ?? error.message)
      })
      .finally(() => pending.delete(done))
    pending.add(done)
  }
  const timer = setInterval(send, PROBE_EVERY_MS)
  return {
    stop: async () => {
      clearInterval(timer)
      await Promise.all(pending)
      return { latencies, failures }
    },
  }
}

const WORDS =
  'checkout slow payment failed support helpful delivery late price expensive easy great app crashes login broken refund fast friendly confusing menu search results shipping tracking order missing quality excellent terrible account password reset email invoice discount coupon mobile desktop'.split(
    ' ',
  )

function longComment(i: number): string {
  let text = ''
  let k = i
  while (text.length < 1_990) {
    k = (k * 1_103_515_245 + 12_345) % 2_147_483_648
    text += `${WORDS[k % WORDS.length]}${k % 7 === 0 ? '. ' : ' '}`
  }
  return text.slice(0, 2_000)
}

function ndjsonRows(count: number, row: (i: number) => object): Buffer {
  const lines: string[] = []
  for (let i = 0; i < count; i++) lines.push(JSON.stringify(row(i)))
  return Buffer.from(`${lines.join('\n')}\n`)
}

/** A header of 200,000 columns and rows as wide: about 13 MB. */
function wideCsv(): Buffer {
  const columns = 200_000
  const header = ['id', 'score']
  for (let i = 2; i < columns; i++) header.push(`metadata.k${i}`)
  const lines = [header.join(',')]
  const cells = Array.from({ length: columns - 2 }, () => 'abcd').join(',')
  for (let r = 0; r < 9; r++) lines.push(`${randomUUID()},${r % 11},${cells}`)
  return Buffer.from(`${lines.join('\n')}\n`)
}

interface Work {
  name: string
  run: () => Promise<{ status: number | string }>
}

export async function benchAdminStall(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-stall-'))
  const adminKey = `bench-admin-${randomUUID()}`
  const server = await startCollector({ db: join(dir, 'npskit.db'), adminKey, rateLimit: 0 })
  try {
    const survey = await adminRequest<{ id: string }>(server.url, adminKey, 'POST', '/v1/surveys', {
      name: 'stall',
      allowedOrigins: [ORIGIN],
    })
    const admin = (path: string, init: { method?: string; type?: string; body?: Buffer } = {}) =>
      fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${adminKey}`,
          ...(init.type ? { 'content-type': init.type } : {}),
        },
        body: init.body === undefined ? undefined : new Uint8Array(init.body),
      }).then(
        async (res) => {
          await res.arrayBuffer()
          return { status: res.status }
        },
        (error: Error) => ({
          status: `error: ${(error.cause as Error | undefined)?.message ?? error.message}`,
        }),
      )
    const importPath = `/v1/surveys/${survey.id}/responses/import`

    // The themes survey's 4,000 long comments go in before any measurement.
    const themed = await adminRequest<{ id: string }>(server.url, adminKey, 'POST', '/v1/surveys', {
      name: 'themes',
    })
    const seeded = await admin(`/v1/surveys/${themed.id}/responses/import`, {
      method: 'POST',
      type: 'application/x-ndjson',
      body: ndjsonRows(4_000, (i) => ({
        id: randomUUID(),
        score: i % 11,
        comment: longComment(i),
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      })),
    })
    if (seeded.status !== 200) throw new Error(`seeding the themes survey answered ${seeded.status}`)

    const big = ndjsonRows(300_000, (i) => ({
      id: randomUUID(),
      score: i % 11,
      comment: i % 3 === 0 ? 'Checkout was slow but support helped' : null,
      respondentId: `r${i % 50_000}`,
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1_000).toISOString(),
      metadata: { plan: i % 2 ? 'pro' : 'free' },
    }))
    const csv = wideCsv()
    const line = Buffer.alloc(24 * 1024 * 1024, 'a')
    const works: Work[] = [
      {
        name: `NDJSON import, 300,000 rows (${(big.length / 2 ** 20).toFixed(0)} MiB)`,
        run: () => admin(importPath, { method: 'POST', type: 'application/x-ndjson', body: big }),
      },
      {
        name: '/themes over 4,000 comments of 2,000 characters',
        run: () => admin(`/v1/surveys/${themed.id}/themes?category=detractor`),
      },
      {
        name: `CSV import, 200,000 columns (${(csv.length / 2 ** 20).toFixed(0)} MiB)`,
        run: () => admin(importPath, { method: 'POST', type: 'text/csv', body: csv }),
      },
      {
        name: 'NDJSON import, one 24 MiB line without a newline',
        run: () => admin(importPath, { method: 'POST', type: 'application/x-ndjson', body: line }),
      },
      {
        // After the first import: the survey holds 300,000 answers, counted in batches after the PATCH.
        name: 'declaring two breakdowns on 300,000 answers, until both are counted',
        run: async () => {
          const declared = await fetch(`${server.url}/v1/surveys/${survey.id}`, {
            method: 'PATCH',
            headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ breakdowns: ['device', 'metadata.plan'] }),
          })
          await declared.arrayBuffer()
          if (!declared.ok) return { status: declared.status }
          try {
            for (const by of ['device', 'metadata.plan']) await counted(server.url, adminKey, survey.id, by)
          } catch (error) {
            return { status: `error: ${(error as Error).message}` }
          }
          return { status: declared.status }
        },
      },
    ]

    // Idle first: the same probe on the same collector with nothing else running.
    const idleProbe = probe(server, survey.id)
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS))
    const idle = percentile((await idleProbe.stop()).latencies, 99)

    const figures: Figure[] = []
    for (const work of works) {
      const during = probe(server, survey.id)
      const started = performance.now()
      const { status } = await work.run()
      const took = performance.now() - started
      const { latencies, failures } = await during.stop()
      const p99 = percentile(latencies, 99)
      figures.push(
        figure({
          group: GROUP,
          name: `probe p99 during ${work.name}`,
          value: p99,
          unit: 'ms',
          baseline: { label: 'probe p99, idle', value: idle },
          lowerIsBetter: true,
          goal: { text: `≤ ${GOAL_MS} ms`, met: p99 <= GOAL_MS },
          note: `the request answered ${status} after ${took.toFixed(0)} ms; ${latencies.length} probes, slowest ${Math.max(...latencies).toFixed(0)} ms${failures.length ? `; ${failures.length} failed (${[...new Set(failures)].join(', ')})` : ''}`,
        }),
      )
    }
    return figures
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
