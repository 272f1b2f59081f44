/**
 * `npskit-collector copy --from <file or URL> --to <file or URL>`: copies a collector's surveys, keys,
 * answers and events from one backend into another, empty one, in one transaction, and verifies the
 * copy by counts and checksums (backend/copy.ts). Stop the collectors of the source first: answers that
 * arrive during the copy are not in it, and the verification then says so.
 *
 * @example
 * npskit-collector copy --from ./data/npskit.db --to postgres://postgres@127.0.0.1:5432/npskit
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Backend, DataCounts } from './backend/backend.ts'
import { copyData } from './backend/copy.ts'
import { openBackendAt } from './backend/index.ts'

const USAGE = `usage: npskit-collector copy --from <SQLite file or postgres:// URL> --to <SQLite file or postgres:// URL>

Copies every survey, key, answer and event into an empty target, all or nothing, then checks that the
target holds the same data (counts and SHA-256 checksums). Stop the source's collectors first.`

const number = (n: number) => n.toLocaleString('en-US')
const count = (n: number, noun: string) => `${number(n)} ${noun}${n === 1 ? '' : 's'}`
const summary = (c: DataCounts) =>
  `${count(c.surveys, 'survey')}, ${count(c.keys, 'key')}, ${count(c.responses, 'answer')}, ${count(c.events, 'event')}, ` +
  `${count(c.cases, 'case')}, ${count(c.endpoints, 'webhook endpoint')}`

const isUrl = (value: string) => /^postgres(ql)?:\/\//.test(value)

/** A path as the user typed it, relative to where they ran the command (pnpm runs scripts elsewhere). */
function located(value: string): string {
  return isUrl(value) ? value : resolve(process.env.INIT_CWD ?? process.cwd(), value)
}

/** Runs the command; answers the process exit code. */
export async function copyCommand(args: string[], print = console.log): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' } },
  })
  if (values.help) {
    print(USAGE)
    return 0
  }
  if (!values.from || !values.to) {
    print(USAGE)
    return 2
  }
  let source: Backend | undefined
  let target: Backend | undefined
  try {
    const from = located(values.from)
    // Opening a SQLite path that does not exist would make an empty database: a typo, not a source.
    if (!isUrl(from) && !existsSync(from)) throw new Error(`there is no SQLite file at ${from}`)
    source = await openBackendAt(from)
    target = await openBackendAt(located(values.to))
    print(`copying ${source.location} (${source.engine}) → ${target.location} (${target.engine})`)
    let shown = 0
    const report = await copyData(source, target, (_batch, copied) => {
      if (copied.responses - shown >= 100_000) {
        shown = copied.responses
        print(`  ${number(copied.responses)} answers so far`)
      }
    })
    print(`copied in ${report.seconds.toFixed(1)} s: ${summary(report.copied)}`)
    if (!report.verified) {
      print(
        'NOT VERIFIED: the source and the target differ after the copy (did a collector write to the source?)',
      )
      print(`  source: ${summary(report.source.counts)}; target: ${summary(report.target.counts)}`)
      return 1
    }
    print(`verified: the target holds the same ${summary(report.target.counts)} (checksums match)`)
    return 0
  } catch (error) {
    print(`copy failed, nothing was copied: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  } finally {
    await source?.close()
    await target?.close()
  }
}
