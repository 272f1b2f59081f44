/**
 * The responses: every answer, newest first, a page at a time, with the comment in full and everything
 * it was stored with. On top of the global period and filters it narrows by category, score and a text
 * search in comments (typed searches wait for a pause), all in the URL. The export buttons link to the
 * API's own export with exactly these filters: the session cookie authenticates a plain link, and the
 * collector names the file. An admin opens a follow-up case for an answer from here.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure, api, read, type StoredResponse, type Survey } from '../api/client.ts'
import { Link } from '../components/link.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { analyticsQuery, describeFilters, filters } from '../filters.ts'
import { formatCount, formatDate } from '../format.ts'
import { casePath, navigate, query, setQuery, surveyPath, withQuery } from '../router.ts'
import { isAdmin } from '../session.ts'
import { usePages } from '../use-api.ts'
import './responses.css'

const PAGE_SIZE = 25

/** A page of the JSON listing (the route also answers CSV and NDJSON, hence the union it is typed with). */
export interface ResponsePage {
  items: StoredResponse[]
  nextCursor: string | null
}
/** The API's bound on a comment search (q). */
export const MAX_SEARCH = 200
/** How long typing pauses before the search runs. */
const SEARCH_DELAY_MS = 350

const CATEGORIES = ['detractor', 'passive', 'promoter'] as const
type Category = (typeof CATEGORIES)[number]
const CATEGORY_WORDS: Record<Category, string> = {
  detractor: 'Detractor',
  passive: 'Passive',
  promoter: 'Promoter',
}

/** This view's own narrowing, read from the URL: category, one score, a comment search. */
export function listFiltersOf(q: URLSearchParams): { category?: Category; score?: number; q?: string } {
  const out: { category?: Category; score?: number; q?: string } = {}
  const category = q.get('category') as Category | null
  if (category && CATEGORIES.includes(category)) out.category = category
  const score = q.get('score')
  if (score !== null && /^(\d|10)$/.test(score)) out.score = Number(score)
  const search = q.get('q')?.trim()
  if (search) out.q = search.slice(0, MAX_SEARCH)
  return out
}

/** The query of the list and its export: the global filters, then category, score and search. */
function listQuery(q: URLSearchParams): Record<string, string> {
  const own = listFiltersOf(q)
  const out: Record<string, string> = { ...analyticsQuery(), order: 'newest' }
  if (own.category) out.category = own.category
  if (own.score !== undefined) {
    out.minScore = String(own.score)
    out.maxScore = String(own.score)
  }
  if (own.q) out.q = own.q
  return out
}

export function ResponsesView({ survey }: { survey: Survey }) {
  const params = listQuery(query.value)
  const key = JSON.stringify(params)
  const page = (cursor?: string) =>
    read(
      api.GET('/v1/surveys/{id}/responses', {
        params: {
          path: { id: survey.id },
          query: { ...params, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) },
        },
      }),
    ) as Promise<ResponsePage>
  const { first, items, next, loadMore, loadingMore, moreError } = usePages(page, [survey.id, key], key)

  const own = listFiltersOf(query.value)
  const narrowed = Object.keys(own).length > 0 || describeFilters().length > 0
  return (
    <section class="responses" aria-labelledby="responses-title">
      <div class="section-head center">
        <h2 id="responses-title">Responses</h2>
        <ExportLinks survey={survey} params={params} />
      </div>
      <ListFilters />
      {first.error ? (
        <Failure error={first.error} what="the responses" retry={first.reload} />
      ) : !first.data ? (
        <Loading label="Loading responses…" />
      ) : items.length === 0 ? (
        narrowed ? (
          <Empty title="No answers match">
            <p>
              No answer in this period matches the category, score, search and filters chosen. Clear one of
              them, or choose a longer period.
            </p>
          </Empty>
        ) : (
          <Empty title="No answers in this period">
            <p>
              Answers appear here as visitors answer the survey. If none arrive, check that the survey’s
              snippet is on your site and its origin is allowed in{' '}
              <Link href={surveyPath(survey.id, 'settings')}>Settings</Link>.
            </p>
          </Empty>
        )
      ) : (
        <div aria-busy={first.loading || loadingMore ? 'true' : undefined}>
          <p class="muted shown" aria-live="polite">
            {formatCount(items.length)} answer{items.length === 1 ? '' : 's'} shown, newest first
            {next ? '' : ': that is all of them'}
          </p>
          <ol class="response-list">
            {items.map((r) => (
              <ResponseItem key={r.id} surveyId={survey.id} response={r} tz={filters.value.tz} />
            ))}
          </ol>
          {moreError ? (
            <p class="state failure" role="alert">
              Could not load more answers. {moreError.message}
            </p>
          ) : null}
          {next ? (
            <button type="button" class="button load-more" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : `Load ${PAGE_SIZE} more`}
            </button>
          ) : null}
        </div>
      )}
    </section>
  )
}

/** Category, score and the comment search: the list's own filters, in the URL. */
function ListFilters() {
  const own = listFiltersOf(query.value)
  const [text, setText] = useState(own.q ?? '')
  const timer = useRef<ReturnType<typeof setTimeout>>()
  // The URL can change under the field (back, forward, a link): the field follows it.
  useEffect(() => {
    if ((own.q ?? '') !== text.trim()) setText(own.q ?? '')
  }, [own.q])
  useEffect(() => () => clearTimeout(timer.current), [])
  const search = (value: string) => {
    clearTimeout(timer.current)
    setQuery({ q: value.trim() || null })
  }
  return (
    <form
      class="list-filters"
      aria-label="Filter the responses"
      onSubmit={(e) => {
        e.preventDefault()
        search(text)
      }}
    >
      <div class="control">
        <label for="r-category">Category</label>
        <select
          id="r-category"
          value={own.category ?? ''}
          onChange={(e) => setQuery({ category: e.currentTarget.value || null })}
        >
          <option value="">all</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_WORDS[c]}s ({c === 'detractor' ? '0–6' : c === 'passive' ? '7–8' : '9–10'})
            </option>
          ))}
        </select>
      </div>
      <div class="control">
        <label for="r-score">Score</label>
        <select
          id="r-score"
          value={own.score === undefined ? '' : String(own.score)}
          onChange={(e) => setQuery({ score: e.currentTarget.value || null })}
        >
          <option value="">any</option>
          {Array.from({ length: 11 }, (_, s) => (
            <option key={s} value={String(s)}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div class="control search">
        <label for="r-q">Search comments</label>
        <input
          id="r-q"
          type="search"
          value={text}
          maxLength={MAX_SEARCH}
          placeholder="e.g. checkout"
          aria-describedby="r-q-hint"
          onInput={(e) => {
            const value = e.currentTarget.value
            setText(value)
            clearTimeout(timer.current)
            timer.current = setTimeout(() => search(value), SEARCH_DELAY_MS)
          }}
        />
        <span id="r-q-hint" class="muted hint">
          Any part of a comment, upper or lower case alike
        </span>
      </div>
    </form>
  )
}

/** Links to the API's export of exactly what the list shows (every page), newest first. */
function ExportLinks({ survey, params }: { survey: Survey; params: Record<string, string> }) {
  const href = (format: 'csv' | 'ndjson') =>
    `/v1/surveys/${encodeURIComponent(survey.id)}/responses?${new URLSearchParams({ ...params, format })}`
  return (
    <div class="export">
      {/* The collector sends Content-Disposition (<survey id>-responses.csv); `download` keeps the page. */}
      <a class="button" href={href('csv')} download>
        Export CSV
      </a>
      <a class="button" href={href('ndjson')} download>
        Export NDJSON
      </a>
      <span class="muted hint">every answer matching these filters</span>
    </div>
  )
}

function ResponseItem({
  surveyId,
  response: r,
  tz,
}: {
  surveyId: string
  response: StoredResponse
  tz: string
}) {
  const metadata = Object.entries(r.metadata ?? {})
  const [refusal, setRefusal] = useState<string | null>(null)
  return (
    <li class="response">
      <div class="response-head">
        <span class={`score ${r.category}`}>
          <span class="value">{r.score}</span>
          <span class="words">{CATEGORY_WORDS[r.category]}</span>
        </span>
        <span class="head-end">
          <time dateTime={r.createdAt}>{formatDate(r.createdAt, tz, true)}</time>
          {isAdmin.value ? <OpenCase surveyId={surveyId} responseId={r.id} onRefused={setRefusal} /> : null}
        </span>
      </div>
      {refusal ? (
        <p class="field-error" role="alert">
          No case opened: {refusal}
        </p>
      ) : null}
      {r.comment ? <p class="comment">{r.comment}</p> : <p class="comment muted">No comment</p>}
      <dl class="details">
        <Detail term="Locale" value={r.locale} />
        <Detail term="Device" value={r.device} />
        {/* Where it came from (widget, link, api, import): a link's answer has no page to tell it apart. */}
        <Detail term="Source" value={r.source ?? null} />
        <Detail term="Page" value={r.path} />
        {r.url && r.url !== r.path ? <Detail term="URL" value={r.url} /> : null}
        <Detail term="Respondent" value={r.respondentId} />
        {metadata.map(([k, v]) => (
          <Detail key={k} term={k} value={String(v)} />
        ))}
        <Detail term="Answer id" value={r.id} kind="id" />
      </dl>
    </li>
  )
}

/** Opens a follow-up case for the answer and goes to it; an answer has one case at most, and the API says so. */
function OpenCase({
  surveyId,
  responseId,
  onRefused,
}: {
  surveyId: string
  responseId: string
  onRefused(message: string | null): void
}) {
  const [busy, setBusy] = useState(false)
  return (
    <button
      type="button"
      class="button open-case"
      disabled={busy}
      onClick={async () => {
        setBusy(true)
        onRefused(null)
        try {
          const opened = await read(
            api.POST('/v1/surveys/{id}/cases', {
              params: { path: { id: surveyId } },
              body: { responseId },
            }),
          )
          navigate(withQuery(casePath(opened.id, surveyId)))
        } catch (refused) {
          onRefused(refused instanceof ApiFailure ? refused.message : String(refused))
          setBusy(false)
        }
      }}
    >
      {busy ? 'Opening…' : 'Open a case'}
    </button>
  )
}

export function Detail({ term, value, kind }: { term: string; value: string | null; kind?: 'id' }) {
  return (
    <div class={kind ? `detail ${kind}` : 'detail'}>
      <dt>{term}</dt>
      <dd>{value ?? <span class="muted">—</span>}</dd>
    </div>
  )
}
