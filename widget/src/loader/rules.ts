/**
 * Whether this visitor may be asked on this page view, decided from local state alone. Pure functions of
 * their inputs (the clock included), so every rule is tested without a browser.
 */
import type { DisplayRules } from '@npskit/shared/schemas'
import { isUrlAllowed } from '@npskit/shared/url-rules'

export type { DisplayRules }

/**
 * What the loader remembers per survey under `npskit:s:<surveyId>`. One-letter keys: every page view
 * downloads the code that names them.
 */
export interface SurveyState {
  /** Page views counted on this device. */
  v?: number
  /** Answered at (ms since the epoch). */
  a?: number
  /** Dismissed at. */
  d?: number
  /** Display rules from the last config fetch, so most page views need no request. */
  r?: DisplayRules
  /** Rules fetched at. */
  t?: number
}

export type Verdict = 'ask' | 'answered' | 'dismissed' | 'sampled-out' | 'too-few-views' | 'url-excluded'

const DAY = 86_400_000
/** Cached rules older than this are fetched again, so a survey's new settings reach every visitor. */
export const RULES_TTL = 604_800_000 // 7 days

/** FNV-1a: a small, well-spread 32-bit hash; the same input gives the same bucket on every page view. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** Sticky sampling: a visitor is in or out of a survey's sample for good, not by a dice roll per page. */
export function isSampled(respondentId: string, surveyId: string, sampleRate: number): boolean {
  return sampleRate >= 1 || hash32(`${respondentId}:${surveyId}`) / 4_294_967_296 < sampleRate
}

/**
 * @example
 * decide({ v: 3 }, rules, { now: Date.now(), respondentId: 'v1', surveyId: 'srv_a', url: location.href })
 */
export function decide(
  state: SurveyState,
  rules: DisplayRules,
  ctx: { now: number; respondentId: string; surveyId: string; url: string },
): Verdict {
  if (state.a != null && ctx.now - state.a < rules.resurveyAfterDays * DAY) return 'answered'
  if (state.d != null && ctx.now - state.d < rules.dismissBackoffDays * DAY) {
    return 'dismissed'
  }
  if (!isSampled(ctx.respondentId, ctx.surveyId, rules.sampleRate)) return 'sampled-out'
  if ((state.v ?? 0) < rules.minPageViews) return 'too-few-views'
  if (!isUrlAllowed(ctx.url, rules)) return 'url-excluded'
  return 'ask'
}

/** The cached rules if they are fresh enough to decide without asking the collector. */
export function cachedRules(state: SurveyState, now: number): DisplayRules | undefined {
  return state.r && state.t != null && now - state.t < RULES_TTL ? state.r : undefined
}
