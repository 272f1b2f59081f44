/**
 * Puts the card on the page: a `<npskit-card>` host with an open shadow root, so the page's CSS cannot
 * reach the card and the card's CSS cannot reach the page. Styles go in as a constructable stylesheet
 * (no `style-src` needed at all), else as a `<style>` carrying the page's nonce; never as `style=`.
 */
import { render } from 'preact'
import type { CardHandle, CardOptions } from '../types.ts'
import { Card } from './Card.tsx'
import css from './card.css?inline'

/** Readable text on the accent: dark on light accents, white on dark ones (WCAG relative luminance). */
export function onAccent(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111827' : '#fff'
}

/** The survey's accent and corner radius as custom properties; anything malformed keeps the default. */
export function themeCss(accent: string, radius?: number): string {
  const a = /^#[0-9a-f]{6}$/i.test(accent) ? accent : '#4f46e5'
  const r = Number.isInteger(radius) && (radius as number) >= 0 && (radius as number) <= 28 ? radius : 16
  return `:host{--npskit-accent:${a};--npskit-on-accent:${onAccent(a)};--npskit-radius:${r}px}`
}

/**
 * @example
 * const card = mount({ config, onScore, onFollowUp, onDismiss, onClose })
 * card.close()
 */
export function mount(o: CardOptions): CardHandle {
  const d = document
  const host = d.createElement('npskit-card')
  host.setAttribute('data-mode', o.mode || o.config.theme?.mode || 'auto')
  host.setAttribute('data-pos', o.position || o.config.theme?.position || 'bottom-right')
  host.setAttribute('data-font', o.config.theme?.font || 'system')
  const root = host.attachShadow({ mode: 'open' })
  const text = themeCss(o.config.theme?.accent ?? '', o.config.theme?.radius) + css
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(text)
    root.adoptedStyleSheets = [sheet]
  } catch {
    const style = d.createElement('style')
    if (o.nonce) style.nonce = o.nonce
    style.textContent = text
    root.appendChild(style)
  }
  const box = d.createElement('div')
  root.appendChild(box)
  d.body.appendChild(host)
  let open = true
  const close = () => {
    if (!open) return
    open = false
    try {
      render(null, box)
      host.remove()
    } finally {
      o.onClose()
    }
  }
  render(
    <Card
      config={o.config}
      identified={o.identified}
      onScore={o.onScore}
      onFollowUp={o.onFollowUp}
      onDismiss={o.onDismiss}
      onClose={close}
    />,
    box,
  )
  return { close }
}
