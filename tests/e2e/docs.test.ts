/**
 * `/docs` in a real Chromium against a real collector, with every request to another origin blocked
 * and recorded: the page renders the API's operations from the collector's own files, a reader enters a
 * key under Authorize and tries a request, nothing leaves the collector's origin, and the page keeps to
 * its Content-Security-Policy. A screenshot goes to tests/screenshots/ (git-ignored) for a person.
 */
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { requireChromium } from '../harness/chromium.ts'
import { repoRoot } from '../harness/collector.ts'
import { useWorld } from '../harness/suite.ts'

const outDir = join(repoRoot, 'tests/screenshots')

describe.skipIf(!requireChromium())('the API page at /docs', () => {
  const world = useWorld()

  it('renders every operation offline, takes a key and tries a request, and loads nothing from elsewhere', async () => {
    await createSurvey(world.collector, { name: 'Docs survey' })
    const origin = new URL(world.collector.url).origin
    const context = await world.newContext({ viewport: { width: 1280, height: 900 } })
    const requested: string[] = []
    const blocked: string[] = []
    await context.route('**/*', (route) => {
      const url = route.request().url()
      requested.push(url)
      if (new URL(url).origin === origin) return route.continue()
      blocked.push(url)
      return route.abort()
    })
    const page = await context.newPage()
    // Anything the page's Content-Security-Policy refused (an inline style or script, a foreign source).
    await page.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      )
    })
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })

    await page.goto(`${world.collector.url}/docs`)
    await page.locator('.opblock').first().waitFor()
    const paths = await page
      .locator('.opblock-summary-path')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-path')))
    expect(paths.length).toBeGreaterThanOrEqual(25)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/v1/surveys',
        '/v1/surveys/{id}/nps',
        '/v1/surveys/{id}/responses',
        '/healthz',
      ]),
    )
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('npskit collector')
    mkdirSync(outDir, { recursive: true })
    const files = [join(outDir, 'docs.png'), join(outDir, 'docs-try-it.png')]
    await page.screenshot({ path: files[0] })

    // Authorize with the admin key, then try GET /v1/surveys.
    await page.locator('.auth-wrapper button.authorize').click()
    await page.locator('.modal-ux input').first().fill(world.collector.adminKey)
    // The first form is the Bearer key; the second, the dashboard's session cookie.
    await page.locator('.modal-ux button.authorize').first().click()
    await page.locator('.modal-ux button.btn-done').first().click()
    const list = page.locator('.opblock-get').filter({
      has: page.locator('.opblock-summary-path[data-path="/v1/surveys"]'),
    })
    await list.locator('.opblock-summary').click()
    await list.locator('button.try-out__btn').click()
    await list.locator('button.execute').click()
    const status = list.locator('.live-responses-table tr.response .response-col_status').first()
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('200')
    await expect.poll(() => list.locator('.live-responses-table').textContent()).toContain('Docs survey')

    await list.screenshot({ path: files[1] })
    for (const file of files) expect(statSync(file).size).toBeGreaterThan(10_000)

    expect(blocked).toEqual([])
    expect(requested.every((url) => new URL(url).origin === origin)).toBe(true)
    expect(requested).toEqual(
      expect.arrayContaining([`${origin}/openapi.json`, `${origin}/v1/surveys?limit=100`]),
    )
    expect(problems).toEqual([])
    expect(
      await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([])
  })
})
