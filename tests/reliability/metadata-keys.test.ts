/**
 * The metadata-key attack: thousands of anonymous answers, each from another address and each with 20
 * metadata keys never seen before, used to make a CSV export grow by a column per key and its collector
 * hold gigabytes. The survey learns at most 50 keys and refuses the rest (400), the export has a column
 * per key it learned, and the collector's memory stays bounded through the attack and the export, also
 * when the rows it exports are as wide as the cap allows.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSurvey } from '../harness/api.ts'
import { type CollectorProcess, collectorProcess } from '../harness/collector.ts'

const ORIGIN = 'https://shop.example'
const ATTACKERS = 3000
const KEYS_PER_ANSWER = 20
const MiB = 1024 * 1024

/** The highest resident memory the process has had (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)
  if (!kib) throw new Error(`no VmHWM in /proc/${pid}/status`)
  return Number(kib[1]) * 1024
}

/** Runs `count` tasks, `width` at a time; answers their results in order. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++
        results[i] = await task(i)
      }
    }),
  )
  return results
}

describe('a survey under the metadata-key attack', () => {
  let collector: CollectorProcess
  let surveyId: string

  beforeAll(async () => {
    // The rate limit stays on; every attacker comes from an address of its own, through a trusted proxy.
    collector = collectorProcess({ env: { NPSKIT_RATE_LIMIT: '120', NPSKIT_TRUST_PROXY: 'true' } })
    await collector.start()
    surveyId = (await createSurvey(collector, { name: 'Attacked', allowedOrigins: [ORIGIN] })).id
  })

  afterAll(async () => {
    await collector?.close()
  })

  const post = async (i: number, metadata: Record<string, string | number>) => {
    const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, {
      method: 'POST',
      headers: {
        origin: ORIGIN,
        'content-type': 'text/plain',
        'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      },
      body: JSON.stringify({ id: randomUUID(), score: i % 11, metadata }),
    })
    return { status: res.status, text: await res.text() }
  }

  it('learns 50 keys at most, refuses the rest, and exports within 300 MB', async () => {
    const attack = await inParallel(ATTACKERS, 16, (i) =>
      post(
        i,
        Object.fromEntries(
          Array.from({ length: KEYS_PER_ANSWER }, (_, k) => [`a${i}_${k}`, 'x'.repeat(256)]),
        ),
      ),
    )
    const accepted = attack.filter((r) => r.status === 201).length
    const refused = attack.filter((r) => r.status === 400)
    // 20 new keys an answer: two answers fit in 50, every later one would pass the cap.
    expect(accepted).toBe(2)
    expect(refused).toHaveLength(ATTACKERS - 2)
    expect(JSON.parse(refused[0]!.text)).toMatchObject({
      error: { code: 'invalid_body', message: expect.stringContaining('already collects 50 metadata keys') },
    })

    // Answers as wide as the cap allows, with the keys the survey did learn: the export's worst rows.
    const headers = { authorization: `Bearer ${collector.adminKey}` }
    const learned = (await (
      await fetch(`${collector.url}/v1/surveys/${surveyId}/responses`, { headers })
    ).json()) as {
      items: { metadata: Record<string, string> }[]
    }
    const keys = learned.items.flatMap((item) => Object.keys(item.metadata)).slice(0, KEYS_PER_ANSWER)
    const wide = await inParallel(ATTACKERS, 16, (i) =>
      post(ATTACKERS + i, Object.fromEntries(keys.map((key) => [key, `${i}`.padEnd(256, 'y')]))),
    )
    expect(wide.every((r) => r.status === 201)).toBe(true)

    const res = await fetch(`${collector.url}/v1/surveys/${surveyId}/responses?format=csv`, { headers })
    expect(res.status).toBe(200)
    const csv = await res.text()
    // No cell here holds a comma, a quote or a line break: lines are records, commas cells.
    const [header, ...rows] = csv.trimEnd().split('\n')
    const metadataColumns = header!.split(',').filter((column) => column.startsWith('metadata.'))
    expect(metadataColumns.length).toBeLessThanOrEqual(50)
    expect(metadataColumns).toHaveLength(2 * KEYS_PER_ANSWER)
    expect(rows).toHaveLength(2 + ATTACKERS)

    const peak = peakRss(collector.pid!)
    expect(peak, `collector peak RSS ${(peak / MiB).toFixed(0)} MiB`).toBeLessThan(300 * MiB)
  }, 300_000)
})
