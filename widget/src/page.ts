/**
 * nps-page.js, the survey link page's script (`/s/:surveyId`, served by the collector): it shows the
 * card full-page (the same nps-card.js the loader loads) and sends what the visitor answers, through
 * the loader's transport (queued, retried, merged by id). The page carries its data as inert JSON: the
 * card's config, a personal link's token, the score chosen in an email.
 *
 * A chosen score is only shown chosen: nothing is sent until the visitor picks a score on the page (a
 * click, a tap, Enter), so a mail scanner that opens the link, even one that runs scripts, records
 * nothing; the server's line under the card says so to the person until they do. The server marks these answers `link` and takes who answers from the token, never from here.
 */
import { uuid } from './loader/core.ts'
import { jsonStorage } from './loader/storage.ts'
import { createTransport } from './loader/transport.ts'
import type { FollowUp, MountCard, NpskitGlobal, WidgetConfig } from './types.ts'

interface PageData {
  config: WidgetConfig
  token?: string
  score?: number
  identified: boolean
}

try {
  const w = window
  const d = document
  const script = d.currentScript as HTMLScriptElement | null
  const src = script?.src || location.href
  const nonce = script?.nonce || undefined
  const data = JSON.parse(d.getElementById('npskit-link')?.textContent || 'null') as PageData | null
  const main = d.getElementById('npskit-page')
  // The server's line under the card saying the email's score is not sent yet, while it is not.
  const hint = d.getElementById('npskit-hint')
  if (data && main) {
    const { config, token } = data
    const transport = createTransport({
      base: new URL('.', src).href.replace(/\/+$/, ''),
      kv: jsonStorage(() => w.localStorage),
      fetch: w.fetch.bind(w),
      beacon: navigator.sendBeacon?.bind(navigator),
      isHidden: () => d.visibilityState === 'hidden',
    })
    transport.flush()
    // One answer per visit of the open link; a personal link's answer is the token's, on every visit.
    const id = token ? undefined : uuid()
    let score: number | undefined
    const send = (extra?: FollowUp) =>
      transport.send({
        p: `/v1/surveys/${config.surveyId}/link-responses`,
        b: { token, id, score, locale: config.locale, ...extra },
        k: token || id,
      })
    const note = (text: string, again?: boolean) => {
      const p = d.createElement('div')
      p.className = 'npskit-note'
      if (again) {
        const b = d.createElement('button')
        b.type = 'button'
        b.textContent = text
        b.onclick = () => show()
        p.appendChild(b)
      } else {
        // The page's last word, announced, and its heading once the card has gone.
        p.setAttribute('role', 'status')
        p.appendChild(d.createElement('h1')).textContent = text
      }
      main.replaceChildren(p)
    }
    const show = (mount = (w.npskit as NpskitGlobal).card as MountCard) => {
      main.replaceChildren()
      mount({
        config,
        identified: data.identified,
        position: 'page',
        nonce,
        onScore: (n) => {
          score = n
          send()
          hint?.remove()
        },
        onFollowUp: (a) => send(a),
        onDismiss: () => {},
        onClose: () =>
          score === undefined ? note(config.strings.question, true) : note(config.strings.thanks),
      })
      // The card lands in <body>: move it into the page's column.
      const host = d.body.querySelector('npskit-card')
      if (host) main.appendChild(host)
      if (hint) main.appendChild(hint)
      const root = host?.shadowRoot
      try {
        // On the page the card is a card on a phone too, not the widget's bottom sheet, and there is
        // nothing to close: the visitor closes the tab. (Cosmetic: skipped where sheets cannot be adopted.)
        const sheet = new CSSStyleSheet()
        sheet.replaceSync(
          '.x{display:none}@media (max-width:480px){.card{border-width:1px;border-radius:16px;padding-bottom:18px}}',
        )
        if (root) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
      } catch {}
      const chosen = data.score
      if (score === undefined && chosen !== undefined) {
        const radio = root?.querySelector<HTMLInputElement>(`input[name="score"][value="${chosen}"]`)
        if (radio) {
          radio.checked = true
          radio.focus()
          // A click on a checked radio fires no change, which is what the card listens to: the
          // confirming click checks it anew. (Enter and Space choose the focused score by themselves.)
          root?.addEventListener('pointerdown', () => (radio.checked = false), { capture: true, once: true })
        }
      }
    }
    // nps-card.js hands its mount function to `npskit.card`.
    w.npskit ||= (() => {}) as NpskitGlobal
    const fn = w.npskit
    const s = d.createElement('script')
    s.src = new URL('nps-card.js', src).href
    if (nonce) s.nonce = nonce
    s.onload = () => fn.card && show(fn.card)
    d.head.appendChild(s)
  }
} catch {}
