/**
 * `npskit-collector backup --to <file>` and `npskit-collector restore --from <file>`: an online backup
 * of the SQLite database while the collector runs, and putting one back in place of a stopped
 * collector's database (backend/sqlite/backup.ts). The database is `NPSKIT_DB` unless `--from` (backup)
 * or `--to` (restore) names another. On PostgreSQL, use its own tools (pg_dump / pg_restore), or
 * `npskit-collector copy` into a SQLite file.
 *
 * @example
 * npskit-collector backup --to /backups/npskit-2026-12-02.db
 * npskit-collector restore --from /backups/npskit-2026-12-02.db --replace
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupDatabase, type DatabaseFileInfo, restoreDatabase } from './backend/sqlite/backup.ts'
import { loadConfig } from './config.ts'

const USAGE = `usage: npskit-collector backup --to <file> [--from <SQLite file>]
       npskit-collector restore --from <file> [--to <SQLite file>] [--replace]

backup   copies the collector's SQLite database (NPSKIT_DB, or --from) to a new file while the collector
         keeps running; the copy is the database as it was at one commit, and is checked before it is
         put in place.
restore  puts such a backup in place as the database (NPSKIT_DB, or --to). Stop the collector first,
         restore, then start it. An existing database is replaced only with --replace.

On PostgreSQL (NPSKIT_DATABASE_URL) back up with pg_dump and restore with pg_restore, or copy into a
SQLite file with: npskit-collector copy --from postgres://… --to <file>`

const number = (n: number) => n.toLocaleString('en-US')
const count = (n: number, noun: string) => `${number(n)} ${noun}${n === 1 ? '' : 's'}`
const holds = (info: DatabaseFileInfo) =>
  `${count(info.surveys, 'survey')}, ${count(info.responses, 'answer')}, ${count(info.events, 'event')}, ` +
  `${number(Math.ceil(info.bytes / 1024))} KiB`

/** A path as the user typed it, relative to where they ran the command (pnpm runs scripts elsewhere). */
const located = (value: string) => resolve(process.env.INIT_CWD ?? process.cwd(), value)

/** Runs `backup` or `restore`; answers the process exit code. */
export async function backupCommand(
  command: 'backup' | 'restore',
  args: string[],
  print = console.log,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let values: { from?: string; to?: string; replace?: boolean; help?: boolean }
  try {
    values = parseArgs({
      args,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        replace: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values
  } catch (error) {
    print(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    print(USAGE)
    return 0
  }
  const wanted = command === 'backup' ? values.to : values.from
  if (!wanted || (command === 'backup' && values.replace)) {
    print(USAGE)
    return 2
  }
  const named = command === 'backup' ? values.from : values.to
  if (!named && env.NPSKIT_DATABASE_URL?.trim()) {
    print(
      'this collector runs on PostgreSQL (NPSKIT_DATABASE_URL): back it up with pg_dump and restore it with\n' +
        'pg_restore (or copy it into a SQLite file with `npskit-collector copy`)',
    )
    return 2
  }
  try {
    const database = named ? located(named) : resolve(loadConfig(env).dbPath)
    if (command === 'backup') {
      const to = located(wanted)
      print(`backing up ${database} → ${to}`)
      const info = await backupDatabase(database, to)
      print(`backed up and checked: ${holds(info)}`)
    } else {
      const from = located(wanted)
      print(`restoring ${from} → ${database}`)
      const info = restoreDatabase(from, database, { replace: values.replace === true })
      print(`restored: ${holds(info)}; start the collector on ${database}`)
    }
    return 0
  } catch (error) {
    print(`${command} failed: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
