/**
 * `pnpm start` (demo/start.ts) as a person meets it: the first start makes the admin key and the demo
 * survey and says so, the printed dashboard URL answers the dashboard and the printed key signs in to
 * it, the printed `curl` line works, Ctrl-C (SIGINT) stops the collector and the demo site cleanly, and
 * a second start reuses the survey without making anything new and says which key signs in. On its
 * SQLite file in the data folder, or — when the suite runs on PostgreSQL (`NPSKIT_DATABASE_URL`) — on a
 * fresh database of its own on that server, used by both starts and dropped afterwards.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { widgetDist } from '../harness/collector.ts'
import { suiteDatabase, type TestDatabase } from '../harness/postgres.ts'
import { interrupt, start, started } from '../harness/start.ts'

const loopback = (url: string) => url.replace('//localhost:', '//127.0.0.1:')

describe.skipIf(!existsSync(join(widgetDist, 'nps.js')))('pnpm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'npskit-start-'))
  let database: TestDatabase | undefined
  beforeAll(async () => {
    database = await suiteDatabase()
  })
  afterAll(async () => {
    // Ctrl-C, as a person would: demo/start.ts then stops the collector it started (in a process group
    // of its own, so a kill of start.ts alone would leave it running).
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) await interrupt(child)
    rmSync(dataDir, { recursive: true, force: true })
    await database?.drop()
  })

  it('makes the key and the demo survey on the first start only, prints the dashboard and a working curl line, and stops on Ctrl-C', async () => {
    const first = await start(dataDir, database?.url)
    const text = first.output()
    const dashboardUrl = /dashboard\s+(http:\/\/localhost:\d+\/)/.exec(text)?.[1]
    const collectorUrl = /collector\s+(http:\/\/localhost:\d+)/.exec(text)?.[1]
    const demoUrl = /demo site\s+(http:\/\/localhost:\d+)/.exec(text)?.[1]
    const key = /^\s+admin key\s+(\S+)/m.exec(text)?.[1]
    const curl = /curl -H "Authorization: Bearer (\S+)" (\S+)/.exec(text)
    expect(collectorUrl, text).toBeDefined()
    expect(demoUrl, text).toBeDefined()
    expect(demoUrl).not.toBe(collectorUrl)
    expect(text).toContain('created now')
    expect(key, text).toMatch(/\S{20,}/)
    expect(curl?.[1]).toBe(key)

    // The dashboard is the first line, the collector's own landing page, and the key just made opens it.
    expect(text.split('\n').find((line) => /^\s+\S+\s+http:/.test(line))).toMatch(/^\s+dashboard\s/)
    expect(dashboardUrl).toBe(`${collectorUrl}/`)
    expect(text).toContain('Sign in to the dashboard with the admin key above.')
    const dashboard = await fetch(loopback(dashboardUrl!))
    expect(dashboard.status).toBe(200)
    expect(dashboard.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await dashboard.text()
    expect(html).toContain('<div id="app"></div>')
    expect(html).toMatch(/<script type="module"[^>]* src="\/dashboard\/assets\/[^"]+\.js"/)
    const signIn = await fetch(loopback(`${collectorUrl}/v1/sessions`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    })
    expect(signIn.status).toBe(201)
    expect(await signIn.json()).toMatchObject({ scope: 'admin' })

    // demo.json beside a SQLite file, demo-postgres-….json for a PostgreSQL database: the one it wrote.
    const [stateFile] = readdirSync(dataDir).filter((name) => /^demo.*\.json$/.test(name))
    expect(stateFile).toMatch(database ? /^demo-postgres-[0-9a-f]{12}\.json$/ : /^demo\.json$/)
    const surveyId = JSON.parse(readFileSync(join(dataDir, stateFile!), 'utf8')).surveyId as string
    expect(curl?.[2]).toBe(`${collectorUrl}/v1/surveys/${surveyId}/nps`)
    // What the curl line does:
    const nps = await fetch(loopback(curl![2]!), { headers: { authorization: `Bearer ${key}` } })
    expect(nps.status).toBe(200)
    expect(await nps.json()).toMatchObject({ total: 0 })
    // The demo page embeds this survey from the collector's origin.
    const page = await (await fetch(loopback(`${demoUrl}/`))).text()
    expect(page).toContain(`<script async src="${collectorUrl}/nps.js" data-survey="${surveyId}"></script>`)

    expect(await interrupt(first.child)).toBe(0)
    await expect(fetch(loopback(`${collectorUrl}/healthz`))).rejects.toThrow()
    await expect(fetch(loopback(`${demoUrl}/`))).rejects.toThrow()

    const second = await start(dataDir, database?.url)
    const again = second.output()
    expect(again).toContain(`(survey ${surveyId})`)
    expect(again).not.toContain('created now')
    expect(again).not.toMatch(/^\s+admin key\s/m)
    expect(again).toContain('Bearer $NPSKIT_ADMIN_KEY')
    // No key to show: the banner says which key signs in, and how to make one when it is lost.
    expect(again).toMatch(/dashboard\s+http:\/\/localhost:\d+\//)
    expect(again).not.toContain('admin key above')
    expect(again).toContain('the admin key your first start printed (or NPSKIT_ADMIN_KEY)')
    expect(again).toContain('`pnpm collector key create`')
    // The site's backend still makes personal links, with the key of its own the first start made.
    const againDemo = /demo site\s+(http:\/\/localhost:\d+)/.exec(again)?.[1]
    const link = await fetch(loopback(`${againDemo}/commands/link`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ respondentId: 'customer-1', accountId: 'acme' }),
    })
    expect(link.status).toBe(200)
    expect(await link.json()).toMatchObject({ url: expect.stringContaining(`/s/${surveyId}?t=`) })
    expect(await interrupt(second.child)).toBe(0)
  })
})
