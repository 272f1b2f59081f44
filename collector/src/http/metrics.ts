/**
 * `/metrics` in the Prometheus text format (version 0.0.4), written by hand: a few counters, one
 * latency histogram and the backend's figures do not need a client library.
 *
 * Requests are counted by method, route pattern and status (the same facts as the access log, so the
 * label values are bounded: patterns, not paths), latencies in a histogram per method and route, and at
 * each scrape the backend reports its write queue, its group-commit sizes and its WAL (SQLite) or pools
 * (PostgreSQL).
 *
 * @example
 * const metrics = createMetrics()
 * app.use('*', accessLog(logger, metrics.observe))
 * app.get('/metrics', async (c) => c.body(metrics.render(await backend.stats()), 200, { 'content-type': METRICS_CONTENT_TYPE }))
 */
import type { BackendStats } from '../backend/stats.ts'
import type { RequestRecord } from './log.ts'

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** Seconds: a cached widget file answers in well under a millisecond, an export may take seconds. */
const LATENCY_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Latency {
  counts: number[]
  sum: number
  count: number
}

export interface Metrics {
  /** Counts one answered request (hand it to the access log). */
  observe(record: RequestRecord): void
  /** The whole exposition, with the backend's figures as they are now. */
  render(stats: BackendStats): string
}

/** A label value as the text format escapes it. */
const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
function labels(pairs: Record<string, string>): string {
  const entries = Object.entries(pairs)
  return entries.length === 0
    ? ''
    : `{${entries.map(([name, value]) => `${name}="${label(value)}"`).join(',')}}`
}
const number = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN')

/** Lines of one histogram: cumulative buckets, then the sum and the count. */
function histogram(
  name: string,
  base: Record<string, string>,
  bounds: readonly number[],
  counts: readonly number[],
  sum: number,
  count: number,
): string[] {
  const lines: string[] = []
  let cumulative = 0
  bounds.forEach((bound, i) => {
    cumulative += counts[i]!
    lines.push(`${name}_bucket${labels({ ...base, le: String(bound) })} ${cumulative}`)
  })
  lines.push(`${name}_bucket${labels({ ...base, le: '+Inf' })} ${count}`)
  lines.push(`${name}_sum${labels(base)} ${number(sum)}`, `${name}_count${labels(base)} ${count}`)
  return lines
}

/**
 * A registry for one app.
 *
 * @example
 * const metrics = createMetrics()
 * metrics.observe({ method: 'GET', route: '/healthz', status: 200, durationMs: 0.4 })
 */
export function createMetrics(): Metrics {
  const requests = new Map<string, { method: string; route: string; status: string; count: number }>()
  const latencies = new Map<string, { method: string; route: string; latency: Latency }>()

  return {
    observe({ method, route, status, durationMs }) {
      const path = route ?? 'none'
      const key = `${method} ${path} ${status}`
      const counter = requests.get(key)
      if (counter) counter.count += 1
      else requests.set(key, { method, route: path, status: String(status), count: 1 })

      const latencyKey = `${method} ${path}`
      let entry = latencies.get(latencyKey)
      if (!entry) {
        entry = {
          method,
          route: path,
          latency: { counts: new Array(LATENCY_BOUNDS.length).fill(0), sum: 0, count: 0 },
        }
        latencies.set(latencyKey, entry)
      }
      const seconds = durationMs / 1000
      const bucket = LATENCY_BOUNDS.findIndex((bound) => seconds <= bound)
      if (bucket >= 0) entry.latency.counts[bucket]! += 1
      entry.latency.sum += seconds
      entry.latency.count += 1
    },

    render(stats) {
      const out: string[] = []
      const family = (name: string, type: string, help: string) =>
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)

      family(
        'npskit_http_requests_total',
        'counter',
        'HTTP requests answered, by method, route pattern and status.',
      )
      for (const { method, route, status, count } of requests.values())
        out.push(`npskit_http_requests_total${labels({ method, route, status })} ${count}`)

      family(
        'npskit_http_request_duration_seconds',
        'histogram',
        'Time from a request to the start of its response, by method and route pattern.',
      )
      for (const { method, route, latency } of latencies.values())
        out.push(
          ...histogram(
            'npskit_http_request_duration_seconds',
            { method, route },
            LATENCY_BOUNDS,
            latency.counts,
            latency.sum,
            latency.count,
          ),
        )

      family(
        'npskit_write_queue_writes',
        'gauge',
        'Answers and widget events accepted and not yet committed.',
      )
      out.push(`npskit_write_queue_writes ${stats.queuedWrites}`)

      const sizes = stats.commitSizes
      family('npskit_group_commit_writes', 'histogram', 'Answers and widget events per group commit.')
      out.push(
        ...histogram('npskit_group_commit_writes', {}, sizes.bounds, sizes.counts, sizes.sum, sizes.count),
      )

      if (stats.walBytes !== undefined) {
        family('npskit_sqlite_wal_bytes', 'gauge', 'Size of the SQLite write-ahead log file.')
        out.push(`npskit_sqlite_wal_bytes ${stats.walBytes}`)
      }
      if (stats.pool) {
        family('npskit_postgres_pool_connections', 'gauge', 'Connections each PostgreSQL pool may open.')
        out.push(
          `npskit_postgres_pool_connections${labels({ pool: 'write' })} ${stats.pool.write}`,
          `npskit_postgres_pool_connections${labels({ pool: 'read' })} ${stats.pool.read}`,
        )
      }

      family('process_resident_memory_bytes', 'gauge', 'Resident memory of the collector process.')
      out.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`)
      family(
        'process_start_time_seconds',
        'gauge',
        'When the collector process started, in seconds since the epoch.',
      )
      out.push(`process_start_time_seconds ${Math.round((Date.now() - process.uptime() * 1000) / 1000)}`)
      return `${out.join('\n')}\n`
    },
  }
}
