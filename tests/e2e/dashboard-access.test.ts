/**
 * The dashboard's door: the landing page signs in with a key and opens a server-side session (the
 * cookie's flags, nothing in web storage, sign-out ends it on the server, an ended session goes back
 * to sign-in); a read key sees figures but no control that changes anything, and the API refuses it;
 * the surveys list shows the API's own figures. Every state is checked with axe and photographed.
 */
import { describe, expect, it } from 'vitest'
import { admin, createSurvey, type Summary } from '../harness/api.ts'
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

describe.skipIf(!requireChromium())('the dashboard: signing in, scopes and the surveys list', () => {
  const world = useWorld()

  it('answers / with the sign-in page, and a wrong key gets the API’s message beside the field', async () => {
    const page = await world.newPage()
    await page.goto(`${world.collector.url}/`)
    await expect(page.getByRole('heading', { level: 1 })).toBeTruthy()
    await page.getByLabel('API key').fill('npskit_not_a_key_at_all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const error = page.locator('#key-error')
    await error.waitFor()
    expect(await error.textContent()).toMatch(/key/i)
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true')
  })

  for (const look of LOOKS) {
    it(`shows the sign-in page without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await page.goto(`${world.collector.url}/`)
      await page.getByLabel('API key').waitFor()
      await expectAccessible(page, `sign-in, ${look.name}`)
      await screenshot(page, `sign-in-${look.name}`)
    })
  }

  it('signs in with the admin key into a session cookie that is HttpOnly and SameSite=Strict, with nothing in web storage', async () => {
    const context = await world.newContext()
    const page = await context.newPage()
    await signIn(page, world.collector)
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'npskit_session')
    expect(session).toBeDefined()
    expect(session!.httpOnly).toBe(true)
    expect(session!.sameSite).toBe('Strict')
    expect(session!.secure).toBe(false) // plain http on loopback; over https it is Secure (sessions.test.ts)
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 3600)
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    )
    expect(storage).not.toContain(world.collector.adminKey)
    expect(storage).not.toContain(session!.value)
    expect(await page.evaluate(() => document.cookie)).not.toContain('npskit_session')
  })

  it('signs out on the server: the old cookie opens nothing afterwards', async () => {
    const context = await world.newContext()
    const page = await context.newPage()
    await signIn(page, world.collector)
    const cookie = (await context.cookies()).find((c) => c.name === 'npskit_session')!.value
    const before = await fetch(`${world.collector.url}/v1/surveys`, {
      headers: { cookie: `npskit_session=${cookie}` },
    })
    expect(before.status).toBe(200)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('API key').waitFor()
    expect(await page.getByRole('status').first().textContent()).toContain('signed out')
    const after = await fetch(`${world.collector.url}/v1/surveys`, {
      headers: { cookie: `npskit_session=${cookie}` },
    })
    expect(after.status).toBe(401)
  })

  it('goes back to sign-in, saying why, when the session ends while the page is open', async () => {
    const context = await world.newContext()
    const page = await context.newPage()
    await signIn(page, world.collector)
    // The session ends elsewhere (as when it expires): the page's next request meets a 401.
    await context.request.delete(`${world.collector.url}/v1/sessions/current`, {
      headers: { origin: world.collector.url },
    })
    await page.getByRole('link', { name: 'Surveys' }).first().click()
    await page.getByLabel('API key').waitFor()
    expect(await page.locator('.notice').textContent()).toContain('session has ended')
  })

  it('shows a read key the figures without any control that changes something, and the API refuses it', async () => {
    const { id } = await createSurvey(world.collector, { name: 'Read-only survey' })
    const key = await createKey(world.collector, 'read')
    const context = await world.newContext()
    const page = await context.newPage()
    await signIn(page, world.collector, key)
    await waitForIdle(page)
    expect(await page.locator('.badge', { hasText: 'read' }).count()).toBe(1)
    expect(await page.getByRole('link', { name: 'New survey' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Keys' }).count()).toBe(0)
    await openView(page, world.collector, `/dashboard/surveys/${id}`)
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0)
    await openView(page, world.collector, `/dashboard/surveys/${id}/settings`)
    expect(await page.getByRole('heading', { name: 'Needs an admin key' }).count()).toBe(1)
    await openView(page, world.collector, '/dashboard/keys')
    expect(await page.getByRole('heading', { name: 'Needs an admin key' }).count()).toBe(1)
    // The page's own session, asked to change the survey from the collector's origin: refused by scope.
    const refused = await page.evaluate(async (surveyId) => {
      const res = await fetch(`/v1/surveys/${surveyId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'changed by a read key' }),
      })
      return { status: res.status, body: await res.json() }
    }, id)
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect(refused.body.error.message).toContain('read')
    const survey = await admin<{ name: string }>(world.collector, `/v1/surveys/${id}`)
    expect(survey.name).toBe('Read-only survey')
  })

  it('lists each survey with the NPS, interval and answer count the API gives for the same period', async () => {
    const { id } = await createSurvey(world.collector, {
      name: 'Listed survey',
      target: { nps: 40, deadline: '2027-06-30' },
    })
    await seedAnswers(world.collector, id, { count: 600, days: 120 })
    const page = await world.newPage({ timezoneId: 'Europe/Berlin' })
    await signIn(page, world.collector)
    await openView(page, world.collector, '/dashboard/surveys?period=30d')
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'Listed survey' }) })
    await row.locator('td.nps').waitFor()
    // The same period the page asked for: the last 30 days in the viewer's time zone, today included.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date())
    const day = (offset: number) => {
      const d = new Date(`${today}T00:00:00Z`)
      d.setUTCDate(d.getUTCDate() + offset)
      return d.toISOString().slice(0, 10)
    }
    const api = await admin<Summary>(
      world.collector,
      `/v1/surveys/${id}/nps?from=${day(-29)}&to=${day(1)}&tz=Europe/Berlin`,
    )
    expect(api.total).toBeGreaterThan(50)
    const cells = await row.locator('td').allTextContents()
    const sign = (n: number) => (Math.round(n) > 0 ? `+${Math.round(n)}` : String(Math.round(n)))
    expect(cells[0]).toBe(sign(api.nps!))
    expect(cells[1]).toBe(
      `between ${sign(api.ci95![0])} and ${sign(api.ci95![1])}, 95% confidence`.replace(/-/g, '-'),
    )
    expect(cells[2]).toBe(api.total.toLocaleString('en-US'))
    expect(cells[4]).toMatch(/target/)
  })

  for (const look of LOOKS) {
    it(`shows the surveys list without an accessibility violation (${look.name})`, async () => {
      const page = await world.newPage(look.options)
      await signIn(page, world.collector)
      await waitForIdle(page)
      await expectAccessible(page, `surveys, ${look.name}`)
      await screenshot(page, `surveys-${look.name}`)
    })
  }

  it('follows the system’s colour scheme until the theme button chooses one, and keeps that choice across a reload', async () => {
    const page = await world.newPage({ colorScheme: 'dark' })
    await signIn(page, world.collector)
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme)
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    expect(await theme()).toBe('dark')
    const dark = await background()
    await page.getByRole('button', { name: 'Theme: system' }).click()
    expect(await theme()).toBe('light')
    expect(await background()).not.toBe(dark)
    await page.reload()
    await page.locator('header.top').waitFor()
    expect(await theme()).toBe('light')
    expect(await page.getByRole('button', { name: 'Theme: light' }).count()).toBe(1)
  })

  it('can be used with the keyboard alone: sign in with Enter, skip to the content, open a view from the tabs', async () => {
    const { id } = await createSurvey(world.collector, { name: 'Keyboard survey' })
    const page = await world.newPage()
    await page.goto(`${world.collector.url}/`)
    await page.getByLabel('API key').focus()
    await page.keyboard.type(world.collector.adminKey)
    await page.keyboard.press('Enter')
    await page.locator('header.top').waitFor()
    await openView(page, world.collector, `/dashboard/surveys/${id}`)
    // The first Tab reaches the skip link, which is visible while focused.
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to content' })
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await skip.isVisible()).toBe(true)
    // Tab on to the Breakdown tab and follow it with Enter.
    const breakdown = page
      .getByRole('navigation', { name: 'Survey views' })
      .getByRole('link', { name: 'Breakdown' })
    for (let i = 0; i < 15 && !(await breakdown.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab')
    }
    expect(await breakdown.evaluate((el) => el === document.activeElement)).toBe(true)
    const outline = await breakdown.evaluate((el) => getComputedStyle(el).outlineStyle)
    expect(outline).not.toBe('none')
    await page.keyboard.press('Enter')
    await page.waitForURL(`**/dashboard/surveys/${id}/breakdown`)
    expect(await breakdown.getAttribute('aria-current')).toBe('page')
  })

  it('answers an unknown dashboard path with a page that leads back to the surveys', async () => {
    const page = await world.newPage()
    await signIn(page, world.collector)
    await openView(page, world.collector, '/dashboard/no-such-view')
    expect(await page.getByRole('heading', { name: 'No such page' }).count()).toBe(1)
  })
})
