/** A small NPS trend line (−100…100 on a fixed scale, so lines of different surveys compare). */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const width = 120
  const height = 32
  const points = values
    .map((v, i) =>
      v == null
        ? null
        : [
            values.length === 1 ? width / 2 : (i / (values.length - 1)) * width,
            height / 2 - (v / 100) * (height / 2 - 2),
          ],
    )
    .filter((p): p is number[] => p !== null)
  return (
    <svg
      class="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <line x1="0" x2={width} y1={height / 2} y2={height / 2} class="zero" />
      {points.length > 1 ? <polyline points={points.map((p) => p.join(',')).join(' ')} /> : null}
      {points.length === 1 ? <circle cx={points[0]![0]} cy={points[0]![1]} r="2" /> : null}
    </svg>
  )
}
