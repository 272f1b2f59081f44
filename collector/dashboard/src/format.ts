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

/** A date (and optionally time) in a time zone, in the viewer's locale. */
export function formatDate(iso: string | number | Date, timeZone: string, withTime = false): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return '—'
  return new Intl.DateTimeFormat(locale(), {
    timeZone,
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
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
