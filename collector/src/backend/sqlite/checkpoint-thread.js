// @ts-check
/**
 * The checkpointer thread (see checkpointer.ts): a PASSIVE checkpoint every `intervalMs`, which never
 * blocks writers, and a RESTART once the WAL passes `restartBytes`.
 */
import { statSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { openConnection } from './connection.js'

/** @typedef {{ path: string, intervalMs: number, restartBytes: number, secureDelete: boolean }} CheckpointerThreadData */

const { path, intervalMs, restartBytes, secureDelete } = /** @type {CheckpointerThreadData} */ (workerData)
const { db } = openConnection(path, { secureDelete })
db.pragma('busy_timeout = 200')
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
    // Under a steady stream of commits the WAL is never fully copied at the moment a writer starts, so
    // SQLite never rewinds it; a RESTART (briefly holding writers back, the copying already done) makes
    // the next commit start again from the beginning of the file.
    if (statSync(`${path}-wal`).size > restartBytes) db.pragma('wal_checkpoint(RESTART)')
  } catch {
    // Busy, or the WAL is not there yet: the next tick tries again.
  }
}, intervalMs)
/**
 * A TRUNCATE checkpoint, retried while busy: true once every frame is in the database and the WAL is
 * empty.
 *
 * @returns {boolean}
 */
function truncate() {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const [result] = /** @type {{ busy: number }[]} */ (db.pragma('wal_checkpoint(TRUNCATE)'))
      if (result?.busy === 0) return true
    } catch {
      // Busy: try again.
    }
  }
  return false
}

parentPort?.on('message', (/** @type {'close' | { truncate: number }} */ message) => {
  if (typeof message === 'object') {
    parentPort?.postMessage({ id: message.truncate, done: truncate() })
    return
  }
  clearInterval(timer)
  try {
    db.close()
  } catch {}
  parentPort?.close()
})
