/**
 * Online backup and restore of a collector's SQLite file.
 *
 * The backup uses SQLite's online backup API from a connection of its own, so it runs beside a working
 * collector (in another process or this one): WAL mode lets it read while answers keep being committed.
 * All pages are copied in one step, that is in one read transaction, so the copy is the database as it
 * was at one commit — never half of a write batch with the other half missing. (Copied in small steps,
 * SQLite starts over whenever another connection writes between two steps, which under steady ingest
 * would never end.) The copy goes to a temporary file beside the target, is checked, flushed and then
 * renamed into place, so a target either is a complete backup or does not exist.
 *
 * A restore puts such a file in place of a stopped collector's database, removing the old database's
 * `-wal` and `-shm` files, which would otherwise be replayed onto the restored file.
 *
 * @example
 * const info = await backupDatabase('./data/npskit.db', '/backups/npskit-2026-12-02.db')
 * console.log(info.responses, info.bytes)
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations.ts'

export interface DatabaseFileInfo {
  /** The schema version (`user_version`). */
  version: number
  surveys: number
  responses: number
  events: number
  bytes: number
}

const latest = migrations.at(-1)!.version

/** Checks that `path` is a sound npskit database this collector can open, and counts what it holds. */
export function inspectDatabase(path: string): DatabaseFileInfo {
  if (!existsSync(path)) throw new Error(`there is no SQLite file at ${path}`)
  let db: Database.Database
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new Error(`${path} is not a SQLite database: ${(error as Error).message}`)
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') throw new Error(`${path} is damaged: integrity_check says ${String(integrity)}`)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version === 0) throw new Error(`${path} is not an npskit database (it has no npskit schema)`)
    if (version > latest) {
      throw new Error(`${path} has schema version ${version}; this collector knows up to ${latest}`)
    }
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
    return {
      version,
      surveys: count('surveys'),
      responses: count('responses'),
      events: count('events'),
      bytes: statSync(path).size,
    }
  } catch (error) {
    if (error instanceof Error && /no such table/.test(error.message)) {
      throw new Error(`${path} is not an npskit database (${error.message})`)
    }
    if (error instanceof Error && /file is not a database/.test(error.message)) {
      throw new Error(`${path} is not a SQLite database`)
    }
    throw error
  } finally {
    db.close()
  }
}

function flush(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Copies the database at `source` to `target` (which must not exist), consistent at one commit, while
 * a collector may keep writing to the source. Resolves with what the copy holds.
 */
export async function backupDatabase(source: string, target: string): Promise<DatabaseFileInfo> {
  if (!existsSync(source)) throw new Error(`there is no SQLite file at ${source}`)
  if (existsSync(target)) throw new Error(`${target} exists already; choose a new file for the backup`)
  if (!existsSync(dirname(target))) throw new Error(`the folder ${dirname(target)} does not exist`)
  const partial = `${target}.partial-${process.pid}`
  const db = new Database(source, { fileMustExist: true })
  try {
    // A collector's writer may hold the write lock for a moment; a reader never waits for it in WAL
    // mode, but the backup's first step may need the schema lock briefly.
    db.pragma('busy_timeout = 5000')
    await db.backup(partial, { progress: () => 0x7fffffff })
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  } finally {
    db.close()
  }
  try {
    const info = inspectDatabase(partial)
    flush(partial)
    renameSync(partial, target)
    flush(dirname(target))
    return info
  } finally {
    rmSync(partial, { force: true })
    rmSync(`${partial}-wal`, { force: true })
    rmSync(`${partial}-shm`, { force: true })
  }
}

/**
 * Puts the backup at `backup` in place as the database at `target`. The collector of `target` must be
 * stopped. An existing `target` is replaced only with `replace`.
 */
export function restoreDatabase(
  backup: string,
  target: string,
  { replace = false }: { replace?: boolean } = {},
): DatabaseFileInfo {
  const info = inspectDatabase(backup)
  if (existsSync(target) && !replace) {
    throw new Error(`${target} exists; stop its collector and pass --replace to overwrite it`)
  }
  if (!existsSync(dirname(target))) throw new Error(`the folder ${dirname(target)} does not exist`)
  const partial = `${target}.restoring-${process.pid}`
  try {
    // Through SQLite rather than a file copy: the backup may have a WAL of its own (a collector ran on
    // it), and this writes one self-contained file.
    const db = new Database(backup, { readonly: true, fileMustExist: true })
    try {
      db.exec(`VACUUM INTO '${partial.replaceAll("'", "''")}'`)
    } finally {
      db.close()
    }
    flush(partial)
    // The old database's log would be replayed onto the restored file at the next open.
    rmSync(`${target}-wal`, { force: true })
    rmSync(`${target}-shm`, { force: true })
    renameSync(partial, target)
    flush(dirname(target))
    return { ...info, bytes: statSync(target).size }
  } finally {
    rmSync(partial, { force: true })
  }
}
