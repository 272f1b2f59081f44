/**
 * Numbers and dates in the viewer's own locale (the browser's languages), dates in the chosen time zone.
 * NPS stays unrounded in the API; here it is shown to the precision a reader can use.
 */
const locale = () =>
  typeof navigator !== 'undefined' ? navigator.languages?.[0] || navigator.language : undefined

const formats = new Map<string, Intl.NumberFormat>()
function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = JSON.stringify(options)
  let f = formats.get(id)
  if (!f) {
    f = new Intl.NumberFormat(locale(), options)
    formats.set(id, f)
  }
  return f
}

/** An NPS point figure: a whole number with its sign (−100…+100), or an em dash when there is none. */
export function formatNps(nps: number | null | undefined, digits = 0): string {
  if (nps == null) return '—'
  return numberFormat({
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
    signDisplay: 'exceptZero',
  }).format(nps)
}

/** A count: 12,345 in English, 12.345 in German. */
export function formatCount(n: number | null | undefined): string {
  return n == null ? '—' : numberFormat({ maximumFractionDigits: 0 }).format(n)
}

/**
 * A count in at most four characters or so (1,234 → "1.2K", 91,234 → "91K"), for a label that shares a
 * narrow column with ten others; counts under 1,000 are exact. Say the exact count beside it for readers.
 */
export function formatCompactCount(n: number | null | undefined): string {
  if (n == null) return '—'
  return n < 1000 ? formatCount(n) : numberFormat({ notation: 'compact' }).format(n)
}

/** A share 0–1 as a percentage. */
export function formatShare(share: number | null | undefined, digits = 0): string {
  return share == null ? '—' : numberFormat({ style: 'percent', maximumFractionDigits: digits }).format(share)
}

/** A plain number with up to `digits` decimals. */
export function formatNumber(n: number | null | undefined, digits = 1): string {
  return n == null ? '—' : numberFormat({ maximumFractionDigits: digits }).format(n)
}

/** A p-value as a reader expects it: "< 0.001" rather than 3.2e-7. */
export function formatP(p: number | null | undefined): string {
  if (p == null) return '—'
  if (p < 0.001) return `< ${formatNumber(0.001, 3)}`
  return formatNumber(p, 3)
}

/** The 95% interval in words a manager reads: "between 36 and 40, 95% confidence". */
export function intervalInWords(ci95: readonly [number, number] | null | undefined): string {
  if (!ci95) return 'no answers yet'
  return `between ${formatNps(ci95[0])} and ${formatNps(ci95[1])}, 95% confidence`
}

/** A date (and optionally time, to the minute or to the second) in a time zone, in the viewer's locale. */
export function formatDate(
  iso: string | number | Date,
  timeZone: string,
  withTime: boolean | 'seconds' = false,
): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return '—'
  return new Intl.DateTimeFormat(locale(), {
    timeZone,
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: withTime === 'seconds' ? 'medium' : 'short' } : {}),
  }).format(at)
}

/** A YYYY-MM-DD day as the viewer writes dates (no time zone shift: the day is already local). */
export function formatDay(day: string): string {
  return formatDate(`${day}T12:00:00Z`, 'UTC')
}

/** A count with its noun: "1 answer", "1,204 answers". */
export function formatCountOf(n: number, one: string, other: string): string {
  return `${formatCount(n)} ${n === 1 ? one : other}`
}

/** A month as a reader writes it ("March 2025"), in a time zone. */
export function formatMonth(iso: string | number | Date, timeZone: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone, month: 'long', year: 'numeric' }).format(new Date(iso))
}

/** The short date format of a chart's time axis: "Mar 3", or "Mar 2025" when ticks are a month apart. */
export function axisDateFormat(timeZone: string, monthly: boolean): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(
    locale(),
    monthly ? { timeZone, month: 'short', year: 'numeric' } : { timeZone, month: 'short', day: 'numeric' },
  )
}

/** A duration in hours as a reader takes it in: minutes under an hour, hours under two days, else days. */
export function formatHours(hours: number | null | undefined): string {
  if (hours == null) return '—'
  const [value, unit] =
    hours < 1 ? [hours * 60, 'minute'] : hours < 48 ? [hours, 'hour'] : [hours / 24, 'day']
  return numberFormat({
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value)
}

/** A latency in milliseconds ("320 ms", "1.2 s"). */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null) return '—'
  return ms < 1000
    ? numberFormat({
        style: 'unit',
        unit: 'millisecond',
        unitDisplay: 'short',
        maximumFractionDigits: 0,
      }).format(ms)
    : numberFormat({ style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 }).format(
        ms / 1000,
      )
}

/** The wall-clock time of an instant in a time zone, as a `datetime-local` input holds it (YYYY-MM-DDTHH:mm). */
export function wallTime(iso: string | number | Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}

/**
 * The instant a wall-clock time (YYYY-MM-DDTHH:mm) names in a time zone, as ISO 8601; null when it is no
 * time. The zone's offset is read at the guess and once more at the result, so a time beside a
 * daylight-saving change lands on the right side of it.
 */
export function instantOf(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!m) return null
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!)
  const offset = (at: number) => Date.parse(`${wallTime(at, timeZone)}:00Z`) - at
  let at = asUtc - offset(asUtc)
  at = asUtc - offset(at)
  return Number.isNaN(at) ? null : new Date(at).toISOString()
}
