/**
 * Import spools on a real collector process: an import is spooled inside the collector's data folder
 * (beside the SQLite file), not the system's temp folder, and a spool that a SIGKILL left behind is
 * removed at the next start.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('an import spool', () => {
  let collector: CollectorProcess
  let spools: string
  const files = () => (existsSync(spools) ? readdirSync(spools) : [])

  beforeAll(async () => {
    collector = collectorProcess()
    await collector.start()
    spools = join(dirname(collector.dbPath), 'imports')
  })
  afterAll(() => collector.close())

  it('lives in the data folder, and a SIGKILL mid-import leaves it only until the next start', async () => {
    const { id } = await createSurvey(collector, { name: 'Spool' })
    // An import whose body keeps coming: rows are sent, the upload never ends.
    const upload = request(`${collector.url}/v1/surveys/${id}/responses/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.adminKey}`, 'content-type': 'application/x-ndjson' },
    })
    upload.on('error', () => {})
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `${JSON.stringify({ id: `row-${i}`, score: i % 11 })}\n`,
    )
    upload.write(rows.join(''))
    let spooled: string | undefined
    for (let i = 0; i < 400 && !spooled; i++) {
      spooled = files().find((name) => statSync(join(spools, name)).size > 0)
      if (!spooled) await sleep(25)
    }
    expect(spooled, 'a spool file with rows in <data folder>/imports').toBeDefined()

    await collector.kill('SIGKILL')
    upload.destroy()
    expect(files()).toContain(spooled)

    await collector.restart()
    expect(files()).toEqual([])
    expect(collector.output()).toContain('removed 1 import spool file(s) left by an earlier run')
  })

  it('is removed when the client goes away mid-upload', async () => {
    const { id } = await createSurvey(collector, { name: 'Gone' })
    const upload = request(`${collector.url}/v1/surveys/${id}/responses/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.adminKey}`, 'content-type': 'application/x-ndjson' },
    })
    upload.on('error', () => {})
    upload.write(`${JSON.stringify({ id: 'a', score: 1 })}\n`)
    for (let i = 0; i < 400 && files().length === 0; i++) await sleep(25)
    expect(files()).toHaveLength(1)
    upload.destroy()
    for (let i = 0; i < 400 && files().length > 0; i++) await sleep(25)
    expect(files()).toEqual([])
  })
})
