/**
 * Follow-up work gives way to requests. The dispatcher and the senders run on the thread that answers
 * HTTP, and their work can wait in the database while requests cannot: when the thread was busy most
 * of the time since the last look (a burst of answers), they take smaller steps and pause between them,
 * and catch up once the burst is over. Measured as the event loop's utilisation, which counts the time
 * the thread ran JavaScript or native code rather than waited.
 *
 * @example
 * const pace = new Pace()
 * if (pace.busy()) await sleep(500)
 */
import { performance } from 'node:perf_hooks'

/** Busy: the thread worked this share of the time since the last look. */
const BUSY = 0.8
/** Looks closer together than this answer the last verdict: a few ms say nothing about load. */
const WINDOW_MS = 250

export class Pace {
  #last = performance.eventLoopUtilization()
  #lastAt = performance.now()
  #utilisation = 0

  /** Whether the thread was busy over the last quarter second or more (the first: since this was made). */
  busy(): boolean {
    return this.utilisation() > BUSY
  }

  /**
   * The share of the time (0–1) the thread worked over the last quarter second or more (the first:
   * since this was made): for work that scales its pace with the load rather than only halving it.
   */
  utilisation(): number {
    if (performance.now() - this.#lastAt < WINDOW_MS) return this.#utilisation
    const now = performance.eventLoopUtilization()
    this.#utilisation = performance.eventLoopUtilization(now, this.#last).utilization
    this.#last = now
    this.#lastAt = performance.now()
    return this.#utilisation
  }
}
