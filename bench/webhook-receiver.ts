/**
 * The webhook receiver of the bench (webhooks.ts): answers every POST with 204 at once and counts them;
 * `GET /count` answers how many arrived. It checks no signature: the receiver shares the machine with
 * the collector, and its CPU is not what the figure is about.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

let count = 0
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count }))
    return
  }
  req.resume()
  req.on('end', () => {
    count++
    res.writeHead(204).end()
  })
})
server.listen(Number(process.env.NPSKIT_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
