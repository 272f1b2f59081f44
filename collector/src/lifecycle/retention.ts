/**
 * The data lifecycle's work on answers: a survey's retention policy applied (delete or anonymise the
 * answers older than `retention.days`), and a deletion of every answer a filter selects. Both go in
 * small batches, each its own short transaction, pausing between them so the work takes at most a
 * tenth of the time (twice less while requests keep the thread busy, follow-up/pace.ts) — answers
 * arriving meanwhile are never held behind it, and a large deletion takes ten times its own work. Each
 * pass is recorded (`lifecycle_runs`), and what it removed is scrubbed from the database files after it
 * (Backend.scrub).
 *
 * One retention run per survey at a time, also with several collectors on one database: a run claims
 * the survey's `retention` schedule mark compare-and-set (as the digest does), with a lease, and gives
 * it back when it ends.
 *
 * @example
 * const due = await retentionDue(backend, survey, now)     // the dry run: how many answers
 * const run = await runRetention(backend, survey, now)     // undefined: not due, or another runs it
 */

import { performance } from 'node:perf_hooks'
import type { RetentionSettings } from '@npskit/shared'
import type { Backend, LifecycleRun, ResponseFilter, StoredResponse, Survey } from '../backend/backend.ts'
import { DAY_MS } from '../backend/backend.ts'
import { keptMetadata } from '../backend/rows.ts'
import { Pace } from '../follow-up/pace.ts'

export type LifecycleBackend = Pick<
  Backend,
  | 'listResponses'
  | 'distribution'
  | 'deleteResponses'
  | 'anonymiseResponses'
  | 'countToAnonymise'
  | 'recordLifecycleRun'
  | 'scrub'
  | 'scheduleMark'
  | 'commitSchedule'
>

export interface BatchOptions {
  /**
   * Answers per transaction on an idle thread; default 200 (about 25 ms of the thread on SQLite). While
   * requests keep the thread busy, a quarter of it.
   */
  batch?: number | undefined
  /** The shortest pause between batches; default 5 ms. */
  pauseMs?: number | undefined
  /**
   * The share of the time the work may take on an idle thread: after a batch that took t ms it pauses
   * t × (1 − s) / s, where s is this share times the part of the thread requests leave idle (at least
   * MIN_SHARE). Default 0.1; under a load that keeps the thread 80% busy, 2% (bench/retention.ts
   * measures what that leaves ingest).
   */
  share?: number | undefined
}

/**
 * The least share the work takes however busy the thread, so a run under sustained load still ends
 * (slowly: a batch's time under load includes its wait for the commit, so 30,000 answers may take half
 * an hour of saturated ingest; the run renews its lease meanwhile).
 */
export const MIN_SHARE = 0.02
/** Above this utilisation of the thread (follow-up/pace.ts) a batch is a quarter of `batch`. */
const LOADED = 0.5

/** The schedule mark a retention run claims. */
export const RETENTION_JOB = 'retention'
/** A claim older than this is taken to be a run that died (its collector stopped mid-run). */
const LEASE_MS = 30 * 60_000

/** Answers created before this are past the policy's period. */
export function retentionCutoff(policy: RetentionSettings, now: number): number {
  return now - policy.days * DAY_MS
}

/** What anonymising leaves of an answer: score, time, locale, device, source and the kept metadata. */
export function anonymised(row: StoredResponse, policy: RetentionSettings): StoredResponse {
  return {
    ...row,
    comment: null,
    respondentId: null,
    url: null,
    path: null,
    contact: null,
    metadata: keptMetadata(row.metadata, policy.keepMetadata ?? []),
  }
}

/**
 * An import under a retention policy: rows already past the period are anonymised, or left out under
 * `delete`, before they are written — such data never lands in the database. Counts what it did.
 */
export function retainedAtImport(
  policy: RetentionSettings | undefined,
  now: number,
): { rows: (rows: Iterable<StoredResponse>) => Iterable<StoredResponse>; counts: RetentionCounts } {
  const counts: RetentionCounts = { deleted: 0, anonymised: 0 }
  if (!policy) return { rows: (rows) => rows, counts }
  const cutoff = retentionCutoff(policy, now)
  return {
    counts,
    *rows(rows) {
      for (const row of rows) {
        if (row.createdAt >= cutoff) yield row
        else if (policy.action === 'delete') counts.deleted++
        else {
          counts.anonymised++
          yield anonymised(row, policy)
        }
      }
    },
  }
}

export interface RetentionCounts {
  deleted: number
  anonymised: number
}

/** The dry run: how many answers the next run would delete or anonymise (0 without a policy). */
export async function retentionDue(
  backend: Pick<LifecycleBackend, 'distribution' | 'countToAnonymise'>,
  survey: Survey,
  now: number,
): Promise<{ policy: RetentionSettings | null; cutoff: number | null; answers: number }> {
  const policy = survey.settings.retention
  if (!policy) return { policy: null, cutoff: null, answers: 0 }
  const cutoff = retentionCutoff(policy, now)
  const answers =
    policy.action === 'delete'
      ? sum(await backend.distribution(survey.id, { to: cutoff }))
      : await backend.countToAnonymise(survey.id, cutoff, policy.keepMetadata ?? [])
  return { policy, cutoff, answers }
}

/** How many answers a deletion by this filter would delete. */
export async function deletionDue(
  backend: Pick<LifecycleBackend, 'distribution'>,
  surveyId: string,
  filter: ResponseFilter,
): Promise<number> {
  return sum(await backend.distribution(surveyId, filter))
}

export class RetentionBusyError extends Error {
  constructor(readonly surveyId: string) {
    super(`a retention run of ${surveyId} is under way`)
    this.name = 'RetentionBusyError'
  }
}

/**
 * Applies the survey's policy now, when due (`everyMs` since the last run; `force`: whatever the last
 * run) and no other run holds the survey; undefined when not run. With `force`, a run held by another
 * collector throws {@link RetentionBusyError}.
 */
export async function runRetention(
  backend: LifecycleBackend,
  survey: Survey,
  now: number,
  options: BatchOptions & { everyMs?: number; force?: boolean; clock?: () => number } = {},
): Promise<LifecycleRun | undefined> {
  const policy = survey.settings.retention
  if (!policy) return undefined
  const mark = await backend.scheduleMark(survey.id, RETENTION_JOB)
  const held = (mark?.data as { runningUntil?: number } | null | undefined)?.runningUntil ?? 0
  if (held > now) {
    if (options.force) throw new RetentionBusyError(survey.id)
    return undefined
  }
  if (!options.force && mark && now - mark.at < (options.everyMs ?? 0)) return undefined
  const empty = { deliveries: [], emails: [] }
  const claimed = await backend.commitSchedule(
    survey.id,
    RETENTION_JOB,
    mark?.at,
    { at: now, data: { runningUntil: now + LEASE_MS } },
    empty,
  )
  if (!claimed) {
    if (options.force) throw new RetentionBusyError(survey.id)
    return undefined
  }
  const cutoff = retentionCutoff(policy, now)
  const done: RetentionCounts = { deleted: 0, anonymised: 0 }
  // A run paced down by a long burst of answers can outlast its lease: renewed once half of it is
  // used, so no other collector takes the survey while this run still goes.
  const begun = performance.now()
  const at = options.clock ?? (() => now + (performance.now() - begun))
  let until = now + LEASE_MS
  const renew = async () => {
    if (until - at() > LEASE_MS / 2) return
    until = at() + LEASE_MS
    await backend.commitSchedule(
      survey.id,
      RETENTION_JOB,
      now,
      { at: now, data: { runningUntil: until } },
      empty,
    )
  }
  try {
    if (policy.action === 'delete') {
      done.deleted = await deleteInBatches(backend, survey.id, { to: cutoff }, now, options, renew)
    } else {
      done.anonymised = await inBatches(
        options,
        (batch) => backend.anonymiseResponses(survey.id, cutoff, policy.keepMetadata ?? [], batch, now),
        renew,
      )
    }
    if (done.deleted + done.anonymised > 0) await backend.scrub()
    return await backend.recordLifecycleRun({
      surveyId: survey.id,
      kind: 'retention',
      policy,
      filter: null,
      cutoff,
      startedAt: now,
      finishedAt: options.clock?.() ?? Date.now(),
      ...done,
    })
  } finally {
    await backend.commitSchedule(survey.id, RETENTION_JOB, now, { at: now, data: { runningUntil: 0 } }, empty)
  }
}

/**
 * Deletes every answer the filter selects, in batches, records the deletion (with `query`, the filter
 * as the request gave it) and scrubs.
 */
export async function deleteMatching(
  backend: LifecycleBackend,
  surveyId: string,
  filter: ResponseFilter,
  query: Record<string, string>,
  now: number,
  options: BatchOptions & { clock?: () => number } = {},
): Promise<LifecycleRun> {
  const deleted = await deleteInBatches(backend, surveyId, filter, now, options)
  if (deleted > 0) await backend.scrub()
  return backend.recordLifecycleRun({
    surveyId,
    kind: 'deletion',
    policy: null,
    filter: query,
    cutoff: null,
    startedAt: now,
    finishedAt: options.clock?.() ?? Date.now(),
    deleted,
    anonymised: 0,
  })
}

/** Deleted answers leave the selection, so each batch is the first page of what is left. */
function deleteInBatches(
  backend: LifecycleBackend,
  surveyId: string,
  filter: ResponseFilter,
  at: number,
  options: BatchOptions,
  afterBatch?: () => Promise<void>,
): Promise<number> {
  return inBatches(
    options,
    async (batch) => {
      const page = await backend.listResponses(surveyId, filter, batch)
      if (page.items.length === 0) return 0
      const result = await backend.deleteResponses(
        surveyId,
        page.items.map((r) => r.id),
        at,
      )
      return result.responses
    },
    afterBatch,
  )
}

/**
 * The batch size and the share of the time the work takes when the thread that answers requests is
 * `utilisation` (0–1) busy; see inBatches.
 */
export function paceAt(utilisation: number, batch: number, share: number): { size: number; share: number } {
  return {
    size: utilisation > LOADED ? Math.max(1, Math.round(batch / 4)) : batch,
    share: Math.max(Math.min(share, MIN_SHARE), share * (1 - utilisation)),
  }
}

/**
 * Runs `step` until it does nothing, pausing between steps; answers the sum of what they did.
 *
 * The pace follows the load. Each batch runs on the thread that answers requests (SQLite's
 * transactions are synchronous), and what it writes — pages zeroed by secure_delete, rollup rows,
 * tombstones — lengthens the WAL flushes and the checkpoints that ingest waits for too, so a batch costs
 * ingest more than its own time. Halving the pace when the thread passed 80% was not enough (0.79× of
 * ingest alone in `pnpm bench retention`, the goal 0.8×): the thread serving 7,000 answers a second is
 * 60–95% busy, and at a tenth of it, or a twentieth, the work still took a share ingest was short of.
 * So the work takes its share of what requests leave idle — share × (1 − utilisation), at least
 * MIN_SHARE — in quarter-size batches while the thread is loaded (a shorter stall each, smaller
 * writes to flush), and it starts small until the first reading of the load (a quarter second) says
 * the thread is idle.
 */
async function inBatches(
  options: BatchOptions,
  step: (batch: number) => Promise<number>,
  afterBatch?: () => Promise<void>,
): Promise<number> {
  const batch = options.batch ?? 200
  const pauseMs = options.pauseMs ?? 5
  const share = options.share ?? 0.1
  const pace = new Pace()
  const begun = performance.now()
  // Unknown until the first reading: taken as loaded.
  const load = () => (performance.now() - begun < 250 ? 1 : pace.utilisation())
  let total = 0
  for (;;) {
    const { size } = paceAt(load(), batch, share)
    const started = performance.now()
    const did = await step(size)
    total += did
    if (did === 0) return total
    await afterBatch?.()
    // The batch's own time (reading, deleting, the commit's wait for the lock) sets the pause, so the
    // work's share of the thread stays bounded however slow the machine or large the rows.
    const effective = paceAt(load(), batch, share).share
    const pause = Math.max(pauseMs, ((performance.now() - started) * (1 - effective)) / effective)
    await new Promise((resolve) => setTimeout(resolve, pause))
  }
}

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0)
