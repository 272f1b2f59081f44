/**
 * Finds and launches the real Chromium the end-to-end suite drives. We never download a browser: CI
 * installs Debian's package (`.ci/run`), and `CHROMIUM_PATH` points elsewhere when needed.
 *
 * Without a browser the suite must not pass silently in CI, so there it fails with the fix; on a
 * developer's machine it warns loudly and the browser tests are skipped.
 */
import { existsSync } from 'node:fs'
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core'

const DEFAULT_PATH = '/usr/bin/chromium'

const INSTALL_HINT =
  'Install one with `sudo apt-get install chromium` (Debian/Ubuntu) or point CHROMIUM_PATH at a Chromium binary.'

/** The Chromium binary to drive, or null when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, defaults = [DEFAULT_PATH]): string | null {
  const candidates = [env.CHROMIUM_PATH, ...defaults].filter((p): p is string => Boolean(p))
  return candidates.find((p) => existsSync(p)) ?? null
}

let warned = false

/**
 * Decides, once per file, whether browser tests run. Throws in CI when no browser is found, so a broken
 * CI image cannot turn the suite green; returns false (after a loud warning) anywhere else.
 *
 * @example
 * const browserFound = requireChromium()
 * describe.skipIf(!browserFound)('the card', () => { … })
 */
export function requireChromium(env: NodeJS.ProcessEnv = process.env, defaults = [DEFAULT_PATH]): boolean {
  if (findChromium(env, defaults)) return true
  const message = `No Chromium found at ${env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH} or ` : ''}${DEFAULT_PATH}. ${INSTALL_HINT}`
  if (env.CI === 'true') {
    throw new Error(`The end-to-end suite needs a real browser. ${message}`)
  }
  if (!warned) {
    warned = true
    const bar = '!'.repeat(100)
    console.warn(`\n${bar}\n  SKIPPING THE BROWSER TESTS: ${message}\n${bar}\n`)
  }
  return false
}

/**
 * Launches headless Chromium with the flags this sandboxed, loopback-only machine needs.
 *
 * @example
 * const browser = await launchChromium()
 * const context = await newContext(browser, { viewport: { width: 390, height: 844 } })
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error(`No Chromium found. ${INSTALL_HINT}`)
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Timers in a backgrounded headless tab may be throttled; the card's delay must fire on time.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  })
}

/** A fresh context (own storage, own cookies) per test, so no test sees another's visitor state. */
export async function newContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', ...options })
}
