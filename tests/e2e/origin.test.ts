/**
 * A survey only takes answers from the sites its owner listed. A page on any other origin gets no card,
 * and even a request forged from that page (a simple text/plain POST, which needs no CORS preflight)
 * stores nothing: the collector checks the Origin header itself, not only through CORS.
 */
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps, readResponses } from '../harness/api.ts'
import { card, scoreOption, settle, waitForCard } from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage, type HostServer, startHostServer } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

describe.skipIf(!requireChromium())('a page on an origin the survey does not allow', () => {
  const world = useWorld()

  it('gets no card and stores nothing, even when it forges the requests', async () => {
    let stranger: HostServer | undefined
    try {
      stranger = await startHostServer()
      const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
      stranger.page('/', {
        html: embedPage({
          collectorUrl: world.collector.url,
          surveyId: survey.id,
          attributes: { 'data-open': 'now' },
        }),
      })
      const page = await world.newPage()
      await page.goto(`${stranger.origin}/`)
      await settle(page)
      expect(await card(page).count()).toBe(0)

      const statuses = await page.evaluate(
        async ({ collector, surveyId }) => {
          const post = (path: string, body: unknown) =>
            fetch(`${collector}/v1/surveys/${surveyId}/${path}`, {
              method: 'POST',
              mode: 'no-cors',
              headers: { 'content-type': 'text/plain' },
              body: JSON.stringify(body),
            }).then((r) => r.type)
          const beacon = navigator.sendBeacon(
            `${collector}/v1/surveys/${surveyId}/responses`,
            JSON.stringify({ id: crypto.randomUUID(), score: 10 }),
          )
          return [
            await post('responses', { id: crypto.randomUUID(), score: 0, comment: 'forged' }),
            await post('events', { type: 'shown', respondentId: 'forger' }),
            beacon,
          ]
        },
        { collector: world.collector.url, surveyId: survey.id },
      )
      // The browser sent them (opaque answers, a queued beacon); the collector must have refused them.
      expect(statuses).toEqual(['opaque', 'opaque', true])
      await settle(page, 1000)

      const nps = await readNps(world.collector, survey.id)
      expect(nps).toMatchObject({ total: 0, dismissed: 0 })
      expect(nps.shown ?? 0).toBe(0)
      expect(await readResponses(world.collector, survey.id)).toEqual([])

      // The same page on the allowed origin does get the card: the refusal was about the origin alone.
      world.host.page('/allowed', {
        html: embedPage({
          collectorUrl: world.collector.url,
          surveyId: survey.id,
          attributes: { 'data-open': 'now' },
        }),
      })
      const allowed = await world.newPage()
      await allowed.goto(`${world.host.origin}/allowed`)
      await allowed.locator('npskit-card [role="radiogroup"]').waitFor()
    } finally {
      await stranger?.close()
    }
  })
})

describe.skipIf(!requireChromium())('a survey open to every subdomain of a site', () => {
  const world = useWorld()

  it('shows the card on a subdomain and stores its answer, and not on another site', async () => {
    // Chromium resolves every *.localhost name to this machine, so one host server is many subdomains.
    const port = new URL(world.host.origin).port
    const survey = await createSurvey(world.collector, { allowedOrigins: [`http://*.localhost:${port}`] })
    world.host.page('/', {
      html: embedPage({
        collectorUrl: world.collector.url,
        surveyId: survey.id,
        attributes: { 'data-open': 'now' },
      }),
    })
    const page = await world.newPage()
    await page.goto(`http://eu.shop.localhost:${port}/`)
    await waitForCard(page)
    await scoreOption(page, 9).click()
    await expect.poll(async () => (await readResponses(world.collector, survey.id)).length).toBe(1)

    const elsewhere = await world.newPage()
    await elsewhere.goto(`${world.host.origin}/`)
    await settle(elsewhere)
    expect(await card(elsewhere).count()).toBe(0)
  })
})
