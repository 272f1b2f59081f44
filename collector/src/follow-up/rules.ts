/**
 * Which new answers open a follow-up case, and how: a survey's rules (settings.cases.rules), tried in
 * order; the first that matches opens the case. Computed here once for every engine; the dispatcher
 * stores what this answers.
 *
 * @example
 * const newCase = caseFor(survey, response, Date.now()) // undefined: no rule matches
 */
import { type CaseRule, classify } from '@npskit/shared'
import type { MetadataValue, StoredResponse, Survey } from '../backend/backend.ts'
import { HOUR_MS } from '../backend/backend.ts'
import type { NewCase } from '../backend/follow-up.ts'

/**
 * A metadata value as text, the way segments compare it everywhere (analytics filters too): strings
 * as they are, `true`/`false`, numbers in the decimal form JSON gives them.
 */
export function metadataText(value: MetadataValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** Whether an answer's metadata holds every [key, value] pair, compared as text. */
export function hasSegments(
  metadata: StoredResponse['metadata'],
  segments: readonly (readonly [string, string])[] | undefined,
): boolean {
  return (segments ?? []).every(([key, value]) => {
    const held = metadata?.[key]
    return held !== undefined && metadataText(held) === value
  })
}

export function ruleMatches(rule: CaseRule, response: StoredResponse): boolean {
  const { categories, maxScore, segments, contactRequested } = rule.when
  if (categories && !categories.includes(classify(response.score))) return false
  if (maxScore !== undefined && response.score > maxScore) return false
  if (contactRequested && !response.contact) return false
  return hasSegments(response.metadata, segments)
}

/** The assignee a rule names: the answer's own metadata value when it has one, else the rule's. */
function assigneeOf(rule: CaseRule, response: StoredResponse): string | null {
  const own = rule.assigneeFrom === undefined ? undefined : response.metadata?.[rule.assigneeFrom]
  if (own !== undefined && metadataText(own).trim() !== '') return metadataText(own).trim().slice(0, 200)
  return rule.assignee ?? null
}

/** The case the survey's first matching rule opens for a new answer, or undefined. */
export function caseFor(survey: Survey, response: StoredResponse, at: number): NewCase | undefined {
  const rule = survey.settings.cases?.rules.find((r) => ruleMatches(r, response))
  if (!rule) return undefined
  return {
    surveyId: survey.id,
    responseId: response.id,
    assignee: assigneeOf(rule, response),
    dueAt: rule.dueHours === undefined ? null : at + rule.dueHours * HOUR_MS,
    tags: rule.tags ?? [],
    openedBy: `rule: ${rule.name}`,
  }
}
