/**
 * Group commit: writes that arrive in the same event-loop turn share one SQLite transaction, committed
 * on the next `setImmediate`; each caller's promise settles only once that transaction is durable, so
 * a 2xx answer always means the row survives a crash or a power loss.
 *
 * Durability comes from `sync`, an asynchronous fdatasync of the WAL file (see sqlite-store.ts): the
 * commit itself does not wait for the disk, and while one sync is in flight the event loop keeps
 * parsing requests and committing batches, which then share the next sync. A burst of N writes costs a
 * handful of disk flushes, none of them blocking the server.
 *
 * Each operation runs in its own savepoint: one failing operation (say, its survey was just deleted)
 * rolls back alone and rejects alone; the rest of the batch commits.
 */
import type { Database, Transaction } from 'better-sqlite3'

/** Syncs run on libuv's thread pool (four threads by default); two leave room for other file work. */
const MAX_SYNCS_IN_FLIGHT = 2

interface Pending {
  run: () => unknown
  atomic: boolean
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

interface Outcome {
  ok: boolean
  value: unknown
}

/** Makes everything committed so far durable, then calls back (with an error if it could not). */
export type Sync = (done: (error: Error | null) => void) => void

export class GroupCommit {
  #pending: Pending[] = []
  #scheduled = false
  #closed = false
  /** Committed operations whose answer waits for the next sync. */
  #unsynced: [Pending, unknown][] = []
  /** Syncs in flight. */
  #syncing = 0
  #drained: (() => void)[] = []
  readonly #batch: Transaction<(ops: Pending[]) => Outcome[]>

  constructor(
    db: Database,
    readonly sync?: Sync,
  ) {
    // Called inside the batch transaction, a better-sqlite3 transaction function becomes a savepoint.
    const savepoint = db.transaction((run: () => unknown) => run())
    this.#batch = db.transaction((ops: Pending[]) =>
      ops.map((op) => {
        try {
          return { ok: true, value: op.atomic ? savepoint(op.run) : op.run() }
        } catch (error) {
          return { ok: false, value: error }
        }
      }),
    )
  }

  /**
   * Runs `run` inside the next batch transaction; resolves with its result once durable. An operation
   * that writes with one statement can pass `atomic: false` to skip its savepoint: SQLite already
   * undoes a failed statement on its own.
   */
  enqueue<T>(run: () => T, { atomic = true }: { atomic?: boolean } = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, atomic, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits whatever is queued now; its callers hear back after the next sync. */
  flush(): void {
    this.#scheduled = false
    const ops = this.#pending
    if (ops.length === 0) return
    this.#pending = []
    let outcomes: Outcome[]
    try {
      outcomes = this.#batch.immediate(ops)
    } catch (error) {
      for (const op of ops) op.reject(error)
      return
    }
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!
      // A failed operation wrote nothing: nothing to wait for.
      if (!outcome.ok) op.reject(outcome.value)
      else if (!this.sync) op.resolve(outcome.value)
      else this.#unsynced.push([op, outcome.value])
    })
    this.#startSync()
  }

  #startSync(): void {
    if (!this.sync) return
    if (this.#unsynced.length === 0) {
      if (this.#syncing === 0) for (const done of this.#drained.splice(0)) done()
      return
    }
    // A sync covers everything written before it started, so a batch may start its own while an older
    // one is still flushing instead of waiting for it: answers wait about one flush, not up to two.
    if (this.#syncing >= MAX_SYNCS_IN_FLIGHT) return
    this.#syncing++
    const group = this.#unsynced
    this.#unsynced = []
    this.sync((error) => {
      this.#syncing--
      for (const [op, value] of group) {
        if (error) op.reject(error)
        else op.resolve(value)
      }
      this.#startSync()
    })
  }

  /** Commits what is queued, waits until it is durable, and refuses anything later. */
  async close(): Promise<void> {
    this.flush()
    this.#closed = true
    if (this.#syncing === 0 && this.#unsynced.length === 0) return
    await new Promise<void>((resolve) => this.#drained.push(resolve))
  }
}
