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

/** A page of a list as the API answers it. */
export interface ListPage<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * A list read page by page ("Load more"): the first page through useApi, then each next one by the
 * API's cursor. Pages after the first belong to the query (`key`) they were loaded for: a new query
 * starts again from its first page.
 */
export function usePages<T>(page: (cursor?: string) => Promise<ListPage<T>>, inputs: unknown[], key: string) {
  const first = useApi(() => page(), inputs)
  const [more, setMore] = useState<{ key: string; items: T[]; next: string | null } | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<Error | null>(null)
  const extra = more?.key === key ? more : null
  const items = first.data ? [...first.data.items, ...(extra?.items ?? [])] : []
  const next = extra ? extra.next : (first.data?.nextCursor ?? null)

  const loadMore = async () => {
    if (!next) return
    setLoadingMore(true)
    setMoreError(null)
    try {
      const got = await page(next)
      setMore({ key, items: [...(extra?.items ?? []), ...got.items], next: got.nextCursor })
    } catch (error) {
      setMoreError(error as Error)
    } finally {
      setLoadingMore(false)
    }
  }
  return { first, items, next, loadMore, loadingMore, moreError }
}
