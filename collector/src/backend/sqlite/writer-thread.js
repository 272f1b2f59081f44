// @ts-check
/**
 * The writer thread (see writer.ts): takes the answers and events the HTTP thread put into the ring,
 * commits all it finds as one transaction (each write fails alone: a single statement undoes itself),
 * adds their hourly counts, makes the WAL durable with fdatasync and then answers every write, in
 * order, in one message. It looks into the ring every millisecond while there is work and sleeps after
 * `sleepAfterMs` without any, until the HTTP thread notifies it.
 */
import { closeSync, fdatasyncSync, openSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { AnswerWriter } from './answers.js'
import { openConnection, WalGuard } from './connection.js'
import { RingReader } from './ring.js'

/**
 * What the thread is started with.
 *
 * @typedef {{ path: string, shared: SharedArrayBuffer, sync: boolean, maxWalBytes: number,
 *   sleepAfterMs: number, secureDelete: boolean }} WriterThreadData
 */

/**
 * A write that failed: SQLite's message and code.
 *
 * @typedef {{ message: string, code?: string }} WriteFailure
 */

/**
 * 1 inserted, 0 merged or an event, or why it failed.
 *
 * @typedef {number | WriteFailure} WriteResult
 */

const { path, shared, sync, maxWalBytes, sleepAfterMs, secureDelete } = /** @type {WriterThreadData} */ (
  workerData
)
const { db } = openConnection(path, { secureDelete })
const answers = new AnswerWriter(db)
const ring = new RingReader(shared)
const wal = new WalGuard(db, `${path}-wal`, maxWalBytes)

/**
 * @param {unknown} error
 * @returns {WriteFailure}
 */
const failure = (error) => {
  const { message, code } = /** @type {{ message?: unknown, code?: unknown }} */ (error ?? {})
  return { message: String(message), ...(typeof code === 'string' ? { code } : {}) }
}

const batch = db.transaction(
  /**
   * @param {import('./answers.js').WriteOp[]} ops
   * @returns {WriteResult[]}
   */
  (ops) => {
    const results = ops.map((op) => {
      try {
        return answers.write(op)
      } catch (error) {
        return failure(error)
      }
    })
    answers.flush()
    return results
  },
)

/** @type {number | undefined} */
let walFd
let quietSince = Date.now()
for (;;) {
  if (ring.empty) {
    if (ring.closing) break
    // While busy, look again in a millisecond: the HTTP thread never has to wake this one.
    if (Date.now() - quietSince < sleepAfterMs) ring.poll(1)
    else {
      ring.sleep()
      quietSince = Date.now()
    }
    continue
  }
  const ops = /** @type {import('./answers.js').WriteOp[]} */ (ring.take())
  /** @type {WriteResult[]} */
  let results
  try {
    results = batch.immediate(ops)
    if (sync) {
      walFd ??= openSync(`${path}-wal`, 'r+')
      fdatasyncSync(walFd)
    }
  } catch (error) {
    const failed = failure(error)
    results = ops.map(() => failed)
  }
  parentPort?.postMessage(results)
  wal.check()
  quietSince = Date.now()
}
if (walFd !== undefined) closeSync(walFd)
db.close()
