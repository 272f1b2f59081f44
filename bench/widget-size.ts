/**
 * Widget sizes: the loader (`widget/dist/nps.js`), the card (`widget/dist/nps-card.js`) and the survey
 * link page's script (`widget/dist/nps-page.js`) as shipped, raw, gzip (level 9) and brotli (quality 11),
 * against their gzip budgets of 3, 12 and 2 KiB.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { repoRoot } from './lib/processes.ts'
import { type Figure, figure } from './lib/report.ts'

export const widgetDist = join(repoRoot, 'widget', 'dist')
const KB = 1024

const parts = [
  { name: 'loader nps.js', file: 'nps.js', budget: 3 * KB },
  { name: 'card nps-card.js', file: 'nps-card.js', budget: 12 * KB },
  { name: 'link page nps-page.js', file: 'nps-page.js', budget: 2 * KB },
]

export function sizes(bytes: Buffer) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

/** A fresh clone has no dist/: build it the way `pnpm build` does. */
export function ensureWidgetBuilt(): void {
  if (parts.every((part) => existsSync(join(widgetDist, part.file)))) return
  execFileSync('pnpm', ['--filter', '@npskit/widget', 'build'], { cwd: repoRoot, stdio: 'inherit' })
}

export function benchWidgetSize(): Figure[] {
  ensureWidgetBuilt()
  const figures: Figure[] = []
  for (const part of parts) {
    const path = join(widgetDist, part.file)
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first`)
    const size = sizes(readFileSync(path))
    const budget = { label: 'budget', value: part.budget / KB }
    figures.push(
      figure({
        group: 'widget size',
        name: `${part.name} gzip`,
        value: size.gzip / KB,
        unit: 'KiB',
        baseline: budget,
        lowerIsBetter: true,
        goal: { text: `≤ ${part.budget / KB} KiB gzip`, met: size.gzip <= part.budget },
        note: `${size.raw} B raw, ${size.gzip} B gzip, ${size.brotli} B brotli`,
      }),
      figure({
        group: 'widget size',
        name: `${part.name} brotli`,
        value: size.brotli / KB,
        unit: 'KiB',
        baseline: { ...budget, label: 'gzip budget' },
        lowerIsBetter: true,
      }),
      figure({
        group: 'widget size',
        name: `${part.name} raw`,
        value: size.raw / KB,
        unit: 'KiB',
        lowerIsBetter: true,
      }),
    )
  }
  return figures
}
