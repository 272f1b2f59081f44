/**
 * The digest (settings.notifications.digest): an email at 08:00 UTC — every day (`daily`, about the 24
 * hours before) or on Mondays (`weekly`, about the 7 days before) — with the period's NPS and its 95%
 * interval, the change since the last digest, the new detractors (how many, and the latest comments)
 * and the cases that are overdue.
 *
 * Once per period, also with several collectors on one database: the period's end is kept in the mark
 * of the job `digest`, committed with the email in one compare-and-set. A collector that was down at
 * 08:00 sends the digest when it comes back; one down for longer sends only the latest period's.
 *
 * @example
 * await runDigest(backend, survey, Date.now(), { publicUrl })
 */
import { type NpsEstimate, summarize } from '@npskit/shared'
import type { Backend, Survey } from '../backend/backend.ts'
import { DAY_MS, HOUR_MS } from '../backend/backend.ts'
import { digestEmail } from './messages.ts'

/** The hour (UTC) digests go out; weekly ones on Mondays. */
export const DIGEST_HOUR_UTC = 8
export const DIGEST_JOB = 'digest'
/** Detractor comments a digest quotes at most, the latest first. */
export const DIGEST_COMMENTS = 3
/** Overdue cases a digest lists at most (it counts up to OVERDUE_COUNTED). */
export const DIGEST_OVERDUE_LISTED = 5
const OVERDUE_COUNTED = 50
/** Detractors looked through for ones with a comment. */
const DETRACTORS_READ = 50

export type DigestCadence = 'daily' | 'weekly'

export interface Digest {
  surveyId: string
  cadence: DigestCadence
  /** The period: from (inclusive) … to (exclusive), ms since the epoch. */
  from: number
  to: number
  summary: NpsEstimate
  /** The NPS the last digest reported; null: this is the first, or the last had no answers. */
  previousNps: number | null
  /** summary.nps − previousNps; null when either is null. */
  change: number | null
  detractors: {
    /** Detractors who answered in the period. */
    count: number
    latest: { id: string; score: number; comment: string; createdAt: number }[]
  }
  overdue: {
    /** Open or contacted cases past their due time now (up to OVERDUE_COUNTED). */
    count: number
    /** More than `count` are overdue. */
    more: boolean
    cases: { id: string; score: number; assignee: string | null; dueAt: number }[]
  }
}

/** What the digest's mark keeps: which period it was about and the NPS it said. */
interface DigestMarkData {
  periodEnd: number
  nps: number | null
}

/**
 * The latest period a digest of this cadence is due for at `now`: it ends at the last 08:00 UTC at or
 * before `now` (the last Monday's for weekly) and lasts a day (a week).
 */
export function digestPeriod(cadence: DigestCadence, now: number): { from: number; to: number } {
  const day = Math.floor(now / DAY_MS) * DAY_MS
  let end = day + DIGEST_HOUR_UTC * HOUR_MS
  if (end > now) end -= DAY_MS
  if (cadence === 'daily') return { from: end - DAY_MS, to: end }
  // getUTCDay: 0 is Sunday, 1 Monday.
  const sinceMonday = (new Date(end).getUTCDay() + 6) % 7
  end -= sinceMonday * DAY_MS
  return { from: end - 7 * DAY_MS, to: end }
}

type DigestBackend = Pick<
  Backend,
  'distribution' | 'listResponses' | 'listCases' | 'scheduleMark' | 'commitSchedule'
>

/** The figures of a digest for the period, `previousNps` from the last one, overdue cases as of `now`. */
export async function buildDigest(
  backend: Pick<Backend, 'distribution' | 'listResponses' | 'listCases'>,
  surveyId: string,
  cadence: DigestCadence,
  period: { from: number; to: number },
  previousNps: number | null,
  now: number,
): Promise<Digest> {
  const [distribution, detractors, overdue] = await Promise.all([
    backend.distribution(surveyId, { from: period.from, to: period.to }),
    backend.listResponses(
      surveyId,
      { from: period.from, to: period.to, category: 'detractor' },
      DETRACTORS_READ,
      undefined,
      'newest',
    ),
    backend.listCases({ surveyId, overdueAt: now }, OVERDUE_COUNTED),
  ])
  const { distribution: _, ...summary } = summarize(distribution)
  return {
    surveyId,
    cadence,
    from: period.from,
    to: period.to,
    summary,
    previousNps,
    change: summary.nps === null || previousNps === null ? null : summary.nps - previousNps,
    detractors: {
      count: summary.detractors,
      latest: detractors.items
        .filter((r) => r.comment?.trim())
        .slice(0, DIGEST_COMMENTS)
        .map((r) => ({
          id: r.id,
          score: r.score,
          comment: (r.comment as string).trim(),
          createdAt: r.createdAt,
        })),
    },
    overdue: {
      count: overdue.items.length,
      more: overdue.next !== null,
      cases: overdue.items
        .slice(0, DIGEST_OVERDUE_LISTED)
        .map((c) => ({ id: c.id, score: c.score, assignee: c.assignee, dueAt: c.dueAt as number })),
    },
  }
}

/**
 * Sends the survey's digest if one is due at `now` and not sent yet (by any collector): stores the
 * email with the mark in one commit, and answers the digest. Undefined when the survey has no digest
 * or nobody to send it to, the period is sent already, it ended before the survey existed, or
 * another collector committed it first. Call it only when a mailer exists: a digest is only an email.
 */
export async function runDigest(
  backend: DigestBackend,
  survey: Survey,
  now: number,
  options: { publicUrl: string | undefined },
): Promise<Digest | undefined> {
  const notifications = survey.settings.notifications
  if (!notifications || notifications.digest === 'off' || notifications.emails.length === 0) return undefined
  const period = digestPeriod(notifications.digest, now)
  if (period.to <= survey.createdAt) return undefined
  const mark = await backend.scheduleMark(survey.id, DIGEST_JOB)
  const last = mark?.data as DigestMarkData | undefined
  if (last && last.periodEnd >= period.to) return undefined
  const digest = await buildDigest(backend, survey.id, notifications.digest, period, last?.nps ?? null, now)
  const email = digestEmail(survey, digest, options.publicUrl)
  if (!email) return undefined
  const data: DigestMarkData = { periodEnd: period.to, nps: digest.summary.nps }
  const stored = await backend.commitSchedule(
    survey.id,
    DIGEST_JOB,
    mark?.at,
    { at: now, data },
    { emails: [email], deliveries: [] },
  )
  return stored ? digest : undefined
}
