/** What every route module is built from: the backend, the configuration and a clock (tests set it). */
import type { Backend } from './backend/backend.ts'
import type { Config } from './config.ts'

export interface Clock {
  /** ms since the epoch */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

export interface AppDeps {
  backend: Backend
  config: Config
  clock: Clock
}
