/**
 * Ingest: `POST /v1/surveys/:id/responses` under concurrent load, every request a new answer exactly as
 * the widget sends it from Chromium (text/plain, the browser's headers, a UUIDv7), against the real
 * collector (its CLI, rate limit off, default power-safe durability) and against the bare Hono baseline
 * (bench/baseline-server.ts) with the same requests.
 *
 * This machine's speed drifts by a third over a minute (a shared VM), more than any change we measure,
 * so the two servers run side by side and take turns: ROUNDS rounds of SECONDS each, bare then collector,
 * and the figure is the median of the per-round ratios. The load comes from wrk when it is installed
 * (`apt-get install wrk`: a C client that leaves most of the two cores to the servers), else autocannon.
 *
 * The collector also runs with random v4 ids, as any other API client may send (its worst case: each
 * answer lands at a random place of the primary key), and with `NPSKIT_SYNC=normal` (acknowledged once
 * committed to the WAL: durable against a crash of the process, not of the machine), both for comparison
 * only. Afterwards the bench counts the rows: every acknowledged answer must be in the database.
 *
 * Then the same headline protocol on PostgreSQL (`NPSKIT_DATABASE_URL`): a fresh database on the server
 * of `NPSKIT_BENCH_DATABASE_URL` (default the local one), dropped afterwards; an answer is acknowledged
 * after PostgreSQL's COMMIT (the collector groups the answers that arrive together into one statement
 * and commit), and the notes say what the server's settings make of a commit. Without a reachable
 * server, the PostgreSQL figures are reported as not measured and SQLite's stand.
 */
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import type { Engine } from './dataset.ts'
import {
  connect,
  connectServer,
  createDatabase,
  databaseUrl,
  describe,
  dropDatabase,
  durabilitySettings,
  serverUrl,
} from './lib/postgres.ts'
import {
  adminRequest,
  peakRss,
  repoRoot,
  type ServerProcess,
  samplePeakRss,
  startCollector,
  startServer,
} from './lib/processes.ts'
import { figure, median, type SectionResult } from './lib/report.ts'

export const ORIGIN = 'https://shop.example'
export const CONNECTIONS = 50
const WARMUP_SECONDS = 2
const SECONDS = 2
const ROUNDS = 15
/** Rounds of the comparison-only variants. */
const SHORT_ROUNDS = 3
/** Rounds of the PostgreSQL headline (fewer than SQLite's, to keep the whole bench near its length). */
const POSTGRES_ROUNDS = 7

/** What Chromium sends with the widget's preflight-free `fetch(…, { keepalive: true })`. */
const HEADERS: Record<string, string> = {
  'Content-Type': 'text/plain;charset=UTF-8',
  Origin: ORIGIN,
  'User-Agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  'sec-ch-ua': '"Chromium";v="156", "Not)A;Brand";v="24"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Linux"',
  Accept: '*/*',
  'Sec-Fetch-Site': 'cross-site',
  'Sec-Fetch-Mode': 'cors',
  'Sec-Fetch-Dest': 'empty',
  Referer: `${ORIGIN}/`,
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Accept-Language': 'en-US,en;q=0.9',
}

export type IdKind = 'v7' | 'v4'

export interface Load {
  requests: number
  ok: number
  non2xx: number
  errors: number
  rps: number
  p50: number
  p99: number
}

/** A UUIDv7 laid out as the widget makes them (widget/src/loader/core.ts): 48-bit ms, version 7, random. */
function uuidV7(): string {
  const time = Date.now().toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(-21)}`
}

function body(ids: IdKind): string {
  return JSON.stringify({
    id: ids === 'v7' ? uuidV7() : randomUUID(),
    score: Math.floor(Math.random() * 11),
    respondentId: uuidV7(),
    locale: 'en-US',
    url: `${ORIGIN}/checkout/done`,
    metadata: { plan: 'pro', seats: 12 },
  })
}

/** Whether wrk is on the PATH. */
export function haveWrk(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('wrk', ['--version'], { stdio: 'ignore' })
    child.once('error', () => resolve(false))
    child.once('exit', () => resolve(true))
  })
}

export function wrkLoad(url: string, seconds: number, ids: IdKind): Promise<Load> {
  const script = join(repoRoot, 'bench', 'wrk-answer.lua')
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, url]
  const headers = Object.entries(HEADERS)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, WRK_HEADERS: headers, IDS: ids } })
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.stderr.on('data', (chunk) => {
      out += chunk
    })
    child.once('error', reject)
    child.once('exit', () => {
      const line = /WRK_RESULT (\{.*\})/.exec(out)?.[1]
      if (!line) return reject(new Error(`wrk printed no result:\n${out}`))
      const r = JSON.parse(line) as Omit<Load, 'ok' | 'rps'> & { seconds: number }
      const ok = r.requests - r.non2xx
      resolve({ ...r, ok, rps: ok / r.seconds })
    })
  })
}

export async function autocannonLoad(url: string, seconds: number, ids: IdKind): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'POST', headers: HEADERS, setupRequest: (req) => ({ ...req, body: body(ids) }) }],
  })
  const ok = result.requests.total - result.non2xx
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }
}

/** A collector under test: its process, the URL to post answers to, and its rows counted at the end. */
interface Target {
  server: ServerProcess
  url: string
  /** Stops the process and answers how many of the survey's answers are stored. */
  stopAndCount(): Promise<number>
}

async function createSurvey(server: ServerProcess, adminKey: string, name: string): Promise<string> {
  const survey = await adminRequest<{ id: string }>(server.url, adminKey, 'POST', '/v1/surveys', {
    name: `Bench ingest (${name})`,
    allowedOrigins: [ORIGIN],
  })
  return survey.id
}

/** The collector on a new SQLite file under one configuration. */
async function sqliteCollector(dir: string, name: string, sync: 'full' | 'normal'): Promise<Target> {
  const adminKey = `bench-admin-${randomUUID()}`
  const db = join(dir, `ingest-${name}.db`)
  const server = await startCollector({ db, adminKey, rateLimit: 0, sync })
  const surveyId = await createSurvey(server, adminKey, name)
  return {
    server,
    url: `${server.url}/v1/surveys/${surveyId}/responses`,
    async stopAndCount(): Promise<number> {
      await server.stop()
      const check = new Database(db, { readonly: true })
      try {
        return check
          .prepare('SELECT count(*) FROM responses WHERE survey_id = ?')
          .pluck()
          .get(surveyId) as number
      } finally {
        check.close()
      }
    },
  }
}

/** The collector on a PostgreSQL database (created by the caller, empty). */
async function postgresCollector(url: string, name: string): Promise<Target> {
  const adminKey = `bench-admin-${randomUUID()}`
  const server = await startCollector({ databaseUrl: url, adminKey, rateLimit: 0 })
  const surveyId = await createSurvey(server, adminKey, name).catch(async (error: unknown) => {
    await server.stop()
    throw error
  })
  return {
    server,
    url: `${server.url}/v1/surveys/${surveyId}/responses`,
    async stopAndCount(): Promise<number> {
      await server.stop()
      const check = connect(url)
      try {
        const [row] = await check<
          { n: number }[]
        >`SELECT count(*) AS n FROM responses WHERE survey_id = ${surveyId}`
        return row?.n ?? 0
      } finally {
        await check.end()
      }
    },
  }
}

interface Comparison {
  /** Per round: collector req/s ÷ bare req/s. */
  ratios: number[]
  bare: Load[]
  collector: Load[]
  acknowledged: number
  stored: number
  peakRss: number
}

export type LoadFn = (url: string, seconds: number, ids: IdKind) => Promise<Load>

/** Bare and collector take turns, `rounds` times, after a warm-up of each. */
async function compare(
  load: LoadFn,
  bare: ServerProcess,
  start: () => Promise<Target>,
  ids: IdKind,
  rounds: number,
): Promise<Comparison> {
  const bareUrl = `${bare.url}/v1/surveys/srv_bench/responses`
  const c = await start()
  const rss = samplePeakRss(c.server.pid)
  const result: Comparison = { ratios: [], bare: [], collector: [], acknowledged: 0, stored: 0, peakRss: 0 }
  try {
    await load(bareUrl, WARMUP_SECONDS, ids)
    result.acknowledged += (await load(c.url, WARMUP_SECONDS, ids)).ok
    for (let round = 0; round < rounds; round++) {
      const b = await load(bareUrl, SECONDS, ids)
      const r = await load(c.url, SECONDS, ids)
      result.acknowledged += r.ok
      result.bare.push(b)
      result.collector.push(r)
      result.ratios.push(r.rps / b.rps)
    }
  } finally {
    result.peakRss = rss.stop()
    result.stored = await c.stopAndCount()
  }
  return result
}

const spread = (ratios: number[]) =>
  `per-round ratios ${ratios.map((r) => r.toFixed(2)).join(', ')} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`

const how = (tool: string) =>
  `${tool}, ${CONNECTIONS} connections, ${SECONDS} s per turn after ${WARMUP_SECONDS} s warm-ups`

const totals = (run: Comparison) =>
  `non-2xx ${run.collector.reduce((n, l) => n + l.non2xx, 0)}, errors ${run.collector.reduce((n, l) => n + l.errors, 0)}`

const throughput = (
  group: string,
  run: Comparison,
  name: string,
  goal: number | undefined,
  note: string,
  tool: string,
) =>
  figure({
    group,
    name,
    value: median(run.collector.map((l) => l.rps)),
    unit: 'req/s',
    baseline: { label: 'bare Hono, same rounds', value: median(run.bare.map((l) => l.rps)) },
    ratio: median(run.ratios),
    lowerIsBetter: false,
    ...(goal !== undefined
      ? { goal: { text: `≥ ${goal}× bare Hono`, met: median(run.ratios) >= goal } }
      : {}),
    note: `${note}; ${how(tool)}; ${spread(run.ratios)}; ratio = median of the rounds' ratios; ${totals(run)}`,
  })

const latency = (group: string, run: Comparison, name: string, pick: (l: Load) => number) =>
  figure({
    group,
    name: `POST /responses latency ${name}, widget ids`,
    value: median(run.collector.map(pick)),
    unit: 'ms',
    baseline: { label: 'bare Hono', value: median(run.bare.map(pick)) },
    lowerIsBetter: true,
  })

const stored = (group: string, run: Comparison, name: string) =>
  figure({
    group,
    name: `acknowledged answers found in the database, ${name}`,
    value: run.stored,
    unit: '',
    baseline: { label: '2xx answers', value: run.acknowledged },
    lowerIsBetter: false,
    goal: { text: 'every 2xx stored', met: run.stored >= run.acknowledged },
  })

const SQLITE = 'ingest, SQLite'
const POSTGRES = 'ingest, PostgreSQL'

/** SQLite's figures: the headline, its latencies, the two comparison runs and the rows' check. */
async function sqliteIngest(load: LoadFn, tool: string, bare: ServerProcess) {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-ingest-'))
  try {
    const widget = await compare(load, bare, () => sqliteCollector(dir, 'v7', 'full'), 'v7', ROUNDS)
    const random = await compare(load, bare, () => sqliteCollector(dir, 'v4', 'full'), 'v4', SHORT_ROUNDS)
    const crashSafe = await compare(
      load,
      bare,
      () => sqliteCollector(dir, 'normal', 'normal'),
      'v7',
      SHORT_ROUNDS,
    )
    return {
      peakRss: Math.max(widget.peakRss, random.peakRss, crashSafe.peakRss),
      figures: [
        throughput(
          SQLITE,
          widget,
          `POST /responses throughput, widget ids (v7), ${ROUNDS} rounds`,
          0.7,
          'UUIDv7 answers as the widget sends them, acknowledged after an fdatasync of the WAL',
          tool,
        ),
        latency(SQLITE, widget, 'p50', (l) => l.p50),
        latency(SQLITE, widget, 'p99', (l) => l.p99),
        throughput(
          SQLITE,
          random,
          `POST /responses throughput, random v4 ids, ${SHORT_ROUNDS} rounds`,
          undefined,
          'random UUIDv4 answers, the write path’s worst case; for comparison',
          tool,
        ),
        throughput(
          SQLITE,
          crashSafe,
          `POST /responses throughput, NPSKIT_SYNC=normal, ${SHORT_ROUNDS} rounds`,
          undefined,
          'no fdatasync per batch: durable against a crash of the process, not of the machine; not the default',
          tool,
        ),
        stored(SQLITE, widget, 'v7 run'),
        stored(SQLITE, random, 'v4 run'),
        stored(SQLITE, crashSafe, 'normal run'),
      ],
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** PostgreSQL's figures: the headline on a fresh database, its latencies and the rows' check. */
async function postgresIngest(load: LoadFn, tool: string, bare: ServerProcess) {
  const admin = await connectServer(serverUrl())
  const name = `npskit_bench_ingest_${randomBytes(4).toString('hex')}`
  try {
    const settings = await durabilitySettings(admin)
    await createDatabase(admin, name)
    const url = databaseUrl(name)
    const widget = await compare(
      load,
      bare,
      () => postgresCollector(url, 'postgres v7'),
      'v7',
      POSTGRES_ROUNDS,
    )
    return {
      peakRss: widget.peakRss,
      figures: [
        throughput(
          POSTGRES,
          widget,
          `POST /responses throughput, widget ids (v7), ${POSTGRES_ROUNDS} rounds`,
          0.6,
          `UUIDv7 answers as the widget sends them, acknowledged after PostgreSQL's COMMIT (group commit: one statement and commit per batch); a fresh database ${describe(url)}, pool of ${process.env.NPSKIT_DATABASE_POOL || 10}; server ${settings}`,
          tool,
        ),
        latency(POSTGRES, widget, 'p50', (l) => l.p50),
        latency(POSTGRES, widget, 'p99', (l) => l.p99),
        stored(POSTGRES, widget, 'v7 run'),
      ],
    }
  } finally {
    await dropDatabase(admin, name).catch(() => {})
    await admin.end()
  }
}

/**
 * The ingest figures of each engine asked for, SQLite first, against one bare Hono baseline. SQLite
 * failing fails the section; PostgreSQL failing (no server reachable, say) is reported as not measured.
 */
export async function benchIngest(
  engines: readonly Engine[] = ['sqlite', 'postgres'],
): Promise<SectionResult> {
  const wrk = await haveWrk()
  const load = wrk ? wrkLoad : autocannonLoad
  const tool = wrk ? 'wrk' : 'autocannon (wrk not installed)'
  process.stderr.write(`bench: ingest load from ${tool}\n`)
  const result: SectionResult = { figures: [], errors: [] }
  const bare = await startServer(join(repoRoot, 'bench', 'baseline-server.ts'), { NPSKIT_PORT: '0' })
  try {
    const sqlite = engines.includes('sqlite') ? await sqliteIngest(load, tool, bare) : undefined
    let postgres: Awaited<ReturnType<typeof postgresIngest>> | undefined
    if (engines.includes('postgres')) {
      try {
        postgres = await postgresIngest(load, tool, bare)
      } catch (error) {
        result.errors.push({
          group: POSTGRES,
          message: error instanceof Error ? error.message : String(error),
        })
      }
    }
    // The kernel's high-water mark of the still-running process: no sampling needed.
    const bareRss = { label: 'bare Hono', value: (peakRss(bare.pid) ?? 0) / 2 ** 20 }
    const memory = (name: string, rss: number, note: string) =>
      figure({
        group: 'memory',
        name,
        value: rss / 2 ** 20,
        unit: 'MiB',
        baseline: bareRss,
        lowerIsBetter: true,
        note,
      })
    result.figures.push(...(sqlite?.figures ?? []), ...(postgres?.figures ?? []))
    if (sqlite) {
      result.figures.push(
        memory(
          'collector peak RSS during ingest, SQLite',
          sqlite.peakRss,
          'VmHWM of the collector process, sampled every 100 ms; the highest of the three runs',
        ),
      )
    }
    if (postgres) {
      result.figures.push(
        memory(
          'collector peak RSS during ingest, PostgreSQL',
          postgres.peakRss,
          'VmHWM of the collector process, sampled every 100 ms; the PostgreSQL server’s own processes not included',
        ),
      )
    }
    return result
  } finally {
    await bare.stop()
  }
}
