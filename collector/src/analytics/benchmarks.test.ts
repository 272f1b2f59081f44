import { BENCHMARK_INDUSTRIES, summarize } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture, uuid } from '../testing.ts'
import { BENCHMARKS, type Benchmark } from './benchmark-data.ts'
import { BENCHMARK_CAVEAT, standAgainst } from './benchmarks.ts'

describe('the benchmark table', () => {
  it('names a source for every row, says when a figure is quoted second-hand, and by whom', () => {
    expect(BENCHMARKS.length).toBeGreaterThanOrEqual(8)
    for (const row of BENCHMARKS) {
      expect(row.source.publisher, row.id).not.toBe('')
      expect(row.source.title, row.id).not.toBe('')
      expect(row.value, row.id).toBeGreaterThanOrEqual(-100)
      expect(row.value, row.id).toBeLessThanOrEqual(100)
      // A figure read at its publisher's page links to it; one known only from a quote names the quoter.
      if (row.source.secondHand) expect(row.source.via, row.id).toBeTruthy()
      else expect(row.source.url, row.id).toMatch(/^https:\/\//)
      expect(row.note, row.id).not.toBe('')
    }
    expect(new Set(BENCHMARKS.map((b) => b.id)).size).toBe(BENCHMARKS.length)
  })

  it('has rows for exactly the industries a survey setting accepts', () => {
    expect([...new Set(BENCHMARKS.map((b) => b.industry))].sort()).toEqual([...BENCHMARK_INDUSTRIES].sort())
  })
})

describe('standAgainst', () => {
  // 50/30/20 of 100: NPS 30, ci95 ≈ [14.05, 44.20].
  const ours = summarize([0, 0, 0, 0, 0, 0, 20, 15, 15, 25, 25])
  it('says within when the interval holds the value, above or below when it excludes it', () => {
    expect(standAgainst(ours, { value: 32 })).toEqual({ difference: -2, verdict: 'within' })
    expect(standAgainst(ours, { value: 62 })).toEqual({ difference: -32, verdict: 'below' })
    expect(standAgainst(ours, { value: 10 })).toEqual({ difference: 20, verdict: 'above' })
  })
  it('says nothing without answers', () => {
    expect(standAgainst({ nps: null, ci95: null }, { value: 32 })).toEqual({
      difference: null,
      verdict: null,
    })
  })
})

interface Standing {
  industry: string | null
  current: { total: number; nps: number | null; from: string | null }
  benchmarks: (Benchmark & { difference: number | null; verdict: string | null })[]
  reason: string | null
  caveat: string
}

describe('GET /v1/surveys/:id/benchmark', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture()
  })
  afterEach(() => f.close())

  async function worked(id: string) {
    // 50 promoters, 30 passives, 20 detractors, all now (inside the 90-day lifetime).
    const scores = [...Array(50).fill(10), ...Array(30).fill(8), ...Array(20).fill(3)]
    for (const score of scores) await f.send(id, 'responses', { id: uuid(), score })
    // The current window ends now, exclusive: read a minute later.
    f.clock.advance(60_000)
  }

  it('answers our interval against each row of the industry, with the verdict, source and caveat', async () => {
    const id = await f.survey({ industry: 'cross-industry' })
    await worked(id)
    const res = await f.admin(`/v1/surveys/${id}/benchmark`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as Standing
    expect(body.industry).toBe('cross-industry')
    expect(body.current).toMatchObject({ total: 100, nps: 30 })
    expect(body.current.from).toBe(new Date(f.clock.now() - 90 * 86_400_000).toISOString())
    expect(body.benchmarks.map((b) => [b.id, b.difference, b.verdict])).toEqual([
      ['surveymonkey-global-average', -2, 'within'],
      ['surveymonkey-global-median', -6, 'within'],
    ])
    expect(body.benchmarks[0]!.source).toMatchObject({ publisher: 'SurveyMonkey', secondHand: false })
    expect(body.benchmarks[0]).toMatchObject({ method: 'own-customer', region: 'global' })
    expect(body.reason).toBeNull()
    expect(body.caveat).toBe(BENCHMARK_CAVEAT)
  })

  it('says below when even the interval’s upper end is under the figure', async () => {
    const id = await f.survey({ industry: 'retail-department-specialty' })
    await worked(id)
    const body = (await (await f.admin(`/v1/surveys/${id}/benchmark`)).json()) as Standing
    expect(body.benchmarks).toHaveLength(1)
    expect(body.benchmarks[0]).toMatchObject({ value: 62, year: 2018, difference: -32, verdict: 'below' })
    expect(body.benchmarks[0]!.source).toMatchObject({
      secondHand: true,
      via: 'MarketingCharts / e-strategy',
    })
  })

  it('answers no benchmark, with the reason, for a survey without an industry', async () => {
    const id = await f.survey()
    await worked(id)
    const res = await f.admin(`/v1/surveys/${id}/benchmark?from=2026-01-01`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      industry: null,
      benchmarks: [],
      reason: expect.stringMatching(/names no industry/),
      current: { total: 100, from: '2026-01-01T00:00:00.000Z' },
    })
  })

  it('refuses an unknown industry in the settings with a 400 naming the known ones, and clears it with null', async () => {
    const bad = await f.admin('/v1/surveys', { method: 'POST', body: { name: 'X', industry: 'banking' } })
    expect(bad.status).toBe(400)
    expect(await errorCode(bad)).toBe('invalid_body')
    const id = await f.survey({ industry: 'software' })
    const patched = await f.admin(`/v1/surveys/${id}`, { method: 'PATCH', body: { industry: null } })
    expect(patched.status).toBe(200)
    expect(await patched.json()).not.toHaveProperty('industry')
  })

  it('lists the whole table at GET /v1/benchmarks', async () => {
    const body = (await (await f.admin('/v1/benchmarks')).json()) as { items: Benchmark[]; caveat: string }
    expect(body.items).toEqual(BENCHMARKS)
    expect(body.caveat).toBe(BENCHMARK_CAVEAT)
    expect((await f.app.request('/v1/benchmarks')).status).toBe(401)
  })
})
