/**
 * A host page with a strict Content-Security-Policy: no 'unsafe-inline' for scripts or styles, only a
 * per-response nonce. The widget must still load, show and send, and the browser must report no
 * violation at all (a violation would mean something of the card was silently blocked).
 */
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps } from '../harness/api.ts'
import { scoreOption, sendButton, thanks, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

describe.skipIf(!requireChromium())('a page with a strict Content-Security-Policy', () => {
  const world = useWorld()

  const policies = {
    'a nonce and the collector origin': (collector: string) =>
      `default-src 'none'; script-src 'nonce-{nonce}' ${collector}; style-src 'nonce-{nonce}'; ` +
      `connect-src ${collector}; img-src 'none'; base-uri 'none'; object-src 'none'; form-action 'none'`,
    "a nonce with 'strict-dynamic'": (collector: string) =>
      `default-src 'none'; script-src 'nonce-{nonce}' 'strict-dynamic'; style-src 'nonce-{nonce}'; ` +
      `connect-src ${collector}; img-src 'none'; base-uri 'none'; object-src 'none'; form-action 'none'`,
  }

  for (const [name, policy] of Object.entries(policies)) {
    it(`shows the card and sends the answer with no violation under ${name}`, async () => {
      const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
      const path = `/csp-${name.replace(/\W+/g, '-')}`
      world.host.page(path, {
        headers: { 'content-security-policy': policy(world.collector.url) },
        html: ({ nonce }) => embedPage({ collectorUrl: world.collector.url, surveyId: survey.id, nonce }),
      })
      const context = await world.newContext()
      // Init scripts come from the browser itself, so the policy does not apply to this listener.
      await context.addInitScript(() => {
        const seen: string[] = []
        ;(window as unknown as { __violations: string[] }).__violations = seen
        document.addEventListener('securitypolicyviolation', (e) =>
          seen.push(
            `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
          ),
        )
      })
      const page = await context.newPage()
      const consoleCsp: string[] = []
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) consoleCsp.push(message.text())
      })
      const response = await page.goto(`${world.host.origin}${path}`)
      expect(response?.headers()['content-security-policy']).toContain("'nonce-")

      await waitForCard(page)
      // The card's own styles applied (they make it a fixed overlay); blocked styles would leave raw HTML.
      expect(await page.locator('npskit-card').evaluate((el) => getComputedStyle(el).position)).toBe('fixed')
      await scoreOption(page, 10).click()
      await sendButton(page).click()
      await expect.poll(() => thanks(page).isVisible()).toBe(true)
      await expect
        .poll(async () => (await readNps(world.collector, survey.id)).total, { timeout: 10_000 })
        .toBe(1)

      expect(
        await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      ).toEqual([])
      expect(consoleCsp).toEqual([])
    })
  }
})
