import { describe, expect, it } from 'vitest'
import { fixture, uuid } from '../testing.ts'
import { type LifecycleBackend, MIN_SHARE, paceAt, runRetention } from './retention.ts'

const DAY = 86_400_000

describe('the pace of a retention run or a deletion', () => {
  it('takes whole batches and its full share while the thread is idle', () => {
    expect(paceAt(0, 200, 0.1)).toEqual({ size: 200, share: 0.1 })
    expect(paceAt(0.3, 200, 0.1).size).toBe(200)
  })

  it('takes a share of what requests leave idle, in quarter batches, while they keep the thread busy', () => {
    const half = paceAt(0.6, 200, 0.1)
    expect(half.size).toBe(50)
    expect(half.share).toBeCloseTo(0.04, 10)
    expect(paceAt(0.9, 200, 0.1)).toEqual({ size: 50, share: MIN_SHARE })
  })

  it('never stops: at least MIN_SHARE and one answer however busy, or less when asked for less', () => {
    expect(paceAt(1, 2, 0.1)).toEqual({ size: 1, share: MIN_SHARE })
    expect(paceAt(1, 200, 0.01).share).toBe(0.01)
  })
})

describe('a retention run’s lease', () => {
  it('is renewed while a slow run goes on, so no other collector takes the survey meanwhile', async () => {
    const f = await fixture()
    try {
      const id = await f.survey()
      const now = f.clock.now()
      const rows = Array.from({ length: 4 }, (_, i) => ({
        id: uuid(),
        score: i,
        createdAt: new Date(now - (40 + i) * DAY).toISOString(),
      }))
      const res = await f.admin(`/v1/surveys/${id}/responses/import`, {
        method: 'POST',
        body: `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
        headers: { 'content-type': 'application/x-ndjson' },
      })
      expect(res.status).toBe(200)
      // The policy after the import: under it, the import would have left these answers out.
      const patch = { method: 'PATCH', body: { retention: { days: 30, action: 'delete' } } }
      expect((await f.admin(`/v1/surveys/${id}`, patch)).status).toBe(200)
      const survey = (await f.backend.getSurvey(id))!
      // The real backend, with each lease it is given written down.
      const leases: number[] = []
      const real = f.backend
      const backend: LifecycleBackend = {
        listResponses: real.listResponses.bind(real),
        distribution: real.distribution.bind(real),
        deleteResponses: real.deleteResponses.bind(real),
        anonymiseResponses: real.anonymiseResponses.bind(real),
        countToAnonymise: real.countToAnonymise.bind(real),
        recordLifecycleRun: real.recordLifecycleRun.bind(real),
        scrub: real.scrub.bind(real),
        scheduleMark: real.scheduleMark.bind(real),
        commitSchedule: (...args) => {
          leases.push((args[3].data as { runningUntil: number }).runningUntil)
          return real.commitSchedule(...args)
        },
      }
      // Each look at the clock finds the run 20 minutes older: a run paced down by a burst of answers.
      let elapsed = 0
      const clock = () => {
        elapsed += 20 * 60_000
        return now + elapsed
      }
      const run = await runRetention(backend, survey, now, { batch: 1, pauseMs: 0, clock })
      expect(run?.deleted).toBe(4)
      // Claimed for 30 minutes, renewed as the run went on, given back at the end.
      expect(leases[0]).toBe(now + 30 * 60_000)
      expect(leases.slice(1, -1).length).toBeGreaterThan(0)
      expect(leases.slice(1, -1).every((until) => until > now + 30 * 60_000)).toBe(true)
      expect(leases.at(-1)).toBe(0)
    } finally {
      await f.close()
    }
  })
})
