/**
 * Accounts: each business account's NPS in the chosen period, worst first, with its status (at risk,
 * healthy, unknown — by the rules the collector states), NPS ± margin, n, last answer and the change
 * against the previous period of the same length. Selecting an account opens its history: every answer
 * in order, with each respondent's category changes marked. The account in view lives in the URL.
 */
import { api, read, type Schemas, type StoredResponse, type Survey } from '../api/client.ts'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { analyticsQuery } from '../filters.ts'
import { formatCount, formatDate, formatNps } from '../format.ts'
import { query, setQuery } from '../router.ts'
import { usePages } from '../use-api.ts'
import './accounts.css'

type Account = Omit<Schemas['Account'], 'ci95'> & { ci95: readonly number[] | null }

const REASONS: Record<Account['reasons'][number], string> = {
  stale: 'no recent answer',
  'promoter to detractor': 'a promoter became a detractor',
  'negative nps': 'NPS surely below 0',
  'significant fall': 'fell clearly',
  'few answers': 'too few answers',
}

const CATEGORY_RANK = { detractor: 0, passive: 1, promoter: 2 } as const

const timeZone = () => analyticsQuery().tz ?? 'UTC'

export function AccountsView({ survey }: { survey: Survey }) {
  const selected = query.value.get('account')
  const apiQuery = analyticsQuery()
  const key = JSON.stringify(apiQuery)
  const list = usePages(
    (cursor) =>
      read(
        api.GET('/v1/surveys/{id}/accounts', {
          params: { path: { id: survey.id }, query: { ...apiQuery, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [survey.id, key],
    key,
  )
  if (!survey.accounts) {
    return (
      <Empty title="No account key">
        <p>
          Name the metadata key that says which account an answer belongs to (for example{' '}
          <code>accountId</code>) in the survey’s settings as <code>accounts.key</code>, and the accounts
          appear here.
        </p>
      </Empty>
    )
  }
  return (
    <section class="accounts" aria-labelledby="accounts-title">
      <div class="section-head">
        <h2 id="accounts-title">Accounts by health, worst first</h2>
      </div>
      {/* Above the list, so the history opens where the reader is, not 800 rows down. */}
      {selected ? <AccountHistory survey={survey} account={selected} /> : null}
      <p class="muted hint">
        At risk: with 5 answers or more, the whole 95% interval of the NPS is below 0, or it fell against the
        period before beyond chance (p &lt; 0.01). A promoter who became a detractor is shown as a reason but
        is not enough alone. Unknown: no answer within the response lifetime, or fewer than 5 answers. Within
        a status, the lowest upper end of the 95% interval comes first.
      </p>
      {list.first.error ? (
        <Failure error={list.first.error} what="the accounts" retry={list.first.reload} />
      ) : !list.first.data ? (
        <Loading label="Loading the accounts…" />
      ) : list.items.length === 0 ? (
        <Empty title="No account answered in this period">
          <p>Choose a longer period or clear the filters.</p>
        </Empty>
      ) : (
        <div class="table-wrap" aria-busy={list.first.loading ? 'true' : undefined}>
          <table class="accounts-table">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  NPS
                </th>
                <th scope="col" class="num">
                  n
                </th>
                <th scope="col">Last answer</th>
                <th scope="col" class="num">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((a) => (
                <AccountRow key={a.account} account={a} selected={a.account === selected} />
              ))}
            </tbody>
          </table>
          {list.next ? (
            <button type="button" class="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? 'Loading…' : 'Load more accounts'}
            </button>
          ) : null}
        </div>
      )}
    </section>
  )
}

function AccountRow({ account: a, selected }: { account: Account; selected: boolean }) {
  const statusClass = a.status === 'at risk' ? 'risk' : a.status
  return (
    <tr class={selected ? 'selected' : undefined} data-status={a.status}>
      <th scope="row" class="account">
        <button
          type="button"
          class="link-button"
          aria-pressed={selected ? 'true' : 'false'}
          onClick={() => setQuery({ account: selected ? null : a.account })}
        >
          {a.account}
        </button>
      </th>
      <td>
        <span class={`badge status-${statusClass}`}>{a.status}</span>
        {a.reasons.length ? (
          <span class="muted reasons"> {a.reasons.map((r) => REASONS[r]).join('; ')}</span>
        ) : null}
      </td>
      <td class="num">
        {formatNps(a.nps)}
        {a.marginOfError !== null ? <span class="muted"> ± {formatNps(a.marginOfError)}</span> : null}
      </td>
      <td class="num">{formatCount(Math.round(a.n * 100) / 100)}</td>
      <td>{formatDate(a.lastAnswerAt, timeZone())}</td>
      <td class="num">
        {a.change.delta === null ? '—' : `${a.change.delta > 0 ? '+' : ''}${formatNps(a.change.delta)}`}
        {a.change.significant ? <span class="badge">significant</span> : null}
      </td>
    </tr>
  )
}

/** Each answer with the category change since the same respondent's previous answer, if any. */
export function withChanges(items: readonly StoredResponse[]) {
  const last = new Map<string, StoredResponse['category']>()
  return items.map((item) => {
    const before = item.respondentId ? last.get(item.respondentId) : undefined
    if (item.respondentId) last.set(item.respondentId, item.category)
    const change =
      before === undefined || before === item.category
        ? null
        : CATEGORY_RANK[item.category] < CATEGORY_RANK[before]
          ? ('down' as const)
          : ('up' as const)
    return { item, before, change }
  })
}

function AccountHistory({ survey, account }: { survey: Survey; account: string }) {
  const history = usePages(
    (cursor) =>
      read(
        api.GET('/v1/surveys/{id}/accounts/{account}/history', {
          params: { path: { id: survey.id, account }, query: cursor ? { cursor } : {} },
        }),
      ),
    [survey.id, account],
    account,
  )
  return (
    <section class="account-history" aria-labelledby="history-title">
      <div class="section-head">
        <h3 id="history-title">History of {account}</h3>
        <button type="button" class="button" onClick={() => setQuery({ account: null })}>
          Close
        </button>
      </div>
      {history.first.error ? (
        <Failure error={history.first.error} what="the history" retry={history.first.reload} />
      ) : !history.first.data ? (
        <Loading label="Loading the history…" />
      ) : (
        <>
          <ol class="history">
            {withChanges(history.items).map(({ item, before, change }) => (
              <li key={item.id} class={change ? `moved ${change}` : undefined}>
                <span class="when">{formatDate(item.createdAt, timeZone(), true)}</span>
                <span class="who">{item.respondentId ?? 'anonymous'}</span>
                <span class={`score ${item.category}`}>
                  {item.score} · {item.category}
                </span>
                {change ? (
                  <span class="change">
                    {change === 'down' ? '↓' : '↑'} from {before}
                  </span>
                ) : null}
                {item.comment ? <q class="comment">{item.comment}</q> : null}
              </li>
            ))}
          </ol>
          {history.next ? (
            <button type="button" class="button" onClick={history.loadMore} disabled={history.loadingMore}>
              {history.loadingMore ? 'Loading…' : 'Load more answers'}
            </button>
          ) : null}
        </>
      )}
    </section>
  )
}
