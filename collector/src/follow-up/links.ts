/**
 * Where the dashboard shows what an email or a chat message is about: the one place that knows its
 * paths, for every message that links there. `publicUrl` is config.publicUrl (NPSKIT_PUBLIC_URL).
 */
import type { StoredResponse } from '../backend/backend.ts'

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, '')

/** `${publicUrl}/dashboard/cases/<caseId>?survey=<surveyId>`. */
export function caseLink(publicUrl: string, caseId: string, surveyId: string): string {
  return `${base(publicUrl)}/dashboard/cases/${encodeURIComponent(caseId)}?survey=${encodeURIComponent(surveyId)}`
}

/** The survey's overview, with a segment filter when there is one. */
export function surveyLink(publicUrl: string, surveyId: string, segment?: readonly [string, string] | null) {
  const path = `${base(publicUrl)}/dashboard/surveys/${encodeURIComponent(surveyId)}`
  return segment ? `${path}?${new URLSearchParams({ [`segment.${segment[0]}`]: segment[1] })}` : path
}

/**
 * Where the dashboard shows an answer: the answers of its day with its score. (The dashboard has no
 * view of one answer; the day and the score narrow the list to it and a few more.)
 */
export function answerLink(publicUrl: string, surveyId: string, response: StoredResponse): string {
  const day = new Date(response.createdAt).toISOString().slice(0, 10)
  const query = new URLSearchParams({
    period: 'custom',
    from: day,
    to: day,
    tz: 'UTC',
    score: String(response.score),
  })
  return `${base(publicUrl)}/dashboard/surveys/${encodeURIComponent(surveyId)}/responses?${query}`
}
