import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Fixture, fixture, uuid } from '../testing.ts'

/** One sample line: a name, labels in the text format's quoting, and a number. */
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/
const COMMENT = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Parses the exposition line by line, failing on any line that is not in the format. */
function parse(text: string): { samples: Sample[]; types: Map<string, string> } {
  expect(text.endsWith('\n')).toBe(true)
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.slice(0, -1).split('\n')) {
    const comment = COMMENT.exec(line)
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram']).toContain(comment[3])
        expect(types.has(comment[2]!), `TYPE ${comment[2]} twice`).toBe(false)
        types.set(comment[2]!, comment[3]!)
      }
      continue
    }
    const match = SAMPLE.exec(line)
    expect(match, `not a sample line: ${line}`).not.toBeNull()
    const name = match![1]!
    const family = name.replace(/_(bucket|sum|count)$/, '')
    expect(types.has(name) || types.has(family), `${name} sampled before its TYPE`).toBe(true)
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"/g))
      labels[key!] = value!
    samples.push({ name, labels, value: match![5] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match![5]) })
  }
  return { samples, types }
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value

describe('/metrics', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  it('needs an admin key', async () => {
    expect((await f.app.request('/metrics')).status).toBe(401)
    const wrong = await f.app.request('/metrics', { headers: { authorization: 'Bearer npk_wrong' } })
    expect(wrong.status).toBe(401)
  })

  it('answers the Prometheus text format, every line of it', async () => {
    const res = await f.admin('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const { types } = parse(await res.text())
    expect(types).toEqual(
      new Map([
        ['npskit_http_requests_total', 'counter'],
        ['npskit_http_request_duration_seconds', 'histogram'],
        ['npskit_write_queue_writes', 'gauge'],
        ['npskit_group_commit_writes', 'histogram'],
        ['npskit_sqlite_wal_bytes', 'gauge'],
        ['process_resident_memory_bytes', 'gauge'],
        ['process_start_time_seconds', 'gauge'],
      ]),
    )
  })

  it('counts requests by route pattern and status, their latencies, and the group commits of answers', async () => {
    const survey = await f.survey()
    for (let i = 0; i < 3; i++)
      expect((await f.send(survey, 'responses', { id: uuid(), score: 9 })).status).toBe(201)
    expect((await f.send(survey, 'responses', { id: uuid(), score: 11 })).status).toBe(400)
    const { samples } = parse(await (await f.admin('/metrics')).text())

    const route = '/v1/surveys/:id/responses'
    expect(value(samples, 'npskit_http_requests_total', { method: 'POST', route, status: '201' })).toBe(3)
    expect(value(samples, 'npskit_http_requests_total', { method: 'POST', route, status: '400' })).toBe(1)
    expect(
      value(samples, 'npskit_http_requests_total', { method: 'POST', route: '/v1/surveys', status: '201' }),
    ).toBe(1)
    // No path with an id in it, ever.
    expect(samples.some((s) => s.labels.route?.includes(survey))).toBe(false)

    const latency = { method: 'POST', route }
    expect(value(samples, 'npskit_http_request_duration_seconds_count', latency)).toBe(4)
    expect(value(samples, 'npskit_http_request_duration_seconds_bucket', { ...latency, le: '+Inf' })).toBe(4)
    const buckets = samples.filter(
      (s) => s.name === 'npskit_http_request_duration_seconds_bucket' && s.labels.route === route,
    )
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value)

    expect(value(samples, 'npskit_write_queue_writes')).toBe(0)
    expect(value(samples, 'npskit_group_commit_writes_sum')).toBe(3)
    expect(value(samples, 'npskit_group_commit_writes_bucket', { le: '+Inf' })).toBe(
      value(samples, 'npskit_group_commit_writes_count'),
    )
    expect(value(samples, 'npskit_sqlite_wal_bytes')).toBeGreaterThan(0)
  })

  it('moves its counters with every request', async () => {
    const count = async () =>
      value(parse(await (await f.admin('/metrics')).text()).samples, 'npskit_http_requests_total', {
        method: 'GET',
        route: '/healthz',
        status: '200',
      }) ?? 0
    expect(await count()).toBe(0)
    await f.app.request('/healthz')
    await f.app.request('/healthz')
    expect(await count()).toBe(2)
  })
})
