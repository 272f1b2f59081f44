/**
 * Moving a collector's data from one backend to another (a SQLite file into PostgreSQL when one machine
 * is no longer enough, or back), through the contract only: the source's export, read as one snapshot,
 * is loaded into the target in one transaction — all of it or nothing — and then both are read again
 * and compared record by record: the counts of each kind and a SHA-256 over every record in the export's
 * order, with object keys sorted (PostgreSQL's jsonb keeps metadata keys in an order of its own).
 *
 * @example
 * const report = await copyData(await openBackendAt('./data/npskit.db'), await openBackendAt(url))
 * report.verified // true when both hold the same surveys, keys, answers, events, cases and endpoints
 */
import { createHash } from 'node:crypto'
import type { Backend, DataBatch, DataCounts } from './backend.ts'
import type { CaseWithLog } from './follow-up.ts'

export interface Fingerprint {
  counts: DataCounts
  /** SHA-256 per kind, hex. */
  sha256: Record<keyof DataCounts, string>
}

export interface CopyReport {
  copied: DataCounts
  source: Fingerprint
  target: Fingerprint
  verified: boolean
  seconds: number
}

/** JSON with every object's keys sorted, so that equal data hashes alike on every engine. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}

/** Counts and hashes everything a backend holds, in its export order. */
export async function fingerprint(backend: Backend): Promise<Fingerprint> {
  const kinds = ['surveys', 'keys', 'responses', 'events', 'cases', 'endpoints'] as const
  const counts: DataCounts = { surveys: 0, keys: 0, responses: 0, events: 0, cases: 0, endpoints: 0 }
  const hashes = Object.fromEntries(kinds.map((kind) => [kind, createHash('sha256')]))
  for await (const batch of backend.exportData()) {
    counts[batch.kind] += batch.rows.length
    const hash = hashes[batch.kind]!
    for (const row of batch.rows) {
      // An answer belongs to its survey: the survey's id is part of what must arrive.
      hash.update(batch.kind === 'responses' ? `${batch.surveyId}\n` : '')
      // A log entry's number is the database's own (a copy numbers afresh, as it does answers).
      const record =
        batch.kind === 'cases'
          ? { ...(row as CaseWithLog), log: (row as CaseWithLog).log.map(({ seq: _, ...entry }) => entry) }
          : row
      hash.update(`${canonical(record)}\n`)
    }
  }
  const sha256 = Object.fromEntries(
    kinds.map((kind) => [kind, hashes[kind]!.digest('hex')]),
  ) as Fingerprint['sha256']
  return { counts, sha256 }
}

/**
 * Copies everything from `source` into `target`, which must be empty, then verifies the copy. Throws
 * (having written nothing) when the target holds anything or the load fails part way.
 */
export async function copyData(
  source: Backend,
  target: Backend,
  onBatch: (batch: DataBatch, copied: DataCounts) => void = () => {},
): Promise<CopyReport> {
  const started = performance.now()
  if (!(await target.isEmpty())) {
    throw new Error(`the target (${target.location}) is not empty: a copy goes into an empty database only`)
  }
  const copied: DataCounts = { surveys: 0, keys: 0, responses: 0, events: 0, cases: 0, endpoints: 0 }
  async function* reported(): AsyncIterable<DataBatch> {
    for await (const batch of source.exportData()) {
      copied[batch.kind] += batch.rows.length
      onBatch(batch, copied)
      yield batch
    }
  }
  await target.importData(reported())
  const [from, to] = await Promise.all([fingerprint(source), fingerprint(target)])
  return {
    copied,
    source: from,
    target: to,
    verified: canonical(from) === canonical(to),
    seconds: (performance.now() - started) / 1000,
  }
}
