import { describe, expect, it } from 'vitest'
import { BreakdownFill } from './breakdown-fill.ts'

/** An engine's batch as a queue of answers: true while there was a batch to count. */
function engine(batches: number) {
  const state = { left: batches, counted: 0, closed: false }
  const batch = async () => {
    if (state.left === 0) return false
    state.left--
    state.counted++
    return true
  }
  return { state, fill: new BreakdownFill(batch, () => state.closed) }
}

describe('the breakdown fill', () => {
  it('counts batch after batch until none is left, then resolves', async () => {
    const { state, fill } = engine(5)
    await fill.run()
    expect(state).toMatchObject({ left: 0, counted: 5 })
  })

  it('is one run however often it is asked, and goes one pass more for work declared as a pass ends', async () => {
    const state = { left: 3, counted: 0, declared: false }
    const fill: BreakdownFill = new BreakdownFill(
      async () => {
        if (state.left > 0) {
          state.left--
          state.counted++
          return true
        }
        // A dimension declared just as this pass found nothing left: it asks the run under way.
        if (!state.declared) {
          state.declared = true
          state.left = 2
          expect(fill.run()).toBe(first)
        }
        return false
      },
      () => false,
    )
    const first = fill.run()
    expect(fill.run()).toBe(first)
    await first
    expect(state).toMatchObject({ left: 0, counted: 5 })
  })

  it('stops between batches once the backend is closing', async () => {
    const { state, fill } = engine(100)
    const run = fill.run()
    await new Promise((resolve) => setImmediate(resolve))
    state.closed = true
    await run
    expect(state.counted).toBeGreaterThan(0)
    expect(state.counted).toBeLessThan(100)
  })

  it('lets the caller wait for the run to end however it ends, and is asked again afterwards', async () => {
    let fail = true
    let counted = 0
    const fill = new BreakdownFill(
      async () => {
        if (fail) throw new Error('the database is closing')
        return counted++ < 2
      },
      () => false,
    )
    await expect(fill.run()).rejects.toThrow('the database is closing')
    await fill.settled()
    fail = false
    await fill.run()
    expect(counted).toBe(3)
  })
})
