/**
 * localStorage as JSON, behind try/catch: Safari private mode, disabled storage and full quotas throw,
 * and the widget must never throw into the host page. Every key is prefixed `npskit:`.
 */

export const PREFIX = 'npskit:'

export interface KeyValue {
  get<T>(key: string): T | undefined
  set(key: string, value: unknown): void
  remove(key: string): void
}

/**
 * @example
 * const kv = jsonStorage(() => window.localStorage)
 * kv.set('vid', 'abc') // stored as npskit:vid = "abc"
 */
export function jsonStorage(getStorage: () => Storage | null | undefined): KeyValue {
  const run = <T>(fn: (s: Storage) => T): T | undefined => {
    try {
      const s = getStorage()
      return s ? fn(s) : undefined
    } catch {
      return undefined
    }
  }
  return {
    get: (key) => run((s) => JSON.parse(s.getItem(PREFIX + key) as string) ?? undefined),
    set: (key, value) => run((s) => s.setItem(PREFIX + key, JSON.stringify(value))),
    remove: (key) => run((s) => s.removeItem(PREFIX + key)),
  }
}
