/**
 * What the "done" means, tried as a new user would: `pnpm start`, then a detractor answers the
 * demo card in real Chromium with a comment, and without any code of the user's there is a case for the
 * answer, a signed webhook delivery that the demo's receiver verified with the `standardwebhooks`
 * library, and an email that reached the demo's SMTP server — each read from where it landed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { followUpField, scoreOption, sendButton, thanks, waitForCard } from '../harness/card.ts'
import { launchChromium, newContext, requireChromium } from '../harness/chromium.ts'
import { widgetDist } from '../harness/collector.ts'
import { suiteDatabase, type TestDatabase } from '../harness/postgres.ts'
import { interrupt, type Started, start } from '../harness/start.ts'

const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:')

describe.skipIf(!requireChromium() || !existsSync(join(widgetDist, 'nps.js')))(
  'a detractor answering the demo card',
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npskit-follow-up-'))
    let database: TestDatabase | undefined
    let demo: Started | undefined
    let browser: Browser | undefined
    beforeAll(async () => {
      database = await suiteDatabase()
      demo = await start(dataDir, database?.url)
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
      if (demo && demo.child.exitCode === null) await interrupt(demo.child)
      rmSync(dataDir, { recursive: true, force: true })
      await database?.drop()
    })

    it('opens a case, sends a signed webhook to the receiver and an email to the SMTP server', async () => {
      const text = demo!.output()
      const collectorUrl = loopback(/collector\s+(http:\/\/localhost:\d+)/.exec(text)![1]!)
      const demoUrl = loopback(/demo site\s+(http:\/\/localhost:\d+)/.exec(text)![1]!)
      const inboxUrl = loopback(/inbox\s+(http:\/\/localhost:\d+\/)/.exec(text)?.[1] ?? '')
      const key = /^\s+admin key\s+(\S+)/m.exec(text)![1]!
      expect(inboxUrl, text).toMatch(/^http:/)
      const [stateFile] = readdirSync(dataDir).filter((name) => /^demo.*\.json$/.test(name))
      const surveyId = JSON.parse(readFileSync(join(dataDir, stateFile!), 'utf8')).surveyId as string

      const context = await newContext(browser!)
      const page = await context.newPage()
      await page.goto(`${demoUrl}/`)
      await waitForCard(page)
      await scoreOption(page, 3).click()
      await followUpField(page).fill('billing errors again')
      await sendButton(page).click()
      await thanks(page).waitFor()
      await context.close()

      // The case, through the API the dashboard reads.
      const cases = async () => {
        const res = await fetch(`${collectorUrl}/v1/surveys/${surveyId}/cases`, {
          headers: { authorization: `Bearer ${key}` },
        })
        return ((await res.json()) as { items: { id: string; score: number; openedBy: string }[] }).items
      }
      await expect.poll(cases, { timeout: 20_000 }).toHaveLength(1)
      const [opened] = await cases()
      expect(opened).toMatchObject({ score: 3, openedBy: 'rule: Every detractor' })
      const detail = (await (
        await fetch(`${collectorUrl}/v1/cases/${opened!.id}`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as { response: { comment: string } }
      expect(detail.response.comment).toBe('billing errors again')

      // The receiver checked each signature (the inbox prints a refusal otherwise), and the email arrived.
      const inbox = async () => (await fetch(inboxUrl)).text()
      await expect.poll(inbox, { timeout: 20_000 }).toContain('[webhook] case.opened — signature verified')
      await expect
        .poll(inbox, { timeout: 20_000 })
        .toContain('[email] to team@acme-notes.test: Detractor (3/10)')
      const arrived = await inbox()
      expect(arrived).toContain('[webhook] response.created — signature verified')
      expect(arrived).not.toContain('refused')
      expect(arrived).toContain('billing errors again')
      expect(arrived).toContain(`/dashboard/cases/${opened!.id}?survey=${surveyId}`)
      expect(demo!.output()).toContain('[inbox] [email] to team@acme-notes.test')
    })
  },
)
