/**
 * One file's world: a Chromium, a collector process with its own database, and a host-page server on
 * another origin, started once per file; a fresh browser context (a new visitor) per test.
 *
 * @example
 * const world = useWorld()
 * it('…', async () => {
 *   const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
 *   const page = await world.newPage()
 * })
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { launchChromium, newContext } from './chromium.ts'
import { type Collector, type CollectorOptions, startCollector } from './collector.ts'
import { type HostServer, startHostServer } from './host.ts'

export interface World {
  readonly browser: Browser
  readonly collector: Collector
  readonly host: HostServer
  /** A page in a new context (its own storage): a visitor who has never been here. */
  newPage(options?: BrowserContextOptions): Promise<Page>
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>
}

export function useWorld(options: { collector?: CollectorOptions } = {}): World {
  let browser: Browser | undefined
  let collector: Collector | undefined
  let host: HostServer | undefined
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    ;[browser, collector, host] = await Promise.all([
      launchChromium(),
      startCollector(options.collector),
      startHostServer(),
    ])
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})))
  })
  afterAll(async () => {
    await Promise.all([browser?.close(), collector?.close(), host?.close()])
  })

  const world: World = {
    get browser() {
      if (!browser) throw new Error('the browser is not started yet')
      return browser
    },
    get collector() {
      if (!collector) throw new Error('the collector is not started yet')
      return collector
    },
    get host() {
      if (!host) throw new Error('the host server is not started yet')
      return host
    },
    async newContext(contextOptions) {
      const context = await newContext(world.browser, contextOptions)
      contexts.push(context)
      return context
    },
    async newPage(contextOptions) {
      const context = await world.newContext(contextOptions)
      return context.newPage()
    },
  }
  return world
}
