/**
 * Group commit: writes that arrive in the same event-loop turn share one SQLite transaction, committed
 * on the next `setImmediate`; each caller's promise settles only once that transaction is durable, so
 * a 2xx answer always means the row survives a crash or a power loss.
 *
 * Durability comes from `sync`, an asynchronous fdatasync of the WAL file (see sqlite-backend.ts): the
 * commit itself does not wait for the disk. One sync is in flight at a time, and it covers every commit
 * made before it started; commits made meanwhile wait for the next one. Syncs start at least
 * `minSyncIntervalMs` apart (1 ms by default, the group-commit delay of PostgreSQL and MySQL): on a
 * fast disk a flush returns in a fraction of that, and flushing after every few answers costs more CPU
 * in the kernel and in thread-pool wake-ups than the answers themselves; on a slow disk syncs simply
 * run back to back. The event loop never stops to wait for the disk. (Holding commits back until the
 * sync returns would make fewer, larger transactions, but left the server idle while every client
 * waited for the same flush: 0.64× against 0.68× bare Hono when answers committed on this thread.)
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
  /** Committed operations whose answer waits for the next sync. */
  #unsynced: [Pending, unknown][] = []
  #syncing = false
  /** When the last sync started (performance.now()), and the timer that holds the next one back. */
  #syncedAt = Number.NEGATIVE_INFINITY
  #waiting: NodeJS.Timeout | undefined
  #drained: (() => void)[] = []
  readonly #batch: Transaction<(ops: Pending[]) => Outcome[]>

  readonly minSyncIntervalMs: number

  /**
   * `beforeCommit` runs inside each batch transaction after its operations: work they leave to be done
   * once per commit (the hourly counts).
   */
  constructor(
    db: Database,
    readonly sync?: Sync,
    { minSyncIntervalMs = 1, beforeCommit }: { minSyncIntervalMs?: number; beforeCommit?: () => void } = {},
  ) {
    this.minSyncIntervalMs = minSyncIntervalMs
    // Called inside the batch transaction, a better-sqlite3 transaction function becomes a savepoint.
    const savepoint = db.transaction((run: () => unknown) => run())
    this.#batch = db.transaction((ops: Pending[]) => {
      const outcomes = ops.map((op) => {
        try {
          return { ok: true, value: op.atomic ? savepoint(op.run) : op.run() }
        } catch (error) {
          return { ok: false, value: error }
        }
      })
      beforeCommit?.()
      return outcomes
    })
  }

  /**
   * Runs `run` inside the next batch transaction; resolves with its result once durable. An operation
   * that writes with one statement can pass `atomic: false` to skip its savepoint: SQLite already
   * undoes a failed statement on its own.
   */
  enqueue<T>(run: () => T, { atomic = true }: { atomic?: boolean } = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the backend is closed'))
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
    if (ops.length > 0) {
      this.#pending = []
      let outcomes: Outcome[] | undefined
      try {
        outcomes = this.#batch.immediate(ops)
      } catch (error) {
        for (const op of ops) op.reject(error)
      }
      outcomes?.forEach((outcome, i) => {
        const op = ops[i]!
        // A failed operation wrote nothing: nothing to wait for.
        if (!outcome.ok) op.reject(outcome.value)
        else if (!this.sync) op.resolve(outcome.value)
        else this.#unsynced.push([op, outcome.value])
      })
    }
    this.#startSync()
  }

  #startSync(): void {
    if (this.#syncing || this.#waiting) return
    if (this.#unsynced.length === 0) {
      for (const done of this.#drained.splice(0)) done()
      return
    }
    const wait = this.#syncedAt + this.minSyncIntervalMs - performance.now()
    if (wait > 0) {
      this.#waiting = setTimeout(() => {
        this.#waiting = undefined
        this.#startSync()
      }, wait)
      return
    }
    this.#syncedAt = performance.now()
    this.#syncing = true
    const group = this.#unsynced
    this.#unsynced = []
    this.sync!((error) => {
      this.#syncing = false
      for (const [op, value] of group) {
        if (error) op.reject(error)
        else op.resolve(value)
      }
      this.#startSync()
    })
  }

  /** Commits what is queued now and resolves once it is durable. */
  idle(): Promise<void> {
    const drained = new Promise<void>((resolve) => this.#drained.push(resolve))
    this.flush()
    return drained
  }

  /** Commits what is queued, waits until it is durable, and refuses anything later. */
  async close(): Promise<void> {
    this.#closed = true
    await this.idle()
  }
}
