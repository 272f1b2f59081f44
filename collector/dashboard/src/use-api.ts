/**
 * Loads what a view shows and reloads it when its inputs change. The last answer stays on screen while
 * the next one loads (no layout jump), an answer that arrives after a newer request is dropped, and a
 * failure keeps the API's message for the view to show.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure } from './api/client.ts'

export interface Loaded<T> {
  data: T | undefined
  error?: ApiFailure | undefined
  loading: boolean
  reload(): void
}

export function useApi<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean }>({ loading: true })
  const [round, setRound] = useState(0)
  const latest = useRef(0)
  useEffect(() => {
    const ticket = ++latest.current
    setState((s) => ({ ...s, loading: true }))
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) =>
        ticket === latest.current &&
        setState((s) => ({
          ...s,
          loading: false,
          error: error instanceof ApiFailure ? error : new ApiFailure(0, 'client', String(error)),
        })),
    )
  }, [...inputs, round])
  return { ...state, data: state.error ? undefined : state.data, reload: () => setRound((r) => r + 1) }
}
