/**
 * Builds the three files users get and prints their sizes; fails when a part outgrows its budget.
 *   dist/nps.js       the loader, a classic script on every page      ≤ 3 KiB gzip
 *   dist/nps-card.js  the card (Preact, signals, CSS), loaded to show ≤ 12 KiB gzip
 *   dist/nps.mjs      the ESM entry for apps that bundle it (+ its lazy card chunk)
 *   dist/nps-page.js  the survey link page's script (/s/:id): loads the card, sends ≤ 2 KiB gzip
 * Run: pnpm --filter @npskit/widget build
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build, type InlineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const dist = `${root}dist/`

/** Gzipped budgets in bytes, the first design goal of the widget. */
export const BUDGETS: Record<string, number> = {
  'nps.js': 3 * 1024,
  'nps-card.js': 12 * 1024,
  'nps-page.js': 2 * 1024,
}

export function sizes(file: string) {
  const buf = readFileSync(file)
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

function config(entry: string, format: 'iife' | 'es', fileName: string, empty: boolean): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir: dist,
      emptyOutDir: empty,
      target: 'es2020',
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: {
        entry: `${root}src/${entry}`,
        formats: [format],
        name: 'npskitBundle',
        fileName: () => fileName,
      },
      rolldownOptions: { output: { chunkFileNames: 'nps-[name]-[hash].mjs', minify: true } },
    },
  }
}

async function main() {
  // Vite picks packages' development or production builds by NODE_ENV: one a shell or a test runner
  // set (vitest sets `test`) would build preact's development bundle, not the one the budget is for.
  process.env.NODE_ENV = 'production'
  await build(config('nps.ts', 'iife', 'nps.js', true))
  await build(config('card.ts', 'iife', 'nps-card.js', false))
  await build(config('page.ts', 'iife', 'nps-page.js', false))
  await build(config('index.ts', 'es', 'nps.mjs', false))
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KiB`.padStart(11)
  const rows = readdirSync(dist)
    .filter((f) => /\.m?js$/.test(f))
    .sort()
  let failed = false
  console.log(
    `\n${'file'.padEnd(28)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}  budget (gzip)`,
  )
  for (const f of rows) {
    const s = sizes(dist + f)
    const budget = BUDGETS[f]
    const over = budget != null && s.gzip > budget
    failed ||= over
    const note = budget == null ? '' : `${kb(budget)}  ${over ? 'OVER BUDGET' : 'ok'}`
    console.log(`${f.padEnd(28)}${kb(s.raw)}${kb(s.gzip)}${kb(s.brotli)}  ${note}`)
  }
  if (failed) {
    console.error('\nA widget file is over its size budget.')
    process.exit(1)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
