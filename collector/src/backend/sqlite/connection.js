// @ts-check
/**
 * Opening a connection to the collector's SQLite file, the same way on every thread that uses it (the
 * main thread, the writer thread, the checkpointer), and the size guard of the write-ahead log.
 *
 * In WAL mode every connection runs `synchronous = NORMAL`: commits append to the WAL without waiting
 * for the disk, and the writer makes the WAL durable with its own fdatasync before a write is answered
 * (sqlite-backend.ts explains why that is as durable as FULL). Automatic checkpoints are off on every
 * connection: they would run inside some request's commit; the checkpointer thread does them instead.
 *
 * This module, like everything a worker thread of this engine runs, is JavaScript with JSDoc types
 * (checked by tsc): a worker thread starts without the TypeScript loader of its parent, and registering
 * one there made each thread start take 300 ms instead of 40.
 *
 * `secure_delete` is on everywhere (README, "Data lifecycle", says what it costs ingest).
 */
import { statSync } from 'node:fs'
import Database from 'better-sqlite3'

export const BUSY_TIMEOUT_MS = 5000

/**
 * A connection with the settings every thread shares; `secureDelete` (default true) zeroes deleted
 * content, so an erased comment, and the stale copies page splits and merges leave behind, never stay
 * readable in the file. `wal` is false where WAL is not available (an
 * in-memory database, an odd filesystem): commits then run `synchronous = FULL` and sync themselves.
 *
 * @param {string} path
 * @param {{ secureDelete?: boolean }} [options]
 * @returns {{ db: Database.Database, wal: boolean }}
 */
export function openConnection(path, { secureDelete = true } = {}) {
  const db = new Database(path)
  try {
    const wal = path !== ':memory:' && db.pragma('journal_mode = WAL', { simple: true }) === 'wal'
    db.pragma(wal ? 'synchronous = NORMAL' : 'synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma(`secure_delete = ${secureDelete ? 'ON' : 'OFF'}`)
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    if (wal) db.pragma('wal_autocheckpoint = 0')
    return { db, wal }
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Keeps the WAL below `maxBytes` when background checkpoints fall behind: a WAL that outgrew them is
 * checkpointed and truncated by whichever connection looks, without waiting (if another connection is
 * mid-checkpoint, a later look tries again). A look costs a system call, so it is taken at most every
 * 100 ms.
 */
export class WalGuard {
  #lookedAt = 0

  /**
   * @param {Database.Database} db
   * @param {string} walPath
   * @param {number} maxBytes
   */
  constructor(db, walPath, maxBytes) {
    this.db = db
    this.walPath = walPath
    this.maxBytes = maxBytes
  }

  check(now = Date.now()) {
    if (now - this.#lookedAt < 100) return
    this.#lookedAt = now
    try {
      if (statSync(this.walPath).size <= this.maxBytes) return
      this.db.pragma('busy_timeout = 0')
      this.db.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // Busy, or the WAL is gone with a closing database: a later look catches up.
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    }
  }
}
