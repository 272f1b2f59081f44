/**
 * The loader's brain, shared by the script tag (nps.ts) and the ESM entry (index.ts): the command queue,
 * the visitor id, the when-to-ask decision, the config fetch, the card's lifecycle and the transport.
 * Everything it touches of the outside world comes in through `env`, so tests drive it with a fake clock,
 * a fake storage and a fake card, and no error ever escapes into the host page.
 */
import { isUrlAllowed } from '@npskit/shared/url-rules'
import {
  type CardHandle,
  categoryOf,
  type FollowUp,
  type MountCard,
  type ThemeMode,
  type WidgetConfig,
} from '../types.ts'
import { cachedRules, decide, type SurveyState } from './rules.ts'
import type { KeyValue } from './storage.ts'
import { createTransport } from './transport.ts'

export interface LoaderOptions {
  survey: string
  /** The collector's base URL, without a trailing slash. */
  collector: string
  /** Overrides the browser's languages. */
  locale?: string | undefined
  mode?: ThemeMode | undefined
  position?: string | undefined
  nonce?: string | undefined
  /** `data-open="now"`: show at once, whatever the rules say. */
  open?: boolean | undefined
}

export interface LoaderEnv {
  win: Window & typeof globalThis
  kv: KeyValue
  fetch: typeof fetch
  now: () => number
  loadCard: () => Promise<MountCard>
}

export type WidgetEvent = 'shown' | 'response' | 'dismissed' | 'closed'
export type Listener = (detail: Record<string, unknown>) => void
type Metadata = Record<string, string | number | boolean>

/** Where the card is in its life on this page view (numbers: they minify better than strings). */
const IDLE = 0
const FETCHING = 1
const WAITING = 2
const LOADING = 3
const SHOWN = 4
type Phase = 0 | 1 | 2 | 3 | 4

/**
 * A UUIDv7 (RFC 9562): the time in ms, then random bits. Ids that grow with time land at the end of the
 * collector's primary key instead of at a random place in it, so each stored answer rewrites a page or
 * two rather than one per index (README, Performance). The random part comes from a v4 UUID:
 * `randomUUID` exists only in secure contexts; a blob URL ends in one everywhere else.
 */
export function uuid(c: Crypto = crypto, now = Date.now()): string {
  let random: string | undefined = c.randomUUID?.()
  if (!random) {
    random = URL.createObjectURL(new Blob())
    URL.revokeObjectURL(random)
  }
  const time = now.toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(-21)}`
}

/** Traits become response metadata; keep only what the collector accepts instead of losing the answer. */
export function toMetadata(traits: unknown): Metadata | undefined {
  const out = Object.entries(traits && typeof traits === 'object' ? traits : {})
    .filter(
      ([k, v]) =>
        /^[\w.:-]{1,64}$/.test(k) && (typeof v === 'string' || typeof v === 'boolean' || Number.isFinite(v)),
    )
    .slice(0, 20)
    .map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 256) : v])
  return out.length ? Object.fromEntries(out) : undefined
}

/**
 * @example
 * const npskit = createLoader({ survey: 'srv_a', collector: 'https://c.example' }, env)
 * npskit.command('on', 'response', (e) => console.log(e.score))
 * npskit.start()
 */
export function createLoader(options: LoaderOptions, env: LoaderEnv) {
  const { win, kv } = env
  const survey = options.survey
  const stateKey = `s:${survey}`
  const api = `/v1/surveys/${encodeURIComponent(survey)}`
  const listeners: Partial<Record<WidgetEvent, Listener[]>> = {}
  const transport = createTransport({
    base: options.collector,
    kv,
    fetch: env.fetch,
    beacon: win.navigator.sendBeacon ? (u, d) => win.navigator.sendBeacon(u, d) : undefined,
    isHidden: () => win.document.visibilityState === 'hidden',
  })
  let identity: { id: string; metadata: Metadata | undefined } | undefined
  let phase: Phase = IDLE
  /** Once a card has come and gone, this page view asks no more (unless the site opens it). */
  let done = false
  let forced = false
  let config: WidgetConfig | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let card: CardHandle | undefined
  let lastHref = ''
  let ready: Promise<void> | undefined

  const guard =
    <A extends unknown[]>(fn: (...a: A) => unknown) =>
    (...a: A): void => {
      try {
        const r = fn(...a)
        if (r instanceof Promise) r.catch(() => {})
      } catch {}
    }

  const state = (): SurveyState => kv.get<SurveyState>(stateKey) ?? {}
  const update = (change: Partial<SurveyState>) => kv.set(stateKey, { ...state(), ...change })
  const href = () => win.location.href
  const visitorId = (): string => {
    const stored = kv.get<string>('vid')
    if (stored) return String(stored)
    const id = uuid()
    kv.set('vid', id)
    return id
  }
  const respondentId = () => identity?.id ?? visitorId()
  const emit = (type: WidgetEvent, detail: Record<string, unknown> = {}) => {
    for (const fn of listeners[type] ?? []) guard(fn)({ surveyId: survey, ...detail })
  }
  const countView = () => update({ v: (state().v ?? 0) + 1 })
  /** No query or hash: they often carry tokens, and the path is what reports group by. */
  const pageUrl = () => (win.location.origin + win.location.pathname).slice(0, 2048)

  const whenReady = (): Promise<void> =>
    (ready ??= new Promise<void>((resolve) => {
      const idle = () =>
        win.requestIdleCallback
          ? win.requestIdleCallback(() => resolve(), { timeout: 2000 })
          : setTimeout(resolve, 1)
      if (win.document.readyState === 'complete') idle()
      else win.addEventListener('load', idle, { once: true })
    }))

  async function fetchConfig(): Promise<WidgetConfig | undefined> {
    const nav = win.navigator
    const locale = options.locale || nav.languages?.join() || nav.language || ''
    try {
      const res = await env.fetch(`${options.collector}${api}/widget?locale=${encodeURIComponent(locale)}`, {
        mode: 'cors',
        credentials: 'omit',
      })
      if (!res.ok) return undefined
      const cfg = (await res.json()) as WidgetConfig
      return cfg?.display && cfg
    } catch {
      return undefined
    }
  }

  async function evaluate(force: boolean): Promise<void> {
    if (force) {
      forced = true
      if (phase === WAITING) {
        clearTimeout(timer)
        return show()
      }
    }
    if (phase !== IDLE || (done && !force)) return
    const ctx = () => ({ now: env.now(), respondentId: respondentId(), surveyId: survey, url: href() })
    const cached = state().r
    if (!force && cached) {
      // Most page views end here: the rules cached from an earlier visit say no, and nothing is fetched.
      // Stale rules still rule out a recent answer or dismissal; a sample or page rule may have changed.
      const verdict = decide(state(), cached, ctx())
      if (
        verdict !== 'ask' &&
        (cachedRules(state(), env.now()) || verdict === 'answered' || verdict === 'dismissed')
      ) {
        return
      }
    }
    phase = FETCHING
    const cfg = await fetchConfig()
    if (phase !== FETCHING) return
    if (!cfg) {
      phase = IDLE
      return
    }
    config = cfg
    update({ r: cfg.display, t: env.now() })
    if (!forced && decide(state(), cfg.display, ctx()) !== 'ask') {
      phase = IDLE
      return
    }
    phase = WAITING
    timer = setTimeout(guard(show), forced ? 0 : cfg.display.delaySeconds * 1000)
  }

  async function show(): Promise<void> {
    const cfg = config
    if (!cfg || phase !== WAITING) return
    if (!forced && !isUrlAllowed(href(), cfg.display)) {
      phase = IDLE
      return
    }
    phase = LOADING
    let mount: MountCard
    try {
      mount = await env.loadCard()
    } catch {
      phase = IDLE
      return
    }
    if (phase !== LOADING) return
    phase = SHOWN
    const id = uuid()
    let score: number | undefined
    /**
     * Sends the answer so far and tells the page. The page hears that the visitor asked to be contacted
     * (`contact: true`), never the address: sites forward these events to analytics tools.
     */
    const respond = (extra: FollowUp) => {
      transport.send({
        p: `${api}/responses`,
        k: id,
        b: {
          id,
          score,
          respondentId: respondentId(),
          locale: cfg.locale,
          url: pageUrl(),
          metadata: identity?.metadata,
          // The collector counts only the card's answers towards the response rate.
          source: 'widget',
          ...extra,
        },
      })
      emit('response', {
        id,
        score,
        category: categoryOf(score as number),
        ...extra,
        contact: extra.contact && true,
      })
    }
    // Both events come before any score (a card closed after a score is not a dismissal): no responseId.
    const event = (type: 'shown' | 'dismissed') =>
      transport.send({ p: `${api}/events`, b: { type, respondentId: respondentId() } })
    card = mount({
      ...options,
      config: cfg,
      identified: !!identity,
      onScore: guard((s: number) => {
        score = s
        update({ a: env.now() })
        respond({})
      }),
      // The card bounds what it hands over (the comment to 2000 characters, the address to 254).
      onFollowUp: guard(respond),
      onDismiss: guard(() => {
        update({ d: env.now() })
        event('dismissed')
        emit('dismissed')
      }),
      onClose: guard(() => {
        card = undefined
        phase = IDLE
        done = true
        forced = false
        emit('closed', { answered: score != null })
      }),
    })
    event('shown')
    emit('shown')
  }

  function closeCard() {
    clearTimeout(timer)
    // Closing before the card is up cancels it: a fetch or load in flight finds the phase changed.
    if (card) card.close()
    else phase = IDLE
  }

  /** Single-page apps change the URL without a page load: count the view and re-check the URL rules. */
  function onRoute() {
    if (href() === lastHref) return
    lastHref = href()
    countView()
    const allowed = forced || !config || isUrlAllowed(href(), config.display)
    if (!allowed && (phase === WAITING || phase === SHOWN)) closeCard()
    else if (phase === IDLE && ready) evaluate(false)
  }

  function watchRoutes() {
    const h = win.history
    for (const m of ['pushState', 'replaceState'] as const) {
      const original = h[m]
      h[m] = function (this: History, ...a: Parameters<History['pushState']>) {
        const r = original.apply(this, a)
        setTimeout(guard(onRoute), 0)
        return r
      }
    }
    win.addEventListener('popstate', guard(onRoute))
    win.addEventListener('hashchange', guard(onRoute))
  }

  const commands: Record<string, (...a: unknown[]) => unknown> = {
    identify(userId, traits) {
      if (userId == null || userId === '') return
      identity = { id: String(userId).slice(0, 128), metadata: toMetadata(traits) }
    },
    open: () => whenReady().then(() => evaluate(true)),
    close: closeCard,
    reset() {
      identity = undefined
      // The retry queue stays: forgetting who the visitor is must not lose an answer already given.
      kv.remove('vid')
      kv.remove(stateKey)
    },
    on(type, fn) {
      if (typeof fn !== 'function') return
      listeners[type as WidgetEvent] ??= []
      listeners[type as WidgetEvent]?.push(fn as Listener)
    },
  }

  return {
    command: guard((name: unknown, ...args: unknown[]) => commands[String(name)]?.(...args)) as (
      ...args: unknown[]
    ) => void,
    start: guard(() => {
      lastHref = href()
      transport.flush()
      win.addEventListener('online', guard(transport.flush))
      countView()
      watchRoutes()
      return whenReady().then(() => evaluate(!!options.open))
    }),
    /** For tests and the ESM entry. */
    transport,
  }
}

export type Loader = ReturnType<typeof createLoader>
