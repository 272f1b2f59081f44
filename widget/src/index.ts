/**
 * The ESM entry for single-page apps that bundle the widget. Same loader as the script tag; the card is
 * a separate chunk, imported only when it is about to show.
 *
 * @example
 * import { init } from '@npskit/widget'
 * const npskit = init({ survey: 'srv_…', collector: 'https://collector.example' })
 * npskit('identify', user.id, { plan: user.plan })
 * npskit('on', 'response', ({ score }) => console.log(score))
 */
import { createLoader, type LoaderOptions } from './loader/core.ts'
import { jsonStorage } from './loader/storage.ts'

export type { Listener, LoaderOptions as InitOptions, WidgetEvent } from './loader/core.ts'
export type { CardOptions, Category, ThemeMode } from './types.ts'

export type Npskit = (command: 'identify' | 'open' | 'close' | 'reset' | 'on', ...args: unknown[]) => void

/** Starts the widget for one survey and returns its command function (no global is created). */
export function init(options: LoaderOptions): Npskit {
  const loader = createLoader(
    { ...options, collector: options.collector.replace(/\/+$/, '') },
    {
      win: window,
      kv: jsonStorage(() => window.localStorage),
      fetch: (...a) => window.fetch(...a),
      now: Date.now,
      loadCard: () => import('./card/mount.tsx').then((m) => m.mount),
    },
  )
  loader.start()
  return loader.command
}
