/**
 * The NPS trend as a uPlot chart: the NPS line (gaps where a period has no answers), its 95% interval as
 * a shaded band, the target as a dotted line and the projection to the deadline as a dashed one. Canvas
 * colours come from the theme's CSS variables, so the chart is drawn again when the theme changes; it
 * follows its container's width. Screen readers (and anyone who asks) get the same points as a table.
 */
import 'uplot/dist/uPlot.min.css'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import uPlot from 'uplot'
import type { TargetStatus, Trend } from '../api/client.ts'
import {
  axisDateFormat,
  formatCount,
  formatDate,
  formatDay,
  formatMonth,
  formatNps,
  intervalInWords,
} from '../format.ts'
import { scheme } from './theme.tsx'
import { COLUMN, chartData, xRange, yRange } from './trend-data.ts'

type Point = Trend['points'][number]

const DAY_S = 86_400

/**
 * What one point covers, in words: "Mar 3, 2025", "week of Mar 3, 2025", "March 2025", "30 days to
 * Mar 9, 2025".
 */
export function periodLabel(point: Point, trend: Pick<Trend, 'interval' | 'window' | 'tz'>): string {
  if (trend.window) {
    return `${trend.window} days to ${formatDate(Date.parse(point.end) - 1, trend.tz)}`
  }
  if (trend.interval === 'week') return `week of ${formatDate(point.start, trend.tz)}`
  if (trend.interval === 'month') {
    return formatMonth(point.start, trend.tz)
  }
  return formatDate(point.start, trend.tz)
}

interface Colors {
  line: string
  band: string
  edge: string
  text: string
  muted: string
  grid: string
}

function themeColors(el: Element): Colors {
  const css = getComputedStyle(el)
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    line: read('--accent', '#4338ca'),
    band: read('--band', 'rgba(67, 56, 202, 0.16)'),
    edge: read('--border', '#d1d5db'),
    text: read('--text', '#111827'),
    muted: read('--muted', '#4b5563'),
    grid: read('--border', '#d1d5db'),
  }
}

const heightFor = (width: number) => (width < 560 ? 220 : 300)

export interface TrendChartProps {
  trend: Trend
  target?: TargetStatus | undefined
  /** Draw the projection to the deadline (only when the period reaches today). */
  withProjection: boolean
  /** The chart's accessible name. */
  label: string
  /** Called after the chart is first drawn. */
  onDrawn?: () => void
}

export function TrendChart({ trend, target, withProjection, label, onDrawn }: TrendChartProps) {
  const box = useRef<HTMLDivElement>(null)
  const readout = useRef<HTMLParagraphElement>(null)
  const [asTable, setAsTable] = useState(false)
  // Reading the signal here redraws the chart in the new colours when the scheme changes.
  const colorScheme = scheme.value
  const data = useMemo(() => chartData(trend, target, { withProjection }), [trend, target, withProjection])
  const clipped = xRange(data, trend.interval).clipped
  const drawn = useRef(onDrawn)
  drawn.current = onDrawn

  useEffect(() => {
    const el = box.current
    if (!el) return
    const colors = themeColors(el)
    const { range: xs } = xRange(data, trend.interval)
    const isolated: number[] = []
    const nps = data.columns[COLUMN.nps] ?? []
    nps.forEach((v, i) => {
      if (v != null && nps[i - 1] == null && nps[i + 1] == null) isolated.push(i)
    })
    const axis = {
      stroke: colors.muted,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1, size: 4 },
      font: '12px system-ui, sans-serif',
    }
    const describeIndex = (i: number | null | undefined): string => {
      if (i == null) return ''
      const point = trend.points[i]
      if (!point) {
        return data.projection
          ? `Projected at the deadline (${formatDay(data.projection.deadline)}): ${formatNps(data.projection.nps)}`
          : ''
      }
      const words = point.total ? intervalInWords(point.ci95) : 'no answers'
      return `${periodLabel(point, trend)}: NPS ${formatNps(point.nps)} (${words}), ${formatCount(point.total)} answers`
    }
    const width = Math.max(200, Math.floor(el.clientWidth))
    const options: uPlot.Options = {
      width,
      height: heightFor(width),
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), trend.tz),
      legend: { show: false },
      cursor: { y: false, points: { size: 8 }, drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: () => xs },
        y: { range: () => yRange(data) },
      },
      axes: [
        {
          ...axis,
          space: 70,
          values: (_u, splits, _i, _space, incr) => {
            const format = axisDateFormat(trend.tz, incr >= 28 * DAY_S)
            return splits.map((s) => format.format(new Date(s * 1000)))
          },
        },
        { ...axis, size: 48, values: (_u, splits) => splits.map((v) => formatNps(v)) },
      ],
      series: [
        {},
        {
          label: 'NPS',
          stroke: colors.line,
          width: 2,
          points: { size: 6, fill: colors.line, filter: (_u, _i, show) => (show ? null : isolated) },
        },
        { label: '95% interval, low', stroke: colors.edge, width: 1, points: { show: false } },
        { label: '95% interval, high', stroke: colors.edge, width: 1, points: { show: false } },
        {
          label: 'Target',
          stroke: colors.text,
          width: 1.5,
          dash: [2, 4],
          points: { show: false },
          show: data.target !== null,
        },
        {
          label: 'Projection',
          stroke: colors.line,
          width: 2,
          dash: [7, 5],
          spanGaps: true,
          points: { show: true, size: 6, fill: colors.line },
          show: data.projection !== null,
        },
      ],
      bands: [{ series: [COLUMN.high, COLUMN.low], fill: colors.band }],
      hooks: {
        draw: [
          () => {
            drawn.current?.()
          },
        ],
        setCursor: [
          (u) => {
            const out = readout.current
            if (out) out.textContent = describeIndex(u.cursor.idx)
          },
        ],
      },
    }
    const chart = new uPlot(options, data.columns as uPlot.AlignedData, el)
    let lastWidth = width
    const observer = new ResizeObserver((entries) => {
      const next = Math.max(200, Math.floor(entries[0]?.contentRect.width ?? lastWidth))
      if (next === lastWidth) return
      lastWidth = next
      chart.setSize({ width: next, height: heightFor(next) })
    })
    observer.observe(el)
    return () => {
      observer.disconnect()
      chart.destroy()
    }
  }, [data, colorScheme, trend])

  const tableId = `trend-table-${trend.interval}`
  const partial = trend.points.filter((p) => p.partialWindow).length
  return (
    <div class="trend">
      <div class="trend-chart" ref={box} role="img" aria-label={label} />
      <p class="trend-readout muted" ref={readout} aria-hidden="true" />
      <ul class="trend-legend">
        <li>
          <span class="key key-line" aria-hidden="true" /> NPS
        </li>
        <li>
          <span class="key key-band" aria-hidden="true" /> 95% interval
        </li>
        {data.target !== null ? (
          <li>
            <span class="key key-target" aria-hidden="true" /> Target {formatNps(data.target)}
          </li>
        ) : null}
        {data.projection ? (
          <li>
            <span class="key key-projection" aria-hidden="true" /> Projection:{' '}
            {formatNps(data.projection.nps)} by {formatDay(data.projection.deadline)}
            {clipped ? ' (the line runs on past the edge)' : ''}
          </li>
        ) : null}
        <li class="trend-toggle">
          <button
            type="button"
            class="link-button"
            aria-expanded={asTable}
            aria-controls={tableId}
            onClick={() => setAsTable(!asTable)}
          >
            {asTable ? 'Hide the table' : 'Show as table'}
          </button>
        </li>
      </ul>
      {partial > 0 && trend.firstAnswerAt ? (
        <p class="trend-partial muted" role="note">
          {partial === 1
            ? 'The first rolling point starts'
            : `The first ${formatCount(partial)} rolling points start`}{' '}
          before the survey’s first answer ({formatDate(trend.firstAnswerAt, trend.tz)}):{' '}
          {partial === 1 ? 'it covers' : 'they cover'} fewer than {formatCount(trend.window ?? 0)} days of
          answers.
        </p>
      ) : null}
      <section
        id={tableId}
        class={asTable ? 'table-wrap trend-table' : 'sr-only'}
        aria-label={`${label}, as a table`}
        tabIndex={asTable ? 0 : undefined}
      >
        <table>
          <caption class="sr-only">{label}: every point</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col" class="num">
                NPS
              </th>
              <th scope="col">95% interval</th>
              <th scope="col" class="num">
                Answers
              </th>
            </tr>
          </thead>
          <tbody>
            {trend.points.map((p) => (
              <tr key={p.start}>
                <th scope="row">
                  {periodLabel(p, trend)}
                  {p.partialWindow ? ' (window starts before the first answer)' : ''}
                </th>
                <td class="num">{formatNps(p.nps)}</td>
                <td>{p.total ? intervalInWords(p.ci95) : 'no answers'}</td>
                <td class="num">{formatCount(p.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
