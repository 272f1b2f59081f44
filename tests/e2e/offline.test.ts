/**
 * The collector is unreachable at the moment the visitor answers. The host page must not notice, and the
 * answer must arrive once the collector is back: on the next page view, exactly once, with its comment.
 */
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps, readResponses } from '../harness/api.ts'
import {
  followUpField,
  recordRequests,
  scoreOption,
  sendButton,
  settle,
  thanks,
  waitForCard,
} from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

describe.skipIf(!requireChromium())('when the collector is down', () => {
  const world = useWorld()

  it('delivers the answer given while the collector was down exactly once, after the next page view', async () => {
    const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
    world.host.page('/shop/*', {
      html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }),
    })
    const context = await world.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${world.host.origin}/shop/one`)
    await waitForCard(page)

    await world.collector.stop()
    await scoreOption(page, 3).click()
    await followUpField(page).fill('Checkout kept failing.')
    await sendButton(page).click()
    await expect.poll(() => thanks(page).isVisible()).toBe(true)
    // The answer waits in the visitor's storage, once, with its comment.
    const queued = await page.evaluate(() => JSON.parse(localStorage.getItem('npskit:q') ?? '[]'))
    expect(queued.filter((m: { p: string }) => m.p.endsWith('/responses'))).toHaveLength(1)

    await world.collector.restart()
    expect((await readNps(world.collector, survey.id)).total).toBe(0)

    const next = await context.newPage()
    const sent = recordRequests(next, world.collector.url)
    await next.goto(`${world.host.origin}/shop/two`)
    await expect
      .poll(async () => (await readNps(world.collector, survey.id)).total, { timeout: 10_000 })
      .toBe(1)
    const responses = await readResponses(world.collector, survey.id)
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ score: 3, comment: 'Checkout kept failing.' })
    expect(sent.filter((r) => r.path.endsWith('/responses'))).toHaveLength(1)

    // Later page views send nothing more: the queue emptied when the collector confirmed.
    await settle(next, 500)
    const after = await context.newPage()
    const sentLater = recordRequests(after, world.collector.url)
    await after.goto(`${world.host.origin}/shop/three`)
    await settle(after)
    expect(sentLater.filter((r) => r.path.endsWith('/responses'))).toEqual([])
    expect(await after.evaluate(() => localStorage.getItem('npskit:q'))).toBeNull()
    expect((await readNps(world.collector, survey.id)).total).toBe(1)
    expect(errors).toEqual([])
  })
})
