/**
 * The card preview: a small host page, framed by the settings view, that runs the widget's own build
 * (`/nps-card.js`, served by the collector) and mounts the card with the config the settings form
 * sends by postMessage, on a page in the visitor's colour scheme (`scheme`). Nothing is posted to the
 * collector: the card's callbacks go nowhere.
 */
import type { MountCard, WidgetConfig } from './types.ts'
import './preview.css'

let card: { close(): void } | null = null
let mount: MountCard | null = null
let pending: WidgetConfig | null = null

function show(config: WidgetConfig) {
  pending = config
  if (!mount) return
  card?.close()
  card = null
  document.documentElement.lang = config.locale
  document.documentElement.dir = config.dir
  card = mount({
    config,
    onScore() {},
    onFollowUp() {},
    onDismiss() {},
    onClose() {
      card = null
    },
  })
}

// nps-card.js hands its mount function to the command function the loader would have made.
const stub = (() => {}) as unknown as NonNullable<Window['npskit']>
window.npskit = stub
const script = document.createElement('script')
script.src = '/nps-card.js'
script.onload = () => {
  mount = window.npskit?.card ?? null
  document.body.dataset.ready = mount ? 'true' : 'false'
  if (pending) show(pending)
  parent.postMessage({ type: 'npskit-preview-ready' }, window.location.origin)
}
script.onerror = () => {
  document.body.dataset.ready = 'false'
  document.body.textContent = 'The widget is not built: run pnpm build.'
}
document.head.appendChild(script)

window.addEventListener('message', (event: MessageEvent) => {
  if (event.origin !== window.location.origin || event.source !== parent) return
  const data = event.data as { type?: string; config?: WidgetConfig; scheme?: 'light' | 'dark' }
  if (data?.type !== 'npskit-preview' || !data.config) return
  // The page behind the card in the visitor's scheme (an `auto` card already follows it in the config).
  document.documentElement.dataset.scheme = data.scheme === 'dark' ? 'dark' : 'light'
  show(data.config)
})
