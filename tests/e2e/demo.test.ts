/**
 * The demo site that `pnpm start` serves works as its pages say: the product page shows the card from
 * the collector's origin, the command-queue page identifies the visitor and opens the card on demand,
 * the single-page app hides the card on its excluded billing route, and the strict-CSP page works.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type DemoServer, startDemoServer } from '../../demo/server.ts'
import { createSurvey, readResponses } from '../harness/api.ts'
import { card, scoreOption, sendButton, settle, thanks, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { useWorld } from '../harness/suite.ts'

describe.skipIf(!requireChromium())('the demo site', () => {
  const world = useWorld()

  async function demoFor(display: Record<string, unknown> = {}) {
    // Like demo/start.ts: the survey allows only the demo's origin, which differs from the collector's.
    const demo = await startDemoServer({
      collectorUrl: world.collector.url,
      surveyId: 'srv_pending',
      port: 0,
    })
    const port = new URL(demo.url).port
    const survey = await createSurvey(world.collector, {
      allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
      display: { delaySeconds: 0, urlExclude: ['/app/billing*'], ...display },
      contact: { ask: true },
    })
    await demo.close()
    return {
      survey,
      demo: await startDemoServer({
        collectorUrl: world.collector.url,
        surveyId: survey.id,
        port: Number(port),
      }),
    }
  }

  let demo: DemoServer | undefined
  const origin = () => demo!.url.replace('localhost', '127.0.0.1')

  it('shows the card on the product page, served from another origin than the collector', async () => {
    ;({ demo } = await demoFor())
    try {
      const page = await world.newPage()
      await page.goto(`${origin()}/`)
      expect(await page.locator('h1').textContent()).toContain('Notes that find you back')
      expect(new URL(origin()).origin).not.toBe(new URL(world.collector.url).origin)
      await waitForCard(page)
      mkdirSync(join(repoRoot, 'tests/screenshots'), { recursive: true })
      await page.waitForTimeout(400)
      await page.screenshot({ path: join(repoRoot, 'tests/screenshots/demo-product.png') })
    } finally {
      await demo?.close()
    }
  })

  it('identifies the visitor and opens the card from the command-queue page', async () => {
    const made = await demoFor({ minPageViews: 5 })
    demo = made.demo
    try {
      const page = await world.newPage()
      await page.goto(`${origin()}/commands`)
      // minPageViews 5: the card would not show by itself on a first page view; only `open` brings it.
      await settle(page, 800)
      expect(await card(page).count()).toBe(0)
      await page.getByRole('button', { name: 'identify as user_ada' }).click()
      await page.getByRole('button', { name: 'open the card' }).click()
      await waitForCard(page)
      await scoreOption(page, 10).click()
      await sendButton(page).click()
      await thanks(page).waitFor()
      await expect.poll(() => page.locator('#log').textContent()).toContain('response:')
      await page.screenshot({ path: join(repoRoot, 'tests/screenshots/demo-commands.png') })
      await expect
        .poll(async () => (await readResponses(world.collector, made.survey.id))[0]?.respondentId ?? null)
        .toBe('user_ada')
    } finally {
      await demo.close()
    }
  })

  it('makes a personal link and its email on the command-queue page, both answered end to end', async () => {
    const made = await demoFor()
    await made.demo.close()
    const port = Number(new URL(made.demo.url).port)
    demo = await startDemoServer({
      collectorUrl: world.collector.url,
      surveyId: made.survey.id,
      adminKey: world.collector.adminKey,
      port,
    })
    try {
      const context = await world.newContext()
      const page = await context.newPage()
      await page.goto(`${origin()}/commands`)
      await page.getByLabel('Respondent id').fill('cust-77')
      await page.getByLabel('Account id').fill('initech')
      await page.getByRole('button', { name: 'make a personal link' }).click()
      const url = page.locator('#link-url')
      await url.waitFor()
      expect(await url.textContent()).toContain(`${world.collector.url}/s/${made.survey.id}?t=`)
      const email = page.frameLocator('#link-email')
      await email.locator('a', { hasText: /^7$/ }).waitFor()
      await page.screenshot({
        path: join(repoRoot, 'tests/screenshots/demo-commands-link.png'),
        fullPage: true,
      })

      // The customer clicks 7 in the email: the page opens with 7 chosen, and counts it on their click.
      const [opened] = await Promise.all([
        context.waitForEvent('page'),
        email.locator('a', { hasText: /^7$/ }).click(),
      ])
      await waitForCard(opened)
      await expect
        .poll(() => opened.locator('npskit-card input[name="score"][value="7"]').isChecked())
        .toBe(true)
      expect(await readResponses(world.collector, made.survey.id)).toEqual([])
      await scoreOption(opened, 7).click()
      await sendButton(opened).click()
      await expect
        .poll(async () => (await readResponses(world.collector, made.survey.id))[0] ?? null)
        .toMatchObject({
          score: 7,
          respondentId: 'cust-77',
          metadata: { accountId: 'initech' },
          source: 'link',
        })

      // The plain link, opened again, edits that one answer.
      const again = await world.newPage()
      await again.goto((await url.getAttribute('href'))!)
      await waitForCard(again)
      await scoreOption(again, 9).click()
      await expect
        .poll(async () => (await readResponses(world.collector, made.survey.id)).map((r) => r.score))
        .toEqual([9])
    } finally {
      await demo.close()
    }
  })

  it('hides the card when the app routes to billing, and works under the strict CSP page', async () => {
    ;({ demo } = await demoFor())
    try {
      const context = await world.newContext()
      const page = await context.newPage()
      await page.goto(`${origin()}/app/reports`)
      await waitForCard(page)
      await page.screenshot({ path: join(repoRoot, 'tests/screenshots/demo-app.png') })
      await page.getByRole('link', { name: 'Billing' }).click()
      await expect.poll(() => card(page).count()).toBe(0)
      expect(new URL(page.url()).pathname).toBe('/app/billing')

      const strict = await world.newPage()
      const violations: string[] = []
      strict.on('console', (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()))
      const response = await strict.goto(`${origin()}/csp`)
      expect(response?.headers()['content-security-policy']).toContain("'nonce-")
      await waitForCard(strict)
      expect(violations).toEqual([])
    } finally {
      await demo?.close()
    }
  })
})
