/**
 * The data lifecycle against ingest, on a real collector (SQLite, its CLI, power-safe durability):
 *
 * - Ingest while a retention run deletes a large batch. Each round imports ROWS answers two years old
 *   into a second survey (whose policy keeps 365 days), measures ingest of new answers alone for
 *   SECONDS, then starts the run (`POST /v1/surveys/:id/retention/run`) and measures ingest again for
 *   as long; the figure is the median of the per-round ratios (during ÷ alone). Goal: within 20%.
 *   The note says how long each run took, so a run shorter than the window (which would flatter the
 *   figure) shows.
 * - What `secure_delete` (on by default: erased text is overwritten in the file) costs ingest: the
 *   collector with `NPSKIT_SQLITE_SECURE_DELETE=off` and with it on, taking turns, median ratio.
 *
 * Both figures are ratios measured in the same run; on a shared 2-core machine they are noisy.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { autocannonLoad, haveWrk, type LoadFn, ORIGIN, wrkLoad } from './ingest.ts'
import { adminRequest, startCollector } from './lib/processes.ts'
import { type Figure, figure, median } from './lib/report.ts'

const GROUP = 'data lifecycle vs. ingest (SQLite)'
const ROWS = 30_000
const SECONDS = 4
const ROUNDS = 3
const SECURE_ROUNDS = 5
const SECURE_SECONDS = 2
const DAY = 86_400_000

function oldRows(count: number): Buffer {
  const start = Date.now() - 730 * DAY
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        id: randomUUID(),
        score: i % 11,
        comment: i % 3 === 0 ? `an old comment about checkout, number ${i}` : null,
        respondentId: `r${i % 40_000}`,
        createdAt: new Date(start + i * 60_000).toISOString(),
        metadata: { plan: i % 2 ? 'pro' : 'free' },
      }),
    )
  }
  return Buffer.from(`${lines.join('\n')}\n`)
}

async function surveyFor(url: string, adminKey: string, settings: object): Promise<string> {
  return (await adminRequest<{ id: string }>(url, adminKey, 'POST', '/v1/surveys', settings)).id
}

async function ingestDuringRetention(load: LoadFn): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-retention-'))
  const adminKey = `bench-admin-${randomUUID()}`
  const server = await startCollector({ db: join(dir, 'npskit.db'), adminKey, rateLimit: 0 })
  try {
    const live = await surveyFor(server.url, adminKey, { name: 'live', allowedOrigins: [ORIGIN] })
    // The policy is set just before each run, so the collector's own schedule (a tick a minute) finds
    // nothing to do before the first; after a run, it waits an hour.
    const old = await surveyFor(server.url, adminKey, { name: 'two years' })
    const ingestUrl = `${server.url}/v1/surveys/${live}/responses`
    const admin = (method: string, path: string, body?: Buffer | object) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminKey}`,
          'content-type': Buffer.isBuffer(body) ? 'application/x-ndjson' : 'application/json',
        },
        body:
          body === undefined
            ? undefined
            : Buffer.isBuffer(body)
              ? new Uint8Array(body)
              : JSON.stringify(body),
      })
    await load(ingestUrl, 2, 'v7') // warm-up
    const ratios: number[] = []
    const notes: string[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // Without a policy while importing: an import under one would leave such old rows out at once.
      await admin('PATCH', `/v1/surveys/${old}`, { retention: null })
      const imported = await admin('POST', `/v1/surveys/${old}/responses/import`, oldRows(ROWS))
      if (!imported.ok) throw new Error(`the import answered ${imported.status}`)
      await admin('PATCH', `/v1/surveys/${old}`, { retention: { days: 365, action: 'delete' } })
      const alone = await load(ingestUrl, SECONDS, 'v7')
      const started = performance.now()
      let took = Number.NaN
      const running = admin('POST', `/v1/surveys/${old}/retention/run`).then(async (res) => {
        took = performance.now() - started
        if (!res.ok) throw new Error(`the retention run answered ${res.status}`)
        return (await res.json()) as { deleted: number }
      })
      const during = await load(ingestUrl, SECONDS, 'v7')
      const run = await running
      if (run.deleted !== ROWS) throw new Error(`the run deleted ${run.deleted} of ${ROWS} answers`)
      ratios.push(during.rps / alone.rps)
      notes.push(
        `${alone.rps.toFixed(0)} → ${during.rps.toFixed(0)} req/s, run ${(took / 1000).toFixed(1)} s${during.non2xx ? `, ${during.non2xx} non-2xx` : ''}`,
      )
    }
    const ratio = median(ratios)
    return figure({
      group: GROUP,
      name: `ingest while a retention run deletes ${ROWS.toLocaleString('en-US')} answers (÷ ingest alone)`,
      value: ratio,
      unit: '×',
      ratio,
      lowerIsBetter: false,
      goal: { text: '≥ 0.8 (within 20%)', met: ratio >= 0.8 },
      note: `median of ${ROUNDS} rounds of ${SECONDS} s: ${notes.join('; ')}`,
    })
  } finally {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function secureDeleteCost(load: LoadFn): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-secure-delete-'))
  const start = async (secureDelete: 'on' | 'off') => {
    const adminKey = `bench-admin-${randomUUID()}`
    const server = await startCollector({
      db: join(dir, `secure-${secureDelete}.db`),
      adminKey,
      rateLimit: 0,
      secureDelete,
    })
    const id = await surveyFor(server.url, adminKey, { name: secureDelete, allowedOrigins: [ORIGIN] })
    return { server, url: `${server.url}/v1/surveys/${id}/responses` }
  }
  const off = await start('off')
  const on = await start('on')
  try {
    await load(off.url, 2, 'v7')
    await load(on.url, 2, 'v7')
    const ratios: number[] = []
    for (let round = 0; round < SECURE_ROUNDS; round++) {
      const a = await load(off.url, SECURE_SECONDS, 'v7')
      const b = await load(on.url, SECURE_SECONDS, 'v7')
      ratios.push(b.rps / a.rps)
    }
    const ratio = median(ratios)
    return figure({
      group: GROUP,
      name: 'ingest with secure_delete on (the default) ÷ off',
      value: ratio,
      unit: '×',
      ratio,
      lowerIsBetter: false,
      note: `median of ${SECURE_ROUNDS} rounds of ${SECURE_SECONDS} s each, the two collectors taking turns; per round ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
    })
  } finally {
    await off.server.stop()
    await on.server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function benchRetention(): Promise<Figure[]> {
  const load = (await haveWrk()) ? wrkLoad : autocannonLoad
  return [await ingestDuringRetention(load), await secureDeleteCost(load)]
}
