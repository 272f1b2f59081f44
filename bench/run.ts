/**
 * `pnpm bench`: measures every figure next to a baseline taken in the same run, prints a table and writes
 * JSON to bench/results/. Sections that cannot run (say, the widget is not built) are reported as not
 * measured instead of stopping the others; the exit code is 1 when any section failed.
 *
 * Sections can be picked: `pnpm bench size reads` (size, browser, ingest, reads).
 */

import { resultsDir } from './dataset.ts'
import { benchIngest } from './ingest.ts'
import { type Figure, loadAverage, machine, type Report, renderTable, writeReport } from './lib/report.ts'
import { benchReads } from './reads.ts'
import { benchWidgetBrowser } from './widget-browser.ts'
import { benchWidgetSize } from './widget-size.ts'

const sections: Record<string, () => Promise<Figure[]> | Figure[]> = {
  size: benchWidgetSize,
  browser: benchWidgetBrowser,
  ingest: benchIngest,
  reads: async () => (await benchReads()).figures,
}

const wanted = process.argv.slice(2).filter((a) => a !== '--')
const chosen = wanted.length ? wanted : Object.keys(sections)
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
    report.figures.push(...(await run()))
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
