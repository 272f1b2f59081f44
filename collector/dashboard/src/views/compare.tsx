/**
 * Two periods side by side (by default the global period against the same number of days just before
 * it), under the global answer filters: each period's NPS, interval and answers, the difference in
 * points, z and p from `/nps/compare`, and a verdict in words that never calls a difference significant
 * without saying when one side has too few answers to be precise.
 */
import './compare.css'
import { api, type Comparison, read, type Summary, type Survey } from '../api/client.ts'
import { Empty, Failure } from '../components/states.tsx'
import { answerFilterQuery, dayIn, describeFilters, filters } from '../filters.ts'
import { formatCount, formatDay, formatNps, formatNumber, formatP, intervalInWords } from '../format.ts'
import { query, setQuery } from '../router.ts'
import { useApi } from '../use-api.ts'
import {
  compareRange,
  daysBetween,
  defaultPeriods,
  type Periods,
  periodsFrom,
  periodsProblem,
} from './compare-periods.ts'

const NAMES = { a: 'A', b: 'B' } as const

export function CompareView({ survey }: { survey: Survey }) {
  const f = filters.value
  const today = dayIn(f.tz)
  const defaults = defaultPeriods(f, today)
  const periods = periodsFrom(query.value, defaults)
  const problem = periodsProblem(periods)
  const request = { ...compareRange(periods, f.tz), ...answerFilterQuery(f) }
  const key = JSON.stringify(request)
  const result = useApi(
    () =>
      problem
        ? Promise.resolve(undefined)
        : // openapi-fetch widens the intervals' tuples to arrays: the schema's type says what they are.
          (read(
            api.GET('/v1/surveys/{id}/nps/compare', { params: { path: { id: survey.id }, query: request } }),
          ) as Promise<Comparison>),
    [survey.id, key, problem],
  )
  const c = result.data
  const narrowed = describeFilters(f)
  return (
    <div class="compare">
      <PeriodForm periods={periods} defaults={defaults} open={!f.fromDay} />
      {problem ? (
        <p class="field-error" role="alert">
          {problem}
        </p>
      ) : result.error ? (
        <Failure error={result.error} what="the comparison" retry={result.reload} />
      ) : (
        <>
          <div class="compare-sides" aria-busy={result.loading}>
            <Side name="a" from={periods.aFrom} to={periods.aTo} summary={c?.a} />
            <Side name="b" from={periods.bFrom} to={periods.bTo} summary={c?.b} />
          </div>
          <section class="panel compare-result" aria-labelledby="difference-title" aria-busy={result.loading}>
            <h2 id="difference-title">Difference (A − B)</h2>
            {c ? (
              <>
                {c.a.ci95 && c.b.ci95 ? <Intervals a={c.a} b={c.b} /> : null}
                <dl class="compare-figures">
                  <div>
                    <dt>Difference</dt>
                    <dd class="compare-delta">{c.delta == null ? '—' : `${formatNps(c.delta, 1)} points`}</dd>
                  </div>
                  <div>
                    <dt>z</dt>
                    <dd class="compare-z">{formatNumber(c.z, 2)}</dd>
                  </div>
                  <div>
                    <dt>p</dt>
                    <dd class="compare-p">{formatP(c.pValue)}</dd>
                  </div>
                </dl>
                <p class={`verdict ${c.significant ? 'verdict-significant' : 'verdict-not'}`}>{verdict(c)}</p>
                {overlap(periods) ? (
                  <p class="muted">
                    The periods overlap: the test assumes two separate sets of answers, so read its p-value as
                    a rough guide only.
                  </p>
                ) : null}
                {narrowed.length ? <p class="muted">Filters: {narrowed.join(', ')}.</p> : null}
              </>
            ) : (
              <p class="placeholder">Loading…</p>
            )}
          </section>
          {c && c.a.total === 0 && c.b.total === 0 ? (
            <Empty title="No answers in either period">
              <p>Choose other periods, or clear the filters.</p>
            </Empty>
          ) : null}
        </>
      )}
    </div>
  )
}

const overlap = (p: Periods) => p.aFrom <= p.bTo && p.bFrom <= p.aTo

/**
 * The verdict in words, from the API's own judgement: significant at 0.05 only with 30 answers a side;
 * a p below 0.05 on fewer is said but not called significant; any side the API calls imprecise
 * (precisionReasons: fewer than 30 answers or a margin above ±10 points) is named.
 */
export function verdict(c: Comparison): string {
  if (c.delta == null) {
    const missing = [c.a.total === 0 && 'A', c.b.total === 0 && 'B'].filter(Boolean)
    return `Cannot compare: period ${missing.join(' and period ')} has no answers.`
  }
  const few = [c.a.total < 30 && 'A', c.b.total < 30 && 'B'].filter(Boolean) as string[]
  const fewWords = few.length
    ? `period ${few.join(' and period ')} ${few.length > 1 ? 'have' : 'has'} fewer than 30 answers`
    : ''
  const wide = c.precisionReasons
    .filter((r) => r.includes('margin'))
    .map((r) => `period ${r.slice(0, 1).toUpperCase()}${r.slice(1)}`)
  const size = formatNumber(Math.abs(c.delta), 1)
  const direction =
    c.delta > 0 ? 'higher in A than in B' : c.delta < 0 ? 'lower in A than in B' : 'the same in both'
  const p = formatP(c.pValue)
  const pWords = p.startsWith('<') ? `p ${p}` : `p = ${p}`
  const wideWords = wide.length
    ? ` The figures are imprecise (${wide.join('; ')}): treat this with caution.`
    : ''
  if (c.significant) {
    return `Significant at the 0.05 level: NPS is ${size} points ${direction} (${pWords}).${wideWords}`
  }
  if (few.length && c.pValue != null && c.pValue < 0.05) {
    return `Not called significant: NPS is ${size} points ${direction} (${pWords}), but ${fewWords}, too few for the test to carry a verdict: more answers would tell.`
  }
  return `Not significant at the 0.05 level: a difference of ${size} points could be chance (${pWords}).${
    few.length
      ? ` ${fewWords.slice(0, 1).toUpperCase()}${fewWords.slice(1)}: more answers would tell.`
      : wideWords
  }`
}

function Side({
  name,
  from,
  to,
  summary: s,
}: {
  name: 'a' | 'b'
  from: string
  to: string
  summary: Summary | undefined
}) {
  const days = daysBetween(from, to)
  return (
    <section
      class={`panel compare-side side-${name}`}
      aria-labelledby={`side-${name}-title`}
      data-side={name}
    >
      <h2 id={`side-${name}-title`}>
        Period {NAMES[name]}{' '}
        <span class="muted side-range">
          {formatDay(from)} – {formatDay(to)} ({formatCount(days)} {days === 1 ? 'day' : 'days'})
        </span>
      </h2>
      {s ? (
        <>
          <p class="side-nps">{formatNps(s.nps)}</p>
          <p class="side-interval">{s.total ? intervalInWords(s.ci95) : 'no answers in this period'}</p>
          <p class="side-total">
            <strong>{formatCount(s.total)}</strong> {s.total === 1 ? 'answer' : 'answers'}
          </p>
          {s.total > 0 && s.lowSample ? (
            <p class="warning side-low">Fewer than 30 answers: this figure is imprecise.</p>
          ) : null}
        </>
      ) : (
        <p class="placeholder">Loading…</p>
      )}
    </section>
  )
}

/** Both intervals on one scale, so the overlap is visible; the numbers are in the figures beside it. */
function Intervals({ a, b }: { a: Summary; b: Summary }) {
  const lows = [a.ci95![0], b.ci95![0]]
  const highs = [a.ci95![1], b.ci95![1]]
  const min = Math.max(-100, Math.floor((Math.min(...lows) - 5) / 10) * 10)
  const max = Math.min(100, Math.ceil((Math.max(...highs) + 5) / 10) * 10)
  const at = (v: number) => `${((v - min) / (max - min)) * 100}%`
  return (
    <div class="intervals" aria-hidden="true">
      {(['a', 'b'] as const).map((name) => {
        const s = name === 'a' ? a : b
        return (
          <div key={name} class="interval-row">
            <span class="interval-name">{NAMES[name]}</span>
            <span class="interval-track">
              {min < 0 && max > 0 ? <span class="interval-zero" style={{ left: at(0) }} /> : null}
              <span
                class={`interval-span interval-${name}`}
                style={{ left: at(s.ci95![0]), width: `calc(${at(s.ci95![1])} - ${at(s.ci95![0])})` }}
              />
              <span class="interval-dot" style={{ left: at(s.nps!) }} />
            </span>
          </div>
        )
      })}
      <div class="interval-row interval-axis">
        <span class="interval-name" />
        <span class="interval-track">
          <span>{formatNps(min)}</span>
          {min < 0 && max > 0 ? (
            <span class="interval-zero-label" style={{ left: at(0) }}>
              0
            </span>
          ) : null}
          <span>{formatNps(max)}</span>
        </span>
      </div>
    </div>
  )
}

function PeriodForm({ periods, defaults, open }: { periods: Periods; defaults: Periods; open: boolean }) {
  const custom = (['aFrom', 'aTo', 'bFrom', 'bTo'] as const).some((k) => periods[k] !== defaults[k])
  // One field changed pins all four, so the pair stays as chosen when the global period moves.
  const change = (name: keyof Periods, value: string) =>
    setQuery({ ...periods, [name]: value || defaults[name] })
  const field = (name: keyof Periods, label: string) => (
    <div class="control">
      <label for={`compare-${name}`}>{label}</label>
      <input
        id={`compare-${name}`}
        type="date"
        value={periods[name]}
        onChange={(e) => change(name, e.currentTarget.value)}
      />
    </div>
  )
  return (
    <section class="panel compare-form" aria-label="The two periods">
      <fieldset>
        <legend>Period A</legend>
        {field('aFrom', 'From')}
        {field('aTo', 'To (inclusive)')}
      </fieldset>
      <fieldset>
        <legend>Period B</legend>
        {field('bFrom', 'From')}
        {field('bTo', 'To (inclusive)')}
      </fieldset>
      {custom ? (
        <button
          type="button"
          class="button ghost"
          onClick={() => setQuery({ aFrom: null, aTo: null, bFrom: null, bTo: null })}
        >
          Back to the global period and the one before
        </button>
      ) : (
        <p class="muted compare-hint">
          {open
            ? `The chosen period has no start, so A is the last ${formatCount(daysBetween(periods.aFrom, periods.aTo))} days; B the same number of days just before.`
            : 'A is the chosen period; B the same number of days just before it.'}
        </p>
      )}
    </section>
  )
}
