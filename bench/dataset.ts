/**
 * The read benchmark's dataset: one survey with 1,000,000 answers spread over a year, in a real collector
 * database. The survey is created through the collector's own API (so its settings are whatever the
 * collector writes), then the answers are imported through the backend contract in one transaction, as
 * `POST …/responses/import` would (the hourly counts kept as on every write). The file is cached under
 * bench/results/, keyed by schema version, so reruns skip the work.
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SqliteBackend, type StoredResponse } from '@npskit/collector'
import { migrations } from '../collector/src/backend/sqlite/migrations.ts'
import { adminRequest, repoRoot, startCollector } from './lib/processes.ts'

export const DATASET_ROWS = 1_000_000
/** The year the answers are spread over: [from, to). */
export const YEAR_FROM = Date.UTC(2025, 0, 1)
export const YEAR_TO = Date.UTC(2026, 0, 1)
/** Bump when the generated data changes shape, so cached files are rebuilt. */
const GENERATOR_VERSION = 1

export interface Dataset {
  db: string
  surveyId: string
  adminKey: string
  rows: number
  /** Seconds the generation took, or 0 when the cached file was used. */
  generatedInSeconds: number
}

export const resultsDir = join(repoRoot, 'bench', 'results')

/** Deterministic small PRNG so every generated dataset is the same. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

export async function dataset(): Promise<Dataset> {
  const schemaVersion = migrations.at(-1)?.version ?? 0
  // The schema's text too, not only its version: an edited migration must not reuse a stale file.
  const schemaHash = createHash('sha256')
    .update(migrations.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 8)
  const base = join(
    resultsDir,
    `dataset-s${schemaVersion}-${schemaHash}-g${GENERATOR_VERSION}-${DATASET_ROWS}`,
  )
  const file = `${base}.db`
  const metaFile = `${base}.json`
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Omit<Dataset, 'db' | 'generatedInSeconds'>
    return { ...meta, db: file, generatedInSeconds: 0 }
  }

  const started = performance.now()
  mkdirSync(resultsDir, { recursive: true })
  // Datasets of older schemas are half a gigabyte each and never read again.
  for (const name of readdirSync(resultsDir)) {
    if (/^dataset-s\d+-/.test(name)) rmSync(join(resultsDir, name), { force: true })
  }
  const tmp = `${base}.tmp-${process.pid}.db`
  for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true })
  const adminKey = `bench-admin-${randomUUID()}`
  const collector = await startCollector({ db: tmp, adminKey })
  let surveyId: string
  try {
    const survey = await adminRequest<{ id: string }>(collector.url, adminKey, 'POST', '/v1/surveys', {
      name: 'Bench reads (1M answers over a year)',
      allowedOrigins: ['https://shop.example'],
    })
    surveyId = survey.id
  } finally {
    await collector.stop()
  }

  const log = (what: string) =>
    process.stderr.write(
      `bench: dataset ${what} after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    )
  log('survey created')
  // Through the backend contract, as an import through the API would write them: one transaction.
  const backend = new SqliteBackend(tmp)
  try {
    await backend.importResponses(surveyId, answers(DATASET_ROWS), Date.now())
  } finally {
    await backend.close()
  }
  log(`${DATASET_ROWS} rows imported`)

  renameSync(tmp, file)
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true })
  const meta = { surveyId, adminKey, rows: DATASET_ROWS }
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
  return { ...meta, db: file, generatedInSeconds: (performance.now() - started) / 1000 }
}

/** The generated answers, deterministic: a plausible mix with NPS around +20. */
function* answers(rows: number): Generator<StoredResponse> {
  const random = mulberry32(20250101)
  const scoreCdf = [0.02, 0.03, 0.04, 0.06, 0.08, 0.12, 0.17, 0.27, 0.48, 0.72, 1]
  const devices = ['desktop', 'desktop', 'desktop', 'mobile', 'mobile', 'tablet'] as const
  const locales = ['en', 'en', 'en', 'de', 'fr', 'es', 'pt-BR', 'ja']
  const paths = ['/', '/checkout/done', '/account', '/pricing', '/docs/start']
  const plans = [{ plan: 'free' }, { plan: 'pro' }, { plan: 'team' }, null]
  const step = (YEAR_TO - YEAR_FROM) / rows
  for (let i = 0; i < rows; i++) {
    const r = random()
    let score = 0
    while (scoreCdf[score]! < r) score++
    const createdAt = Math.floor(YEAR_FROM + i * step + random() * step)
    // Time-ordered UUIDs (v4 layout), as UUIDv7 ids from the widget would be.
    const id = `${hex(i, 8)}-${hex(Math.floor(random() * 0x10000), 4)}-4${hex(Math.floor(random() * 0x1000), 3)}-a${hex(Math.floor(random() * 0x1000), 3)}-${hex(Math.floor(random() * 0x1000000), 6)}${hex(Math.floor(random() * 0x1000000), 6)}`
    const path = paths[Math.floor(random() * paths.length)]!
    yield {
      id,
      createdAt,
      score,
      comment: random() < 0.2 ? 'Fast checkout, but the invoice page is confusing.' : null,
      respondentId: `user-${Math.floor(random() * 400_000)}`,
      locale: locales[Math.floor(random() * locales.length)]!,
      url: `https://shop.example${path}`,
      path,
      device: devices[Math.floor(random() * devices.length)]!,
      metadata: plans[Math.floor(random() * plans.length)]!,
    }
  }
}
