// @vitest-environment node
/**
 * The files users get, as built: budgets, and what must never be inside them. `pnpm test` builds before
 * it tests; run alone, this file builds first if dist/ is missing.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUDGETS, sizes } from '../build.ts'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const read = (f: string) => readFileSync(dist + f, 'utf8')

beforeAll(() => {
  if (!['nps.js', 'nps-card.js', 'nps-page.js'].every((f) => existsSync(dist + f))) {
    execFileSync('pnpm', ['build'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'ignore' })
  }
}, 120_000)

describe('the built widget', () => {
  it('keeps the loader within 3 KiB and the card within 12 KiB, gzipped', () => {
    expect(BUDGETS).toMatchObject({ 'nps.js': 3072, 'nps-card.js': 12288 })
    expect(sizes(`${dist}nps.js`).gzip).toBeLessThanOrEqual(3072)
    expect(sizes(`${dist}nps-card.js`).gzip).toBeLessThanOrEqual(12288)
  })

  it('keeps the survey link page’s script within 2 KiB gzipped, without Preact, the card or zod', () => {
    expect(BUDGETS['nps-page.js']).toBe(2048)
    expect(sizes(`${dist}nps-page.js`).gzip).toBeLessThanOrEqual(2048)
    const page = read('nps-page.js')
    // It loads the card's own build rather than carrying a copy.
    expect(page).toContain('nps-card.js')
    expect(page).not.toMatch(/acit\|ex|__H|npskit-accent|zod/i)
    expect(page.startsWith('(function(){')).toBe(true)
  })

  it('keeps Preact, the card and zod out of the loader', () => {
    const loader = read('nps.js')
    // Preact's style-dimension regex and its hooks slot are in every Preact build, minified or not.
    expect(read('nps-card.js')).toMatch(/acit\|ex/)
    expect(loader).not.toMatch(/acit\|ex|__H|npskit-accent|zod/i)
    expect(loader).toContain('nps-card.js')
  })

  it('keeps zod out of the card and of the ESM entry', () => {
    for (const f of ['nps-card.js', 'nps.mjs']) expect(read(f)).not.toMatch(/ZodError|zod/i)
  })

  it('ships the loader as a classic script that creates no global but window.npskit', () => {
    const loader = read('nps.js')
    expect(loader.startsWith('(function(){')).toBe(true)
    expect(loader).not.toMatch(/\bvar npskitBundle\b|^import |^export /m)
    expect(read('nps-card.js')).not.toMatch(/\bvar npskitBundle\b/)
  })

  it('exports init from the ESM entry and loads the card from there lazily', () => {
    const esm = read('nps.mjs')
    expect(esm).toMatch(/export\s*\{[^}]*init/)
    expect(esm).toMatch(/import\(["'`]\.\/nps-mount-[\w-]+\.mjs["'`]\)/)
  })
})
