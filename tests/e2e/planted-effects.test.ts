/**
 * The analytics find what was planted, through the API alone: the demo's example survey (two years of
 * 60,000 answers from demo/example-data.ts, imported into a real collector on loopback) holds two
 * better and two worse agents, a new agent with nine answers, six accounts that turned, and a billing
 * theme that costs points. Each verdict below is the API's, read as a product team would read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLE_PLANTED, EXAMPLE_SURVEY, exampleAnswers } from '../../demo/example-data.ts'
import { admin, createSurvey } from '../harness/api.ts'
import { type Collector, startCollector } from '../harness/collector.ts'

interface Group {
  value: string | null
  verdict: string
  precision: string
  adjustedP: number | null
}

describe('the example survey', () => {
  let collector: Collector
  let base = ''

  beforeAll(async () => {
    collector = await startCollector()
    const survey = await createSurvey(collector, EXAMPLE_SURVEY)
    base = `/v1/surveys/${survey.id}`
    const rows = [...exampleAnswers({ now: Date.now() })].map((row) => JSON.stringify(row)).join('\n')
    await admin(collector, `${base}/responses/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: rows,
    })
  }, 120_000)
  afterAll(() => collector?.close())

  it('names exactly the planted better and worse agents, and calls the new agent imprecise', async () => {
    const { groups } = await admin<{ groups: Group[] }>(
      collector,
      `${base}/nps/breakdown?by=metadata.agent&limit=1000`,
    )
    const named = (verdict: string) =>
      groups
        .filter((g) => g.verdict === verdict)
        .map((g) => g.value)
        .sort()
    expect(named('above')).toEqual([...EXAMPLE_PLANTED.betterAgents].sort())
    expect(named('below')).toEqual([...EXAMPLE_PLANTED.worseAgents].sort())
    const newcomer = groups.find((g) => g.value === EXAMPLE_PLANTED.newAgent)
    expect(newcomer).toMatchObject({ verdict: 'no clear difference', precision: 'low' })
  })

  it('lists the accounts that turned as at risk, first, and few others', async () => {
    const { items } = await admin<{ items: { account: string; status: string }[] }>(
      collector,
      `${base}/accounts?limit=500`,
    )
    const atRisk = items.filter((a) => a.status === 'at risk').map((a) => a.account)
    // Others may be at risk by chance, but few: 800 accounts alike would otherwise fill the list.
    expect(atRisk.length).toBeLessThanOrEqual(2 * EXAMPLE_PLANTED.atRiskAccounts.length)
    for (const account of EXAMPLE_PLANTED.atRiskAccounts) expect(atRisk).toContain(account)
    const firstSix = items.slice(0, EXAMPLE_PLANTED.atRiskAccounts.length).map((a) => a.account)
    expect(firstSix.sort()).toEqual([...EXAMPLE_PLANTED.atRiskAccounts].sort())
  })

  it('ranks the billing theme first among detractors, costing points, in English and German', async () => {
    const themes = await admin<{
      terms: { term: string; impact: number; impactCi95: [number, number]; examples: string[] }[]
    }>(collector, `${base}/themes?category=detractor&limit=5`)
    const [first] = themes.terms
    expect(first?.term).toBe(EXAMPLE_PLANTED.costlyTheme)
    expect(first!.impactCi95[1]).toBeLessThan(0)
    expect(first!.examples.length).toBeGreaterThan(0)
    // The German comments say Rechnung and Abrechnung: the dictionary counts them as billing.
    const german = await admin<{ terms: { term: string; source: string; count: number; impact: number }[] }>(
      collector,
      `${base}/themes?category=detractor&locale=de&limit=5`,
    )
    const billing = german.terms.find((t) => t.term === EXAMPLE_PLANTED.costlyTheme)
    expect(billing).toMatchObject({ source: 'dictionary' })
    expect(billing!.count).toBeGreaterThan(100)
    expect(billing!.impact).toBeLessThan(0)
  })

  it('stands against the B2B SaaS benchmark with the source named', async () => {
    const standing = await admin<{ benchmarks: { source: { publisher: string }; verdict: string }[] }>(
      collector,
      `${base}/benchmark`,
    )
    expect(standing.benchmarks.length).toBeGreaterThan(0)
    for (const row of standing.benchmarks) {
      expect(row.source.publisher).not.toBe('')
      expect(['above', 'below', 'within']).toContain(row.verdict)
    }
  })
})
