/**
 * Every survey at a glance: NPS with its interval for the period, answers in the period, a small weekly
 * trend and where it stands against its target. Each row links to the survey's overview.
 */
import { api, read, type Summary, type Survey, type TargetStatus, type Trend } from '../api/client.ts'
import { Controls } from '../components/controls.tsx'
import { Link } from '../components/link.tsx'
import { Snippet } from '../components/snippet.tsx'
import { Sparkline } from '../components/sparkline.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { TargetBadge } from '../components/target-badge.tsx'
import { analyticsQuery, filters } from '../filters.ts'
import { formatCount, formatNps, intervalInWords } from '../format.ts'
import { surveyPath, withQuery } from '../router.ts'
import { isAdmin } from '../session.ts'
import { useApi } from '../use-api.ts'

export function SurveysView() {
  const list = useApi(() => read(api.GET('/v1/surveys')), [])
  return (
    <>
      <div class="page-head">
        <h1>Surveys</h1>
        {isAdmin.value ? (
          <Link class="button primary" href="/dashboard/surveys/new">
            New survey
          </Link>
        ) : null}
      </div>
      <Controls />
      {list.error ? (
        <Failure error={list.error} what="the surveys" retry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <Empty title="No surveys yet">
          {isAdmin.value ? (
            <p>
              <Link href="/dashboard/surveys/new">Create a survey</Link>, then paste its snippet on your site
              to start collecting answers.
            </p>
          ) : (
            <p>Ask someone with an admin key to create a survey.</p>
          )}
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="surveys">
            <caption class="sr-only">Surveys with their NPS in the chosen period</caption>
            <thead>
              <tr>
                <th scope="col">Survey</th>
                <th scope="col" class="num">
                  NPS
                </th>
                <th scope="col">95% interval</th>
                <th scope="col" class="num">
                  Answers
                </th>
                <th scope="col">Trend</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <SurveyRow key={s.id} survey={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.items.length === 1 && isAdmin.value ? (
        <FirstSurveyHint survey={list.data.items[0]!} />
      ) : null}
    </>
  )
}

interface RowData {
  summary: Summary
  trend: Trend
  target: TargetStatus
}

function SurveyRow({ survey }: { survey: Survey }) {
  const query = analyticsQuery()
  const key = JSON.stringify(query)
  const row = useApi(async (): Promise<RowData> => {
    const path = { id: survey.id }
    const [summary, trend, target] = await Promise.all([
      read(api.GET('/v1/surveys/{id}/nps', { params: { path, query } })),
      read(
        api.GET('/v1/surveys/{id}/nps/trend', {
          params: {
            path,
            query: {
              ...query,
              interval: filters.value.period === '7d' || filters.value.period === '30d' ? 'day' : 'week',
            },
          },
        }),
      ),
      read(api.GET('/v1/surveys/{id}/target', { params: { path } })),
    ])
    return { summary, trend, target } as RowData
  }, [survey.id, key])
  const s = row.data?.summary
  return (
    // Busy while its figures load: the cells say `…` until then.
    <tr aria-busy={row.loading ? 'true' : undefined}>
      <th scope="row">
        <Link href={withQuery(surveyPath(survey.id))}>{survey.name}</Link>
        <span class="muted id">{survey.id}</span>
      </th>
      {row.error ? (
        <td colSpan={5} class="failure">
          {row.error.message}
        </td>
      ) : (
        <>
          <td class="num nps">{s ? formatNps(s.nps) : '…'}</td>
          <td>{s ? (s.total ? intervalInWords(s.ci95) : 'no answers in this period') : '…'}</td>
          <td class="num">{s ? formatCount(s.total) : '…'}</td>
          <td>
            {row.data ? (
              <Sparkline
                values={row.data.trend.points.map((p) => p.nps)}
                label={`NPS per ${row.data.trend.interval} in the period`}
              />
            ) : null}
          </td>
          <td>{row.data ? <TargetBadge target={row.data.target} /> : null}</td>
        </>
      )}
    </tr>
  )
}

/** A single survey with no answers yet: show how to start collecting. */
function FirstSurveyHint({ survey }: { survey: Survey }) {
  const all = useApi(
    () => read(api.GET('/v1/surveys/{id}/nps', { params: { path: { id: survey.id } } })),
    [survey.id],
  )
  if (!all.data || all.data.total > 0) return null
  return (
    <Empty title="Waiting for the first answer">
      <p>Paste this snippet on your site, before the closing &lt;/body&gt; tag:</p>
      <Snippet surveyId={survey.id} />
      <p class="muted">
        Add the site’s origin to the survey’s allowed origins in{' '}
        <Link href={surveyPath(survey.id, 'settings')}>Settings</Link>.
      </p>
    </Empty>
  )
}
