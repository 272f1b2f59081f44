/**
 * Builds the dashboard into dashboard/dist and prints what the overview loads: its JavaScript and CSS,
 * raw and gzipped. The build fails above the budget, like the widget's (the bench reports the same figure).
 * Run: pnpm --filter @npskit/collector build
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
export const dist = `${root}dist/`

/** What the overview may load, gzipped: every script and stylesheet its page references. */
export const DASHBOARD_BUDGET = 80 * 1024

/** The scripts and stylesheets a built page (index.html or preview.html) references, with their sizes. */
export function pageAssets(page: string): { file: string; raw: number; gzip: number }[] {
  const html = readFileSync(`${dist}${page}`, 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/dashboard\/(assets\/[^"]+\.(?:js|css))"/g)].map(
    (m) => m[1]!,
  )
  return [...new Set(files)].map((file) => {
    const body = readFileSync(`${dist}${file}`)
    return { file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }
  })
}

async function main() {
  // As the widget's build: preact's production build whatever NODE_ENV the shell or test runner set.
  process.env.NODE_ENV = 'production'
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' })
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KiB`.padStart(11)
  const assets = pageAssets('index.html')
  console.log(`\n${'dashboard file'.padEnd(40)}${'raw'.padStart(11)}${'gzip'.padStart(11)}`)
  for (const a of assets) console.log(`${a.file.padEnd(40)}${kb(a.raw)}${kb(a.gzip)}`)
  const total = assets.reduce((sum, a) => sum + a.gzip, 0)
  const over = total > DASHBOARD_BUDGET
  console.log(
    `${'overview loads (JS + CSS)'.padEnd(51)}${kb(total)}  budget ${kb(DASHBOARD_BUDGET)}  ${over ? 'OVER BUDGET' : 'ok'}`,
  )
  console.log(`(${readdirSync(`${dist}assets`).length} files in dist/assets)`)
  if (over) {
    console.error('\nThe dashboard is over its size budget.')
    process.exit(1)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
