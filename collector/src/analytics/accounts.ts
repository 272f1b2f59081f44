/**
 * Account health: each account's NPS in a period beside the previous period of the same length, and a
 * status by the rules below. The counts come from the database (Analytics.accounts); this module only
 * reads them, with the one NPS implementation of `@npskit/shared`.
 *
 * Rules, in order (the first that applies wins):
 * 1. `unknown` — stale: no answer within the survey's response lifetime before the period's end.
 * 2. `at risk` — with at least {@link MIN_ACCOUNT_ANSWERS}, the whole 95% interval of its NPS is below 0;
 *    or it fell against the previous period and the fall is significant at {@link ACCOUNT_ALPHA} (both
 *    periods with at least {@link MIN_ACCOUNT_ANSWERS}).
 *    Both ask for evidence, not a low figure: a survey of 800 accounts, all alike, has dozens whose NPS
 *    is below 0 by chance, and a respondent who once answered 9 and then 5 is common (about one pair in
 *    ten at a typical split). A promoter who turned detractor is listed as a reason beside the others,
 *    and in `movers`, but does not make an account at risk alone.
 * 3. `unknown` — fewer than {@link MIN_ACCOUNT_ANSWERS} answers (respondents, when counting respondents).
 * 4. `healthy` — otherwise.
 *
 * Worst first: `at risk`, then `healthy`, then `unknown`; within each, by the upper end of the 95%
 * interval (the best the account may truly be), lowest first, then NPS, then the account's name.
 *
 * @example
 * const items = rankAccounts(current.map((g) => accountHealth(g, previousBy.get(g.account), rules)))
 */
import { compare, countsOf, emptyDistribution, estimate, type NpsEstimate } from '@npskit/shared'
import type { AccountGroup } from '../backend/backend.ts'

/** Below this many answers an account's NPS is too imprecise to call healthy or (alone) at risk. */
export const MIN_ACCOUNT_ANSWERS = 5

/**
 * A fall counts as significant below this two-sided p: a list of hundreds of accounts tests each one,
 * and at 0.05 one account in forty would look fallen by chance.
 */
export const ACCOUNT_ALPHA = 0.01

export type AccountStatus = 'at risk' | 'healthy' | 'unknown'

export type AccountReason =
  | 'stale'
  | 'promoter to detractor'
  | 'negative nps'
  | 'significant fall'
  | 'few answers'

export interface AccountHealth {
  account: string
  status: AccountStatus
  reasons: AccountReason[]
  /** Answers counted (or the respondents' total weight, when counting respondents). */
  n: number
  promoters: number
  passives: number
  detractors: number
  nps: number | null
  ci95: [number, number] | null
  marginOfError: number | null
  respondents: number
  lastAnswerAt: string
  stale: boolean
  /** Respondents whose category fell from promoter to detractor between consecutive answers. */
  movers: number
  previous: { n: number; nps: number | null }
  change: { delta: number | null; z: number | null; pValue: number | null; significant: boolean }
}

export interface HealthRules {
  /** The period's end: staleness is measured from here. */
  end: number
  /** The survey's response lifetime in ms. */
  lifetime: number
}

// Weights: when counting respondents the counts are fractions (Analytics.accounts).
const WEIGHTS = { weights: true }

function figures(distribution: readonly number[] | undefined): NpsEstimate {
  return estimate(countsOf(distribution ?? emptyDistribution(), WEIGHTS), WEIGHTS)
}

/** One account's figures and status (see the module comment for the rules). */
export function accountHealth(
  current: AccountGroup,
  previous: AccountGroup | undefined,
  rules: HealthRules,
): AccountHealth {
  const now = figures(current.distribution)
  const before = figures(previous?.distribution)
  const change = compare(now, before, WEIGHTS)
  const stale = current.lastAt < rules.end - rules.lifetime
  const enough = now.total >= MIN_ACCOUNT_ANSWERS - 1e-9
  const reasons: AccountReason[] = []
  if (stale) reasons.push('stale')
  if (current.fell > 0) reasons.push('promoter to detractor')
  if (enough && now.ci95 !== null && now.ci95[1] < 0) reasons.push('negative nps')
  if (
    enough &&
    before.total >= MIN_ACCOUNT_ANSWERS - 1e-9 &&
    change.pValue !== null &&
    change.pValue < ACCOUNT_ALPHA &&
    change.delta !== null &&
    change.delta < 0
  ) {
    reasons.push('significant fall')
  }
  if (!enough) reasons.push('few answers')
  const status: AccountStatus = stale
    ? 'unknown'
    : reasons.includes('negative nps') || reasons.includes('significant fall')
      ? 'at risk'
      : enough
        ? 'healthy'
        : 'unknown'
  return {
    account: current.account,
    status,
    reasons,
    n: now.total,
    promoters: now.promoters,
    passives: now.passives,
    detractors: now.detractors,
    nps: now.nps,
    ci95: now.ci95,
    marginOfError: now.marginOfError,
    respondents: current.respondents,
    lastAnswerAt: new Date(current.lastAt).toISOString(),
    stale,
    movers: current.fell,
    previous: { n: before.total, nps: before.nps },
    change,
  }
}

const STATUS_ORDER: Record<AccountStatus, number> = { 'at risk': 0, healthy: 1, unknown: 2 }

/** Worst first (see the module comment); sorts in place and answers the array. */
export function rankAccounts(items: AccountHealth[]): AccountHealth[] {
  const upper = (a: AccountHealth) => a.ci95?.[1] ?? Number.POSITIVE_INFINITY
  const nps = (a: AccountHealth) => a.nps ?? Number.POSITIVE_INFINITY
  return items.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      upper(a) - upper(b) ||
      nps(a) - nps(b) ||
      (a.account < b.account ? -1 : a.account > b.account ? 1 : 0),
  )
}
