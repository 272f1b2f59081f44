/**
 * The accounts view in a real Chromium against a real collector: on a survey with 40 healthy accounts
 * and one whose champion went from promoter to detractor among detractor-heavy answers, the at-risk
 * account is listed first with its status, NPS ± margin and n as `/accounts` answers them; selecting it
 * opens its history, every answer in order, with the fall marked. Checked with axe and photographed.
 */
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { requireChromium } from '../harness/chromium.ts'
import { expectAccessible, openView, screenshot, signIn, waitForIdle } from '../harness/dashboard.ts'
import { useWorld } from '../harness/suite.ts'

interface Account {
  account: string
  status: string
  nps: number | null
  marginOfError: number | null
  n: number
}

const DAY = 86_400_000
const nps = (n: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(n)

describe.skipIf(!requireChromium())('the dashboard: accounts', () => {
  const world = useWorld()
  let surveyId = ''

  beforeAll(async () => {
    surveyId = (await createSurvey(world.collector, { name: 'B2B accounts', accounts: { key: 'accountId' } }))
      .id
    const now = Date.now()
    const lines: string[] = []
    const add = (accountId: string, daysAgo: number, score: number, respondentId: string | null) =>
      lines.push(
        JSON.stringify({
          id: randomUUID(),
          score,
          createdAt: new Date(now - daysAgo * DAY).toISOString(),
          respondentId,
          comment: score <= 6 ? 'invoices keep failing' : null,
          metadata: { accountId },
        }),
      )
    for (let i = 0; i < 40; i++) {
      for (let k = 0; k < 6; k++)
        add(`account-${String(i).padStart(2, '0')}`, 5 + k * 7, k % 3 ? 9 : 10, null)
    }
    add('globex', 40, 10, 'champion@globex')
    add('globex', 10, 2, 'champion@globex')
    for (let k = 0; k < 8; k++) add('globex', 20 - k, 4, null)
    await admin(world.collector, `/v1/surveys/${surveyId}/responses/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: lines.join('\n'),
    })
  })

  it('lists the at-risk account first and opens its history with the fall marked', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/accounts`)
    const first = page.locator('table.accounts-table tbody tr').first()
    expect(await first.locator('th').textContent()).toBe('globex')
    expect(await first.locator('.badge').first().textContent()).toBe('at risk')
    const rows = await page.locator('table.accounts-table tbody tr').count()
    expect(rows).toBe(41)
    expect(await page.locator('table.accounts-table tbody tr[data-status="at risk"]').count()).toBe(1)

    // The row's figures are the API's for the same period (the view's default, the last 90 days).
    const api = await admin<{ items: Account[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/accounts?limit=1&from=${new Date(Date.now() - 89 * DAY).toISOString().slice(0, 10)}`,
    )
    const globex = api.items[0]!
    expect(globex).toMatchObject({ account: 'globex', status: 'at risk', n: 10 })
    expect(await first.locator('td.num').first().textContent()).toBe(
      `${nps(globex.nps!)} ± ${nps(globex.marginOfError!)}`,
    )

    await page.getByRole('button', { name: 'globex' }).click()
    await waitForIdle(page)
    expect(page.url()).toContain('account=globex')
    const history = page.locator('ol.history li')
    expect(await history.count()).toBe(10)
    expect(await history.first().locator('.score').textContent()).toBe('10 · promoter')
    const fell = page.locator('ol.history li.moved.down')
    expect(await fell.count()).toBe(1)
    expect(await fell.locator('.change').textContent()).toBe('↓ from promoter')
    expect(await fell.locator('.who').textContent()).toBe('champion@globex')
    await expectAccessible(page, 'accounts with a history open')
    await screenshot(page, 'accounts')
  })
})
