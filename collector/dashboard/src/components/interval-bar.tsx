/**
 * An NPS with its 95% interval as a small horizontal bar on the fixed −100…100 scale (so rows compare at
 * a glance), the point marked, zero as a faint line. The words are its text alternative: a screen reader
 * hears what the bar shows, and the bar is never the only place the interval is written.
 */
import { formatNps, intervalInWords } from '../format.ts'
import './interval-bar.css'

const WIDTH = 200
const HEIGHT = 18
const x = (nps: number) => ((Math.max(-100, Math.min(100, nps)) + 100) / 200) * WIDTH

export function IntervalBar({ nps, ci95 }: { nps: number | null; ci95: readonly [number, number] | null }) {
  if (nps == null || !ci95) return <span class="muted">no answers</span>
  const [low, high] = ci95
  return (
    <svg
      class="interval-bar"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      // A narrow layout may squeeze the bar: the scale stretches, the ticks stay ticks.
      preserveAspectRatio="none"
      role="img"
      aria-label={`NPS ${formatNps(nps)}, ${intervalInWords(ci95)}`}
    >
      <rect class="track" x="0" y={HEIGHT / 2 - 1} width={WIDTH} height="2" />
      <line class="zero" x1={x(0)} x2={x(0)} y1="1" y2={HEIGHT - 1} />
      <rect class="band" x={x(low)} y="4" width={Math.max(2, x(high) - x(low))} height={HEIGHT - 8} rx="2" />
      <line class="point" x1={x(nps)} x2={x(nps)} y1="1" y2={HEIGHT - 1} />
    </svg>
  )
}
