/**
 * The writer thread: answers and widget events, the hot writes, are committed by a worker thread with
 * its own connection, so the HTTP thread spends none of its time inside SQLite.
 *
 * They travel through a ring buffer in shared memory, not as messages: posting a message wakes the
 * other thread, and on a small, busy machine each wake-up cost the HTTP thread more than the insert it
 * handed over (README, Performance). The HTTP thread only copies a write into the ring. The writer
 * thread looks into the ring every millisecond while there is work, and after `sleepAfterMs` without
 * any it sleeps until the HTTP thread notifies it — which the HTTP thread does only then. Each time it
 * finds writes, it commits them all as one transaction (each fails alone: a single statement undoes
 * itself), adds the hourly counts of the new answers (as HourCounts does: hour-counts.ts), makes the
 * WAL durable with fdatasync (see sqlite-store.ts) and then posts the results, in order, in one
 * message. So a write resolves only once it is committed and durable, and the main connection, reading
 * the same WAL, sees it.
 *
 * The worker is plain CommonJS evaluated from a string, so it runs the same under tsx, vitest and node.
 */
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * An answer as the answer statements bind it: `[?1 surveyId, ?2 id, ?3 at, ?4 score, ?5 comment,
 * ?6 respondentId, ?7 locale, ?8 url, ?9 path, ?10 device, ?11 metadata]`.
 */
export type ResponseValues = [
  surveyId: string,
  id: string,
  at: number,
  score: number,
  comment: string | null,
  respondentId: string | null,
  locale: string | null,
  url: string | null,
  path: string | null,
  device: string | null,
  metadata: string | null,
]

/** An event as its statement binds it: `[?1 surveyId, ?2 type, ?3 respondentId, ?4 responseId, ?5 at]`. */
export type EventValues = [
  surveyId: string,
  type: string,
  respondentId: string,
  responseId: string | null,
  at: number,
]

/** `r`: an answer (resolves 1 when inserted, 0 when merged); `e`: an event (resolves 0). */
export type WriteOp = ['r', ...ResponseValues] | ['e', ...EventValues]

/**
 * The statements, with `?NNN` parameters numbered as in ResponseValues and EventValues; each uses every
 * number of its kind (better-sqlite3 counts a gap as a missing value). An answer runs `insertResponse`,
 * which must do nothing on a repeated id, and when that inserted nothing, `mergeResponse`.
 * `upsertHourCounts` adds eleven counts to a survey's hour: `(surveyId, hour, s0, …, s10)`.
 */
export interface WriterSql {
  insertResponse: string
  mergeResponse: string
  insertEvent: string
  upsertHourCounts: string
}

export interface WriterOptions {
  /** false: no fdatasync, acknowledged once committed (the store's `normal` mode). */
  sync: boolean
  /** Past this size the writer truncates the WAL (see checkpointer.ts). */
  maxWalBytes: number
  /** Bytes of the ring, a power of two; writes that do not fit wait on the HTTP thread. */
  ringBytes?: number
  /** Quiet time after which the writer thread sleeps until notified. */
  sleepAfterMs?: number
}

// The ring's header, Int32 slots: bytes written and bytes read so far (both wrap at 2^32), whether the
// writer thread sleeps, whether it should finish.
const WRITTEN = 0
const READ = 1
const SLEEPING = 2
const CLOSING = 3
const HEADER_BYTES = 16

const WORKER = `
const { closeSync, fdatasyncSync, fstatSync, openSync } = require('node:fs')
const { parentPort, workerData } = require('node:worker_threads')
const { path, driver, sql, sab, sync, maxWalBytes, sleepAfterMs } = workerData
const Database = require(driver)
const db = new Database(path)
// Per-connection settings: the same as the main connection's.
db.pragma('synchronous = NORMAL')
db.pragma('foreign_keys = ON')
db.pragma('busy_timeout = 5000')
db.pragma('wal_autocheckpoint = 0')
const insertResponse = db.prepare(sql.insertResponse)
const mergeResponse = db.prepare(sql.mergeResponse)
const insertEvent = db.prepare(sql.insertEvent)
const upsertHourCounts = db.prepare(sql.upsertHourCounts)
const header = new Int32Array(sab, 0, 4)
const ring = new Uint8Array(sab, ${HEADER_BYTES})
const mask = ring.length - 1
const decoder = new TextDecoder()

// The hourly counts of the answers inserted in this transaction: survey + hour → eleven counts.
const HOUR_MS = 3600000
const hours = new Map()
const count = (surveyId, at, score) => {
  const key = surveyId + '\\u0000' + Math.floor(at / HOUR_MS)
  let counts = hours.get(key)
  if (!counts) hours.set(key, (counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
  counts[score]++
}
const flushHours = () => {
  for (const [key, counts] of hours) {
    const split = key.indexOf('\\u0000')
    upsertHourCounts.run(key.slice(0, split), Number(key.slice(split + 1)), ...counts)
  }
  hours.clear()
}

const failure = (error) => ({ message: String(error && error.message), code: error && error.code })
const numbered = (op, n) => {
  const params = {}
  for (let i = 1; i <= n; i++) params[i] = op[i]
  return params
}
const run = (op) => {
  if (op[0] === 'r') {
    const params = numbered(op, 11)
    if (insertResponse.run(params).changes > 0) {
      count(op[1], op[3], op[4])
      return 1
    }
    // A merge may change the score: its trigger adjusts the counts, which must be complete first.
    flushHours()
    mergeResponse.run(params)
    return 0
  }
  insertEvent.run(numbered(op, 5))
  return 0
}
const batch = db.transaction((ops) => {
  const results = ops.map((op) => {
    try {
      return run(op)
    } catch (error) {
      return failure(error)
    }
  })
  flushHours()
  return results
})

const byteAt = (position) => ring[position & mask]
/** Every record between the two counters: a 4-byte little-endian length, then that much UTF-8 JSON. */
const take = (from, to) => {
  const ops = []
  let at = from
  while (at !== to) {
    const length = byteAt(at) | (byteAt(at + 1) << 8) | (byteAt(at + 2) << 16) | (byteAt(at + 3) << 24)
    const start = (at + 4) & mask
    let bytes
    if (start + length <= ring.length) bytes = ring.subarray(start, start + length)
    else {
      bytes = new Uint8Array(length)
      bytes.set(ring.subarray(start))
      bytes.set(ring.subarray(0, length - (ring.length - start)), ring.length - start)
    }
    ops.push(JSON.parse(decoder.decode(bytes)))
    at = (at + 4 + length) | 0
  }
  return ops
}

let walFd
let walSizeSeenAt = 0
// The size guard of background checkpoints (checkpointer.ts): a WAL that outgrew them is truncated
// here, without waiting; if the checkpointer is busy, a later look tries again.
const limitWal = () => {
  const now = Date.now()
  if (now - walSizeSeenAt < 100) return
  walSizeSeenAt = now
  try {
    walFd ??= openSync(path + '-wal', 'r+')
    if (fstatSync(walFd).size <= maxWalBytes) return
    db.pragma('busy_timeout = 0')
    db.pragma('wal_checkpoint(TRUNCATE)')
  } catch {
  } finally {
    db.pragma('busy_timeout = 5000')
  }
}

let read = Atomics.load(header, ${READ})
let quietSince = Date.now()
for (;;) {
  const written = Atomics.load(header, ${WRITTEN})
  if (written === read) {
    if (Atomics.load(header, ${CLOSING})) break
    if (Date.now() - quietSince < sleepAfterMs) {
      // While busy, look again in a millisecond: the HTTP thread never has to wake this one.
      Atomics.wait(header, ${WRITTEN}, written, 1)
      continue
    }
    // Quiet: sleep until the HTTP thread, seeing the flag, notifies. The flag is set before the last
    // look at the ring, so a write after that look always finds it.
    Atomics.store(header, ${SLEEPING}, 1)
    if (Atomics.load(header, ${WRITTEN}) === read && !Atomics.load(header, ${CLOSING})) {
      Atomics.wait(header, ${WRITTEN}, read)
    }
    Atomics.store(header, ${SLEEPING}, 0)
    quietSince = Date.now()
    continue
  }
  const ops = take(read, written)
  read = written
  // Decoded: the HTTP thread may reuse that part of the ring.
  Atomics.store(header, ${READ}, read)
  let results
  try {
    results = batch.immediate(ops)
    if (sync) {
      walFd ??= openSync(path + '-wal', 'r+')
      fdatasyncSync(walFd)
    }
  } catch (error) {
    const failed = failure(error)
    results = ops.map(() => failed)
  }
  parentPort.postMessage(results)
  limitWal()
  quietSince = Date.now()
}
if (walFd !== undefined) closeSync(walFd)
db.close()
`

type Result = number | { message: string; code?: string }

interface Pending {
  resolve: (value: number) => void
  reject: (error: Error) => void
}

/**
 * One writer thread for one database file.
 *
 * @example
 * const writer = new Writer('./data/npskit.db', sql, { sync: true, maxWalBytes: 64 * 1024 * 1024 })
 * await writer.write(['e', 'srv_1', 'shown', 'visitor-1', null, Date.now()])
 * await writer.close()
 */
export class Writer {
  readonly #encoder = new TextEncoder()
  readonly #ringBytes: number
  #worker!: Worker
  #exited!: Promise<void>
  #header!: Int32Array
  #ring!: Uint8Array
  /** Bytes written into the current ring so far (wraps at 2^32, like the worker's counter). */
  #written = 0
  /** Writes in the ring or on their way, oldest first: answered in this order. */
  readonly #pending: Pending[] = []
  #head = 0
  /** Encoded writes that did not fit in the ring yet, oldest first. */
  readonly #overflow: Uint8Array[] = []
  #sent = 0
  #answered = 0
  /** Callers waiting until the writes up to a count are answered. */
  #barriers: { upTo: number; done: () => void }[] = []
  #closed = false
  /** Set when a writer thread stopped before it ever answered: starting another would only fail again. */
  #broken: Error | undefined

  constructor(
    readonly path: string,
    readonly sql: WriterSql,
    readonly options: WriterOptions,
  ) {
    this.#ringBytes = options.ringBytes ?? 8 * 1024 * 1024
    if ((this.#ringBytes & (this.#ringBytes - 1)) !== 0) throw new Error('ringBytes must be a power of two')
    this.#start()
  }

  #start(): void {
    const sab = new SharedArrayBuffer(HEADER_BYTES + this.#ringBytes)
    this.#header = new Int32Array(sab, 0, 4)
    this.#ring = new Uint8Array(sab, HEADER_BYTES)
    this.#written = 0
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        path: this.path,
        driver,
        sql: this.sql,
        sab,
        sync: this.options.sync,
        maxWalBytes: this.options.maxWalBytes,
        sleepAfterMs: this.options.sleepAfterMs ?? 100,
      },
    })
    this.#worker = worker
    worker.unref()
    let answered = false
    worker.on('message', (results: Result[]) => {
      answered = true
      this.#answer(results)
    })
    let failure: Error | undefined
    worker.on('error', (error) => {
      failure = error
    })
    this.#exited = new Promise((resolve) => {
      worker.once('exit', () => {
        // What it had not answered may or may not have committed; it was not acknowledged either way.
        const error = failure ?? new Error('the writer thread stopped')
        this.#failAll(error)
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
    const record = this.#encoder.encode(JSON.stringify(op))
    if (record.length + 4 > this.#ringBytes)
      return Promise.reject(new Error('the write is larger than the ring'))
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ resolve, reject })
      if (this.#sent - this.#answered === 0) this.#worker.ref()
      this.#sent++
      if (this.#overflow.length > 0 || !this.#put(record)) this.#overflow.push(record)
      else this.#wake()
    })
  }

  /** Copies one record into the ring if it has room; false when it has not. */
  #put(record: Uint8Array): boolean {
    const size = this.#ringBytes
    const used = (this.#written - Atomics.load(this.#header, READ)) >>> 0
    if (size - used < record.length + 4) return false
    const mask = size - 1
    const ring = this.#ring
    const at = this.#written
    const length = record.length
    for (let i = 0; i < 4; i++) ring[(at + i) & mask] = (length >>> (8 * i)) & 0xff
    const start = (at + 4) & mask
    const first = Math.min(length, size - start)
    ring.set(first === length ? record : record.subarray(0, first), start)
    if (first < length) ring.set(record.subarray(first), 0)
    this.#written = (at + 4 + length) | 0
    Atomics.store(this.#header, WRITTEN, this.#written)
    return true
  }

  /** Notifies the writer thread only if it sleeps: a busy one looks into the ring on its own. */
  #wake(): void {
    if (Atomics.load(this.#header, SLEEPING)) Atomics.notify(this.#header, WRITTEN)
  }

  #answer(results: Result[]): void {
    for (const result of results) {
      const pending = this.#pending[this.#head]!
      this.#pending[this.#head++] = undefined as never
      if (typeof result === 'number') pending.resolve(result)
      else pending.reject(Object.assign(new Error(result.message), { code: result.code }))
    }
    // Drop answered entries now and then rather than shifting the array on every answer.
    if (this.#head > 1024 && this.#head * 2 > this.#pending.length) {
      this.#pending.splice(0, this.#head)
      this.#head = 0
    }
    this.#answered += results.length
    this.#release()
    // The writer thread read the ring before answering: there may be room for what waited.
    let moved = false
    while (this.#overflow.length > 0 && this.#put(this.#overflow[0]!)) {
      this.#overflow.shift()
      moved = true
    }
    if (moved) this.#wake()
    if (this.#sent === this.#answered) this.#worker.unref()
  }

  #failAll(error: Error): void {
    for (let i = this.#head; i < this.#pending.length; i++) this.#pending[i]!.reject(error)
    this.#pending.length = 0
    this.#head = 0
    this.#overflow.length = 0
    this.#answered = this.#sent
    this.#release()
  }

  #release(): void {
    if (this.#barriers.length === 0) return
    this.#barriers = this.#barriers.filter((barrier) => {
      if (barrier.upTo > this.#answered) return true
      barrier.done()
      return false
    })
  }

  /**
   * Undefined when every write so far is answered; otherwise a promise that settles once they are.
   * Writes on another connection wait on it to keep their order.
   */
  settled(): Promise<void> | undefined {
    if (this.#answered >= this.#sent) return undefined
    const upTo = this.#sent
    return new Promise<void>((done) => this.#barriers.push({ upTo, done }))
  }

  /** Waits for every answer and stops the thread. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.settled()
    this.#worker.ref()
    Atomics.store(this.#header, CLOSING, 1)
    Atomics.notify(this.#header, WRITTEN)
    const timer = setTimeout(() => void this.#worker.terminate(), 10_000)
    await this.#exited
    clearTimeout(timer)
  }
}
