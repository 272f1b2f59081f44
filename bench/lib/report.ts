/**
 * The bench report: every figure sits beside the baseline it was measured against in the same run, the
 * ratio between them, and the goal it is held to. Printed as a table for people and written as JSON for
 * scripts (`bench/results/latest.json` and a timestamped copy).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'

export interface Figure {
  /** Section of the report: widget, ingest, reads, memory. */
  group: string
  name: string
  value: number
  unit: string
  /** What the figure is compared with, measured in the same run (or the budget, for sizes). */
  baseline?: { label: string; value: number }
  /** value / baseline; `lowerIsBetter` tells how to read it. */
  ratio?: number
  lowerIsBetter: boolean
  goal?: { text: string; met: boolean }
  note?: string
}

export interface Report {
  startedAt: string
  finishedAt: string
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string }
  /** 1-minute load average at the start and end: figures from a busy machine are not comparable. */
  load: { start: number; end: number }
  figures: Figure[]
  errors: ReportError[]
}

/** A figure group that could not be measured, and why. */
export interface ReportError {
  group: string
  message: string
}

/**
 * What a section measured, and the parts of it that could not be measured (say, PostgreSQL figures
 * without a PostgreSQL server) while the rest could.
 */
export interface SectionResult {
  figures: Figure[]
  errors: ReportError[]
}

/**
 * Builds a figure and fills in the ratio when a baseline exists: value / baseline, unless the caller
 * gives one (say, the median of per-round ratios, which a drifting machine disturbs less).
 */
export function figure(f: Omit<Figure, 'ratio'> & { ratio?: number | undefined }): Figure {
  const ratio = f.ratio ?? (f.baseline && f.baseline.value !== 0 ? f.value / f.baseline.value : undefined)
  const { ratio: _, ...rest } = f
  return ratio === undefined ? rest : { ...rest, ratio }
}

export function machine(): Report['machine'] {
  const list = cpus()
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  }
}

export function formatNumber(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
  return unit ? `${text} ${unit}` : text
}

/** A plain-text table, one line per figure, grouped. */
export function renderTable(report: Report): string {
  const head = ['figure', 'value', 'baseline (same run)', 'ratio', 'goal']
  const rows: string[][] = []
  let group = ''
  for (const f of report.figures) {
    if (f.group !== group) {
      group = f.group
      rows.push([`[${group}]`, '', '', '', ''])
    }
    rows.push([
      `  ${f.name}`,
      formatNumber(f.value, f.unit),
      f.baseline ? `${formatNumber(f.baseline.value, f.unit)} (${f.baseline.label})` : '—',
      f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`,
      f.goal ? `${f.goal.met ? 'met' : 'MISSED'}: ${f.goal.text}` : '',
    ])
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)]
  const m = report.machine
  out.push('', `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`)
  out.push(
    `load average (1 min): ${report.load.start.toFixed(2)} at start, ${report.load.end.toFixed(2)} at end`,
  )
  if (report.load.start > m.cpus) {
    out.push(
      `WARNING: the machine was busy (load ${report.load.start.toFixed(1)} on ${m.cpus} CPUs): times are inflated`,
    )
  }
  for (const e of report.errors) out.push(`NOT MEASURED [${e.group}]: ${e.message}`)
  return out.join('\n')
}

/** The same figures as a Markdown table, for the README's performance section. */
export function renderMarkdown(report: Report): string {
  const cell = (text: string) => text.replaceAll('|', '\\|')
  const lines = ['| figure | value | baseline (same run) | ratio | goal |', '|---|--:|--:|--:|---|']
  for (const f of report.figures) {
    lines.push(
      `| ${cell(`${f.group}: ${f.name}`)} | ${formatNumber(f.value, f.unit)} | ${
        f.baseline ? cell(`${formatNumber(f.baseline.value, f.unit)} (${f.baseline.label})`) : '—'
      } | ${f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`} | ${f.goal ? cell(`${f.goal.met ? 'met' : '**missed**'}: ${f.goal.text}`) : ''} |`,
    )
  }
  const m = report.machine
  lines.push(
    '',
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}; load average ${report.load.start.toFixed(2)} at start, ${report.load.end.toFixed(2)} at end.`,
  )
  for (const e of report.errors) lines.push('', `Not measured (${e.group}): ${e.message.split('\n')[0]}`)
  return `${lines.join('\n')}\n`
}

/** Writes `latest.json` and a timestamped copy; returns the path of the copy. */
export function writeReport(dir: string, report: Report): string {
  mkdirSync(dir, { recursive: true })
  const json = `${JSON.stringify(report, null, 2)}\n`
  const stamped = join(dir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`)
  writeFileSync(stamped, json)
  writeFileSync(join(dir, 'latest.json'), json)
  writeFileSync(join(dir, 'latest.md'), renderMarkdown(report))
  return stamped
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** The nearest-rank percentile: a value that was measured, never one interpolated between two. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

export function loadAverage(): number {
  return loadavg()[0] ?? 0
}
