/**
 * Sends answers and events so that none is lost and none counts twice. Every message is written to the
 * retry queue (`npskit:q`) before it is sent and leaves it only when the collector confirms it (2xx) or
 * refuses it for good (4xx other than 408 and 429). Network errors, 5xx, 408 and 429 keep it for the
 * next page view or the `online` event. A later message for the same response replaces the queued one
 * (the comment carries the score too), and the collector merges repeats of an id, so a retry is safe.
 *
 * Bodies go as strings, which fetch and sendBeacon label `text/plain;charset=UTF-8` by themselves: a
 * "simple" request, so the browser sends no CORS preflight.
 */
import type { KeyValue } from './storage.ts'

export interface Message {
  /** Path below the collector, e.g. `/v1/surveys/srv_a/responses`. */
  p: string
  /** The JSON body. */
  b: Record<string, unknown>
  /** Dedup key: the response id; events have none. */
  k?: string
  /** This message's own id in the queue. */
  i?: string
}

export interface TransportEnv {
  base: string
  kv: KeyValue
  fetch: typeof fetch
  /** navigator.sendBeacon, if any. */
  beacon?: ((url: string, data: BodyInit) => boolean) | undefined
  isHidden: () => boolean
}

const QUEUE = 'q'
/** A queue that cannot drain must not grow without bound in the visitor's storage. */
const MAX_QUEUE = 50

/**
 * Does this answer settle the message? 2xx confirms it; any other 4xx will never succeed, so retrying it
 * forever would only fill the queue. 408, 429, 5xx and network errors are worth another try.
 */
export function settles(status: number): boolean {
  return (
    (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429)
  )
}

/**
 * @example
 * const t = createTransport({ base: 'https://c.example', kv, fetch, isHidden: () => false })
 * t.send({ p: '/v1/surveys/srv_a/events', b: { type: 'shown', respondentId: 'v1' } })
 */
export function createTransport(env: TransportEnv) {
  const read = (): Message[] => {
    const q = env.kv.get<Message[]>(QUEUE)
    return Array.isArray(q) ? q : []
  }
  const write = (q: Message[]) => (q.length ? env.kv.set(QUEUE, q.slice(-MAX_QUEUE)) : env.kv.remove(QUEUE))
  const remove = (m: Message) => write(read().filter((x) => x.i !== m.i))

  /** True when the message may leave the queue. */
  async function deliver(m: Message): Promise<boolean> {
    const url = env.base + m.p
    const body = JSON.stringify(m.b)
    if (env.isHidden() && env.beacon) {
      try {
        // A beacon has no answer; answers stay queued (a repeat merges), events leave (a repeat would count twice).
        if (env.beacon(url, body)) return !m.k
      } catch {}
    }
    try {
      const res = await env.fetch(url, {
        method: 'POST',
        body,
        keepalive: true,
        mode: 'cors',
        credentials: 'omit',
      })
      return settles(res.status)
    } catch {
      return false
    }
  }

  async function attempt(m: Message): Promise<boolean> {
    const settled = await deliver(m)
    if (settled) remove(m)
    return settled
  }

  let flushing: Promise<void> | undefined
  return {
    /** Queues the message, then sends it at once. */
    send(m: Message): Promise<boolean> {
      m.i = Math.random().toString(36).slice(2)
      write([...read().filter((x) => !(m.k && x.k === m.k)), m])
      return attempt(m)
    },
    /** Sends everything left from earlier page views, one at a time, stopping at the first failure. */
    flush(): Promise<void> {
      flushing ??= (async () => {
        for (const m of read()) if (!(await attempt(m))) break
      })().finally(() => {
        flushing = undefined
      })
      return flushing
    },
    pending: read,
  }
}

export type Transport = ReturnType<typeof createTransport>
