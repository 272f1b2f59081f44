/**
 * Single-page apps change the URL with history.pushState and never reload. The survey's URL rules must
 * follow: a route change to an excluded URL hides an open card, or withholds one that was about to show.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps } from '../harness/api.ts'
import { card, settle, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

/** What the app's router does on a link click. */
function navigate(page: Page, path: string) {
  return page.evaluate((to) => history.pushState({}, '', to), path)
}

describe.skipIf(!requireChromium())('route changes in a single-page app', () => {
  const world = useWorld()

  async function app(prefix: string, delaySeconds: number) {
    const survey = await createSurvey(world.collector, {
      allowedOrigins: [world.host.origin],
      display: { delaySeconds, urlExclude: [`${prefix}/checkout*`] },
    })
    world.host.page(`${prefix}/*`, {
      html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id, title: 'Acme Shop' }),
    })
    return survey
  }

  it('hides an open card when the route changes to an excluded URL', async () => {
    await app('/spa-hide', 0)
    const page = await world.newPage()
    await page.goto(`${world.host.origin}/spa-hide/products`)
    await waitForCard(page)
    await navigate(page, '/spa-hide/checkout/payment')
    await expect.poll(() => card(page).count()).toBe(0)
  })

  it('withholds a card that was waiting for its delay when the route changes to an excluded URL', async () => {
    const survey = await app('/spa-wait', 3)
    const page = await world.newPage()
    const configFetched = page.waitForResponse((r) => r.url().includes('/widget?'))
    await page.goto(`${world.host.origin}/spa-wait/products`)
    await configFetched
    // The card is now waiting out its 3 s delay; the visitor moves to checkout before it shows.
    await navigate(page, '/spa-wait/checkout')
    await settle(page, 4000)
    expect(await card(page).count()).toBe(0)
    expect((await readNps(world.collector, survey.id)).shown ?? 0).toBe(0)
  })

  it('shows nothing on an excluded URL, then asks once the app routes to an allowed one', async () => {
    await app('/spa-late', 0)
    const page = await world.newPage()
    await page.goto(`${world.host.origin}/spa-late/checkout`)
    await settle(page)
    expect(await card(page).count()).toBe(0)
    await navigate(page, '/spa-late/thank-you')
    await waitForCard(page)
  })
})
