/**
 * Group commit: writes that arrive in the same event-loop turn share one SQLite transaction, committed
 * on the next `setImmediate`. Each caller's promise settles only after that transaction committed, so a
 * 2xx answer always means the row is on disk, while a burst of N requests costs one fsync, not N.
 *
 * Each operation runs in its own savepoint: one failing operation (say, its survey was just deleted)
 * rolls back alone and rejects alone; the rest of the batch commits.
 */
import type { Database, Transaction } from 'better-sqlite3'

interface Pending {
  run: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

export class GroupCommit {
  #pending: Pending[] = []
  #scheduled = false
  #closed = false
  readonly #batch: Transaction<(ops: Pending[]) => { ok: boolean; value: unknown }[]>

  constructor(db: Database) {
    // Called inside the batch transaction, a better-sqlite3 transaction function becomes a savepoint.
    const savepoint = db.transaction((run: () => unknown) => run())
    this.#batch = db.transaction((ops: Pending[]) =>
      ops.map((op) => {
        try {
          return { ok: true, value: savepoint(op.run) }
        } catch (error) {
          return { ok: false, value: error }
        }
      }),
    )
  }

  /** Runs `run` inside the next batch transaction; resolves with its result once committed. */
  enqueue<T>(run: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ run, resolve: resolve as (value: unknown) => void, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits whatever is queued now. */
  flush(): void {
    this.#scheduled = false
    const ops = this.#pending
    if (ops.length === 0) return
    this.#pending = []
    let outcomes: { ok: boolean; value: unknown }[]
    try {
      outcomes = this.#batch.immediate(ops)
    } catch (error) {
      for (const op of ops) op.reject(error)
      return
    }
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!
      if (outcome.ok) op.resolve(outcome.value)
      else op.reject(outcome.value)
    })
  }

  /** Commits what is queued and refuses anything later. */
  close(): void {
    this.flush()
    this.#closed = true
  }
}
