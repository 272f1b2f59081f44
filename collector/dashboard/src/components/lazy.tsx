/**
 * A view loaded when it is first opened, so the overview's bundle carries none of it (the build's
 * budget counts what the overview loads). Until it arrives the view says it is loading; if its file
 * cannot be fetched (a deploy replaced it), it says so and offers a reload.
 *
 * @example
 * const CasesView = lazyView(() => import('../views/cases.tsx').then((m) => m.CasesView))
 */
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Loading } from './states.tsx'

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let view: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  return function LazyView(props: P) {
    // Only a re-render once the view has arrived. (Never `useState(view)`: a function given to useState
    // is called as its initial value, so a view already loaded would be called without its props.)
    const [, setLoaded] = useState<ComponentType<P> | undefined>(undefined)
    const [failed, setFailed] = useState(false)
    useEffect(() => {
      if (view) return
      loading ??= load()
      loading.then(
        (loaded) => {
          view = loaded
          setLoaded(() => loaded)
        },
        () => {
          loading = undefined
          setFailed(true)
        },
      )
    }, [])
    if (view) {
      const View = view
      return <View {...props} />
    }
    if (failed) {
      return (
        <div class="state failure" role="alert">
          <p>
            <strong>Could not load this view.</strong> The dashboard may have been updated since this page
            opened.
          </p>
          <button type="button" class="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      )
    }
    return <Loading />
  }
}
