/**
 * A visitor is asked rarely: after closing the card or answering it, the next page views neither show it
 * nor even ask the collector for it, until the survey's back-off or resurvey period has passed.
 */
import type { BrowserContext } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps } from '../harness/api.ts'
import {
  card,
  closeButton,
  recordRequests,
  scoreOption,
  sendButton,
  settle,
  waitForCard,
} from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

const DAY = 86_400_000

describe.skipIf(!requireChromium())('how often the card comes back', () => {
  const world = useWorld()

  async function surveyPages(
    prefix: string,
    display: { resurveyAfterDays?: number; dismissBackoffDays?: number },
  ) {
    const survey = await createSurvey(world.collector, {
      allowedOrigins: [world.host.origin],
      display: { delaySeconds: 0, ...display },
    })
    world.host.page(`${prefix}/*`, {
      html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }),
    })
    return survey
  }

  /** The visitor's clock moves on by `days` for every page loaded after this call. */
  async function travel(context: BrowserContext, days: number) {
    await context.addInitScript((offset) => {
      const realNow = Date.now
      Date.now = () => realNow() + offset
    }, days * DAY)
  }

  /** A later page view of the same visitor: no card, and no request for one. */
  async function expectNotAskedAgain(context: BrowserContext, url: string) {
    const page = await context.newPage()
    const sent = recordRequests(page, world.collector.url)
    await page.goto(url)
    await settle(page)
    expect(await card(page).count()).toBe(0)
    expect(sent.filter((r) => r.path.endsWith('/widget'))).toEqual([])
    await page.close()
  }

  it('does not bring a dismissed card back on the next page view', async () => {
    const survey = await surveyPages('/dismiss', { dismissBackoffDays: 14 })
    const context = await world.newContext()
    const page = await context.newPage()
    await page.goto(`${world.host.origin}/dismiss/one`)
    await waitForCard(page)
    await closeButton(page).click()
    await expect.poll(() => card(page).count()).toBe(0)
    await expect.poll(async () => (await readNps(world.collector, survey.id)).dismissed).toBe(1)

    await expectNotAskedAgain(context, `${world.host.origin}/dismiss/two`)
    await page.reload()
    await settle(page)
    expect(await card(page).count()).toBe(0)
    const nps = await readNps(world.collector, survey.id)
    expect(nps).toMatchObject({ total: 0, dismissed: 1 })
  })

  it('does not bring an answered card back within the resurvey period, and asks again after it', async () => {
    const survey = await surveyPages('/answered', { resurveyAfterDays: 90 })
    const context = await world.newContext()
    const page = await context.newPage()
    await page.goto(`${world.host.origin}/answered/one`)
    await waitForCard(page)
    await scoreOption(page, 10).click()
    await sendButton(page).click()
    await expect.poll(async () => (await readNps(world.collector, survey.id)).total).toBe(1)

    await expectNotAskedAgain(context, `${world.host.origin}/answered/two`)

    await travel(context, 89)
    await expectNotAskedAgain(context, `${world.host.origin}/answered/three`)

    // Another visitor is still asked: the state that keeps the card away belongs to one visitor only.
    const stranger = await world.newPage()
    await stranger.goto(`${world.host.origin}/answered/four`)
    await waitForCard(stranger)

    await travel(context, 2) // 91 days after the answer in total
    const back = await context.newPage()
    await back.goto(`${world.host.origin}/answered/five`)
    await waitForCard(back)
    expect((await readNps(world.collector, survey.id)).total).toBe(1)
  })
})
