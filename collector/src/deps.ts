/** What every route module is built from: the store, the configuration and a clock (tests set it). */
import type { Config } from './config.ts'
import type { Store } from './store/store.ts'

export interface Clock {
  /** ms since the epoch */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface AppDeps {
  store: Store
  config: Config
  clock: Clock
}
