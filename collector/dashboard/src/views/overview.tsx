/**
 * A survey's overview for the global period and filters: the headline NPS with its margin and interval
 * in words (and a warning when there are too few answers to act on), the trend (day / week / month,
 * optionally rolling) with the interval as a band, the target and the projection to the deadline, the
 * 0–10 distribution, the three categories, the response rate and where the target stands.
 *
 * Every figure is the API's own answer for the same query a script would send. The first time the trend
 * and the distribution are drawn with data the page marks `npskit-overview-drawn` (the bench measures
 * navigation → that mark).
 */
import './overview.css'
import { useEffect, useState } from 'preact/hooks'
import {
  api,
  type BenchmarkStanding,
  read,
  type StoredResponse,
  type Summary,
  type Survey,
  type TargetStatus,
  type Trend,
} from '../api/client.ts'
import { CategoryCounts, Distribution } from '../components/distribution.tsx'
import { Link } from '../components/link.tsx'
import { Snippet } from '../components/snippet.tsx'
import { Empty, Failure } from '../components/states.tsx'
import { TargetBadge } from '../components/target-badge.tsx'
import { TrendChart } from '../components/trend-chart.tsx'
import { defaultInterval, INTERVALS, type Interval, periodDays } from '../components/trend-data.ts'
import {
  analyticsQuery,
  answerFilterQuery,
  dayIn,
  describeFilters,
  type Filters,
  filters,
  PERIODS,
} from '../filters.ts'
import {
  formatCount,
  formatCountOf,
  formatDay,
  formatNps,
  formatNumber,
  formatShare,
  intervalInWords,
} from '../format.ts'
import { query, setQuery, surveyPath } from '../router.ts'
import { isAdmin } from '../session.ts'
import { useApi } from '../use-api.ts'

/** The bench's mark: navigation → the trend and the distribution drawn with data. */
export const DRAWN_MARK = 'npskit-overview-drawn'
let marked = false

/** Wider than this (in NPS points, either side) and a figure is too vague to act on. */
export const WIDE_MARGIN = 10

const WINDOWS = [7, 30, 90] as const

/** The period in words: "Last 90 days (Jan 2, 2025 – Apr 1, 2025)". */
function periodInWords(f: Filters): string {
  const name = PERIODS.find((p) => p.id === f.period)?.label ?? ''
  if (!f.fromDay && !f.toDay) return 'All time'
  const range = `${f.fromDay ? formatDay(f.fromDay) : 'the first answer'} – ${f.toDay ? formatDay(f.toDay) : 'today'}`
  return f.period === 'custom' ? range : `${name} (${range})`
}

export function OverviewView({ survey }: { survey: Survey }) {
  const f = filters.value
  const q = query.value
  const analytics = analyticsQuery(f)
  const answerFilters = answerFilterQuery(f)
  const path = { id: survey.id }
  const periodKey = JSON.stringify(analytics)
  const filterKey = JSON.stringify(answerFilters)
  const today = dayIn(f.tz)

  // openapi-fetch widens the intervals' tuples to arrays: the schema's own types say what they are.
  const summary = useApi(
    () => read(api.GET('/v1/surveys/{id}/nps', { params: { path, query: analytics } })) as Promise<Summary>,
    [survey.id, periodKey],
  )
  const target = useApi(
    () =>
      read(
        api.GET('/v1/surveys/{id}/target', { params: { path, query: answerFilters } }),
      ) as Promise<TargetStatus>,
    [survey.id, filterKey],
  )

  // Only asked when the survey names an industry: over the same current answers as the target.
  const benchmark = useApi(
    () =>
      survey.industry
        ? (read(
            api.GET('/v1/surveys/{id}/benchmark', { params: { path, query: answerFilters } }),
          ) as Promise<BenchmarkStanding>)
        : Promise.resolve(undefined),
    [survey.id, survey.industry, filterKey],
  )

  const wantedInterval = q.get('interval') as Interval | null
  const chosenInterval = wantedInterval && INTERVALS.includes(wantedInterval) ? wantedInterval : null
  const wantedWindow = Number(q.get('window'))
  const window = Number.isInteger(wantedWindow) && wantedWindow > 0 ? wantedWindow : null
  const trend = useApi(async (): Promise<Trend | null> => {
    let from = analytics.from
    let days = periodDays(f, today)
    if (!from) {
      // All time: the trend starts on the day of the oldest answer (the list is oldest first).
      const oldest = (await read(
        api.GET('/v1/surveys/{id}/responses', { params: { path, query: { limit: '1', format: 'json' } } }),
      )) as { items: StoredResponse[] }
      const first = oldest.items[0]
      if (!first) return null
      from = dayIn(f.tz, new Date(first.createdAt))
      days = periodDays({ fromDay: from, toDay: f.toDay }, today)
    }
    const interval = chosenInterval ?? defaultInterval(days)
    return read(
      api.GET('/v1/surveys/{id}/nps/trend', {
        params: {
          path,
          query: { ...analytics, from, interval, ...(window ? { window: String(window) } : {}) },
        },
      }),
    ) as Promise<Trend>
  }, [survey.id, periodKey, chosenInterval, window])

  const s = summary.data
  const empty = s !== undefined && s.total === 0
  // Only asked when the period is empty: has the survey ever had an answer?
  const ever = useApi(
    () => (empty ? read(api.GET('/v1/surveys/{id}/nps', { params: { path } })) : Promise.resolve(undefined)),
    [survey.id, empty],
  )

  const [trendDrawn, setTrendDrawn] = useState(false)
  useEffect(() => {
    if (marked || !trendDrawn || !s || s.total === 0) return
    marked = true
    performance.mark(DRAWN_MARK)
  }, [trendDrawn, s])

  if (summary.error) return <Failure error={summary.error} what="the NPS" retry={summary.reload} />
  if (empty) {
    if (ever.loading || !ever.data) return <div class="overview-empty loading" aria-busy="true" />
    if (ever.data.total === 0) {
      return (
        <Empty title="No answers yet">
          <p>
            This survey has no answers. Paste this snippet on your site, before the closing &lt;/body&gt; tag:
          </p>
          <Snippet surveyId={survey.id} />
          <p class="muted">
            Add your site’s origin to the survey’s allowed origins
            {isAdmin.value ? (
              <>
                {' '}
                in <Link href={surveyPath(survey.id, 'settings')}>Settings</Link>
              </>
            ) : null}
            . Answers imported from another tool count too.
          </p>
        </Empty>
      )
    }
    const narrowed = describeFilters(f)
    return (
      <Empty title="No answers in this period">
        <p>
          {periodInWords(f)}
          {narrowed.length ? `, ${narrowed.join(', ')}` : ''}: nobody answered. Choose a longer period
          {narrowed.length ? ' or clear the filters' : ''} to see figures.
        </p>
      </Empty>
    )
  }

  const t = target.data
  const busy = summary.loading
  return (
    <div class="overview">
      <div class="overview-top">
        <section class="panel headline" aria-labelledby="headline-title" aria-busy={busy}>
          <h2 id="headline-title">Net Promoter Score</h2>
          <p class="muted period-words">{periodInWords(f)}</p>
          {s ? <Headline summary={s} target={t} /> : <p class="placeholder">Loading…</p>}
        </section>
        <section class="panel" aria-labelledby="categories-title" aria-busy={busy}>
          <h2 id="categories-title">Promoters, passives, detractors</h2>
          {s ? <CategoryCounts summary={s} /> : <p class="placeholder">Loading…</p>}
        </section>
        <section
          class={`panel target-panel${survey.target ? ' with-target' : ''}`}
          aria-labelledby="target-title"
          aria-busy={target.loading}
        >
          <h2 id="target-title">Target</h2>
          {target.error ? (
            <Failure error={target.error} what="the target" retry={target.reload} />
          ) : t ? (
            <TargetStanding survey={survey} target={t} />
          ) : (
            <p class="placeholder">Loading…</p>
          )}
        </section>
      </div>

      <section
        class="panel trend-panel"
        aria-labelledby="trend-title"
        aria-busy={trend.loading || target.loading}
      >
        <div class="section-head">
          <h2 id="trend-title">Trend</h2>
          <TrendControls
            interval={trend.data?.interval ?? chosenInterval ?? defaultInterval(periodDays(f, today))}
            window={window}
          />
        </div>
        {trend.error ? (
          <Failure error={trend.error} what="the trend" retry={trend.reload} />
        ) : trend.data && !target.loading ? (
          <TrendChart
            trend={trend.data}
            target={t}
            withProjection={!f.toDay || f.toDay >= today}
            label={trendLabel(trend.data, t)}
            onDrawn={() => {
              if (trend.data?.points.some((p) => p.total > 0)) setTrendDrawn(true)
            }}
          />
        ) : trend.data === null ? (
          <p>No answers yet to draw.</p>
        ) : (
          <div class="trend-placeholder">
            <p class="placeholder">Loading the trend…</p>
          </div>
        )}
      </section>

      <div class="overview-bottom">
        <section class="panel distribution-panel" aria-labelledby="distribution-title" aria-busy={busy}>
          <h2 id="distribution-title">Scores 0–10</h2>
          {s ? <Distribution summary={s} /> : <div class="distribution-placeholder" />}
        </section>
        <section class="panel rate-panel" aria-labelledby="rate-title" aria-busy={busy}>
          <h2 id="rate-title">Response rate</h2>
          {s ? <ResponseRate summary={s} /> : <p class="placeholder">Loading…</p>}
        </section>
        {survey.industry ? (
          <section
            class="panel benchmark-panel"
            aria-labelledby="benchmark-title"
            aria-busy={benchmark.loading}
          >
            <h2 id="benchmark-title">Industry benchmark</h2>
            {benchmark.error ? (
              <Failure error={benchmark.error} what="the benchmark" retry={benchmark.reload} />
            ) : benchmark.data ? (
              <BenchmarkLines standing={benchmark.data} />
            ) : (
              <p class="placeholder">Loading…</p>
            )}
          </section>
        ) : null}
      </div>
    </div>
  )
}

function trendLabel(trend: Trend, target: TargetStatus | undefined): string {
  const per = trend.window
    ? `rolling ${trend.window}-day NPS per ${trend.interval}`
    : `NPS per ${trend.interval}`
  const goal = target?.target ? `, the target ${formatNps(target.target.nps)} as a line` : ''
  return `Trend chart: ${per} with its 95% interval as a band${goal}`
}

function Headline({ summary: s, target }: { summary: Summary; target: TargetStatus | undefined }) {
  const margin = s.marginOfError
  const wide = margin != null && margin > WIDE_MARGIN
  const needed = target?.sampleSizeNeeded
  const have = target?.current.total ?? 0
  return (
    <>
      <p class="nps-figure">
        <span class="nps-value">{formatNps(s.nps)}</span>
        {margin != null ? (
          <span class="nps-margin">
            <span aria-hidden="true">±</span>
            <span class="sr-only">plus or minus </span>
            <span class="nps-margin-value">{formatNumber(margin, 1)}</span>
          </span>
        ) : null}
      </p>
      <p class="nps-interval">{intervalInWords(s.ci95)}</p>
      <p class="nps-total">
        <strong>{formatCount(s.total)}</strong> {s.total === 1 ? 'answer' : 'answers'}
      </p>
      {s.lowSample || wide ? (
        <div class="warning" role="note">
          <p>
            <strong>Too few answers to act on.</strong>{' '}
            {s.lowSample
              ? `Fewer than 30 answers: the figure can move a lot with the next few.`
              : `The margin is ±${formatNumber(margin, 1)} points: a change smaller than that may be chance.`}
          </p>
          {target?.target && target.status === 'uncertain' && needed != null && needed > have ? (
            <p class="needed">
              About {formatCount(needed - have)} more answers ({formatCount(needed)} in the last{' '}
              {formatCount(target.lifetimeDays)} days) would show whether the target of{' '}
              {formatNps(target.target.nps)} is met.
            </p>
          ) : null}
        </div>
      ) : null}
    </>
  )
}

const STANDING = {
  met: 'Even the low end of the interval clears the target.',
  below: 'Even the high end of the interval is below the target.',
  uncertain: 'The target lies inside the interval: too close to call yet.',
} as const

function TargetStanding({ survey, target: t }: { survey: Survey; target: TargetStatus }) {
  if (!t.target) {
    return (
      <p>
        No target set.{' '}
        {isAdmin.value ? (
          <>
            Give the survey a target and a deadline in{' '}
            <Link href={surveyPath(survey.id, 'settings')}>Settings</Link> to see where it stands.
          </>
        ) : (
          'Someone with an admin key can set one in the survey’s settings.'
        )}
      </p>
    )
  }
  const c = t.current
  const p = t.projection
  return (
    <>
      <p>
        <TargetBadge target={t} />
      </p>
      <p>
        Over the last {formatCount(t.lifetimeDays)} days (the response lifetime): NPS{' '}
        <strong class="target-current">{formatNps(c.nps)}</strong>, {intervalInWords(c.ci95)}, from{' '}
        {formatCount(c.total)} answers.
        {t.gap != null ? (
          <>
            {' '}
            {t.gap > 0
              ? `${formatNumber(t.gap, 1)} points to go.`
              : `${formatNumber(-t.gap, 1)} points above the target.`}
          </>
        ) : null}
      </p>
      {t.status ? (
        <p class="target-now">
          {t.deadlinePassed ? 'The deadline has passed. ' : 'Now: '}
          {STANDING[t.status]}
        </p>
      ) : null}
      {p ? (
        <p class="target-heading">
          Heading: projected <strong>{formatNps(p.nps)}</strong> at the deadline (
          {formatDay(t.target.deadline)}), {intervalInWords(p.ci95)}:{' '}
          {p.onTrack ? 'on track' : 'short of the target'}
          {p.intervalExcludesTarget ? '' : ', though the target lies inside the projection’s interval'}, from
          the trend of {formatCount(p.months)} months ({formatCount(p.answers)} answers).
        </p>
      ) : (
        <p class="muted target-heading">No projection: {t.projectionReason ?? 'not enough answers'}.</p>
      )}
      <details class="method">
        <summary>How the projection is made</summary>
        <p class="muted">{t.projectionMethod}</p>
      </details>
    </>
  )
}

const BENCHMARK_VERDICT = {
  above: 'above it: even the low end of our interval is higher',
  below: 'below it: even the high end of our interval is lower',
  within: 'no clear difference: our interval holds it',
} as const

const STATISTIC = {
  average: 'average',
  median: 'median',
  'upper-quartile': 'upper quartile',
  leader: 'leader',
}
const METHOD = {
  'competitive-benchmark': 'competitive benchmark (panel)',
  'own-customer': 'own-customer surveys',
}

/** Our current NPS against each published figure of the survey's industry, each with its source. */
function BenchmarkLines({ standing: b }: { standing: BenchmarkStanding }) {
  if (b.benchmarks.length === 0) return <p class="muted">No benchmark: {b.reason}.</p>
  const c = b.current
  return (
    <>
      <p>
        Our NPS <strong>{formatNps(c.nps)}</strong>, {intervalInWords(c.ci95)}, from {formatCount(c.total)}{' '}
        answers (the response lifetime).
      </p>
      <ul class="benchmark-rows">
        {b.benchmarks.map((row) => (
          <li key={row.id} class={`benchmark-row verdict-${row.verdict ?? 'none'}`}>
            <p>
              <strong class="benchmark-value">{formatNps(row.value)}</strong> {row.industryName},{' '}
              {STATISTIC[row.statistic]} ({row.region}
              {row.year ? `, ${row.year}` : ''}; {METHOD[row.method]}):{' '}
              <span class="benchmark-verdict">
                {row.verdict ? BENCHMARK_VERDICT[row.verdict] : 'no answers to compare'}
              </span>
              {row.difference != null ? ` (${formatNumber(row.difference, 1)} points).` : '.'}
            </p>
            <p class="muted benchmark-source">
              Source: {row.source.url ? <a href={row.source.url}>{row.source.title}</a> : row.source.title},{' '}
              {row.source.publisher}
              {row.source.secondHand ? `, quoted by ${row.source.via}` : ''}. {row.note}
            </p>
          </li>
        ))}
      </ul>
      <p class="muted benchmark-caveat" role="note">
        {b.caveat}
      </p>
    </>
  )
}

function ResponseRate({ summary: s }: { summary: Summary }) {
  if (s.shown === undefined) {
    return (
      <p class="rate-text">
        Not available with a locale, path, device or segment filter: shown events record only when and to whom
        the card was shown.
      </p>
    )
  }
  if (s.shown === 0 || s.responseRate == null) {
    return <p class="rate-text">No shown events recorded (imported answers have none).</p>
  }
  return (
    <>
      <p class="rate-figure">{formatShare(s.responseRate, 1)}</p>
      <p class="rate-text">
        {formatCountOf(s.total, 'answer', 'answers')} to the card shown{' '}
        {formatCountOf(s.shown, 'time', 'times')}; {formatCount(s.dismissed ?? 0)} dismissed.
      </p>
    </>
  )
}

function TrendControls({ interval, window }: { interval: Interval; window: number | null }) {
  const windows: number[] = window && !WINDOWS.includes(window as 7) ? [...WINDOWS, window] : [...WINDOWS]
  return (
    <div class="trend-controls">
      <div class="control">
        <label for="trend-interval">One point per</label>
        <select
          id="trend-interval"
          value={interval}
          onChange={(e) => setQuery({ interval: e.currentTarget.value })}
        >
          <option value="day">day</option>
          <option value="week">week</option>
          <option value="month">month</option>
        </select>
      </div>
      <div class="control">
        <label for="trend-window">Rolling window</label>
        <select
          id="trend-window"
          value={window ? String(window) : ''}
          onChange={(e) => setQuery({ window: e.currentTarget.value || null })}
        >
          <option value="">none</option>
          {windows.map((w) => (
            <option key={w} value={String(w)}>
              {w} days
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
