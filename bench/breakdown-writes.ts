/**
 * What a declared breakdown dimension costs the write path: answers written through the backend
 * contract (SQLite's writer thread and group commit, PostgreSQL's batched statements) into a survey that
 * declares four dimensions (`locale`, `device`, `path`, `metadata.plan`: each answer adds to four
 * rollup rows) against a survey of the same database that declares none, in alternating rounds, so the
 * machine's drift hits both. The figure is the median of the per-round ratios (declared / undeclared
 * time for the same number of answers, 200 in flight).
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Backend, PostgresBackend, SqliteBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import type { Engine } from './dataset.ts'
import { connectServer, createDatabase, databaseUrl, dropDatabase, serverUrl } from './lib/postgres.ts'
import { figure, median, type SectionResult } from './lib/report.ts'

const ROUNDS = 7
const ANSWERS = 4000
const IN_FLIGHT = 200
const DIMENSIONS = ['locale', 'device', 'path', 'metadata.plan']
const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR']
const PATHS = ['/', '/checkout', '/pricing', '/account', '/help']
const PLANS = ['free', 'pro', 'team', 'enterprise']

async function writeAnswers(backend: Backend, surveyId: string, round: number): Promise<number> {
  const started = performance.now()
  for (let i = 0; i < ANSWERS; i += IN_FLIGHT) {
    const batch: Promise<unknown>[] = []
    for (let j = i; j < i + IN_FLIGHT && j < ANSWERS; j++) {
      batch.push(
        backend.writeResponse(surveyId, {
          id: randomUUID(),
          score: j % 11,
          locale: LOCALES[j % LOCALES.length]!,
          path: PATHS[j % PATHS.length]!,
          device: j % 3 === 0 ? 'mobile' : 'desktop',
          metadata: { plan: PLANS[j % PLANS.length]! },
          receivedAt: Date.UTC(2026, 0, 1) + round * 3_600_000 + j * 1000,
        }),
      )
    }
    await Promise.all(batch)
  }
  return performance.now() - started
}

async function measure(engine: Engine, backend: Backend): Promise<SectionResult['figures']> {
  const plain = (await backend.createSurvey(defaultSurveySettings('undeclared'), 0)).id
  const declared = (
    await backend.createSurvey({ ...defaultSurveySettings('declared'), breakdowns: DIMENSIONS }, 0)
  ).id
  await backend.admitMetadataKeys(plain, ['plan'])
  await backend.admitMetadataKeys(declared, ['plan'])
  // One untimed round each warms the caches and the statements.
  await writeAnswers(backend, plain, -1)
  await writeAnswers(backend, declared, -1)
  const ratios: number[] = []
  const plainMs: number[] = []
  const declaredMs: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const a = await writeAnswers(backend, plain, round)
    const b = await writeAnswers(backend, declared, round)
    plainMs.push(a)
    declaredMs.push(b)
    ratios.push(b / a)
  }
  const perSecond = (ms: number) => (ANSWERS / ms) * 1000
  const ratio = median(ratios)
  const name = engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'
  return [
    figure({
      group: `breakdown rollups, ${name} (writes through the backend)`,
      name: `answers/s into a survey declaring ${DIMENSIONS.length} dimensions`,
      value: perSecond(median(declaredMs)),
      unit: 'answers/s',
      baseline: { label: 'the same answers into a survey declaring none', value: perSecond(median(plainMs)) },
      ratio: 1 / ratio,
      lowerIsBetter: false,
      goal: { text: 'costs ≤ 25% of the write rate', met: ratio <= 1.25 },
      note: `median of ${ROUNDS} alternating rounds of ${ANSWERS} answers, ${IN_FLIGHT} in flight; per-round time ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}`,
    }),
  ]
}

export async function benchBreakdownWrites(
  engines: readonly Engine[] = ['sqlite', 'postgres'],
): Promise<SectionResult> {
  const result: SectionResult = { figures: [], errors: [] }
  if (engines.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-bench-breakdowns-'))
    const backend = new SqliteBackend(join(dir, 'npskit.db'))
    try {
      result.figures.push(...(await measure('sqlite', backend)))
    } finally {
      await backend.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  if (engines.includes('postgres')) {
    const name = `npskit_bench_breakdowns_${process.pid}`
    try {
      const admin = await connectServer(serverUrl())
      try {
        await createDatabase(admin, name)
        const backend = await PostgresBackend.connect(databaseUrl(name), { poolSize: 4 })
        try {
          result.figures.push(...(await measure('postgres', backend)))
        } finally {
          await backend.close()
          await dropDatabase(admin, name)
        }
      } finally {
        await admin.end()
      }
    } catch (error) {
      result.errors.push({
        group: 'breakdown rollups, PostgreSQL (writes through the backend)',
        message: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return result
}
