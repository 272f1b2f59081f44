/**
 * The read benchmark's dataset: one survey with 1,000,000 answers spread over a year, in a real collector
 * database of each engine, the same generated answers in both. The survey is created through the
 * collector's own API (so its settings are whatever the collector writes), then the answers are imported
 * through the backend contract in one transaction, as `POST …/responses/import` would (the hourly counts
 * kept as on every write). Both are cached, keyed by their engine's schema (the migrations' text) and the
 * generator's version, so reruns skip the work:
 *
 * - SQLite: a file under bench/results/.
 * - PostgreSQL: a database `npskit_bench_<schemaHash>_g<generator>_<rows>` on the server of
 *   `NPSKIT_BENCH_DATABASE_URL` (default the local one), its survey id and admin key in a JSON file under
 *   bench/results/ that is written last (so a database without it is an unfinished one, and rebuilt).
 */
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PostgresBackend, SqliteBackend, type StoredResponse } from '@npskit/collector'
import { migrations as postgresMigrations } from '../collector/src/backend/postgres/migrations.ts'
import { migrations as sqliteMigrations } from '../collector/src/backend/sqlite/migrations.ts'
import {
  connect,
  connectServer,
  createDatabase,
  databaseUrl,
  dropDatabase,
  serverUrl,
} from './lib/postgres.ts'
import { adminRequest, repoRoot, startCollector } from './lib/processes.ts'

export const DATASET_ROWS = 1_000_000
/** The year the answers are spread over: [from, to). */
export const YEAR_FROM = Date.UTC(2025, 0, 1)
export const YEAR_TO = Date.UTC(2026, 0, 1)
/** Bump when the generated data changes shape, so cached files are rebuilt. */
const GENERATOR_VERSION = 1

export type Engine = 'sqlite' | 'postgres'

interface DatasetMeta {
  surveyId: string
  adminKey: string
  rows: number
}

interface DatasetBase extends DatasetMeta {
  /** Seconds the generation took, or 0 when the cached copy was used. */
  generatedInSeconds: number
}

export interface SqliteDataset extends DatasetBase {
  engine: 'sqlite'
  /** The SQLite file. */
  db: string
}

export interface PostgresDataset extends DatasetBase {
  engine: 'postgres'
  /** The database's URL (for NPSKIT_DATABASE_URL and plain connections). */
  url: string
  database: string
}

export type Dataset = SqliteDataset | PostgresDataset

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

/** The metadata keys of the generated answers (see answers()). */
const DATASET_METADATA_KEYS = ['plan']

/** The schema's text, not only its version: an edited migration must not reuse a stale dataset. */
const hashOf = (list: readonly { sql: string }[]) =>
  createHash('sha256')
    .update(list.map((m) => m.sql).join('\n'))
    .digest('hex')
    .slice(0, 8)

const progress = (started: number) => (what: string) =>
  process.stderr.write(
    `bench: dataset ${what} after ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )

/** The generated answers, with a progress line every quarter. */
function* logged(rows: Iterable<StoredResponse>, log: (what: string) => void): Generator<StoredResponse> {
  let n = 0
  for (const row of rows) {
    yield row
    if (++n % (DATASET_ROWS / 4) === 0) log(`${n} rows generated`)
  }
}

/** The cached dataset of an engine, generated first when there is none for its current schema. */
export function dataset(engine: 'sqlite'): Promise<SqliteDataset>
export function dataset(engine: 'postgres'): Promise<PostgresDataset>
export function dataset(engine: Engine): Promise<Dataset> {
  return engine === 'sqlite' ? sqliteDataset() : postgresDataset()
}

async function sqliteDataset(): Promise<SqliteDataset> {
  const schemaVersion = sqliteMigrations.at(-1)?.version ?? 0
  const schemaHash = hashOf(sqliteMigrations)
  const base = join(
    resultsDir,
    `dataset-s${schemaVersion}-${schemaHash}-g${GENERATOR_VERSION}-${DATASET_ROWS}`,
  )
  const file = `${base}.db`
  const metaFile = `${base}.json`
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as DatasetMeta
    return { ...meta, engine: 'sqlite', db: file, generatedInSeconds: 0 }
  }

  const started = performance.now()
  mkdirSync(resultsDir, { recursive: true })
  // Datasets of older schemas are half a gigabyte each and never read again.
  for (const name of readdirSync(resultsDir)) {
    if (/^dataset-s\d+-/.test(name)) rmSync(join(resultsDir, name), { force: true })
  }
  const tmp = `${base}.tmp-${process.pid}.db`
  for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true })
  const { adminKey, surveyId } = await createSurvey({ db: tmp })

  const log = progress(started)
  log('SQLite: survey created')
  // Through the backend contract, as an import through the API would write them: one transaction.
  const backend = new SqliteBackend(tmp)
  try {
    // An import admits its rows' metadata keys first, as the import route does.
    await backend.admitMetadataKeys(surveyId, DATASET_METADATA_KEYS)
    await backend.importResponses(surveyId, answers(DATASET_ROWS), Date.now())
  } finally {
    await backend.close()
  }
  log(`SQLite: ${DATASET_ROWS} rows imported`)

  renameSync(tmp, file)
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true })
  const meta: DatasetMeta = { surveyId, adminKey, rows: DATASET_ROWS }
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
  return { ...meta, engine: 'sqlite', db: file, generatedInSeconds: (performance.now() - started) / 1000 }
}

/**
 * The dataset's survey, created through the collector's own API (so its settings are whatever the
 * collector writes), on a collector started once on the target with a new admin key.
 */
async function createSurvey(
  target: { db: string } | { databaseUrl: string },
): Promise<{ adminKey: string; surveyId: string }> {
  const adminKey = `bench-admin-${randomUUID()}`
  const collector = await startCollector({ ...target, adminKey })
  try {
    const survey = await adminRequest<{ id: string }>(collector.url, adminKey, 'POST', '/v1/surveys', {
      name: 'Bench reads (1M answers over a year)',
      allowedOrigins: ['https://shop.example'],
    })
    return { adminKey, surveyId: survey.id }
  } finally {
    await collector.stop()
  }
}

/** Every database the bench makes, as a LIKE pattern (underscores escaped). */
const BENCH_DATABASES = String.raw`npskit\_bench\_%`

async function postgresDataset(): Promise<PostgresDataset> {
  const schemaHash = hashOf(postgresMigrations)
  const database = `npskit_bench_${schemaHash}_g${GENERATOR_VERSION}_${DATASET_ROWS}`
  const url = databaseUrl(database)
  const metaFile = join(resultsDir, `dataset-pg-${schemaHash}-g${GENERATOR_VERSION}-${DATASET_ROWS}.json`)
  const admin = await connectServer(serverUrl())
  try {
    const cached = await cachedPostgres(admin, database, url, metaFile)
    if (cached) return { ...cached, engine: 'postgres', url, database, generatedInSeconds: 0 }

    const started = performance.now()
    const log = progress(started)
    // Datasets of other schemas or generators (and databases a crashed run left) are never read again.
    // The meta file goes first: from here until it is written again, the database is unfinished.
    mkdirSync(resultsDir, { recursive: true })
    for (const name of readdirSync(resultsDir)) {
      if (/^dataset-pg-/.test(name)) rmSync(join(resultsDir, name), { force: true })
    }
    const stale = await admin<{ datname: string }[]>`
      SELECT datname FROM pg_database WHERE datname LIKE ${BENCH_DATABASES} ORDER BY datname`
    for (const { datname } of stale) await dropDatabase(admin, datname)
    await createDatabase(admin, database)

    const { adminKey, surveyId } = await createSurvey({ databaseUrl: url })
    log('PostgreSQL: survey created')

    // Through the backend contract, in-process, as an import through the API would write them.
    const backend = await PostgresBackend.connect(url)
    try {
      await backend.admitMetadataKeys(surveyId, DATASET_METADATA_KEYS)
      await backend.importResponses(surveyId, logged(answers(DATASET_ROWS), log), Date.now())
    } finally {
      await backend.close()
    }
    log(`PostgreSQL: ${DATASET_ROWS} rows imported`)

    // VACUUM ANALYZE stands for a database that autovacuum has settled: the visibility map set (without
    // it the covering index responses_survey_time cannot be read index-only, and every count visits the
    // table) and the planner's statistics current. A server that took a million answers over a year
    // would be in that state; one import a moment ago is not yet. The CHECKPOINT writes the import's
    // dirty pages now rather than during the timed reads.
    const sql = connect(url)
    try {
      await sql.unsafe('VACUUM ANALYZE')
      await sql.unsafe('CHECKPOINT').catch(() => {})
    } finally {
      await sql.end()
    }
    log('PostgreSQL: VACUUM ANALYZE done')

    const meta: DatasetMeta & { database: string } = { surveyId, adminKey, rows: DATASET_ROWS, database }
    writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`)
    return {
      ...meta,
      engine: 'postgres',
      url,
      generatedInSeconds: (performance.now() - started) / 1000,
    }
  } finally {
    await admin.end()
  }
}

/** The cached PostgreSQL dataset's meta when the database exists and holds what the meta file says. */
async function cachedPostgres(
  admin: Awaited<ReturnType<typeof connectServer>>,
  database: string,
  url: string,
  metaFile: string,
): Promise<DatasetMeta | undefined> {
  if (!existsSync(metaFile)) return undefined
  const [exists] = await admin`SELECT 1 FROM pg_database WHERE datname = ${database}`
  if (!exists) return undefined
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as DatasetMeta & { database?: string }
  if (meta.database !== database || meta.rows !== DATASET_ROWS) return undefined
  const sql = connect(url)
  try {
    const [row] = await sql<
      { n: number }[]
    >`SELECT count(*) AS n FROM responses WHERE survey_id = ${meta.surveyId}`
    return row?.n === DATASET_ROWS
      ? { surveyId: meta.surveyId, adminKey: meta.adminKey, rows: meta.rows }
      : undefined
  } catch {
    return undefined
  } finally {
    await sql.end()
  }
}

/** The generated answers, deterministic: a plausible mix with NPS around +20. */
function* answers(rows: number): Generator<StoredResponse> {
  const random = mulberry32(20250101)
  const scoreCdf = [0.02, 0.03, 0.04, 0.06, 0.08, 0.12, 0.17, 0.27, 0.48, 0.72, 1]
  const devices = ['desktop', 'desktop', 'desktop', 'mobile', 'mobile', 'tablet'] as const
  const locales = ['en', 'en', 'en', 'de', 'fr', 'es', 'pt-BR', 'ja']
  const paths = ['/', '/checkout/done', '/account', '/pricing', '/docs/start']
  const plans = [{ plan: 'free' }, { plan: 'pro' }, { plan: 'team' }, null]
  // (DATASET_METADATA_KEYS lists the keys used here.)
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
      contact: null,
      // As the widget would have stored them, so the response rate reads them as it reads live answers.
      source: 'widget',
    }
  }
}
