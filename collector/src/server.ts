/**
 * The Node server around the app: listens, and shuts down gracefully — stop accepting, let in-flight
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
import { createApp } from './app.ts'
import type { Backend } from './backend/backend.ts'
import type { Config } from './config.ts'
import type { Clock } from './deps.ts'
import { removeLeftoverSpools } from './transfer/import.ts'

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, with the port actually bound. */
  url: string
  port: number
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
        await backend.close()
      })()
      return closing
    },
  }
}
