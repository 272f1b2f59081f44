/**
 * The responses view on a seeded survey, in a real Chromium against a real collector: the list shows
 * what `/responses` answers, newest first, for the same period and filters — category, score, a typed
 * search (asked once typing pauses, not per key), a segment —, "Load more" brings the next page by its
 * cursor, and the export links download CSV and NDJSON files whose rows are the API's for the same
 * filters. Every answer shows its score with the category in words, the whole comment, the time in the
 * chosen zone and what it was stored with, its source (widget, link, api, import) included. Checked with
 * axe and photographed in light, dark and 390 px.
 */
import { readFileSync } from 'node:fs'
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

interface Listed {
  items: {
    id: string
    createdAt: string
    score: number
    category: string
    comment: string | null
    respondentId: string | null
    locale: string | null
    device: string | null
    source: string | null
    path: string | null
    metadata: Record<string, string> | null
  }[]
  nextCursor: string | null
}

/** The list as a reader sees it: each answer's id, score, category word and comment. */
async function shown(page: Page) {
  return page.locator('.response').evaluateAll((items) =>
    items.map((li) => ({
      id: li.querySelector('.detail:last-child dd')!.textContent,
      score: li.querySelector('.score .value')!.textContent,
      category: li.querySelector('.score .words')!.textContent,
      comment: li.querySelector('.comment')!.textContent,
    })),
  )
}

const expected = (page: Listed) =>
  page.items.map((r) => ({
    id: r.id,
    score: String(r.score),
    category: r.category[0]!.toUpperCase() + r.category.slice(1),
    comment: r.comment || 'No comment',
  }))

describe.skipIf(!requireChromium())('the dashboard: responses and exports', () => {
  const world = useWorld()
  let surveyId = ''
  const base = 'period=all&tz=UTC'
  const list = (query: string) =>
    admin<Listed>(world.collector, `/v1/surveys/${surveyId}/responses?order=newest&limit=25&tz=UTC&${query}`)

  beforeAll(async () => {
    surveyId = (await createSurvey(world.collector, { name: 'Shop checkout' })).id
    await seedAnswers(world.collector, surveyId, { count: 400, days: 60 })
  })

  const open = async (page: Page, query: string) => {
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/responses?${query}`)
  }

  it('lists the newest answers first, as the API does, each with its details and the time in the chosen zone', async () => {
    const page = await world.newPage()
    await open(page, 'period=all&tz=Asia/Tokyo')
    const api = await list('')
    expect(api.items).toHaveLength(25)
    expect(await shown(page)).toEqual(expected(api))
    const first = api.items[0]!
    const item = page.locator('.response').first()
    const detail = async (term: string) =>
      item
        .locator('.detail', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) })
        .locator('dd')
        .textContent()
    expect(await detail('Locale')).toBe(first.locale)
    expect(await detail('Device')).toBe(first.device)
    expect(await detail('Source')).toBe(first.source)
    expect(await detail('Page')).toBe(first.path)
    expect(await detail('Respondent')).toBe(first.respondentId)
    expect(await detail('plan')).toBe(first.metadata!.plan)
    expect(await detail('agent')).toBe(first.metadata!.agent)
    const time = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Tokyo',
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date(first.createdAt))
    expect(await item.locator('time').textContent()).toBe(time)
    expect(await item.locator('time').getAttribute('datetime')).toBe(first.createdAt)
  })

  it('narrows by category and score from the URL and by the controls, as the API does for the same query', async () => {
    const page = await world.newPage()
    await open(page, `${base}&category=detractor`)
    expect(await shown(page)).toEqual(expected(await list('category=detractor')))
    await page.getByLabel('Score').selectOption('3')
    await page.waitForURL(/score=3/)
    const three = await list('category=detractor&minScore=3&maxScore=3')
    expect(three.items.length).toBeGreaterThan(5)
    await expect.poll(() => shown(page)).toEqual(expected(three))
    expect((await shown(page)).every((r) => r.score === '3' && r.category === 'Detractor')).toBe(true)
    await page.getByLabel('Category').selectOption('promoter')
    await page.waitForURL(/category=promoter/)
    await waitForIdle(page)
    // Promoters score 9 or 10: none scored 3, and the page says what to change.
    expect(await page.getByRole('heading', { name: 'No answers match' }).count()).toBe(1)
    await page.getByLabel('Score').selectOption('')
    await expect.poll(() => shown(page)).toEqual(expected(await list('category=promoter')))
  })

  it('searches comments once typing pauses, not on every key, and shows what the API finds', async () => {
    const page = await world.newPage()
    await open(page, base)
    const asked: string[] = []
    page.on('request', (r) => {
      if (r.url().includes('/responses?')) asked.push(new URL(r.url()).searchParams.get('q') ?? '')
    })
    await page.getByLabel('Search comments').pressSequentially('CHECKOUT', { delay: 40 })
    await page.waitForURL(/q=CHECKOUT/)
    const api = await list('q=CHECKOUT')
    expect(api.items.length).toBeGreaterThan(5)
    await expect.poll(() => shown(page)).toEqual(expected(api))
    for (const r of await shown(page)) expect(r.comment.toLowerCase()).toContain('checkout')
    expect(asked).toEqual(['CHECKOUT'])
    // A search that finds nothing says so; the field can be cleared at once with Enter.
    await page.getByLabel('Search comments').fill('no such words anywhere')
    await page.getByLabel('Search comments').press('Enter')
    await page.waitForURL(/q=no\+such/)
    await waitForIdle(page)
    expect(await page.getByRole('heading', { name: 'No answers match' }).count()).toBe(1)
  })

  it('keeps the global segment and device filters, and loads the next page by its cursor', async () => {
    const page = await world.newPage()
    await open(page, `${base}&segment.plan=pro&device=desktop`)
    const first = await list('segment.plan=pro&device=desktop')
    expect(first.nextCursor).not.toBeNull()
    expect(await shown(page)).toEqual(expected(first))
    const second = await list(`segment.plan=pro&device=desktop&cursor=${first.nextCursor}`)
    await page.getByRole('button', { name: 'Load 25 more' }).click()
    await expect.poll(async () => (await shown(page)).length).toBe(first.items.length + second.items.length)
    expect(await shown(page)).toEqual([...expected(first), ...expected(second)])
    expect(new Set((await shown(page)).map((r) => r.id)).size).toBe(50)
    expect(await page.locator('.shown').textContent()).toContain('50 answers shown')
  })

  it('downloads CSV and NDJSON of exactly the current filters, named by the collector, rows as the API exports them', async () => {
    const page = await world.newPage({ acceptDownloads: true })
    const filters = 'category=detractor&q=e&segment.plan=pro'
    await open(page, `${base}&${filters}`)
    const all: string[] = []
    for (let cursor = ''; ; ) {
      const got = await admin<Listed>(
        world.collector,
        `/v1/surveys/${surveyId}/responses?order=newest&tz=UTC&limit=1000&${filters}${cursor}`,
      )
      all.push(...got.items.map((r) => r.id))
      if (!got.nextCursor) break
      cursor = `&cursor=${got.nextCursor}`
    }
    expect(all.length).toBeGreaterThan(10)
    for (const format of ['csv', 'ndjson'] as const) {
      const link = page.getByRole('link', { name: `Export ${format.toUpperCase()}` })
      const href = new URL((await link.getAttribute('href'))!, world.collector.url)
      expect(Object.fromEntries(href.searchParams)).toEqual({
        tz: 'UTC',
        order: 'newest',
        category: 'detractor',
        q: 'e',
        'segment.plan': 'pro',
        format,
      })
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
      expect(download.suggestedFilename()).toBe(`${surveyId}-responses.${format}`)
      const text = readFileSync((await download.path())!, 'utf8')
      // The file is the API's own export of the same query, to the byte.
      const api = await fetch(href, { headers: { authorization: `Bearer ${world.collector.adminKey}` } })
      expect(text).toBe(await api.text())
      const lines = text.trimEnd().split('\n')
      const ids =
        format === 'ndjson'
          ? lines.map((line) => (JSON.parse(line) as { id: string }).id)
          : lines.slice(1).map((line) => line.split(',')[0])
      expect(ids).toEqual(all)
    }
    // The page stayed where it was.
    expect(new URL(page.url()).pathname).toBe(`/dashboard/surveys/${surveyId}/responses`)
  })

  it('says how to start when the survey has no answers yet', async () => {
    const { id } = await createSurvey(world.collector, { name: 'New and quiet' })
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${id}/responses?period=all`)
    expect(await page.getByRole('heading', { name: 'No answers in this period' }).count()).toBe(1)
    expect(await page.locator('.state.empty').textContent()).toContain('snippet')
    await expectAccessible(page, 'responses, empty')
  })

  for (const look of LOOKS) {
    it(`shows the responses without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await open(page, `${base}&category=detractor`)
      await expectAccessible(page, `responses, ${look.name}`)
      await screenshot(page, `responses-${look.name}`)
    })
  }
})
