/**
 * The Node server around the app: listens, bounds what a slow client can hold (header, request and
 * keep-alive timeouts, a connection cap), and shuts down gracefully — stop accepting, let in-flight
 * requests (and so their queued writes) finish, then close the backend.
 *
 * @example
 * const server = await startServer({ config, backend })
 * console.log(server.url)
 * await server.close()
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from './app.ts'
import type { Backend } from './backend/backend.ts'
import type { Config } from './config.ts'
import { type Clock, systemClock } from './deps.ts'
import { startFollowUp } from './follow-up/index.ts'
import { createLogger } from './http/log.ts'
import { createMetrics, METRICS_CONTENT_TYPE } from './http/metrics.ts'
import { removeLeftoverSpools } from './transfer/import.ts'

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, with the port actually bound. */
  url: string
  port: number
  /** `http://127.0.0.1:<port>` of the metrics port (`config.metricsPort`), when there is one. */
  metricsUrl: string | undefined
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then closes the backend. */
  close(graceMs?: number): Promise<void>
}

export async function startServer(options: {
  config: Config
  backend: Backend
  clock?: Clock
}): Promise<RunningServer> {
  const { config, backend } = options
  // An import cut short by a crash left its spool behind; no import is running yet to need it.
  const leftovers = removeLeftoverSpools(config.dataDir)
  if (leftovers > 0) console.log(`removed ${leftovers} import spool file(s) left by an earlier run`)
  const metrics = createMetrics()
  const app = createApp({ ...options, metrics })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: config.port,
        hostname: config.host,
        serverOptions: {
          headersTimeout: config.headersTimeoutMs,
          requestTimeout: config.requestTimeoutMs,
          keepAliveTimeout: config.keepAliveTimeoutMs,
          // Node looks for expired requests every 30 s by default, which would let a slow client hold
          // a connection that long past a short timeout.
          connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMs / 4))),
        },
      },
      () => resolve(s as Server),
    )
    // Beyond the cap Node closes a new connection at once, before it costs a parser or a request.
    ;(s as Server).maxConnections = config.maxConnections
    s.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const followUp = startFollowUp({
    backend,
    config,
    clock: options.clock ?? systemClock,
    logger: createLogger({ level: config.logLevel }),
  })
  const bracket = (host: string) => (host.includes(':') ? `[${host}]` : host)
  let metricsServer: Server | undefined
  if (config.metricsPort !== undefined) {
    // Only /metrics, and no key: for a scraper on a private network or the same machine.
    const metricsApp = new Hono()
    metricsApp.get('/metrics', async (c) =>
      c.body(metrics.render(await backend.stats()), 200, { 'content-type': METRICS_CONTENT_TYPE }),
    )
    metricsServer = await new Promise<Server>((resolve, reject) => {
      const s = serve(
        { fetch: metricsApp.fetch, port: config.metricsPort, hostname: config.metricsHost },
        () => resolve(s as Server),
      )
      s.once('error', reject)
    })
  }
  let closing: Promise<void> | undefined
  return {
    url: `http://${bracket(config.host)}:${port}`,
    port,
    metricsUrl: metricsServer
      ? `http://${bracket(config.metricsHost)}:${(metricsServer.address() as AddressInfo).port}`
      : undefined,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        metricsServer?.close()
        metricsServer?.closeAllConnections()
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => server.closeAllConnections(), graceMs)
          timer.unref()
          server.close(() => {
            clearTimeout(timer)
            resolve()
          })
          // Keep-alive connections with no request in flight would hold close() open for no reason.
          server.closeIdleConnections()
        })
        // Deliveries under way finish (or give back their lease) before the database goes.
        await followUp.stop()
        await backend.close()
      })()
      return closing
    },
  }
}
