/**
 * The breakdown: the survey's NPS per value of one dimension (locale, page path, device or any metadata
 * key the answers carry, such as `agent` — the employee view), each group with its n, its interval as a
 * bar, a word where the figure is too imprecise to act on, and its verdict against the rest of the
 * answers (Holm-corrected over the groups, the adjusted p beside it). NPS, answers and the interval's
 * lower end (the fair ranking of groups of unequal size) sort on the server, so paging through more
 * groups than one page keeps one order; the group name sorts the page shown. The dimension, the sort and
 * the page live in the URL; selecting a group adds it to the global filters, so every other view narrows
 * to it.
 */
import { api, read, type Survey } from '../api/client.ts'
import { IntervalBar } from '../components/interval-bar.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { analyticsQuery, filters, setFilter } from '../filters.ts'
import { formatCount, formatNps } from '../format.ts'
import { query, setQuery } from '../router.ts'
import { useApi } from '../use-api.ts'
import './breakdown.css'

/** A group as the breakdown route answers it (a Summary with its value). */
interface Group {
  value: string | null
  nps: number | null
  total: number
  ci95: readonly number[] | null
  lowSample: boolean
  precision: 'ok' | 'low'
  verdict: 'above' | 'below' | 'no clear difference'
  pValue: number | null
  adjustedP: number | null
}

/** Groups per page. */
export const PAGE_SIZE = 100

/** The API's sort for a column; the group name has none (it sorts the page shown). */
const API_SORT = { nps: 'nps', n: 'n', low: 'lower' } as const

const VERDICT_WORDS: Record<Group['verdict'], string> = {
  above: 'above the rest',
  below: 'below the rest',
  'no clear difference': 'no clear difference',
}

/** A p-value as a reader takes it in: three decimals, or “< 0.001”. */
export const formatP = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3))

const BUILT_IN = [
  { by: 'locale', label: 'Locale' },
  { by: 'path', label: 'Page path' },
  { by: 'device', label: 'Device' },
] as const

export const SORTS = ['value', 'nps', 'n', 'low'] as const
export type SortKey = (typeof SORTS)[number]
type Direction = 'asc' | 'desc'

const SORT_LABELS: Record<SortKey, string> = {
  value: 'Group',
  nps: 'NPS',
  n: 'Answers',
  low: '95% interval',
}

/** The direction a column sorts in when it is first chosen: names A→Z, figures largest first. */
const FIRST_DIRECTION: Record<SortKey, Direction> = { value: 'asc', nps: 'desc', n: 'desc', low: 'desc' }

/** How a dimension is named in the picker and headings. */
export function dimensionLabel(by: string): string {
  const builtIn = BUILT_IN.find((d) => d.by === by)
  if (builtIn) return builtIn.label
  return `${by.slice('metadata.'.length)} (metadata)`
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })

/** The groups in the chosen order; groups without a value (and figures that are missing) go last. */
export function sortGroups(groups: readonly Group[], key: SortKey, direction: Direction): Group[] {
  const sign = direction === 'asc' ? 1 : -1
  const figure = (g: Group): number | null =>
    key === 'nps' ? g.nps : key === 'n' ? g.total : key === 'low' ? (g.ci95?.[0] ?? null) : null
  return [...groups].sort((a, b) => {
    if (key === 'value') {
      if (a.value === null || b.value === null) return a.value === b.value ? 0 : a.value === null ? 1 : -1
      return sign * collator.compare(a.value, b.value)
    }
    const fa = figure(a)
    const fb = figure(b)
    if (fa === null || fb === null) return fa === fb ? 0 : fa === null ? 1 : -1
    // Ties keep the API's order (largest group first): Array.prototype.sort is stable.
    return sign * (fa - fb)
  })
}

/** The global filter a group stands for: `device=mobile`, `locale=de`, `segment.plan=pro` … */
function filterOfGroup(by: string, value: string): { name: Parameters<typeof setFilter>[0]; words: string } {
  if (by === 'locale' || by === 'path' || by === 'device') return { name: by, words: `${by} ${value}` }
  const key = by.slice('metadata.'.length)
  return { name: `segment.${key}`, words: `${key} = ${value}` }
}

export function BreakdownView({ survey }: { survey: Survey }) {
  const q = query.value
  const by = q.get('by') || 'locale'
  const sortParam = q.get('sort') as SortKey | null
  const sort: SortKey = sortParam && SORTS.includes(sortParam) ? sortParam : 'n'
  const direction: Direction =
    q.get('dir') === 'asc' || q.get('dir') === 'desc' ? (q.get('dir') as Direction) : FIRST_DIRECTION[sort]
  const apiQuery = analyticsQuery()
  const key = JSON.stringify(apiQuery)
  const offsetParam = Number(q.get('offset') ?? 0)
  const offset = Number.isSafeInteger(offsetParam) && offsetParam > 0 ? offsetParam : 0
  const serverSort = sort === 'value' ? undefined : { sort: API_SORT[sort], order: direction }

  const keys = useApi(
    () => read(api.GET('/v1/surveys/{id}/metadata-keys', { params: { path: { id: survey.id } } })),
    [survey.id],
  )
  const breakdown = useApi(
    () =>
      read(
        api.GET('/v1/surveys/{id}/nps/breakdown', {
          params: {
            path: { id: survey.id },
            query: { ...apiQuery, by, ...serverSort, limit: String(PAGE_SIZE), offset: String(offset) },
          },
        }),
      ),
    [survey.id, by, key, serverSort?.sort, serverSort?.order, offset],
  )

  const dimensions: { by: string; label: string }[] = [
    ...BUILT_IN,
    ...(keys.data?.keys ?? []).map((k) => ({ by: `metadata.${k}`, label: dimensionLabel(`metadata.${k}`) })),
  ]
  if (!dimensions.some((d) => d.by === by)) dimensions.push({ by, label: dimensionLabel(by) })

  const chooseSort = (column: SortKey) => {
    const next: Direction = column === sort ? (direction === 'asc' ? 'desc' : 'asc') : FIRST_DIRECTION[column]
    setQuery({ sort: column === 'n' && next === 'desc' ? null : column, dir: next, offset: null })
  }

  const groups = breakdown.data ? sortGroups(breakdown.data.groups, sort, direction) : []
  const groupCount = breakdown.data?.groupCount ?? 0
  const next = breakdown.data?.next ?? null
  const active = filters.value
  return (
    <section class="breakdown" aria-labelledby="breakdown-title">
      <div class="section-head">
        <h2 id="breakdown-title">NPS by {dimensionLabel(by).toLowerCase()}</h2>
        <div class="control">
          <label for="breakdown-by">Break down by</label>
          <select
            id="breakdown-by"
            value={by}
            aria-busy={keys.loading ? 'true' : undefined}
            onChange={(e) =>
              setQuery({
                by: e.currentTarget.value === 'locale' ? null : e.currentTarget.value,
                offset: null,
              })
            }
          >
            {dimensions.map((d) => (
              <option key={d.by} value={d.by}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {keys.error ? <Failure error={keys.error} what="the metadata keys" retry={keys.reload} /> : null}
      {breakdown.error ? (
        <Failure error={breakdown.error} what="the breakdown" retry={breakdown.reload} />
      ) : !breakdown.data ? (
        <Loading label="Loading the breakdown…" />
      ) : groups.length === 0 ? (
        <Empty title="No answers in this period">
          <p>
            Nothing to break down yet: choose a longer period or clear the filters. Answers appear here as
            soon as visitors answer the survey.
          </p>
        </Empty>
      ) : (
        <>
          <p class="muted hint">
            Select a group’s name to filter every view to it: it is added to the filters above (for example{' '}
            {filterOfGroup(by, groups.find((g) => g.value !== null)?.value ?? 'pro').words}). The bar shows
            the NPS (the tick) and its 95% interval on a scale from −100 to +100; the interval column sorts by
            its lower end, the fair ranking when groups differ in size. “Low precision” marks groups with
            fewer than 30 answers or a margin of error above {breakdown.data.preciseMargin} points. Each group
            is compared with the rest of the answers; “above” or “below” holds after correcting for the{' '}
            {formatCount(groupCount)} groups compared (Holm), and the p beside it is the corrected one.
          </p>
          <div class="table-wrap" aria-busy={breakdown.loading ? 'true' : undefined}>
            <table class="breakdown-table">
              <caption class="sr-only">
                NPS by {dimensionLabel(by).toLowerCase()}, sorted by {SORT_LABELS[sort].toLowerCase()},{' '}
                {direction === 'asc' ? 'ascending' : 'descending'}
              </caption>
              <thead>
                <tr>
                  {SORTS.map((column) => (
                    <th
                      key={column}
                      scope="col"
                      class={column === 'nps' || column === 'n' ? 'num' : undefined}
                      aria-sort={
                        column === sort ? (direction === 'asc' ? 'ascending' : 'descending') : undefined
                      }
                    >
                      <button type="button" class="sort" onClick={() => chooseSort(column)}>
                        {SORT_LABELS[column]}
                        {column === 'low' ? <span class="sr-only">, sorted by its lower end</span> : null}
                        <span aria-hidden="true" class="arrow">
                          {column === sort ? (direction === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    </th>
                  ))}
                  <th scope="col">Against the rest</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <GroupRow key={g.value ?? '\u0000'} by={by} group={g} activeSegments={active.segments} />
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages of groups">
            <span class="muted pager-range">
              Groups {formatCount(offset + 1)}–{formatCount(offset + groups.length)} of{' '}
              {formatCount(groupCount)}
            </span>
            {offset > 0 ? (
              <button
                type="button"
                class="button"
                onClick={() => setQuery({ offset: offset > PAGE_SIZE ? String(offset - PAGE_SIZE) : null })}
              >
                Previous {PAGE_SIZE}
              </button>
            ) : null}
            {next !== null ? (
              <button type="button" class="button" onClick={() => setQuery({ offset: String(next) })}>
                Next {PAGE_SIZE}
              </button>
            ) : null}
          </nav>
        </>
      )}
    </section>
  )
}

function GroupRow({
  by,
  group,
  activeSegments,
}: {
  by: string
  group: Group
  activeSegments: [string, string][]
}) {
  const f = filters.value
  const target = group.value === null ? null : filterOfGroup(by, group.value)
  const applied =
    group.value !== null &&
    (by === 'locale'
      ? f.locale === group.value
      : by === 'path'
        ? f.path === group.value
        : by === 'device'
          ? f.device === group.value
          : activeSegments.some(([k, v]) => `metadata.${k}` === by && v === group.value))
  return (
    <tr>
      <th scope="row" class="group">
        {group.value === null || !target ? (
          <span class="muted">(none)</span>
        ) : applied ? (
          <span>
            {group.value} <span class="badge">filtered</span>
          </span>
        ) : (
          <button
            type="button"
            class="link-button"
            onClick={() => setFilter(target.name, group.value)}
            aria-label={`${group.value}: filter every view to ${target.words}`}
          >
            {group.value}
          </button>
        )}
      </th>
      <td class="num nps">{formatNps(group.nps)}</td>
      <td class="num n">
        {formatCount(group.total)}
        {group.precision === 'low' ? <span class="badge low-sample">low precision</span> : null}
      </td>
      <td class="interval">
        <div class="interval-cell">
          <IntervalBar nps={group.nps} ci95={group.ci95 as [number, number] | null} />
          <span class="interval-text">
            {group.ci95 ? `${formatNps(group.ci95[0])} to ${formatNps(group.ci95[1])}` : '—'}
          </span>
        </div>
      </td>
      <td class={`verdict verdict-${group.verdict === 'no clear difference' ? 'none' : group.verdict}`}>
        <span
          class="verdict-word"
          title={
            group.adjustedP === null || group.pValue === null
              ? 'nothing to compare with'
              : `p = ${formatP(group.adjustedP)} after correcting for the groups compared (${formatP(group.pValue)} alone)`
          }
        >
          {VERDICT_WORDS[group.verdict]}
        </span>
        {group.adjustedP !== null ? <span class="muted verdict-p"> p {formatP(group.adjustedP)}</span> : null}
        {group.verdict !== 'no clear difference' && group.precision === 'low' ? (
          <span class="muted verdict-caveat"> (imprecise)</span>
        ) : null}
      </td>
    </tr>
  )
}
