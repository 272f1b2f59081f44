/**
 * Following up answers from the dashboard, in a real Chromium against a real collector: the cases inbox
 * lists what `/cases` answers for the same period and filters (status, assignee or nobody, overdue,
 * category, all in the URL) under the follow-up figures `/cases/figures` gives; a case opens at the
 * address the collector's emails link to, shows its answer, changes status with one click, takes an
 * assignee, due time, tags and notes, shows the API's refusal beside the field it names, and writes
 * each change into the log it shows. A read key sees cases and webhooks with no control that changes
 * them. The webhooks view makes an endpoint on a loopback receiver (its secret shown once), pings it,
 * shows the ping in the delivery log with its attempts and payload, disables and deletes it. Checked
 * with axe and photographed in light, dark and at 390 px.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, createSurvey } from '../harness/api.ts'
import { requireChromium } from '../harness/chromium.ts'
import {
  createKey,
  expectAccessible,
  LOOKS,
  openView,
  screenshot,
  seedAnswers,
  signIn,
  waitForIdle,
} from '../harness/dashboard.ts'
import { useWorld } from '../harness/suite.ts'

interface Case {
  id: string
  surveyId: string
  responseId: string
  status: string
  assignee: string | null
  dueAt: string | null
  overdue: boolean
  tags: string[]
  score: number
  category: string
}
interface CaseWithLog extends Case {
  response: { comment: string | null } | null
  log: { at: string; actor: string; kind: string; note: string | null; from: unknown; to: unknown }[]
}
interface Answer {
  id: string
  score: number
  comment: string | null
}

const HOUR = 3_600_000

/** A loopback receiver that answers 204 and keeps what it was sent: each request's webhook-id and body. */
async function startReceiver(): Promise<{
  url: string
  received: { id: string; body: string }[]
  close(): Promise<void>
}> {
  const received: { id: string; body: string }[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      received.push({ id: String(req.headers['webhook-id']), body })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/npskit`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

describe.skipIf(!requireChromium())('the dashboard: cases and webhooks', () => {
  // The receiver is on loopback: the collector lets webhooks go there only when told to.
  const world = useWorld({ collector: { env: { NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'true' } } })
  let surveyId = ''
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  const cases: Case[] = []
  const base = 'period=all&tz=UTC'

  const listCases = (query: string) =>
    admin<{ items: Case[]; nextCursor: string | null }>(
      world.collector,
      `/v1/surveys/${surveyId}/cases?tz=UTC&limit=25&${query}`,
    )
  const readCase = (id: string) => admin<CaseWithLog>(world.collector, `/v1/cases/${id}`)

  beforeAll(async () => {
    receiver = await startReceiver()
    surveyId = (await createSurvey(world.collector, { name: 'Shop checkout' })).id
    await seedAnswers(world.collector, surveyId, { count: 300, days: 60 })
    const detractors = await admin<{ items: Answer[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/responses?category=detractor&order=newest&limit=30`,
    )
    // Answers with a comment first: a case is read for what the customer wrote.
    detractors.items.sort((a, b) => Number(!a.comment) - Number(!b.comment))
    const passive = await admin<{ items: Answer[] }>(
      world.collector,
      `/v1/surveys/${surveyId}/responses?category=passive&order=newest&limit=1`,
    )
    const plans = [
      {
        assignee: 'dana@shop.example',
        dueAt: new Date(Date.now() - 5 * HOUR).toISOString(),
        tags: ['billing'],
      },
      { assignee: 'dana@shop.example', dueAt: new Date(Date.now() + 48 * HOUR).toISOString() },
      { assignee: 'lee@shop.example', dueAt: new Date(Date.now() - 2 * HOUR).toISOString() },
      { assignee: 'lee@shop.example' },
      {},
      { tags: ['shipping', 'refund'] },
    ]
    const answers = [...detractors.items.slice(0, plans.length - 1), passive.items[0]!]
    for (const [i, answer] of answers.entries()) {
      cases.push(
        await admin<Case>(world.collector, `/v1/surveys/${surveyId}/cases`, {
          method: 'POST',
          body: JSON.stringify({ responseId: answer.id, ...plans[i] }),
        }),
      )
    }
    // The survey's endpoint, pinged once, for the webhooks view to show with a delivery.
    const endpoint = await admin<{ id: string }>(world.collector, '/v1/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: receiver.url, surveyId, description: 'Support inbox' }),
    })
    await admin(world.collector, `/v1/webhooks/${endpoint.id}/test`, { method: 'POST' })
    // One case is resolved already, so the figures have a resolution time.
    await admin(world.collector, `/v1/cases/${cases[3]!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'resolved' }),
    })
  })
  afterAll(async () => {
    await receiver?.close()
  })

  /** The inbox as a reader sees it: each row's case id (from its link), status, score and assignee. */
  const rows = (page: Page) =>
    page.locator('table.case-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: decodeURIComponent(
          new URL((tr.querySelector('td.excerpt a') as HTMLAnchorElement).href).pathname.split('/').pop()!,
        ),
        status: tr.querySelector('td[data-label="Status"]')!.textContent,
        score: tr.querySelector('.score .value')!.textContent,
        assignee: tr.querySelector('td[data-label="Assignee"]')!.textContent,
        overdue: tr.classList.contains('overdue'),
      })),
    )
  const expected = (items: Case[]) =>
    items.map((c) => ({
      id: c.id,
      status: c.status[0]!.toUpperCase() + c.status.slice(1),
      score: String(c.score),
      assignee: c.assignee ?? 'nobody',
      overdue: c.overdue,
    }))

  it('lists the cases as the API does, the most recently opened first, and narrows them from the URL and the filters', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases?survey=${surveyId}&${base}`)
    expect(await page.getByRole('link', { name: 'Cases', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    )
    const all = await listCases('')
    expect(all.items).toHaveLength(cases.length)
    expect(await rows(page)).toEqual(expected(all.items))
    expect((await rows(page)).filter((r) => r.overdue)).toHaveLength(2)

    await page.getByLabel('Only overdue').check()
    await page.waitForURL(/overdue=true/)
    await waitForIdle(page)
    const overdue = await listCases('overdue=true')
    expect(overdue.items).toHaveLength(2)
    expect(await rows(page)).toEqual(expected(overdue.items))

    await openView(
      page,
      world.collector,
      `/dashboard/cases?survey=${surveyId}&${base}&assignee=lee%40shop.example`,
    )
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe('lee@shop.example')
    expect(await rows(page)).toEqual(expected((await listCases('assignee=lee%40shop.example')).items))

    await page.getByLabel('Assigned to nobody').check()
    await page.waitForURL(/unassigned=true/)
    await waitForIdle(page)
    expect(page.url()).not.toContain('assignee=')
    expect(await rows(page)).toEqual(expected((await listCases('unassigned=true')).items))

    await openView(page, world.collector, `/dashboard/cases?survey=${surveyId}&${base}`)
    await page.getByRole('checkbox', { name: 'Resolved' }).check()
    await page.waitForURL(/status=resolved/)
    await waitForIdle(page)
    expect(await rows(page)).toEqual(expected((await listCases('status=resolved')).items))
    await page.getByLabel('Category').selectOption('passive')
    await page.waitForURL(/category=passive/)
    await waitForIdle(page)
    // The one passive case is open, not resolved: nothing matches, and the page says so.
    expect(await page.getByRole('heading', { name: 'No cases match' }).count()).toBe(1)
  })

  it('brings the next page of cases with “Load more”, by the cursor the API gives', async () => {
    const survey = (await createSurvey(world.collector, { name: 'Many cases' })).id
    await seedAnswers(world.collector, survey, { count: 60, days: 20, seed: 7 })
    const answers = await admin<{ items: Answer[] }>(
      world.collector,
      `/v1/surveys/${survey}/responses?order=newest&limit=30`,
    )
    for (const answer of answers.items) {
      await admin(world.collector, `/v1/surveys/${survey}/cases`, {
        method: 'POST',
        body: JSON.stringify({ responseId: answer.id }),
      })
    }
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases?survey=${survey}&${base}`)
    const first = await admin<{ items: Case[]; nextCursor: string }>(
      world.collector,
      `/v1/surveys/${survey}/cases?tz=UTC&limit=25`,
    )
    expect(await rows(page)).toEqual(expected(first.items))
    await page.getByRole('button', { name: 'Load 25 more' }).click()
    await page.getByText('30 cases shown, the most recently opened first: that is all of them').waitFor()
    const rest = await admin<{ items: Case[]; nextCursor: string | null }>(
      world.collector,
      `/v1/surveys/${survey}/cases?tz=UTC&limit=25&cursor=${encodeURIComponent(first.nextCursor)}`,
    )
    expect(rest.nextCursor).toBeNull()
    expect(await rows(page)).toEqual(expected([...first.items, ...rest.items]))
    expect(await page.getByRole('button', { name: 'Load 25 more' }).count()).toBe(0)
  })

  it('shows the follow-up figures the API gives for the period, overall and per assignee', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases?survey=${surveyId}&${base}`)
    const figures = await admin<{
      detractors: { answers: number; withCase: number }
      overall: { overdue: number; cases: number }
      byAssignee: { assignee: string | null; figures: { cases: number; overdue: number } }[]
    }>(world.collector, `/v1/surveys/${surveyId}/cases/figures?tz=UTC`)
    const figure = (term: string) =>
      page
        .locator('.figure', { has: page.locator('dt', { hasText: term }) })
        .locator('dd')
        .textContent()
    expect(await figure('Detractors with a case')).toContain(
      `${figures.detractors.withCase} of ${figures.detractors.answers}`,
    )
    expect(await figure('Overdue')).toContain(String(figures.overall.overdue))
    expect(figures.overall.overdue).toBe(2)
    const table = await page.locator('table.assignees tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        assignee: tr.querySelector('th')!.textContent,
        cases: tr.querySelectorAll('td')[0]!.textContent,
        overdue: tr.querySelectorAll('td')[8]!.textContent,
      })),
    )
    expect(table).toEqual(
      figures.byAssignee.map((a) => ({
        assignee: a.assignee ?? 'nobody',
        cases: String(a.figures.cases),
        overdue: String(a.figures.overdue),
      })),
    )
  })

  it('opens a case where the emails link, changes its status, assignee and tags, adds a note, and shows each change in the log', async () => {
    const target = cases[4]!
    const page = await world.newPage()
    await signIn(page, world.collector)
    const inbox = `/dashboard/cases?survey=${surveyId}&${base}&status=open`
    await openView(page, world.collector, inbox)
    await page.locator(`a[href^="/dashboard/cases/${target.id}?"]`).click()
    await page.waitForURL(new RegExp(`/dashboard/cases/${target.id}\\?survey=${surveyId}`))
    await waitForIdle(page)
    const before = await readCase(target.id)
    expect(await page.locator('.answer .comment').textContent()).toBe(
      before.response!.comment ?? 'No comment',
    )
    expect(await page.locator('.case-log li').count()).toBe(before.log.length)

    // Typed before a status click, and still there after it: a status change keeps what is being typed.
    await page.getByLabel('Assignee', { exact: true }).fill('sam@shop.example')
    await page.getByRole('button', { name: 'Mark contacted' }).click()
    await page.getByRole('status').filter({ hasText: 'Status changed to Contacted.' }).waitFor()
    expect((await readCase(target.id)).status).toBe('contacted')
    expect(await page.locator('.status-panel .badge').textContent()).toBe('Contacted')
    expect(await page.getByLabel('Assignee', { exact: true }).inputValue()).toBe('sam@shop.example')

    await page.getByLabel('Tags', { exact: true }).fill('callback, billing, callback')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Saved: assignee, tags.' }).waitFor()
    const saved = await readCase(target.id)
    expect(saved.assignee).toBe('sam@shop.example')
    expect(saved.tags).toEqual(['callback', 'billing'])
    expect(await page.getByLabel('Tags', { exact: true }).inputValue()).toBe('callback, billing')

    await page.getByLabel('Note', { exact: true }).fill('Called back: the refund is on its way.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByRole('status').filter({ hasText: 'Note added to the log.' }).waitFor()
    expect(await page.getByLabel('Note', { exact: true }).inputValue()).toBe('')

    const after = await readCase(target.id)
    expect(after.log.map((e) => e.kind)).toEqual([
      ...before.log.map((e) => e.kind),
      'status',
      'assignee',
      'tags',
      'note',
    ])
    const actor = after.log.at(-1)!.actor
    const log = await page.locator('.case-log li .log-what').allTextContents()
    expect(log.slice(-4)).toEqual([
      `${actor} changed the status from Open to Contacted`,
      `${actor} assigned the case to sam@shop.example`,
      `${actor} changed the tags from none to callback, billing`,
      `${actor} added a note`,
    ])
    expect(await page.locator('.case-log li.log-note .note').last().textContent()).toBe(
      'Called back: the refund is on its way.',
    )
    // Back goes to the inbox as it was left, filters and all.
    expect(await page.getByRole('link', { name: '← All cases' }).getAttribute('href')).toBe(inbox)
    // The log is the API's, not the page's memory: a reload shows the same entries.
    await page.reload()
    await waitForIdle(page)
    expect((await page.locator('.case-log li .log-what').allTextContents()).slice(-4)).toEqual(log.slice(-4))
  })

  it('shows the API’s refusal beside the field it names, and saves nothing', async () => {
    const target = cases[5]!
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases/${target.id}?survey=${surveyId}`)
    await page.getByLabel('Tags', { exact: true }).fill(`ok, ${'x'.repeat(41)}`)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    const error = page.locator('#case-tags-error')
    await error.waitFor()
    expect(await error.textContent()).toMatch(/40/)
    expect(await page.getByLabel('Tags', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    expect((await readCase(target.id)).tags).toEqual(['shipping', 'refund'])
  })

  it('sets a due time as wall-clock time in the chosen zone, and removes it again', async () => {
    const target = cases[5]!
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases/${target.id}?survey=${surveyId}&tz=Europe/Berlin`)
    expect(await page.getByText('In Europe/Berlin; empty: no due time.').count()).toBe(1)
    await page.getByLabel('Due', { exact: true }).fill('2026-12-24T09:30')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Saved: due.' }).waitFor()
    expect((await readCase(target.id)).dueAt).toBe('2026-12-24T08:30:00.000Z')
    const when = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'medium',
      timeStyle: 'short',
    }).format(new Date('2026-12-24T08:30:00Z'))
    expect(await page.locator('.case-log li .log-what').last().textContent()).toContain(
      `set the due time to ${when}`,
    )
    await page.getByLabel('Due', { exact: true }).fill('')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    // The same words as the first save: the log's new entry says when this one is done.
    await expect
      .poll(() => page.locator('.case-log li .log-what').last().textContent())
      .toContain('removed the due time')
    expect((await readCase(target.id)).dueAt).toBeNull()
  })

  it('shows a case a survey’s rule opened for a live answer, with the comment, the consent to be contacted and who opened it', async () => {
    const origin = 'https://shop.example'
    const survey = (
      await createSurvey(world.collector, {
        name: 'Live follow-up',
        allowedOrigins: [origin],
        contact: { ask: true },
        cases: { rules: [{ name: 'Every detractor', when: { categories: ['detractor'] }, dueHours: 24 }] },
      })
    ).id
    const res = await fetch(`${world.collector.url}/v1/surveys/${survey}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        id: randomUUID(),
        score: 2,
        comment: 'The invoice was wrong twice',
        contact: { email: 'kim@customer.example' },
      }),
    })
    expect(res.status, await res.text()).toBe(201)
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases?survey=${survey}&period=7d`)
    // The dispatcher opens it beside the server; the inbox shows it once it is there.
    await expect
      .poll(async () => {
        await page.reload()
        await waitForIdle(page)
        return page.locator('table.case-table tbody tr').count()
      })
      .toBe(1)
    await page.locator('td.excerpt a').click()
    await waitForIdle(page)
    expect(await page.locator('.answer .comment').textContent()).toBe('The invoice was wrong twice')
    expect(await page.locator('.answer .contact').textContent()).toBe(
      'Asked to be contacted at kim@customer.example',
    )
    expect(await page.locator('.answer .contact a').getAttribute('href')).toBe('mailto:kim@customer.example')
    expect(await page.locator('.case-head p').textContent()).toContain('by rule: Every detractor')
    expect(await page.locator('.case-log li .log-what').first().textContent()).toBe(
      'rule: Every detractor opened the case',
    )
  })

  it('opens a case by hand from the responses, once per answer', async () => {
    const survey = (await createSurvey(world.collector, { name: 'By hand' })).id
    await seedAnswers(world.collector, survey, { count: 20, days: 10, seed: 3 })
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/surveys/${survey}/responses?period=all`)
    const first = page.locator('.response').first()
    const answerId = await first.locator('.detail.id dd').textContent()
    await first.getByRole('button', { name: 'Open a case' }).click()
    await page.waitForURL(/\/dashboard\/cases\/case_[^?]+\?survey=/)
    await waitForIdle(page)
    const caseId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)
    const opened = await readCase(caseId)
    expect(opened.responseId).toBe(answerId)
    expect(await page.locator('.case-log li .log-what').allTextContents()).toEqual([
      `${opened.log[0]!.actor} opened the case`,
    ])
    await page.goBack()
    await waitForIdle(page)
    await page.locator('.response').first().getByRole('button', { name: 'Open a case' }).click()
    const refused = page.locator('.response').first().getByRole('alert')
    await refused.waitFor()
    expect(await refused.textContent()).toContain(`has a case already: ${caseId}`)
  })

  it('finds the survey of a case link without ?survey=', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/cases/${cases[0]!.id}`)
    await page.waitForURL(new RegExp(`survey=${surveyId}`))
    await waitForIdle(page)
    expect(await page.locator('.case-head h2').textContent()).toContain('Case')
  })

  it('shows a read key the cases and webhooks with no control that changes them', async () => {
    const key = await createKey(world.collector, 'read', 'CS reader')
    const page = await world.newPage()
    await signIn(page, world.collector, key)
    await openView(page, world.collector, `/dashboard/cases/${cases[1]!.id}?survey=${surveyId}`)
    expect(await page.locator('.case-log li').count()).toBeGreaterThan(0)
    expect(await page.locator('.facts').count()).toBe(1)
    expect(await page.locator('.case-side').locator('button, input, textarea, select').count()).toBe(0)
    for (const name of ['Mark contacted', 'Save', 'Add note', 'Dismiss']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
    await expectAccessible(page, 'case, read key')

    await openView(page, world.collector, `/dashboard/surveys/${surveyId}/responses?${base}`)
    expect(await page.locator('.response').count()).toBeGreaterThan(0)
    expect(await page.getByRole('button', { name: 'Open a case' }).count()).toBe(0)

    await openView(page, world.collector, `/dashboard/webhooks?survey=${surveyId}`)
    expect(await page.locator('.endpoint').count()).toBe(1)
    expect(await page.locator('form.create-hook').count()).toBe(0)
    for (const name of ['Send test ping', 'Disable', 'Delete…']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0)
    }
    await page.getByRole('button', { name: 'Show deliveries' }).click()
    await waitForIdle(page)
    expect(await page.locator('.delivery-log').count()).toBe(1)
  })

  it('makes an endpoint on a loopback receiver, shows its secret once, pings it, and shows the ping in the delivery log', async () => {
    const survey = (await createSurvey(world.collector, { name: 'Webhook survey' })).id
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, `/dashboard/webhooks?survey=${survey}`)
    expect(await page.getByRole('heading', { name: 'No endpoints yet' }).count()).toBe(1)

    // Refused first: the API's message sits beside the URL field.
    await page.getByLabel('URL', { exact: true }).fill('ftp://files.example/hook')
    await page.getByRole('button', { name: 'Create endpoint' }).click()
    await page.locator('#hook-url-error').waitFor()
    expect(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true')

    await page.getByLabel('URL', { exact: true }).fill(receiver.url)
    await page.getByLabel('Description').fill('Support inbox')
    await page.getByRole('checkbox', { name: /Detractors/ }).check()
    await page.getByRole('button', { name: 'Create endpoint' }).click()
    await page.getByRole('heading', { name: 'Endpoint created' }).waitFor()
    const secret = (await page.locator('.new-secret code.secret').textContent())!
    expect(secret).toMatch(/^whsec_/)
    const listed = await admin<{ items: { id: string; url: string; filter: { categories?: string[] } }[] }>(
      world.collector,
      `/v1/webhooks?surveyId=${survey}`,
    )
    expect(listed.items).toHaveLength(1)
    expect(listed.items[0]!.url).toBe(receiver.url)
    expect(listed.items[0]!.filter.categories).toEqual(['detractor'])
    expect(JSON.stringify(listed)).not.toContain(secret)
    await expectAccessible(page, 'webhooks, the new secret')
    await screenshot(page, 'webhooks-secret-light')
    await page.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.content()).not.toContain(secret)
    await page.reload()
    await waitForIdle(page)
    expect(await page.content()).not.toContain(secret)

    await page.getByRole('button', { name: 'Send test ping' }).click()
    await page.getByRole('status').filter({ hasText: 'Test ping queued' }).waitFor()
    // The log follows a pending delivery by itself until the receiver has answered.
    const row = page.locator('table.deliveries tbody tr.delivery', { hasText: 'webhook.test' })
    await row.filter({ hasText: 'Delivered' }).waitFor()
    const deliveries = await admin<{
      items: { id: string; eventType: string; attempts: number; lastStatusCode: number }[]
    }>(world.collector, `/v1/webhooks/${listed.items[0]!.id}/deliveries`)
    expect(deliveries.items.map((d) => [d.eventType, d.attempts, d.lastStatusCode])).toEqual([
      ['webhook.test', 1, 204],
    ])
    expect(await row.locator('td[data-label="Last answer"]').textContent()).toBe('204')
    const sent = () => receiver.received.filter((r) => r.id === deliveries.items[0]!.id)
    expect(sent()).toHaveLength(1)
    expect(sent()[0]!.body).toContain('webhook.test')
    await row.getByRole('button', { name: /Show the details/ }).click()
    const detail = page.locator('.delivery-detail')
    await detail.locator('.payload').waitFor()
    expect(await detail.locator('.payload').textContent()).toContain('webhook.test')
    expect(await detail.textContent()).toContain(deliveries.items[0]!.id)
    expect(await detail.locator('.attempts li').allTextContents()).toEqual([
      expect.stringContaining('HTTP 204'),
    ])
    await page.getByRole('button', { name: 'Redeliver' }).click()
    await page.getByRole('status').filter({ hasText: 'Queued to be sent again.' }).waitFor()
    // Sent again under the same webhook-id, as Standard Webhooks asks of a retry.
    await expect.poll(() => sent().length).toBe(2)
    // The open detail follows the log, which asks again every few seconds while a delivery is pending.
    await expect.poll(() => detail.locator('.attempts li').count(), { timeout: 15_000 }).toBe(2)
    await expectAccessible(page, 'webhooks, a delivery’s details')
    await screenshot(page, 'webhooks-delivery-light')

    await page.getByRole('button', { name: 'Disable' }).click()
    await page.getByRole('status').filter({ hasText: 'Disabled “Support inbox”' }).waitFor()
    await waitForIdle(page)
    expect(await page.locator('.endpoint .badge.disabled-badge').textContent()).toBe('Disabled')
    expect(await page.getByRole('button', { name: 'Send test ping' }).isDisabled()).toBe(true)
    const disabled = await admin<{ enabled: boolean }>(world.collector, `/v1/webhooks/${listed.items[0]!.id}`)
    expect(disabled.enabled).toBe(false)

    await page.getByRole('button', { name: 'Delete…' }).click()
    await page.getByRole('button', { name: 'Delete endpoint' }).click()
    await page.getByRole('heading', { name: 'No endpoints yet' }).waitFor()
    expect(
      (await admin<{ items: unknown[] }>(world.collector, `/v1/webhooks?surveyId=${survey}`)).items,
    ).toEqual([])
  })

  for (const look of LOOKS) {
    it(`shows the inbox, a case and the webhooks without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await signIn(page, world.collector)
      await openView(page, world.collector, `/dashboard/cases?survey=${surveyId}&${base}`)
      await expectAccessible(page, `cases, ${look.name}`)
      await screenshot(page, `cases-${look.name}`)
      await openView(page, world.collector, `/dashboard/cases/${cases[4]!.id}?survey=${surveyId}`)
      await expectAccessible(page, `case, ${look.name}`)
      await screenshot(page, `case-${look.name}`)
      await openView(page, world.collector, `/dashboard/webhooks?survey=${surveyId}`)
      await page.getByRole('button', { name: 'Show deliveries' }).first().click()
      await waitForIdle(page)
      await expectAccessible(page, `webhooks, ${look.name}`)
      await screenshot(page, `webhooks-${look.name}`)
    })
  }
})
