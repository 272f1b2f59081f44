/**
 * Group commit: writes share SQLite transactions, and each caller's promise settles only once its
 * transaction is durable, so a 2xx answer always means the row survives a crash or a power loss.
 *
 * Durability comes from `sync`, an asynchronous fdatasync of the WAL file (see sqlite-store.ts): the
 * commit itself does not wait for the disk, and while the sync is in flight the event loop keeps
 * parsing requests. One commit and its sync are in flight at a time: writes that arrive meanwhile wait
 * and are committed together as soon as it is done. So the busier the collector, the larger each
 * transaction, and the pages a commit rewrites (the ends of the table and its indexes, the hour's
 * counts) are written to the WAL, copied by the checkpoint and flushed once per group instead of once
 * per few answers — most of what storing an answer costs. Without `sync`, each event-loop turn's
 * writes are committed and answered together.
 *
 * Each operation runs in its own savepoint: one failing operation (say, its survey was just deleted)
 * rolls back alone and rejects alone; the rest of the batch commits.
 */
import type { Database, Transaction } from 'better-sqlite3'

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
  /** A commit's sync is in flight; new writes wait for it. */
  #syncing = false
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
      // Whatever else arrives in this turn joins the same commit; during a sync, the next one does.
      if (!this.#scheduled && !this.#syncing) {
        this.#scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  /** Commits whatever is queued now; its callers hear back after its sync. */
  flush(): void {
    this.#scheduled = false
    if (this.#syncing) return
    const ops = this.#pending
    this.#pending = []
    if (ops.length === 0) {
      for (const done of this.#drained.splice(0)) done()
      return
    }
    let outcomes: Outcome[]
    try {
      outcomes = this.#batch.immediate(ops)
    } catch (error) {
      for (const op of ops) op.reject(error)
      return
    }
    const committed: [Pending, unknown][] = []
    ops.forEach((op, i) => {
      const outcome = outcomes[i]!
      // A failed operation wrote nothing: nothing to wait for.
      if (!outcome.ok) op.reject(outcome.value)
      else if (!this.sync) op.resolve(outcome.value)
      else committed.push([op, outcome.value])
    })
    if (!this.sync || committed.length === 0) {
      if (this.#pending.length === 0) for (const done of this.#drained.splice(0)) done()
      return
    }
    this.#syncing = true
    this.sync((error) => {
      this.#syncing = false
      for (const [op, value] of committed) {
        if (error) op.reject(error)
        else op.resolve(value)
      }
      // Everything that arrived during the sync, as one commit.
      this.flush()
    })
  }

  /** Commits what is queued, waits until it is durable, and refuses anything later. */
  async close(): Promise<void> {
    this.#closed = true
    const drained = new Promise<void>((resolve) => this.#drained.push(resolve))
    this.flush()
    await drained
  }
}
