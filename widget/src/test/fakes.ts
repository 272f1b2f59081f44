/** Test doubles for the loader's outside world: a Storage in memory and a config like the collector's. */
import { localize } from '@npskit/shared/i18n'
import type { DisplayRules, WidgetConfig } from '@npskit/shared/schemas'

/** A Storage in memory; `broken` makes every call throw, like Safari's private mode of old. */
export class MemoryStorage implements Storage {
  private map = new Map<string, string>()
  constructor(public broken = false) {}
  private check() {
    if (this.broken) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
  }
  get length() {
    return this.map.size
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null
  }
  getItem(k: string) {
    this.check()
    return this.map.get(k) ?? null
  }
  setItem(k: string, v: string) {
    this.check()
    this.map.set(k, String(v))
  }
  removeItem(k: string) {
    this.check()
    this.map.delete(k)
  }
  clear() {
    this.map.clear()
  }
}

export const DAY = 86_400_000

export function rules(change: Partial<DisplayRules> = {}): DisplayRules {
  return {
    delaySeconds: 0,
    resurveyAfterDays: 90,
    dismissBackoffDays: 14,
    sampleRate: 1,
    minPageViews: 1,
    urlInclude: [],
    urlExclude: [],
    ...change,
  }
}

export function widgetConfig(
  locale = 'en',
  change: {
    display?: Partial<DisplayRules>
    question?: string
    accent?: string
    askContact?: boolean
    thanks?: WidgetConfig['thanks']
  } = {},
): WidgetConfig {
  const rtl = locale === 'ar' || locale === 'he'
  return {
    surveyId: 'srv_test',
    locale,
    dir: rtl ? 'rtl' : 'ltr',
    strings: localize(locale, { question: change.question ?? null }),
    theme: { accent: change.accent ?? '#4f46e5', position: 'bottom-right', mode: 'auto' },
    display: rules(change.display),
    contact: { ask: change.askContact ?? false },
    ...(change.thanks ? { thanks: change.thanks } : {}),
  }
}
