/** What the case views share: statuses and categories as a reader says them, the way back to the inbox. */
import type { Case } from '../api/client.ts'
import './case-words.css'

export type CaseStatus = Case['status']
export const STATUSES = [
  'open',
  'contacted',
  'resolved',
  'dismissed',
] as const satisfies readonly CaseStatus[]
export const STATUS_WORDS: Record<CaseStatus, string> = {
  open: 'Open',
  contacted: 'Contacted',
  resolved: 'Resolved',
  dismissed: 'Dismissed',
}

export type Category = Case['category']
export const CATEGORY_WORDS: Record<Category, string> = {
  detractor: 'Detractor',
  passive: 'Passive',
  promoter: 'Promoter',
}

/** The first words of a comment, cut at a word. */
export function excerpt(text: string, max = 120): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** The inbox last shown, with its filters, per survey: a case's "back" link returns to it. */
const inboxes = new Map<string, string>()
export const rememberInbox = (surveyId: string, href: string) => inboxes.set(surveyId, href)
export const inboxOf = (surveyId: string): string | undefined => inboxes.get(surveyId)
