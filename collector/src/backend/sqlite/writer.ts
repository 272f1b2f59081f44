/**
 * The writer thread: answers and widget events, the hot writes, are committed by a worker thread with
 * its own connection (writer-thread.js), so the HTTP thread spends none of its time inside SQLite. They
 * travel through a ring buffer in shared memory (ring.js), not as messages: the HTTP thread only copies
 * a write into the ring, and the writer thread answers each group it committed in one message. So a
 * write resolves only once it is committed and durable, and the main connection, reading the same WAL,
 * sees it.
 */
import { Worker } from 'node:worker_threads'
import { recordSize, sizeHistogram } from '../stats.ts'
import type { WriteOp } from './answers.js'
import { newRing, RingWriter } from './ring.js'
import type { WriteResult, WriterThreadData } from './writer-thread.js'

export interface WriterOptions {
  /** false: no fdatasync, acknowledged once committed (the backend's `normal` mode). */
  sync: boolean
  /** Past this size the writer truncates the WAL (see connection.js). */
  maxWalBytes: number
  /** Bytes of the ring, a power of two; writes that do not fit wait on the HTTP thread. */
  ringBytes?: number
  /** Quiet time after which the writer thread sleeps until notified. */
  sleepAfterMs?: number
  /** Zero deleted content on the thread's connection too (connection.js); default true. */
  secureDelete?: boolean
}

interface Pending {
  resolve: (value: number) => void
  reject: (error: Error) => void
}

/**
 * One writer thread for one database file.
 *
 * @example
 * const writer = new Writer('./data/npskit.db', { sync: true, maxWalBytes: 64 * 1024 * 1024 })
 * await writer.write(['e', 'srv_1', 'shown', 'visitor-1', null, Date.now()])
 * await writer.close()
 */
export class Writer {
  readonly #ringBytes: number
  #worker!: Worker
  #exited!: Promise<void>
  #ring!: RingWriter
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
  /** How many writes each answer from the thread (one commit) held, for the metrics. */
  readonly commitSizes = sizeHistogram()
  /** Set when a writer thread stopped before it ever answered: starting another would only fail again. */
  #broken: Error | undefined

  constructor(
    readonly path: string,
    readonly options: WriterOptions,
  ) {
    this.#ringBytes = options.ringBytes ?? 8 * 1024 * 1024
    this.#start()
  }

  #start(): void {
    const shared = newRing(this.#ringBytes)
    this.#ring = new RingWriter(shared)
    const data: WriterThreadData = {
      path: this.path,
      shared,
      sync: this.options.sync,
      maxWalBytes: this.options.maxWalBytes,
      sleepAfterMs: this.options.sleepAfterMs ?? 100,
      secureDelete: this.options.secureDelete ?? true,
    }
    // The thread's modules are plain JavaScript: no need for the TypeScript loader the parent runs under
    // (inherited, it cost each thread ~5 MiB and a slower start).
    const worker = new Worker(new URL('./writer-thread.js', import.meta.url), {
      workerData: data,
      execArgv: [],
    })
    this.#worker = worker
    worker.unref()
    let answered = false
    worker.on('message', (results: WriteResult[]) => {
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
    if (this.#closed) return Promise.reject(new Error('the backend is closed'))
    if (this.#broken) return Promise.reject(this.#broken)
    const record = this.#ring.encode(op)
    if (!record) return Promise.reject(new Error('the write is larger than the ring'))
    return new Promise<number>((resolve, reject) => {
      this.#pending.push({ resolve, reject })
      if (this.#sent - this.#answered === 0) this.#worker.ref()
      this.#sent++
      if (this.#overflow.length > 0 || !this.#ring.put(record)) this.#overflow.push(record)
      else this.#ring.wake()
    })
  }

  /** Writes queued and not yet answered. */
  get queued(): number {
    return this.#sent - this.#answered
  }

  #answer(results: WriteResult[]): void {
    recordSize(this.commitSizes, results.length)
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
    while (this.#overflow.length > 0 && this.#ring.put(this.#overflow[0]!)) {
      this.#overflow.shift()
      moved = true
    }
    if (moved) this.#ring.wake()
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
    this.#ring.close()
    const timer = setTimeout(() => void this.#worker.terminate(), 10_000)
    await this.#exited
    clearTimeout(timer)
  }
}
