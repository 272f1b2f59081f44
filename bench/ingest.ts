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
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import {
  adminRequest,
  peakRss,
  repoRoot,
  type ServerProcess,
  samplePeakRss,
  startCollector,
  startServer,
} from './lib/processes.ts'
import { type Figure, figure, median } from './lib/report.ts'

const ORIGIN = 'https://shop.example'
const CONNECTIONS = 50
const WARMUP_SECONDS = 2
const SECONDS = 2
const ROUNDS = 15
/** Rounds of the comparison-only variants. */
const SHORT_ROUNDS = 3

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

type IdKind = 'v7' | 'v4'

interface Load {
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
function haveWrk(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('wrk', ['--version'], { stdio: 'ignore' })
    child.once('error', () => resolve(false))
    child.once('exit', () => resolve(true))
  })
}

function wrkLoad(url: string, seconds: number, ids: IdKind): Promise<Load> {
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

async function autocannonLoad(url: string, seconds: number, ids: IdKind): Promise<Load> {
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

/** The collector under one configuration, with a survey to answer and its rows counted at the end. */
async function collector(dir: string, name: string, sync: 'full' | 'normal') {
  const adminKey = `bench-admin-${randomUUID()}`
  const db = join(dir, `ingest-${name}.db`)
  const server = await startCollector({ db, adminKey, rateLimit: 0, sync })
  const survey = await adminRequest<{ id: string }>(server.url, adminKey, 'POST', '/v1/surveys', {
    name: `Bench ingest (${name})`,
    allowedOrigins: [ORIGIN],
  })
  return {
    server,
    url: `${server.url}/v1/surveys/${survey.id}/responses`,
    /** Stops the process and answers how many of the survey's answers are stored. */
    async stopAndCount(): Promise<number> {
      await server.stop()
      const check = new Database(db, { readonly: true })
      try {
        return check
          .prepare('SELECT count(*) FROM responses WHERE survey_id = ?')
          .pluck()
          .get(survey.id) as number
      } finally {
        check.close()
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

/** Bare and collector take turns, `rounds` times, after a warm-up of each. */
async function compare(
  load: (url: string, seconds: number, ids: IdKind) => Promise<Load>,
  bare: ServerProcess,
  dir: string,
  name: string,
  ids: IdKind,
  sync: 'full' | 'normal',
  rounds: number,
): Promise<Comparison> {
  const bareUrl = `${bare.url}/v1/surveys/srv_bench/responses`
  const c = await collector(dir, name, sync)
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

export async function benchIngest(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-ingest-'))
  const wrk = await haveWrk()
  const load = wrk ? wrkLoad : autocannonLoad
  const tool = wrk ? 'wrk' : 'autocannon (wrk not installed)'
  process.stderr.write(`bench: ingest load from ${tool}\n`)
  const bare = await startServer(join(repoRoot, 'bench', 'baseline-server.ts'), { NPSKIT_PORT: '0' })
  try {
    const widget = await compare(load, bare, dir, 'v7', 'v7', 'full', ROUNDS)
    const random = await compare(load, bare, dir, 'v4', 'v4', 'full', SHORT_ROUNDS)
    const crashSafe = await compare(load, bare, dir, 'normal', 'v7', 'normal', SHORT_ROUNDS)
    // The kernel's high-water mark of the still-running process: no sampling needed.
    const bareRss = peakRss(bare.pid) ?? 0

    const how = `${tool}, ${CONNECTIONS} connections, ${SECONDS} s per turn after ${WARMUP_SECONDS} s warm-ups`
    const throughput = (run: Comparison, name: string, goal: boolean, note: string) =>
      figure({
        group: 'ingest',
        name,
        value: median(run.collector.map((l) => l.rps)),
        unit: 'req/s',
        baseline: { label: 'bare Hono, same rounds', value: median(run.bare.map((l) => l.rps)) },
        ratio: median(run.ratios),
        lowerIsBetter: false,
        ...(goal ? { goal: { text: '≥ 0.7× bare Hono', met: median(run.ratios) >= 0.7 } } : {}),
        note: `${note}; ${how}; ${spread(run.ratios)}; ratio = median of the rounds' ratios; non-2xx ${run.collector.reduce((n, l) => n + l.non2xx, 0)}, errors ${run.collector.reduce((n, l) => n + l.errors, 0)}`,
      })
    const latency = (name: string, pick: (l: Load) => number) =>
      figure({
        group: 'ingest',
        name: `POST /responses latency ${name}, widget ids`,
        value: median(widget.collector.map(pick)),
        unit: 'ms',
        baseline: { label: 'bare Hono', value: median(widget.bare.map(pick)) },
        lowerIsBetter: true,
      })
    const stored = (run: Comparison, name: string) =>
      figure({
        group: 'ingest',
        name: `acknowledged answers found in the database, ${name}`,
        value: run.stored,
        unit: '',
        baseline: { label: '2xx answers', value: run.acknowledged },
        lowerIsBetter: false,
        goal: { text: 'every 2xx stored', met: run.stored >= run.acknowledged },
      })
    return [
      throughput(
        widget,
        `POST /responses throughput, widget ids (v7), ${ROUNDS} rounds`,
        true,
        'UUIDv7 answers as the widget sends them, acknowledged after an fdatasync of the WAL',
      ),
      latency('p50', (l) => l.p50),
      latency('p99', (l) => l.p99),
      throughput(
        random,
        `POST /responses throughput, random v4 ids, ${SHORT_ROUNDS} rounds`,
        false,
        'random UUIDv4 answers, the write path’s worst case; for comparison',
      ),
      throughput(
        crashSafe,
        `POST /responses throughput, NPSKIT_SYNC=normal, ${SHORT_ROUNDS} rounds`,
        false,
        'no fdatasync per batch: durable against a crash of the process, not of the machine; not the default',
      ),
      stored(widget, 'v7 run'),
      stored(random, 'v4 run'),
      stored(crashSafe, 'normal run'),
      figure({
        group: 'memory',
        name: 'collector peak RSS during ingest',
        value: Math.max(widget.peakRss, random.peakRss, crashSafe.peakRss) / 2 ** 20,
        unit: 'MiB',
        baseline: { label: 'bare Hono', value: bareRss / 2 ** 20 },
        lowerIsBetter: true,
        note: 'VmHWM of the collector process, sampled every 100 ms; the highest of the three runs',
      }),
    ]
  } finally {
    await bare.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
