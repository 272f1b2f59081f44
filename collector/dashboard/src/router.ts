/**
 * Every view has a URL (bookmark it, share it): the path says which view, the query holds the global
 * filters. The location lives in a signal; links and `navigate` change it through the History API.
 */
import { computed, signal } from '@preact/signals'

export const SURVEY_VIEWS = [
  'overview',
  'breakdown',
  'accounts',
  'compare',
  'themes',
  'responses',
  'cases',
  'webhooks',
  'settings',
] as const
export type SurveyView = (typeof SURVEY_VIEWS)[number]
/** The views whose path has no survey in it: `/dashboard/cases?survey=…` (the links in emails and Slack). */
const QUERY_VIEWS = new Set<SurveyView>(['cases', 'webhooks'])

export type Route =
  | { view: 'surveys' }
  | { view: 'new-survey' }
  | { view: 'keys' }
  | { view: SurveyView; surveyId: string }
  /** One case; surveyId null when the link lost its `?survey=` (the view finds it from the case). */
  | { view: 'case'; caseId: string; surveyId: string | null }
  | { view: 'not-found' }

const here = () => ({ path: window.location.pathname, search: window.location.search })

export const location = signal(here())
/** Counts visits (links, back and forward, not filter changes): a view opened again loads afresh. */
export const visit = signal(0)
window.addEventListener('popstate', () => {
  location.value = here()
  visit.value++
})

export const query = computed(() => new URLSearchParams(location.value.search))

/** The view a path (and its `survey` parameter) names. `/` is the landing page: the surveys once signed in. */
export function parsePath(path: string, search = ''): Route {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts.length === 0) return { view: 'surveys' }
  if (parts[0] !== 'dashboard') return { view: 'not-found' }
  const [, section, id, view] = parts
  const survey = new URLSearchParams(search).get('survey') || null
  if (section === 'cases' && id && parts.length === 3) return { view: 'case', caseId: id, surveyId: survey }
  if ((section === 'cases' || section === 'webhooks') && !id) {
    return survey ? { view: section, surveyId: survey } : { view: 'surveys' }
  }
  if (!section || (section === 'surveys' && !id)) return { view: 'surveys' }
  if (section === 'keys' && !id) return { view: 'keys' }
  if (section === 'surveys' && id === 'new' && !view) return { view: 'new-survey' }
  if (section === 'surveys' && id) {
    const name = (view ?? 'overview') as SurveyView
    if (SURVEY_VIEWS.includes(name) && !QUERY_VIEWS.has(name) && parts.length <= 4) {
      return { view: name, surveyId: id }
    }
  }
  return { view: 'not-found' }
}

export const route = computed(() => parsePath(location.value.path, location.value.search))

/** The path of a survey's view (with `?survey=` for the cases and webhooks). */
export function surveyPath(surveyId: string, view: SurveyView = 'overview'): string {
  if (QUERY_VIEWS.has(view)) return `/dashboard/${view}?survey=${encodeURIComponent(surveyId)}`
  const base = `/dashboard/surveys/${encodeURIComponent(surveyId)}`
  return view === 'overview' ? base : `${base}/${view}`
}

/** The path of a case: the one the collector's emails and Slack messages link to. */
export function casePath(caseId: string, surveyId: string): string {
  return `/dashboard/cases/${encodeURIComponent(caseId)}?survey=${encodeURIComponent(surveyId)}`
}

/** Goes to a URL of the dashboard (a new history entry unless `replace`). */
export function navigate(url: string, { replace = false } = {}) {
  const target = new URL(url, window.location.origin)
  if (replace) window.history.replaceState(null, '', target)
  else window.history.pushState(null, '', target)
  location.value = here()
  if (!replace) {
    visit.value++
    window.scrollTo(0, 0)
  }
}

/** This page's URL with query parameters changed (null removes one) and the rest kept. */
export function hereWith(changes: Record<string, string | null>): string {
  const next = new URLSearchParams(location.value.search)
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name)
    else next.set(name, value)
  }
  const search = next.toString()
  return `${location.value.path}${search ? `?${search}` : ''}`
}

/** Changes query parameters (null removes one) and keeps the rest; filters replace the history entry. */
export function setQuery(changes: Record<string, string | null>, { replace = true } = {}) {
  navigate(hereWith(changes), { replace })
}

const FILTER_PARAMS = new Set(['locale', 'path', 'device', 'latest', 'current'])
/** The answer filters in the query (what "Clear filters" removes). */
export const isFilterParam = (name: string) => FILTER_PARAMS.has(name) || name.startsWith('segment.')
/** The query parameters every view shares (read by filters.ts); a view's own (`by`, `sort`, `q`, …) stay on it. */
export const isGlobalParam = (name: string) =>
  ['period', 'from', 'to', 'tz'].includes(name) || isFilterParam(name)

/** A link's href to another view that keeps the global period and filters, and drops the view's own. */
export function withQuery(path: string): string {
  const [bare, own = ''] = path.split('?') as [string, string?]
  const kept = new URLSearchParams(own)
  for (const [name, value] of query.value) if (isGlobalParam(name)) kept.append(name, value)
  const search = kept.toString()
  return search ? `${bare}?${search}` : bare
}
