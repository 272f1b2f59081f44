/**
 * The whole path of one answer, in a real browser: a host page on one origin embeds the widget from the
 * collector on another; the visitor answers with the mouse or with the keyboard only; the product team's
 * `/nps` and response export show exactly that answer.
 */
import { describe, expect, it } from 'vitest'
import { createSurvey, readNps, readResponses } from '../harness/api.ts'
import {
  card,
  closeButton,
  focusedInCard,
  followUpField,
  recordRequests,
  scoreOption,
  sendButton,
  thanks,
  waitForCard,
} from '../harness/card.ts'
import { requireChromium } from '../harness/chromium.ts'
import { embedPage } from '../harness/host.ts'
import { useWorld } from '../harness/suite.ts'

describe.skipIf(!requireChromium())('a visitor answers the card', () => {
  const world = useWorld()

  async function surveyPage(path: string) {
    const survey = await createSurvey(world.collector, { allowedOrigins: [world.host.origin] })
    world.host.page(path, { html: embedPage({ collectorUrl: world.collector.url, surveyId: survey.id }) })
    return survey
  }

  it('counts one response with the clicked score and the written comment', async () => {
    const survey = await surveyPage('/mouse')
    const page = await world.newPage()
    const sent = recordRequests(page, world.collector.url)
    await page.goto(`${world.host.origin}/mouse`)
    await waitForCard(page)

    await scoreOption(page, 9).click()
    await followUpField(page).click()
    await page.keyboard.type('Search finds everything.')
    await sendButton(page).click()
    await expect.poll(() => thanks(page).isVisible()).toBe(true)

    await expect
      .poll(async () => (await readNps(world.collector, survey.id)).total, { timeout: 10_000 })
      .toBe(1)
    // The comment is a second POST with the same id; wait until it has been answered before reading.
    await expect
      .poll(() => sent.filter((r) => r.path.endsWith('/responses') && r.status !== null).length, {
        timeout: 10_000,
      })
      .toBe(2)
    const nps = await readNps(world.collector, survey.id)
    expect(nps).toMatchObject({ total: 1, promoters: 1, passives: 0, detractors: 0, nps: 100 })
    expect(nps.distribution[9]).toBe(1)
    const responses = await readResponses(world.collector, survey.id)
    expect(responses).toHaveLength(1)
    expect(responses[0]).toMatchObject({ score: 9, comment: 'Search finds everything.' })
    // Both POSTs carried the same client-made id: the comment merged into the scored row.
    const ids = sent.filter((r) => r.path.endsWith('/responses')).map((r) => (r.body as { id: string }).id)
    expect(new Set(ids).size).toBe(1)
    expect(responses[0]!.id).toBe(ids[0])
  })

  it('counts one response when the visitor uses only the keyboard', async () => {
    const survey = await surveyPage('/keyboard')
    const page = await world.newPage()
    await page.goto(`${world.host.origin}/keyboard`)
    await waitForCard(page)

    // Tab from the top of the page until focus reaches the scale, as a keyboard user would.
    let focused: string | null = null
    for (let i = 0; i < 12 && !focused?.startsWith('input[name=score]'); i++) {
      await page.keyboard.press('Tab')
      focused = await focusedInCard(page)
    }
    expect(focused).toBe('input[name=score][value=0]')
    // Moving through the scale chooses nothing; only Enter (or Space) does.
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowLeft')
    await page.keyboard.press('ArrowLeft')
    expect(await focusedInCard(page)).toBe('input[name=score][value=8]')
    expect(await followUpField(page).count()).toBe(0)
    await page.keyboard.press('Enter')

    // The follow-up takes focus, so the visitor can type at once.
    await expect.poll(() => focusedInCard(page)).toBe('textarea')
    await page.keyboard.type('More export formats, please.')
    await page.keyboard.press('Tab') // Skip
    await page.keyboard.press('Tab') // Send
    await page.keyboard.press('Enter')
    await expect.poll(() => thanks(page).isVisible()).toBe(true)

    await expect
      .poll(async () => (await readResponses(world.collector, survey.id))[0]?.comment ?? null, {
        timeout: 10_000,
      })
      .toBe('More export formats, please.')
    const nps = await readNps(world.collector, survey.id)
    expect(nps).toMatchObject({ total: 1, promoters: 0, passives: 1, detractors: 0, nps: 0 })
    expect(nps.distribution[8]).toBe(1)
    expect(await readResponses(world.collector, survey.id)).toHaveLength(1)
  })

  it('lets a keyboard user close the card with Escape, counting a dismissal and no answer', async () => {
    const survey = await surveyPage('/escape')
    const page = await world.newPage()
    await page.goto(`${world.host.origin}/escape`)
    await waitForCard(page)
    await closeButton(page).focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => card(page).count()).toBe(0)
    await expect
      .poll(async () => (await readNps(world.collector, survey.id)).dismissed, { timeout: 10_000 })
      .toBe(1)
    expect((await readNps(world.collector, survey.id)).total).toBe(0)
  })
})
