/**
 * Comment themes: for one category (detractors by default; the choice lives in the URL), the words and
 * two-word phrases that stand out against the other categories' comments, each with how many comments
 * carry it, their share and, in words, how much more common it is here than elsewhere. Example comments
 * are read on demand from the responses list — the same category, period and filters, searched for the
 * term — so what a manager reads is exactly what an export of that search would hold.
 */
import { useState } from 'preact/hooks'
import { api, read, type StoredResponse, type Survey, type Themes } from '../api/client.ts'
import { Link } from '../components/link.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { analyticsQuery } from '../filters.ts'
import { formatCount, formatDate, formatNumber, formatShare } from '../format.ts'
import { location, query, surveyPath } from '../router.ts'
import { useApi } from '../use-api.ts'
import type { ResponsePage } from './responses.tsx'
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
          <ThemeList survey={survey} themes={themes.data} category={category} />
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
      other categories. A theme is a word or two-word phrase found in at least 2 of them.
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
        <h3 class="term">{term.term}</h3>
        <p class="figures">
          <span class="count">
            {formatCount(term.count)} comment{term.count === 1 ? '' : 's'}
          </span>{' '}
          · <span class="share">{formatShare(term.share)}</span> of {PLURAL[category]}’ comments
        </p>
        <p class="lift">{liftInWords(term.lift, category)}</p>
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
        {open ? <Examples survey={survey} category={category} term={term.term} /> : null}
      </div>
    </li>
  )
}

/**
 * Up to three of the newest comments of the category with the term, from the responses list. A phrase
 * is two words that stood next to each other once punctuation and spacing are set aside ("checkout –
 * slow"), so when the phrase as typed finds nothing, comments with its longest word are searched and
 * those holding every word are shown.
 */
function Examples({ survey, category, term }: { survey: Survey; category: Category; term: string }) {
  const apiQuery = analyticsQuery()
  const examples = useApi(async () => {
    const search = (q: string, limit: number) =>
      read(
        api.GET('/v1/surveys/{id}/responses', {
          params: {
            path: { id: survey.id },
            query: { ...apiQuery, category, q, order: 'newest', limit: String(limit) },
          },
        }),
      ) as Promise<ResponsePage>
    const exact = await search(term, 3)
    const words = term.split(' ')
    if (exact.items.length > 0 || words.length < 2) return { items: exact.items, allWords: false }
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a))
    const wider = await search(longest, 50)
    const holds = (r: StoredResponse) => words.every((w) => r.comment?.toLowerCase().includes(w))
    return { items: wider.items.filter(holds).slice(0, 3), allWords: true }
  }, [survey.id, category, term, JSON.stringify(apiQuery)])
  if (examples.error) return <Failure error={examples.error} what="the example comments" />
  if (!examples.data) return <Loading label="Loading examples…" />
  if (examples.data.items.length === 0) {
    return <p class="muted">No comment in this period holds “{term}” as written.</p>
  }
  const tz = apiQuery.tz ?? 'UTC'
  return (
    <>
      {examples.data.allWords ? <p class="muted">Comments with every word of “{term}”:</p> : null}
      <ul class="example-list">
        {examples.data.items.map((r) => (
          <li key={r.id}>
            <blockquote>
              <Highlighted text={r.comment ?? ''} term={examples.data!.allWords ? '' : term} />
            </blockquote>
            <p class="muted meta">
              Score {r.score} · {formatDate(r.createdAt, tz, true)}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}

/** The comment with the first occurrence of the term marked (where lower case keeps the length). */
function Highlighted({ text, term }: { text: string; term: string }) {
  const lower = text.toLowerCase()
  const at = term ? lower.indexOf(term.toLowerCase()) : -1
  if (at < 0 || lower.length !== text.length) return <>{text}</>
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + term.length)}</mark>
      {text.slice(at + term.length)}
    </>
  )
}
