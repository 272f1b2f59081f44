/**
 * The cases inbox of a survey: the follow-up figures for the period on top (detractors with a case,
 * share contacted, median times to first contact and to resolution, overdue, and the same per
 * assignee), then the cases, the most recently opened first, a page at a time. On top of the global
 * period (when the answer came) it narrows by status, assignee or nobody, overdue and category, all in
 * the URL, so a filtered inbox can be bookmarked or sent to a colleague.
 */
import { useEffect, useState } from 'preact/hooks'
import { api, type Case, type CaseFigures, read, type Survey } from '../api/client.ts'
import { Link } from '../components/link.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { filters, rangeQuery } from '../filters.ts'
import { formatCount, formatDate, formatHours, formatShare } from '../format.ts'
import { casePath, hereWith, query, setQuery, surveyPath } from '../router.ts'
import { useApi, usePages } from '../use-api.ts'
import {
  CATEGORY_WORDS,
  type CaseStatus,
  type Category,
  rememberInbox,
  STATUS_WORDS,
  STATUSES,
} from './case-words.ts'
import './cases.css'

const PAGE_SIZE = 25
const CATEGORIES = ['detractor', 'passive', 'promoter'] as const satisfies readonly Category[]

export interface InboxFilters {
  status: CaseStatus[]
  assignee?: string
  unassigned?: true
  overdue?: true
  category?: Category
}

/** The inbox's own filters, read from the URL (anything unknown is ignored, as a hand-edited link may hold). */
export function inboxFiltersOf(q: URLSearchParams): InboxFilters {
  const out: InboxFilters = {
    status: (q.get('status') ?? '')
      .split(',')
      .filter((s): s is CaseStatus => (STATUSES as readonly string[]).includes(s)),
  }
  const unassigned = q.get('unassigned') === 'true'
  const assignee = q.get('assignee')?.trim()
  // The API takes one or the other; nobody wins, as the checkbox says.
  if (unassigned) out.unassigned = true
  else if (assignee) out.assignee = assignee
  if (q.get('overdue') === 'true') out.overdue = true
  const category = q.get('category') as Category | null
  if (category && CATEGORIES.includes(category)) out.category = category
  return out
}

function listQuery(own: InboxFilters): Record<string, string> {
  const out: Record<string, string> = { ...rangeQuery() }
  if (own.status.length) out.status = own.status.join(',')
  if (own.assignee) out.assignee = own.assignee
  if (own.unassigned) out.unassigned = 'true'
  if (own.overdue) out.overdue = 'true'
  if (own.category) out.category = own.category
  return out
}

export function CasesView({ survey }: { survey: Survey }) {
  rememberInbox(survey.id, hereWith({}))
  const own = inboxFiltersOf(query.value)
  const params = listQuery(own)
  const key = JSON.stringify(params)
  const page = (cursor?: string) =>
    read(
      api.GET('/v1/surveys/{id}/cases', {
        params: {
          path: { id: survey.id },
          query: { ...params, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) },
        },
      }),
    )
  const { first, items, next, loadMore, loadingMore, moreError } = usePages(page, [survey.id, key], key)

  const narrowed = own.status.length > 0 || own.assignee || own.unassigned || own.overdue || own.category
  const tz = filters.value.tz
  return (
    <>
      <Figures survey={survey} />
      <section class="cases" aria-labelledby="cases-title">
        <div class="section-head center">
          <h2 id="cases-title">Cases</h2>
        </div>
        <InboxFilterForm own={own} />
        {first.error ? (
          <Failure error={first.error} what="the cases" retry={first.reload} />
        ) : !first.data ? (
          <Loading label="Loading cases…" />
        ) : items.length === 0 ? (
          narrowed ? (
            <Empty title="No cases match">
              <p>
                No case of an answer in this period matches these filters. Clear one, or choose a longer
                period.
              </p>
            </Empty>
          ) : (
            <Empty title="No cases in this period">
              <p>
                A case is opened for an answer by a rule of the survey (for example every detractor) or by
                hand through the API. Rules are set in the survey’s{' '}
                <Link href={surveyPath(survey.id, 'settings')}>Settings</Link>.
              </p>
            </Empty>
          )
        ) : (
          <div aria-busy={first.loading || loadingMore ? 'true' : undefined}>
            <p class="muted shown" aria-live="polite">
              {formatCount(items.length)} case{items.length === 1 ? '' : 's'} shown, the most recently opened
              first{next ? '' : ': that is all of them'}
            </p>
            <div class="table-wrap">
              <table class="case-table">
                <caption class="sr-only">Cases, the most recently opened first</caption>
                <thead>
                  <tr>
                    <th scope="col">Status</th>
                    <th scope="col">Score</th>
                    <th scope="col">Comment</th>
                    <th scope="col">Assignee</th>
                    <th scope="col">Due</th>
                    <th scope="col">Opened</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <CaseRow key={c.id} item={c} tz={tz} />
                  ))}
                </tbody>
              </table>
            </div>
            {moreError ? (
              <p class="state failure" role="alert">
                Could not load more cases. {moreError.message}
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
    </>
  )
}

function CaseRow({ item: c, tz }: { item: Case; tz: string }) {
  return (
    <tr class={c.overdue ? 'overdue' : undefined}>
      <td data-label="Status">
        <span class={`badge status-${c.status}`}>{STATUS_WORDS[c.status]}</span>
      </td>
      <td data-label="Score">
        <span class={`score small ${c.category}`}>
          <span class="value">{c.score}</span>
          <span class="words">{CATEGORY_WORDS[c.category]}</span>
        </span>
      </td>
      <td class="excerpt" data-label="Comment">
        {/* A list item does not carry its answer's comment: the case page shows it. */}
        <Link href={casePath(c.id, c.surveyId)}>Open case</Link>
        {c.tags.length ? (
          <span class="tags">
            {c.tags.map((t) => (
              <span key={t} class="tag">
                {t}
              </span>
            ))}
          </span>
        ) : null}
      </td>
      <td data-label="Assignee">{c.assignee ?? <span class="muted">nobody</span>}</td>
      <td data-label="Due">
        {c.dueAt ? (
          <>
            <time dateTime={c.dueAt}>{formatDate(c.dueAt, tz, true)}</time>
            {c.overdue ? <span class="badge overdue-badge">overdue</span> : null}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td data-label="Opened">
        <time dateTime={c.openedAt}>{formatDate(c.openedAt, tz, true)}</time>
      </td>
    </tr>
  )
}

/** Status, assignee or nobody, overdue, category: the inbox's own filters, in the URL. */
function InboxFilterForm({ own }: { own: InboxFilters }) {
  const [assignee, setAssignee] = useState(own.assignee ?? '')
  // The URL can change under the field (back, forward, a link): the field follows it.
  useEffect(() => setAssignee(own.assignee ?? ''), [own.assignee])
  const toggleStatus = (status: CaseStatus, on: boolean) => {
    const next = STATUSES.filter((s) => (s === status ? on : own.status.includes(s)))
    setQuery({ status: next.length ? next.join(',') : null })
  }
  return (
    <form
      class="list-filters inbox-filters"
      aria-label="Filter the cases"
      onSubmit={(e) => {
        e.preventDefault()
        setQuery({ assignee: assignee.trim() || null })
      }}
    >
      <fieldset class="statuses">
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={own.status.includes(s)}
              onChange={(e) => toggleStatus(s, e.currentTarget.checked)}
            />
            {STATUS_WORDS[s]}
          </label>
        ))}
      </fieldset>
      <div class="control">
        <label for="c-assignee">Assignee</label>
        <input
          id="c-assignee"
          value={assignee}
          disabled={own.unassigned}
          placeholder="anyone"
          aria-describedby="c-assignee-hint"
          onInput={(e) => setAssignee(e.currentTarget.value)}
          onChange={(e) => setQuery({ assignee: e.currentTarget.value.trim() || null })}
        />
        <span id="c-assignee-hint" class="muted hint">
          Exactly as assigned; Enter applies it
        </span>
      </div>
      <div class="checks">
        <div class="control checkbox">
          <input
            id="c-unassigned"
            type="checkbox"
            checked={own.unassigned === true}
            onChange={(e) =>
              setQuery({ unassigned: e.currentTarget.checked ? 'true' : null, assignee: null })
            }
          />
          <label for="c-unassigned">Assigned to nobody</label>
        </div>
        <div class="control checkbox">
          <input
            id="c-overdue"
            type="checkbox"
            checked={own.overdue === true}
            onChange={(e) => setQuery({ overdue: e.currentTarget.checked ? 'true' : null })}
          />
          <label for="c-overdue">Only overdue</label>
        </div>
      </div>
      <div class="control">
        <label for="c-category">Category</label>
        <select
          id="c-category"
          value={own.category ?? ''}
          onChange={(e) => setQuery({ category: e.currentTarget.value || null })}
        >
          <option value="">all</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_WORDS[c]}s
            </option>
          ))}
        </select>
      </div>
    </form>
  )
}

type Figures = CaseFigures['overall']

/** The follow-up figures of the period: overall, then per assignee. */
function Figures({ survey }: { survey: Survey }) {
  const range = rangeQuery()
  const figures = useApi(
    () =>
      read(
        api.GET('/v1/surveys/{id}/cases/figures', {
          params: { path: { id: survey.id }, query: range },
        }),
      ),
    [survey.id, JSON.stringify(range)],
  )
  return (
    <section
      class="panel case-figures"
      aria-labelledby="figures-title"
      aria-busy={figures.loading ? 'true' : undefined}
    >
      <h2 id="figures-title">Follow-up</h2>
      <p class="muted figures-scope">Of the answers received in the period chosen above.</p>
      {figures.error ? (
        <Failure error={figures.error} what="the follow-up figures" retry={figures.reload} />
      ) : !figures.data ? (
        <Loading label="Loading the follow-up figures…" />
      ) : (
        <FigureList data={figures.data} />
      )}
    </section>
  )
}

function FigureList({ data }: { data: CaseFigures }) {
  const o = data.overall
  return (
    <>
      <dl class="figures">
        <div class="figure">
          <dt>Detractors with a case</dt>
          <dd>
            <span class="figure-value">{formatShare(data.detractors.share)}</span>
            <span class="muted">
              {formatCount(data.detractors.withCase)} of {formatCount(data.detractors.answers)}
            </span>
          </dd>
        </div>
        <div class="figure">
          <dt>Contacted</dt>
          <dd>
            <span class="figure-value">{formatShare(o.contactedShare)}</span>
            <span class="muted">of {formatCount(o.cases)} cases</span>
          </dd>
        </div>
        <div class="figure">
          <dt>Median time to first contact</dt>
          <dd>
            <span class="figure-value">{formatHours(o.medianHoursToFirstContact)}</span>
          </dd>
        </div>
        <div class="figure">
          <dt>Median time to resolution</dt>
          <dd>
            <span class="figure-value">{formatHours(o.medianHoursToResolution)}</span>
          </dd>
        </div>
        <div class={`figure${o.overdue ? ' is-overdue' : ''}`}>
          <dt>Overdue</dt>
          <dd>
            <span class="figure-value">{formatCount(o.overdue)}</span>
            <span class="muted">open or contacted, past their due time</span>
          </dd>
        </div>
      </dl>
      {data.byAssignee.length ? (
        <div class="table-wrap">
          <table class="assignees">
            <caption class="sr-only">Follow-up per assignee</caption>
            <thead>
              <tr>
                <th scope="col">Assignee</th>
                <th scope="col" class="num">
                  Cases
                </th>
                <th scope="col" class="num">
                  Open
                </th>
                <th scope="col" class="num">
                  Contacted
                </th>
                <th scope="col" class="num">
                  Resolved
                </th>
                <th scope="col" class="num">
                  Dismissed
                </th>
                <th scope="col" class="num">
                  Share contacted
                </th>
                <th scope="col" class="num">
                  Median to contact
                </th>
                <th scope="col" class="num">
                  Median to resolution
                </th>
                <th scope="col" class="num">
                  Overdue
                </th>
              </tr>
            </thead>
            <tbody>
              {data.byAssignee.map(({ assignee, figures: f }) => (
                <AssigneeRow key={assignee ?? ''} assignee={assignee} f={f} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  )
}

function AssigneeRow({ assignee, f }: { assignee: string | null; f: Figures }) {
  return (
    <tr>
      <th scope="row">
        {/* The assignee's own cases, with the period and the other filters kept. */}
        <Link href={hereWith({ assignee, unassigned: assignee === null ? 'true' : null })}>
          {assignee ?? 'nobody'}
        </Link>
      </th>
      <td class="num">{formatCount(f.cases)}</td>
      <td class="num">{formatCount(f.open)}</td>
      <td class="num">{formatCount(f.contacted)}</td>
      <td class="num">{formatCount(f.resolved)}</td>
      <td class="num">{formatCount(f.dismissed)}</td>
      <td class="num">{formatShare(f.contactedShare)}</td>
      <td class="num">{formatHours(f.medianHoursToFirstContact)}</td>
      <td class="num">{formatHours(f.medianHoursToResolution)}</td>
      <td class={`num${f.overdue ? ' overdue-count' : ''}`}>{formatCount(f.overdue)}</td>
    </tr>
  )
}
