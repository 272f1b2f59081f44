/**
 * The breakdown and themes views on a seeded survey, in a real Chromium against a real collector: every
 * row of the breakdown (value, NPS, n, interval, low sample) is what `/nps/breakdown` answers for the
 * same period and filters, by metadata `agent` (the employee view) and by device; the headers sort as
 * they say and keep the sort in the URL; selecting a group adds it to the global filters. Themes show
 * the terms `/themes` answers per category with their impact in points, and each term's examples are
 * the ones `/themes` answers, with the weekly trend `/themes/trend` answers. Each view is checked with axe and photographed
 * in light, dark and at 390 px.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { requireChromium } from '../harness/chromium.ts'
import {
  expectAccessible,
  LOOKS,
  openView,
  screenshot,
  seedAnswers,
  signIn,
  waitForIdle,
} from '../harness/dashboard.ts'
import { useWorld } from '../harness/suite.ts'

interface Group {
  value: string | null
  nps: number | null
  total: number
  ci95: [number, number] | null
  lowSample: boolean
  precision: 'ok' | 'low'
  verdict: 'above' | 'below' | 'no clear difference'
  adjustedP: number | null
}
interface Themes {
  comments: number
  terms: {
    term: string
    /** What the dashboard shows: the spelling the comments use most. */
    label: string
    count: number
    share: number
    lift: number
    impact: number | null
    impactCi95: number[] | null
    examples: string[]
  }[]
}

/** The figures as the page writes them for en-US: a sign, no decimals; counts with separators. */
const nps = (n: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(n)
const count = (n: number) => n.toLocaleString('en-US')

/** Yesterday and 60 days before it, as days in UTC: a fixed custom period the page and the API share. */
function period() {
  const day = (offset: number) => {
    const d = new Date()
    d.setUTCHours(0, 0, 0, 0)
    d.setUTCDate(d.getUTCDate() + offset)
    return d.toISOString().slice(0, 10)
  }
  const from = day(-61)
  const to = day(-1)
  return {
    page: `period=custom&from=${from}&to=${to}&tz=UTC`,
    // The page's `to` is the last day counted; the API's `to` is exclusive.
    api: `from=${from}&to=${day(0)}&tz=UTC`,
  }
}

/** The breakdown table as a reader sees it, row by row. */
async function rows(page: Page) {
  return page.locator('table.breakdown-table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      value: tr
        .querySelector('th')!
        .textContent!.replace(/filtered$/, '')
        .trim(),
      nps: tr.querySelector('td.nps')!.textContent,
      n: tr.querySelector('td.n')!.firstChild!.textContent,
      interval: tr.querySelector('.interval-text')!.textContent,
      bar: tr.querySelector('svg.interval-bar')?.getAttribute('aria-label') ?? null,
      sample: tr.querySelector('td.n .badge')?.textContent ?? null,
      verdict: tr.querySelector('td.verdict .verdict-word')!.textContent,
      p: tr.querySelector('td.verdict .verdict-p')?.textContent?.trim() ?? null,
    })),
  )
}

const expectedRow = (g: Group) => ({
  value: g.value ?? '(none)',
  nps: nps(g.nps!),
  n: count(g.total),
  interval: `${nps(g.ci95![0])} to ${nps(g.ci95![1])}`,
  bar: `NPS ${nps(g.nps!)}, between ${nps(g.ci95![0])} and ${nps(g.ci95![1])}, 95% confidence`,
  sample: g.precision === 'low' ? 'low precision' : null,
  verdict: g.verdict === 'no clear difference' ? g.verdict : `${g.verdict} the rest`,
  p: g.adjustedP === null ? null : `p ${g.adjustedP < 0.001 ? '< 0.001' : g.adjustedP.toFixed(3)}`,
})

describe.skipIf(!requireChromium())('the dashboard: breakdown and themes', () => {
  const world = useWorld()
  let surveyId = ''
  let emptyId = ''
  const p = period()

  beforeAll(async () => {
    surveyId = (await createSurvey(world.collector, { name: 'Support desk' })).id
    await seedAnswers(world.collector, surveyId, { count: 1500, days: 150 })
    emptyId = (await createSurvey(world.collector, { name: 'Quiet survey' })).id
  })

  const openBreakdown = async (page: Page, query: string) => {
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/breakdown?${query}`)
  }

  it('shows, per agent, the NPS, n, interval, precision and verdict the API answers for the same period', async () => {
    const page = await world.newPage()
    await openBreakdown(page, `${p.page}&by=metadata.agent`)
    const api = await admin<{ groups: Group[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/breakdown?by=metadata.agent&${p.api}`,
    )
    expect(api.groups.length).toBe(6)
    expect(api.groups.every((g) => g.total > 10)).toBe(true)
    expect(await rows(page)).toEqual(api.groups.map(expectedRow))
    expect(await page.getByRole('heading', { name: 'NPS by agent (metadata)' }).count()).toBe(1)
  })

  it('shows the same rows as the API by device with a segment filter, and marks imprecise groups in words', async () => {
    const page = await world.newPage()
    await openBreakdown(page, `${p.page}&by=device&segment.plan=pro&latest=true`)
    const api = await admin<{ groups: Group[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/breakdown?by=device&${p.api}&segment.plan=pro&latestPerRespondent=true`,
    )
    expect(api.groups.map((g) => g.value).sort()).toEqual(['desktop', 'mobile', 'tablet'])
    expect(await rows(page)).toEqual(api.groups.map(expectedRow))
    // Locale on a narrow slice has groups too small to trust: the page says so in words.
    const byLocale = await admin<{ groups: Group[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/breakdown?by=locale&${p.api}&segment.plan=pro&latestPerRespondent=true&path=/help`,
    )
    expect(byLocale.groups.some((g) => g.lowSample)).toBe(true)
    await openView(
      page,
      world.collector,
      `/dashboard/surveys/${surveyId}/breakdown?${p.page}&segment.plan=pro&latest=true&path=/help`,
    )
    const shown = await rows(page)
    expect(shown).toEqual(byLocale.groups.map(expectedRow))
    expect(shown.some((r) => r.sample === 'low precision')).toBe(true)
  })

  it('offers every metadata key the answers carry, beside locale, path and device', async () => {
    const page = await world.newPage()
    await openBreakdown(page, p.page)
    const options = await page
      .getByLabel('Break down by')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    const keys = await admin<{ keys: string[] }>(world.collector, `/v1/surveys/${surveyId}/metadata-keys`)
    expect(keys.keys).toEqual(['agent', 'plan'])
    expect(options).toEqual(['locale', 'path', 'device', 'metadata.agent', 'metadata.plan'])
  })

  it('sorts by each header as it says, marks the sorted one with aria-sort and keeps the sort in the URL', async () => {
    const page = await world.newPage()
    await openBreakdown(page, `${p.page}&by=metadata.agent`)
    const api = await admin<{ groups: Group[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/breakdown?by=metadata.agent&${p.api}`,
    )
    const header = (name: RegExp) => page.getByRole('button', { name })
    const sortedHeader = () =>
      page
        .locator('th[aria-sort]')
        .evaluateAll((ths) => ths.map((th) => [th.textContent, th.getAttribute('aria-sort')]))
    // NPS, answers and the interval sort on the server: read the rows once the new page has come.
    const values = async () => {
      await waitForIdle(page)
      return (await rows(page)).map((r) => r.value)
    }
    const order = (compare: (a: Group, b: Group) => number) =>
      [...api.groups].sort(compare).map((g) => g.value)

    // Largest group first by default, as the API answers.
    expect(await values()).toEqual(api.groups.map((g) => g.value))
    expect(await sortedHeader()).toEqual([['Answers▼', 'descending']])

    await header(/^NPS/).click()
    await page.waitForURL(/sort=nps&dir=desc/)
    expect(await values()).toEqual(order((a, b) => b.nps! - a.nps!))
    expect(await sortedHeader()).toEqual([['NPS▼', 'descending']])
    await header(/^NPS/).click()
    await page.waitForURL(/sort=nps&dir=asc/)
    expect(await values()).toEqual(order((a, b) => a.nps! - b.nps!))

    await header(/^Group/).click()
    await page.waitForURL(/sort=value&dir=asc/)
    expect(await values()).toEqual(['agent-0', 'agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5'])
    await header(/^Group/).click()
    expect(await values()).toEqual(['agent-5', 'agent-4', 'agent-3', 'agent-2', 'agent-1', 'agent-0'])

    await header(/^95% interval/).click()
    await page.waitForURL(/sort=low&dir=desc/)
    expect(await values()).toEqual(order((a, b) => b.ci95![0] - a.ci95![0]))
    expect(await sortedHeader()).toEqual([['95% interval, sorted by its lower end▼', 'descending']])

    // The sort is in the URL: the same address, opened afresh, shows the same order.
    const sortedValues = await values()
    const again = await world.newPage()
    await signIn(again, world.collector)
    const url = new URL(page.url())
    await openView(again, world.collector, url.pathname + url.search)
    expect((await rows(again)).map((r) => r.value)).toEqual(sortedValues)
  })

  it('finds the planted better and worse agents, ranks the fair way and pages through 131 groups', async () => {
    // 30 agents: agent-a and agent-b clearly better, agent-y and agent-z clearly worse, the rest alike,
    // a newcomer with 8 perfect answers (big, imprecise), and 100 one-answer agents to page through.
    const planted = (await createSurvey(world.collector, { name: 'Agents' })).id
    const at = new Date(Date.now() - 3 * 86_400_000).toISOString()
    const lines: string[] = []
    const add = (agent: string, scores: [number, number][]) => {
      for (const [score, n] of scores)
        for (let i = 0; i < n; i++)
          lines.push(JSON.stringify({ id: crypto.randomUUID(), score, createdAt: at, metadata: { agent } }))
    }
    for (let i = 0; i < 26; i++)
      add(`agent-${String(i).padStart(2, '0')}`, [
        [10, 150],
        [7, 90],
        [3, 60],
      ])
    for (const agent of ['agent-a', 'agent-b'])
      add(agent, [
        [10, 240],
        [7, 40],
        [3, 20],
      ])
    for (const agent of ['agent-y', 'agent-z'])
      add(agent, [
        [10, 60],
        [7, 90],
        [3, 150],
      ])
    add('agent-new', [[10, 8]])
    for (let i = 0; i < 100; i++) add(`one-${String(i).padStart(3, '0')}`, [[8, 1]])
    await admin(world.collector, `/v1/surveys/${planted}/responses/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    })
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(
      page,
      world.collector,
      `/dashboard/surveys/${planted}/breakdown?by=metadata.agent&sort=low`,
    )
    const shown = await rows(page)
    const api = await admin<{ groups: Group[]; groupCount: number; next: number | null }>(
      world.collector,
      `/v1/surveys/${planted}/nps/breakdown?by=metadata.agent&sort=lower&order=desc&limit=100`,
    )
    expect(api.groupCount).toBe(131)
    expect(shown).toEqual(api.groups.map(expectedRow))
    // The fair sort: the clearly better come first, the 8 perfect answers after them, not on top.
    const values = (rs: typeof shown) => rs.map((r) => r.value)
    expect(values(shown.slice(0, 2)).sort()).toEqual(['agent-a', 'agent-b'])
    expect(shown[2]!.value).toBe('agent-new')
    const called = (rs: typeof shown, verdict: string) =>
      values(rs.filter((r) => r.verdict === verdict)).sort()
    expect(called(shown, 'above the rest')).toEqual(['agent-a', 'agent-b'])
    expect(called(shown, 'below the rest')).toEqual(['agent-y', 'agent-z'])
    expect(shown.find((r) => r.value === 'agent-new')).toMatchObject({
      verdict: 'no clear difference',
      sample: 'low precision',
    })
    expect(await page.locator('.pager-range').textContent()).toBe('Groups 1–100 of 131')
    const title = await page.locator('td.verdict .verdict-word').first().getAttribute('title')
    expect(title).toMatch(/after correcting for the groups compared/)
    await screenshot(page, 'breakdown-verdicts')

    await page.getByRole('button', { name: 'Next 100' }).click()
    await page.waitForURL(/offset=100/)
    await waitForIdle(page)
    const second = await rows(page)
    expect(await page.locator('.pager-range').textContent()).toBe('Groups 101–131 of 131')
    // The last page: one-answer agents, lowest lower ends, each imprecise and no clear difference.
    expect(second).toHaveLength(31)
    expect(second.every((r) => r.verdict === 'no clear difference' && r.sample === 'low precision')).toBe(
      true,
    )
    expect(await page.getByRole('button', { name: 'Next 100' }).count()).toBe(0)
  })

  it('adds a group to the global filters when its name is selected, and every view keeps it', async () => {
    const page = await world.newPage()
    await openBreakdown(page, `${p.page}&by=metadata.agent`)
    expect(await page.locator('.breakdown .hint').textContent()).toContain('filter every view')
    await page.getByRole('button', { name: /^agent-3: filter every view to agent = agent-3/ }).click()
    await page.waitForURL(/segment\.agent=agent-3/)
    await waitForIdle(page)
    expect(await page.locator('.active-filters').textContent()).toContain('agent = agent-3')
    const shown = await rows(page)
    expect(shown.map((r) => r.value)).toEqual(['agent-3'])
    expect(await page.locator('tbody th .badge').textContent()).toBe('filtered')

    await page.getByLabel('Break down by').selectOption('device')
    await page.waitForURL(/by=device/)
    await waitForIdle(page)
    const api = await admin<{ groups: Group[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/nps/breakdown?by=device&${p.api}&segment.agent=agent-3`,
    )
    await expect.poll(() => rows(page)).toEqual(api.groups.map(expectedRow))
    await page.getByRole('button', { name: /^mobile: filter every view to device mobile/ }).click()
    await page.waitForURL(/device=mobile/)
    expect(page.url()).toContain('segment.agent=agent-3')
    // The tabs carry the filters to the other views.
    const tab = page.getByRole('link', { name: 'Responses' })
    expect(await tab.getAttribute('href')).toMatch(
      /device=mobile.*segment\.agent=agent-3|segment\.agent=agent-3.*device=mobile/,
    )
  })

  for (const look of LOOKS) {
    it(`shows the breakdown without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await openBreakdown(page, `${p.page}&by=metadata.agent&sort=nps`)
      await expectAccessible(page, `breakdown, ${look.name}`)
      await screenshot(page, `breakdown-${look.name}`)
    })
  }

  const openThemes = async (page: Page, query: string, id = surveyId) => {
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${id}/themes?${query}`)
  }
  const terms = (page: Page) =>
    page.locator('.theme').evaluateAll((items) =>
      items.map((li) => ({
        term: li.querySelector('.term')!.textContent,
        count: li.querySelector('.count')!.textContent,
        share: li.querySelector('.share')!.textContent,
        lift: li.querySelector('.lift')!.textContent,
        impact: li.querySelector('.impact')!.textContent,
      })),
    )
  const expectedTerms = (themes: Themes, plural: string) =>
    themes.terms.map((t) => ({
      term: t.label,
      count: `${count(t.count)} comment${t.count === 1 ? '' : 's'}`,
      share: new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 }).format(t.share),
      lift: `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(t.lift)}× more common in ${plural}’ comments than in other comments`,
      impact: impactText(t.impact, t.impactCi95),
    }))
  const impactText = (impact: number | null, ci: number[] | null) => {
    if (impact === null || !ci) return 'impact unknown: every answer or none mentions it'
    const f = (n: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(n)
    const sign = impact <= 0 ? -1 : 1
    const [a, b] = [sign * ci[0]!, sign * ci[1]!].sort((x, y) => x - y)
    return `${impact <= 0 ? 'costs' : 'adds'} ${f(Math.abs(impact))} NPS points (95%: ${f(a!)} to ${f(b!)})`
  }

  it('shows the terms the API finds in each category, the category in the URL', async () => {
    const page = await world.newPage()
    await openThemes(page, `${p.page}&device=desktop`)
    const detractors = await admin<Themes>(
      world.collector,
      `/v1/surveys/${surveyId}/themes?category=detractor&${p.api}&device=desktop`,
    )
    expect(detractors.terms.length).toBeGreaterThan(3)
    expect(await terms(page)).toEqual(expectedTerms(detractors, 'detractors'))
    expect(await page.getByRole('link', { name: 'Detractors' }).getAttribute('aria-current')).toBe('true')

    await page.getByRole('link', { name: 'Promoters' }).click()
    await page.waitForURL(/category=promoter/)
    const promoters = await admin<Themes>(
      world.collector,
      `/v1/surveys/${surveyId}/themes?category=promoter&${p.api}&device=desktop`,
    )
    await expect.poll(() => terms(page)).toEqual(expectedTerms(promoters, 'promoters'))
    expect(await page.getByRole('link', { name: 'Promoters' }).getAttribute('aria-current')).toBe('true')
    expect(await page.locator('.basis').textContent()).toContain(
      `From ${count(promoters.comments)} promoter comments`,
    )
  })

  it('shows a term’s examples as the API answers them, and reads its weekly trend only when asked', async () => {
    const page = await world.newPage()
    await openThemes(page, p.page)
    const themes = await admin<Themes>(
      world.collector,
      `/v1/surveys/${surveyId}/themes?category=detractor&${p.api}`,
    )
    const asked: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/themes/trend?')) asked.push(r.url())
    })
    expect(await page.locator('.example-list').count()).toBe(0)
    for (const [i, { term, examples }] of themes.terms.slice(0, 3).entries()) {
      const item = page.locator('.theme').nth(i)
      const toggle = item.getByRole('button', { name: 'Show examples' })
      expect(await toggle.getAttribute('aria-expanded')).toBe('false')
      await toggle.click()
      await item.locator('.theme-trend tbody tr').first().waitFor()
      await waitForIdle(page)
      expect(await item.getByRole('button', { name: 'Hide examples' }).getAttribute('aria-expanded')).toBe(
        'true',
      )
      const shown = await item.locator('.example-list blockquote').allTextContents()
      expect(shown.length).toBeGreaterThan(0)
      expect(shown).toEqual(examples)
      const trend = await admin<{ points: { mentions: number }[] }>(
        world.collector,
        `/v1/surveys/${surveyId}/themes/trend?theme=${encodeURIComponent(term)}&interval=week&${p.api}`,
      )
      const mentions = await item.locator('.theme-trend tbody tr td:nth-child(2)').allTextContents()
      expect(mentions).toEqual(trend.points.slice(-12).map((point) => count(point.mentions)))
    }
    expect(asked).toHaveLength(3)
  })

  it('says what to do when a category has no comments', async () => {
    const page = await world.newPage()
    await openThemes(page, 'period=all', emptyId)
    expect(
      await page.getByRole('heading', { name: 'No comments from detractors in this period' }).count(),
    ).toBe(1)
    expect(await page.locator('.state.empty').textContent()).toContain('follow-up question')
    await expectAccessible(page, 'themes, empty')
  })

  for (const look of LOOKS) {
    it(`shows the themes without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await openThemes(page, p.page)
      await page.locator('.theme').first().getByRole('button', { name: 'Show examples' }).click()
      await page.locator('.theme-trend').first().waitFor()
      await waitForIdle(page)
      await expectAccessible(page, `themes, ${look.name}`)
      await screenshot(page, `themes-${look.name}`)
    })
  }
})
