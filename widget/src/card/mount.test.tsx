import { afterEach, describe, expect, it, vi } from 'vitest'
import { widgetConfig } from '../test/fakes.ts'
import { mount, onAccent, themeCss } from './mount.tsx'

function options(change: Parameters<typeof widgetConfig>[1] = {}) {
  return {
    config: widgetConfig('en', change),
    onScore: vi.fn(),
    onFollowUp: vi.fn(),
    onDismiss: vi.fn(),
    onClose: vi.fn(),
  }
}

afterEach(() => {
  for (const el of document.querySelectorAll('npskit-card')) el.remove()
})

describe('mount', () => {
  it('renders into an open shadow root on a <npskit-card> host, styled without style attributes', () => {
    mount({ ...options(), mode: 'dark', position: 'bottom-left' })
    const host = document.querySelector('npskit-card') as HTMLElement
    expect(host.getAttribute('data-mode')).toBe('dark')
    expect(host.getAttribute('data-pos')).toBe('bottom-left')
    const root = host.shadowRoot as ShadowRoot
    expect(root.mode).toBe('open')
    expect(root.querySelector('[role="radiogroup"]')).not.toBeNull()
    expect(root.querySelectorAll('[style]')).toHaveLength(0)
    expect(host.hasAttribute('style')).toBe(false)
    const css = root.adoptedStyleSheets.length
      ? [...(root.adoptedStyleSheets[0]?.cssRules ?? [])].map((r) => r.cssText).join('')
      : (root.querySelector('style')?.textContent ?? '')
    expect(css).toContain('--npskit-accent')
  })

  it("takes the survey's theme unless the script tag overrides it", () => {
    mount(options())
    const host = document.querySelector('npskit-card') as HTMLElement
    expect(host.getAttribute('data-mode')).toBe('auto')
    expect(host.getAttribute('data-pos')).toBe('bottom-right')
  })

  it('falls back to a <style> with the nonce where constructable stylesheets are missing', () => {
    const original = globalThis.CSSStyleSheet
    // @ts-expect-error: an older browser without constructable stylesheets
    globalThis.CSSStyleSheet = undefined
    try {
      mount({ ...options(), nonce: 'abc' })
    } finally {
      globalThis.CSSStyleSheet = original
    }
    const style = document.querySelector('npskit-card')?.shadowRoot?.querySelector('style')
    expect(style?.nonce).toBe('abc')
    expect(style?.textContent).toContain(':host')
  })

  it('removes the host and reports once when closed', () => {
    const o = options()
    const card = mount(o)
    card.close()
    card.close()
    expect(document.querySelector('npskit-card')).toBeNull()
    expect(o.onClose).toHaveBeenCalledOnce()
    expect(o.onDismiss).not.toHaveBeenCalled()
  })

  it('removes itself when the visitor closes it', () => {
    const o = options()
    mount(o)
    const root = document.querySelector('npskit-card')?.shadowRoot as ShadowRoot
    ;(root.querySelector('button.x') as HTMLButtonElement).click()
    expect(document.querySelector('npskit-card')).toBeNull()
    expect(o.onDismiss).toHaveBeenCalledOnce()
    expect(o.onClose).toHaveBeenCalledOnce()
  })
})

describe('theme', () => {
  it('puts readable text on the accent colour', () => {
    expect(onAccent('#4f46e5')).toBe('#fff')
    expect(onAccent('#fde047')).toBe('#111827')
  })

  it('ignores an accent that is not a plain hex colour, so nothing can be injected into the CSS', () => {
    expect(themeCss('red;}</style><script>')).toContain('--npskit-accent:#4f46e5')
  })

  it('rounds the corners by the survey’s radius, and by 16 px for one that is missing or out of range', () => {
    expect(themeCss('#4f46e5', 4)).toContain('--npskit-radius:4px')
    expect(themeCss('#4f46e5', 0)).toContain('--npskit-radius:0px')
    expect(themeCss('#4f46e5')).toContain('--npskit-radius:16px')
    expect(themeCss('#4f46e5', 99)).toContain('--npskit-radius:16px')
    expect(themeCss('#4f46e5', 1.5)).toContain('--npskit-radius:16px')
  })

  it('uses the host page’s font when the survey says so, else the system font', () => {
    const config = widgetConfig('en')
    mount({ ...options(), config: { ...config, theme: { ...config.theme, font: 'inherit', radius: 6 } } })
    const host = document.querySelector('npskit-card') as HTMLElement
    expect(host.getAttribute('data-font')).toBe('inherit')
    host.remove()
    mount(options())
    expect(document.querySelector('npskit-card')?.getAttribute('data-font')).toBe('system')
  })
})
