// @ts-check
/**
 * The checkpointer thread (see checkpointer.ts): a PASSIVE checkpoint every `intervalMs`, which never
 * blocks writers, and a RESTART once the WAL passes `restartBytes`.
 */
import { statSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { openConnection } from './connection.js'

/** @typedef {{ path: string, intervalMs: number, restartBytes: number }} CheckpointerThreadData */

const { path, intervalMs, restartBytes } = /** @type {CheckpointerThreadData} */ (workerData)
const { db } = openConnection(path)
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
parentPort?.on('message', () => {
  clearInterval(timer)
  try {
    db.close()
  } catch {}
  parentPort?.close()
})
