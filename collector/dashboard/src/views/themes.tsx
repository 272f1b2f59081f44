/**
 * Comment themes: for one category (detractors by default; the choice lives in the URL), the words,
 * two-word phrases and dictionary themes of the comments, the costliest first: each with what it costs
 * (or earns) in NPS points and the 95% interval, how many comments carry it, their share and, in words,
 * how much more common it is here than elsewhere. Opened, a theme shows the API's examples (the newest
 * comments of the category that mention it, after the same folding, so "Rechnung" counts for "billing")
 * and its weekly trend, read on demand from `/themes/trend` for the same filters.
 */
import { useState } from 'preact/hooks'
import { api, read, type Survey, type Themes } from '../api/client.ts'
import { Link } from '../components/link.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { analyticsQuery } from '../filters.ts'
import { formatCount, formatDate, formatNumber, formatShare } from '../format.ts'
import { location, query, surveyPath } from '../router.ts'
import { useApi } from '../use-api.ts'
import './themes.css'

export const CATEGORIES = ['detractor', 'passive', 'promoter'] as const
export type Category = (typeof CATEGORIES)[number]

const PLURAL: Record<Category, string> = {
  detractor: 'detractors',
  passive: 'passives',
  promoter: 'promoters',
}

/** The category a URL names (`category=…`), detractors unless it names another. */
export function categoryOf(q: URLSearchParams): Category {
  const c = q.get('category') as Category | null
  return c && CATEGORIES.includes(c) ? c : 'detractor'
}

/** The current URL with another category, the rest of the query kept. */
function hrefWith(category: Category): string {
  const next = new URLSearchParams(location.value.search)
  if (category === 'detractor') next.delete('category')
  else next.set('category', category)
  const search = next.toString()
  return `${location.value.path}${search ? `?${search}` : ''}`
}

/** Lift in the words a manager reads: "3.2× more common in detractors’ comments than in the others’". */
export function liftInWords(lift: number, category: Category): string {
  return `${formatNumber(lift, 1)}× more common in ${PLURAL[category]}’ comments than in other comments`
}

/** Impact in the words a manager reads: "costs 12.3 points (95%: 8.1 to 16.5)". */
export function impactInWords(
  impact: number | null,
  ci95: readonly [number, number] | null | number[],
): string {
  if (impact === null || !ci95) return 'impact unknown: every answer or none mentions it'
  const verb = impact <= 0 ? 'costs' : 'adds'
  const sign = impact <= 0 ? -1 : 1
  const [a, b] = [sign * ci95[0]!, sign * ci95[1]!].sort((x, y) => x - y)
  return `${verb} ${formatNumber(Math.abs(impact), 1)} NPS points (95%: ${formatNumber(a, 1)} to ${formatNumber(b, 1)})`
}

export function ThemesView({ survey }: { survey: Survey }) {
  const category = categoryOf(query.value)
  const apiQuery = analyticsQuery()
  const key = JSON.stringify(apiQuery)
  const themes = useApi(
    () =>
      read(
        api.GET('/v1/surveys/{id}/themes', {
          params: { path: { id: survey.id }, query: { ...apiQuery, category } },
        }),
      ),
    [survey.id, category, key],
  )
  return (
    <section class="themes" aria-labelledby="themes-title">
      <div class="section-head center">
        <h2 id="themes-title">What {PLURAL[category]} write about</h2>
        <nav class="segmented" aria-label="Category">
          {CATEGORIES.map((c) => (
            <Link key={c} href={hrefWith(c)} class={c} aria-current={c === category ? 'true' : undefined}>
              {PLURAL[c][0]!.toUpperCase() + PLURAL[c].slice(1)}
            </Link>
          ))}
        </nav>
      </div>
      {themes.error ? (
        <Failure error={themes.error} what="the themes" retry={themes.reload} />
      ) : !themes.data ? (
        <Loading label="Reading the comments…" />
      ) : (
        <div aria-busy={themes.loading ? 'true' : undefined}>
          <ThemeList survey={survey} themes={themes.data as Themes} category={category} />
        </div>
      )}
    </section>
  )
}

function ThemeList({ survey, themes, category }: { survey: Survey; themes: Themes; category: Category }) {
  if (themes.comments === 0) {
    return (
      <Empty title={`No comments from ${PLURAL[category]} in this period`}>
        <p>
          Themes come from the comments people add after their score. Choose a longer period or clear the
          filters; if no one comments at all, check the follow-up question for {PLURAL[category]} in{' '}
          <Link href={surveyPath(survey.id, 'settings')}>Settings</Link>.
        </p>
      </Empty>
    )
  }
  const basis = (
    <p class="muted basis">
      From {formatCount(themes.comments)} {category} comment{themes.comments === 1 ? '' : 's'}
      {themes.comments >= themes.maxComments ? ` (the newest ${formatCount(themes.maxComments)})` : ''},
      compared with {formatCount(themes.otherComments)} comment{themes.otherComments === 1 ? '' : 's'} of the
      other categories. A theme is a word, a two-word phrase or a dictionary theme found in at least 2 of
      them, the costliest in NPS points first.
    </p>
  )
  if (themes.terms.length === 0) {
    return (
      <Empty title="No theme stands out yet">
        {basis}
        <p>
          No word is both repeated and more common here than elsewhere. Themes appear as more comments arrive;
          a longer period helps.
        </p>
      </Empty>
    )
  }
  return (
    <>
      {basis}
      <ol class="theme-list">
        {themes.terms.map((t, i) => (
          <ThemeItem key={t.term} survey={survey} category={category} term={t} id={`theme-${i}`} />
        ))}
      </ol>
    </>
  )
}

function ThemeItem({
  survey,
  category,
  term,
  id,
}: {
  survey: Survey
  category: Category
  term: Themes['terms'][number]
  id: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <li class="theme">
      <div class="theme-main">
        <h3 class="term">{term.label}</h3>
        <p class="figures">
          <span class="count">
            {formatCount(term.count)} comment{term.count === 1 ? '' : 's'}
          </span>{' '}
          · <span class="share">{formatShare(term.share)}</span> of {PLURAL[category]}’ comments
        </p>
        <p class="impact">{impactInWords(term.impact, term.impactCi95)}</p>
        <p class="lift">{liftInWords(term.lift, category)}</p>
        {term.absorbed.length > 0 ? (
          <p class="muted absorbed">Counts also: {term.absorbed.join(', ')}</p>
        ) : null}
      </div>
      <button
        type="button"
        class="button ghost"
        aria-expanded={open}
        aria-controls={`${id}-examples`}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide examples' : 'Show examples'}
      </button>
      <div id={`${id}-examples`} class="examples" hidden={!open}>
        {open ? (
          <>
            <ul class="example-list">
              {term.examples.map((text) => (
                <li key={text}>
                  <blockquote>{text}</blockquote>
                </li>
              ))}
            </ul>
            <ThemeTrend survey={survey} theme={term.term} label={term.label} />
          </>
        ) : null}
      </div>
    </li>
  )
}

/** The theme per week over the chosen period and filters: mentions, share of comments and impact. */
function ThemeTrend({ survey, theme, label }: { survey: Survey; theme: string; label: string }) {
  const apiQuery = analyticsQuery()
  const trend = useApi(
    () =>
      read(
        api.GET('/v1/surveys/{id}/themes/trend', {
          params: { path: { id: survey.id }, query: { ...apiQuery, theme, interval: 'week' } },
        }),
      ),
    [survey.id, theme, JSON.stringify(apiQuery)],
  )
  if (trend.error) return <Failure error={trend.error} what="the theme’s trend" />
  if (!trend.data) return <Loading label="Loading the trend…" />
  const tz = apiQuery.tz ?? 'UTC'
  const points = trend.data.points.slice(-12)
  return (
    <table class="theme-trend">
      <caption>
        “{label}” by week{trend.data.points.length > 12 ? ' (the last 12)' : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">Week of</th>
          <th scope="col">Mentions</th>
          <th scope="col">Share of comments</th>
          <th scope="col">Impact (points)</th>
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.start}>
            <th scope="row">{formatDate(p.start, tz)}</th>
            <td>{formatCount(p.mentions)}</td>
            <td>{formatShare(p.share)}</td>
            <td>{p.impact === null ? '—' : formatNumber(p.impact, 1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
