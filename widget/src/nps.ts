/**
 * nps.js, the loader: the one script a site owner adds to every page. No Preact and no card here; the
 * card (nps-card.js) is fetched from the same place as this file only when it is about to show.
 *
 *   <script async src="https://collector.example/nps.js" data-survey="srv_…"></script>
 */
import { createLoader } from './loader/core.ts'
import { jsonStorage } from './loader/storage.ts'
import type { MountCard, NpskitGlobal, ThemeMode } from './types.ts'

try {
  const w = window
  const d = document
  const previous = w.npskit
  const script = d.currentScript as HTMLScriptElement | null
  const data = script?.dataset ?? {}
  if (script && data.survey && !previous?.v) {
    const src = script.src || location.href
    const nonce = data.nonce || script.nonce || undefined
    const loader = createLoader(
      {
        survey: data.survey,
        collector: (data.collector || new URL('.', src).href).replace(/\/+$/, ''),
        locale: data.locale,
        mode: data.theme as ThemeMode | undefined,
        position: data.position,
        nonce,
        open: data.open === 'now',
      },
      {
        win: w,
        kv: jsonStorage(() => w.localStorage),
        fetch: w.fetch.bind(w),
        now: Date.now,
        loadCard: () =>
          new Promise((resolve, reject) => {
            const ready = () => fn.card
            if (ready()) return resolve(ready() as MountCard)
            const s = d.createElement('script')
            s.src = new URL('nps-card.js', src).href
            s.async = true
            if (nonce) s.nonce = nonce
            s.onload = () => (ready() ? resolve(ready() as MountCard) : reject())
            s.onerror = reject
            d.head.appendChild(s)
          }),
      },
    )
    const fn: NpskitGlobal = (...args: unknown[]) => loader.command(...args)
    fn.v = 1
    w.npskit = fn
    for (const args of previous?.q ?? []) loader.command(...Array.from(args))
    loader.start()
  }
} catch {}
