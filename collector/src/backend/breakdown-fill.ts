/**
 * The run that counts newly declared breakdown dimensions, the same in both engines: one run at a time,
 * batch after batch (each its own transaction, so answers take turns with it) until the engine says none
 * is left. Asked again while it runs (a dimension declared meanwhile), it makes one more pass rather
 * than miss it. Each engine brings only its batch: what one transaction counts, and whether any was left.
 *
 * @example
 * readonly #breakdownFill = new BreakdownFill(() => this.#write(() => countOneBatch()), () => this.#closed)
 * fillBreakdowns() { return this.#breakdownFill.run() }
 * async close() { this.#closed = true; await this.#breakdownFill.settled() }
 */
export class BreakdownFill {
  readonly #batch: () => Promise<boolean>
  readonly #closed: () => boolean
  #running: Promise<void> | undefined
  #asked = false

  /**
   * @param batch counts one batch; false when no dimension was left to count
   * @param closed whether the backend is closing: the run stops between batches
   */
  constructor(batch: () => Promise<boolean>, closed: () => boolean) {
    this.#batch = batch
    this.#closed = closed
  }

  /** Counts until nothing is left; resolves then (a run under way is joined, and goes one pass more). */
  run(): Promise<void> {
    this.#asked = true
    this.#running ??= this.#loop().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  /** Resolves once no run is under way, however the current one ends. */
  async settled(): Promise<void> {
    await this.#running?.catch(() => {})
  }

  async #loop(): Promise<void> {
    while (this.#asked && !this.#closed()) {
      this.#asked = false
      while (!this.#closed() && (await this.#batch())) {
        // Between batches the event loop turns, so requests waiting on this process are served.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  }
}
