import { afterEach, describe, expect, it, vi } from 'vitest'
import { findChromium, requireChromium } from './chromium.ts'

describe('finding the browser', () => {
  afterEach(() => vi.restoreAllMocks())

  it('prefers CHROMIUM_PATH when that file exists', () => {
    expect(findChromium({ CHROMIUM_PATH: process.execPath }, ['/nonexistent/chromium'])).toBe(
      process.execPath,
    )
  })

  it('falls back to the default path when CHROMIUM_PATH points nowhere', () => {
    expect(findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' }, [process.execPath])).toBe(
      process.execPath,
    )
  })

  it('fails in CI without a browser, saying how to install one', () => {
    expect(() => requireChromium({ CI: 'true' }, ['/nonexistent/chromium'])).toThrow(
      /apt-get install chromium/,
    )
  })

  it('warns loudly and skips outside CI without a browser', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    expect(requireChromium({}, ['/nonexistent/chromium'])).toBe(false)
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/SKIPPING THE BROWSER TESTS.*apt-get install chromium/),
    )
  })
})
