/**
 * The writer thread: the hot public writes (answers and widget events) are committed by a worker
 * thread with its own connection, so the HTTP thread spends its time on requests rather than inside
 * SQLite. It is a group commit across threads: writes queued in one event-loop turn go to the worker
 * as one message; the worker runs everything it has received as one transaction (each write fails
 * alone: a single statement undoes itself), makes the WAL durable with an asynchronous fdatasync (see
 * sqlite-store.ts) while it already commits the next batch, and answers each message once, after that
 * sync. So a write resolves only once it is committed and durable, and the main connection, reading
 * the same WAL, sees it.
 *
 * The worker is plain CommonJS evaluated from a string, so it runs the same under tsx, vitest and node.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** Named parameters of the answer statements (see sqlite-store.ts). */
export interface ResponseParams {
  surveyId: string
  id: string
  at: number
  score: number
  comment: string | null
  respondentId: string | null
  locale: string | null
  url: string | null
  path: string | null
  device: string | null
  metadata: string | null
}

/** `r`: an answer (resolves 1 when inserted, 0 when merged); `e`: an event (surveyId, type, respondentId, responseId, at). */
export type WriteOp = ['r', ResponseParams] | ['e', string, string, string, string | null, number]

export interface WriterSql {
  insertResponse: string
  mergeResponse: string
  insertEvent: string
}

const WORKER = `
const { fdatasync, fstat, openSync, closeSync } = require('node:fs')
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
// Per-connection settings: the same as the main connection's.
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.pragma('wal_autocheckpoint = 0')
const insertResponse = db.prepare(workerData.sql.insertResponse)
const mergeResponse = db.prepare(workerData.sql.mergeResponse)
const insertEvent = db.prepare(workerData.sql.insertEvent)
const failure = (error) => ({ message: String(error && error.message), code: error && error.code })
const run = (op) => {
  if (op[0] === 'r') {
    if (insertResponse.run(op[1]).changes > 0) return 1
    mergeResponse.run(op[1])
    return 0
  }
  insertEvent.run(op[1], op[2], op[3], op[4], op[5])
  return 0
}
const batch = db.transaction((ops) => ops.map((op) => {
  try { return run(op) } catch (error) { return failure(error) }
}))
// Syncs run on libuv's thread pool (four threads by default); two leave room for other file work.
const MAX_SYNCS_IN_FLIGHT = 2
let queued = []
let scheduled = false
let unsynced = []
let syncing = 0
let closing = false
let walFd
const flush = () => {
  scheduled = false
  const messages = queued
  queued = []
  if (messages.length === 0) return
  const ops = messages.length === 1 ? messages[0][1] : messages.flatMap((m) => m[1])
  let results
  try {
    results = batch.immediate(ops)
  } catch (error) {
    const failed = failure(error)
    parentPort.postMessage(messages.map(([id, batchOps]) => [id, batchOps.map(() => failed)]))
    return
  }
  let at = 0
  const answers = messages.map(([id, batchOps]) => [id, results.slice(at, (at += batchOps.length))])
  if (!workerData.sync) parentPort.postMessage(answers)
  else for (const answer of answers) unsynced.push(answer)
}
const startSync = () => {
  if (unsynced.length === 0 || syncing >= MAX_SYNCS_IN_FLIGHT) return
  const group = unsynced
  unsynced = []
  try {
    walFd ??= openSync(workerData.path + '-wal', 'r+')
  } catch (error) {
    const failed = failure(error)
    parentPort.postMessage(group.map(([id, results]) => [id, results.map(() => failed)]))
    return
  }
  syncing++
  // A sync covers everything committed before it started, so a batch may start its own while an older
  // one is still flushing: answers wait about one flush, not up to two.
  fdatasync(walFd, (error) => {
    syncing--
    if (error) {
      const failed = failure(error)
      parentPort.postMessage(group.map(([id, results]) => [id, results.map(() => failed)]))
    } else {
      parentPort.postMessage(group)
      limitWal()
    }
    startSync()
    finish()
  })
}
// The size guard of background checkpoints (checkpointer.ts): a WAL that outgrew them is truncated
// here, by its writer, without waiting: if the checkpointer is busy, a later guard tries again.
let truncating = false
const limitWal = () => {
  if (truncating) return
  truncating = true
  fstat(walFd, (error, stats) => {
    truncating = false
    if (error || !db.open || stats.size <= workerData.maxWalBytes) return
    db.pragma('busy_timeout = 0')
    try {
      db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
    } finally {
      db.pragma('busy_timeout = 5000')
    }
  })
}
const finish = () => {
  if (!closing || syncing > 0 || unsynced.length > 0) return
  if (walFd !== undefined) closeSync(walFd)
  db.close()
  parentPort.close()
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    closing = true
    flush()
    startSync()
    finish()
    return
  }
  queued.push(message)
  if (!scheduled) {
    scheduled = true
    setImmediate(() => {
      flush()
      startSync()
    })
  }
})
`

type Answer = [id: number, results: (number | { message: string; code?: string })[]]

interface Waiting {
  resolve: (value: number) => void
  reject: (error: Error) => void
}

/**
 * One writer thread for one database file. `sync: false` skips the fdatasync (the store's `normal` mode).
 *
 * @example
 * const writer = new Writer('./data/npskit.db', sql, { sync: true, maxWalBytes: 64 * 1024 * 1024 })
 * const inserted = await writer.write(['e', 'srv_1', 'shown', 'visitor-1', null, Date.now()])
 * await writer.close()
 */
export class Writer {
  #worker!: Worker
  #exited!: Promise<void>
  #ops: WriteOp[] = []
  #waiting: Waiting[] = []
  #scheduled = false
  #nextId = 1
  /** Messages sent and not answered yet, by id, oldest first. */
  readonly #inFlight = new Map<number, Waiting[]>()
  /** Callers waiting until every message up to an id is answered. */
  #barriers: { upTo: number; done: () => void }[] = []
  #closed = false
  /** Set when a writer thread stopped before it ever answered: starting another would only fail again. */
  #broken: Error | undefined

  constructor(
    readonly path: string,
    readonly sql: WriterSql,
    readonly options: { sync: boolean; maxWalBytes: number },
  ) {
    this.#start()
  }

  #start(): void {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { path: this.path, driver, sql: this.sql, ...this.options },
    })
    this.#worker = worker
    worker.unref()
    let answered = false
    worker.on('message', (answers: Answer[]) => {
      answered = true
      this.#answer(answers)
    })
    let failure: Error | undefined
    worker.on('error', (error) => {
      failure = error
    })
    this.#exited = new Promise((resolve) => {
      worker.once('exit', () => {
        // Whatever it had not answered may or may not have committed; it was not acknowledged either way.
        const error = failure ?? new Error('the writer thread stopped')
        for (const waiting of this.#inFlight.values()) for (const w of waiting) w.reject(error)
        this.#inFlight.clear()
        this.#release()
        if (!this.#closed && answered) this.#start()
        else if (!this.#closed) this.#broken = error
        resolve()
      })
    })
  }

  /** Queues one write; resolves with its result once its transaction is committed and durable. */
  write(op: WriteOp): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the store is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    return new Promise<number>((resolve, reject) => {
      this.#ops.push(op)
      this.#waiting.push({ resolve, reject })
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => this.#flush())
      }
    })
  }

  #flush(): void {
    this.#scheduled = false
    if (this.#ops.length === 0) return
    if (this.#broken) {
      for (const w of this.#waiting) w.reject(this.#broken)
      this.#ops = []
      this.#waiting = []
      return
    }
    const id = this.#nextId++
    if (this.#inFlight.size === 0) this.#worker.ref()
    this.#inFlight.set(id, this.#waiting)
    this.#worker.postMessage([id, this.#ops])
    this.#ops = []
    this.#waiting = []
  }

  #answer(answers: Answer[]): void {
    for (const [id, results] of answers) {
      const waiting = this.#inFlight.get(id)
      if (!waiting) continue
      this.#inFlight.delete(id)
      for (let i = 0; i < results.length; i++) {
        const result = results[i]!
        if (typeof result === 'number') waiting[i]!.resolve(result)
        else waiting[i]!.reject(Object.assign(new Error(result.message), { code: result.code }))
      }
    }
    this.#release()
    if (this.#inFlight.size === 0) this.#worker.unref()
  }

  #release(): void {
    if (this.#barriers.length === 0) return
    const oldest = this.#inFlight.keys().next()
    const answeredBelow = oldest.done ? this.#nextId : oldest.value
    this.#barriers = this.#barriers.filter((barrier) => {
      if (barrier.upTo >= answeredBelow) return true
      barrier.done()
      return false
    })
  }

  /**
   * Undefined when nothing is queued or in flight; otherwise a promise that settles once every write
   * queued so far has been answered. Writes on another connection wait on it to keep their order.
   */
  settled(): Promise<void> | undefined {
    this.#flush()
    if (this.#inFlight.size === 0) return undefined
    const upTo = this.#nextId - 1
    return new Promise<void>((done) => this.#barriers.push({ upTo, done }))
  }

  /** Sends what is queued, waits for every answer, and stops the thread. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.settled()
    this.#worker.ref()
    this.#worker.postMessage('close')
    const timer = setTimeout(() => void this.#worker.terminate(), 10_000)
    await this.#exited
    clearTimeout(timer)
  }
}
