/**
 * Every view has a URL (bookmark it, share it): the path says which view, the query holds the global
 * filters. The location lives in a signal; links and `navigate` change it through the History API.
 */
import { computed, signal } from '@preact/signals'

export const SURVEY_VIEWS = ['overview', 'breakdown', 'compare', 'themes', 'responses', 'settings'] as const
export type SurveyView = (typeof SURVEY_VIEWS)[number]

export type Route =
  | { view: 'surveys' }
  | { view: 'new-survey' }
  | { view: 'keys' }
  | { view: SurveyView; surveyId: string }
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

/** The view a path names. `/` is the landing page: the surveys once signed in. */
export function parsePath(path: string): Route {
  const parts = path.replace(/\/+$/, '').split('/').filter(Boolean).map(decodeURIComponent)
  if (parts.length === 0) return { view: 'surveys' }
  if (parts[0] !== 'dashboard') return { view: 'not-found' }
  const [, section, id, view] = parts
  if (!section || (section === 'surveys' && !id)) return { view: 'surveys' }
  if (section === 'keys' && !id) return { view: 'keys' }
  if (section === 'surveys' && id === 'new' && !view) return { view: 'new-survey' }
  if (section === 'surveys' && id) {
    const name = (view ?? 'overview') as SurveyView
    if (SURVEY_VIEWS.includes(name) && parts.length <= 4) return { view: name, surveyId: id }
  }
  return { view: 'not-found' }
}

export const route = computed(() => parsePath(location.value.path))

/** The path of a survey's view. */
export function surveyPath(surveyId: string, view: SurveyView = 'overview'): string {
  const base = `/dashboard/surveys/${encodeURIComponent(surveyId)}`
  return view === 'overview' ? base : `${base}/${view}`
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

/** Changes query parameters (null removes one) and keeps the rest; filters replace the history entry. */
export function setQuery(changes: Record<string, string | null>, { replace = true } = {}) {
  const next = new URLSearchParams(location.value.search)
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') next.delete(name)
    else next.set(name, value)
  }
  const search = next.toString()
  navigate(`${location.value.path}${search ? `?${search}` : ''}`, { replace })
}

const FILTER_PARAMS = new Set(['locale', 'path', 'device', 'latest'])
/** The answer filters in the query (what "Clear filters" removes). */
export const isFilterParam = (name: string) => FILTER_PARAMS.has(name) || name.startsWith('segment.')
/** The query parameters every view shares (read by filters.ts); a view's own (`by`, `sort`, `q`, …) stay on it. */
export const isGlobalParam = (name: string) =>
  ['period', 'from', 'to', 'tz'].includes(name) || isFilterParam(name)

/** A link's href to another view that keeps the global period and filters, and drops the view's own. */
export function withQuery(path: string): string {
  const kept = new URLSearchParams([...query.value].filter(([name]) => isGlobalParam(name)))
  const search = kept.toString()
  return search ? `${path}?${search}` : path
}
