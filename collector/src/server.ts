/**
 * The Node server around the app: listens, and shuts down gracefully — stop accepting, let in-flight
 * requests (and so their queued writes) finish, then close the store.
 *
 * @example
 * const server = await startServer({ config, store })
 * console.log(server.url)
 * await server.close()
 */

import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import type { Config } from './config.ts'
import type { Clock } from './deps.ts'
import type { Store } from './store/store.ts'

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, with the port actually bound. */
  url: string
  port: number
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then closes the store. */
  close(graceMs?: number): Promise<void>
}

export async function startServer(options: {
  config: Config
  store: Store
  clock?: Clock
}): Promise<RunningServer> {
  const { config, store } = options
  const app = createApp(options)
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s as Server),
    )
    s.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    close(graceMs = 10_000) {
      closing ??= (async () => {
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
        await store.close()
      })()
      return closing
    },
  }
}
