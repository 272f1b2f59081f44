/**
 * `pnpm bench`: measures every figure next to a baseline taken in the same run, prints a table and writes
 * JSON to bench/results/. Sections that cannot run (say, the widget is not built) are reported as not
 * measured instead of stopping the others, and so are parts of a section (the PostgreSQL figures when no
 * PostgreSQL server is reachable); the exit code is 1 when anything was not measured.
 *
 * Sections can be picked: `pnpm bench size reads` (size, browser, ingest, reads, stall, dashboard).
 * `ingest`, `reads` and `dashboard` measure both engines, SQLite then PostgreSQL; `ingest-sqlite`,
 * `ingest-postgres`, `reads-sqlite`, `reads-postgres`, `dashboard-sqlite` and `dashboard-postgres`
 * measure one. `webhooks` measures ingest with a webhook endpoint against the same collector without one
 * (webhooks.ts). `stall` measures public latency while heavy admin requests run (admin-stall.ts);
 * `dashboard` the dashboard's size and the overview drawn in Chromium (dashboard.ts); `breakdown-writes`
 * the write rate into a survey that declares breakdown dimensions against one that declares none
 * (breakdown-writes.ts); `retention` ingest while a retention run deletes a large batch, and what
 * secure_delete costs ingest (retention.ts).
 */

import { benchAdminStall } from './admin-stall.ts'
import { benchBreakdownWrites } from './breakdown-writes.ts'
import { benchDashboard } from './dashboard.ts'
import { resultsDir } from './dataset.ts'
import { benchIngest } from './ingest.ts'
import {
  type Figure,
  loadAverage,
  machine,
  type Report,
  renderTable,
  type SectionResult,
  writeReport,
} from './lib/report.ts'
import { benchReads } from './reads.ts'
import { benchRetention } from './retention.ts'
import { benchWebhooks } from './webhooks.ts'
import { benchWidgetBrowser } from './widget-browser.ts'
import { benchWidgetSize } from './widget-size.ts'

const sections: Record<string, () => Promise<Figure[] | SectionResult> | Figure[]> = {
  size: benchWidgetSize,
  browser: benchWidgetBrowser,
  ingest: () => benchIngest(['sqlite', 'postgres']),
  reads: () => benchReads(['sqlite', 'postgres']),
  'ingest-sqlite': () => benchIngest(['sqlite']),
  'ingest-postgres': () => benchIngest(['postgres']),
  'reads-sqlite': () => benchReads(['sqlite']),
  'reads-postgres': () => benchReads(['postgres']),
  'breakdown-writes': () => benchBreakdownWrites(['sqlite', 'postgres']),
  stall: benchAdminStall,
  retention: benchRetention,
  webhooks: benchWebhooks,
  dashboard: () => benchDashboard(['sqlite', 'postgres']),
  'dashboard-sqlite': () => benchDashboard(['sqlite']),
  'dashboard-postgres': () => benchDashboard(['postgres']),
}
/** What `pnpm bench` without arguments runs (the one-engine sections are parts of these). */
const everything = [
  'size',
  'browser',
  'ingest',
  'webhooks',
  'reads',
  'breakdown-writes',
  'stall',
  'retention',
  'dashboard',
]

const wanted = process.argv.slice(2).filter((a) => a !== '--')
const chosen = wanted.length ? wanted : everything
const report: Report = {
  startedAt: new Date().toISOString(),
  finishedAt: '',
  machine: machine(),
  load: { start: loadAverage(), end: 0 },
  figures: [],
  errors: [],
}

for (const name of chosen) {
  const run = sections[name]
  if (!run) {
    report.errors.push({
      group: name,
      message: `unknown section; choose from ${Object.keys(sections).join(', ')}`,
    })
    continue
  }
  const started = performance.now()
  process.stderr.write(`bench: ${name}…\n`)
  try {
    const result = await run()
    if (Array.isArray(result)) report.figures.push(...result)
    else {
      report.figures.push(...result.figures)
      report.errors.push(...result.errors)
    }
  } catch (error) {
    report.errors.push({ group: name, message: error instanceof Error ? error.message : String(error) })
  }
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
}

report.finishedAt = new Date().toISOString()
report.load.end = loadAverage()
console.log(renderTable(report))
for (const f of report.figures) if (f.note) console.log(`  ${f.group} / ${f.name}: ${f.note}`)
console.log(`\nJSON: ${writeReport(resultsDir, report)} (and latest.json, latest.md beside it)`)
if (report.errors.length) process.exitCode = 1
