import { Window as HappyWindow } from 'happy-dom'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DAY, MemoryStorage, widgetConfig } from '../test/fakes.ts'
import type { CardOptions, WidgetConfig } from '../types.ts'
import { createLoader, type LoaderOptions, toMetadata, uuid } from './core.ts'
import { jsonStorage } from './storage.ts'

const T0 = Date.UTC(2026, 10, 23, 12)

interface Sent {
  method: string
  path: string
  body?: Record<string, unknown>
}

/**
 * One page view: a fresh window, the loader started on it, a fake collector (`fetch`) and a fake card
 * that records what it was given. Storage is passed in so that a second page view can share it.
 */
function pageView(
  opts: {
    url?: string
    storage?: MemoryStorage
    config?: WidgetConfig
    collectorDown?: boolean
    options?: Partial<LoaderOptions>
    before?: (command: (...a: unknown[]) => void) => void
  } = {},
) {
  const win = new HappyWindow({ url: opts.url ?? 'https://shop.example/' }) as unknown as Window &
    typeof globalThis
  Object.defineProperty(win, 'requestIdleCallback', { value: undefined })
  const storage = opts.storage ?? new MemoryStorage()
  const sent: Sent[] = []
  const cards: CardOptions[] = []
  const closed: string[] = []
  let online = !opts.collectorDown
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input))
    sent.push({
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      ...(init?.body ? { body: JSON.parse(String(init.body)) } : {}),
    })
    if (!online) throw new TypeError('Failed to fetch')
    if (url.pathname.endsWith('/widget')) return Response.json(opts.config ?? widgetConfig())
    return new Response(null, { status: url.pathname.endsWith('/events') ? 202 : 201 })
  })
  const loader = createLoader(
    { survey: 'srv_a', collector: 'https://c.example', ...opts.options },
    {
      win,
      kv: jsonStorage(() => storage),
      fetch: fetch as typeof globalThis.fetch,
      now: () => Date.now(),
      loadCard: async () => (o) => {
        cards.push(o)
        return {
          close: () => {
            closed.push('site')
            o.onClose()
          },
        }
      },
    },
  )
  opts.before?.(loader.command)
  loader.start()
  win.dispatchEvent(new win.Event('load'))
  return {
    win,
    storage,
    sent,
    cards,
    closed,
    fetch,
    command: loader.command,
    transport: loader.transport,
    setOnline(value: boolean) {
      online = value
    },
    posts: (kind: 'responses' | 'events') => sent.filter((s) => s.method === 'POST' && s.path.endsWith(kind)),
    configFetches: () => sent.filter((s) => s.path.includes('/widget')),
  }
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the loader', () => {
  it('fetches the config with the browser languages, waits delaySeconds, then shows the card', async () => {
    const p = pageView({ config: widgetConfig('en', { display: { delaySeconds: 5 } }) })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.configFetches().map((s) => s.path)).toEqual(['/v1/surveys/srv_a/widget?locale=en-US%2Cen'])
    await vi.advanceTimersByTimeAsync(4900)
    expect(p.cards).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(200)
    expect(p.cards).toHaveLength(1)
    expect(p.posts('events').map((s) => s.body?.type)).toEqual(['shown'])
  })

  it('asks with data-locale instead of the browser languages when the page sets it', async () => {
    const p = pageView({ options: { locale: 'he' } })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.configFetches()[0]?.path).toBe('/v1/surveys/srv_a/widget?locale=he')
  })

  it('posts the score at once, then the comment with the same id, and tells the page', async () => {
    const events: Record<string, unknown>[] = []
    const p = pageView({
      before: (npskit) => {
        npskit('on', 'response', (e: Record<string, unknown>) => events.push(e))
        npskit('on', 'shown', (e: Record<string, unknown>) => events.push({ shown: e.surveyId }))
      },
    })
    await vi.advanceTimersByTimeAsync(10)
    const card = p.cards[0] as CardOptions
    card.onScore(6)
    await vi.advanceTimersByTimeAsync(0)
    card.onFollowUp({ comment: 'Too slow' })
    await vi.advanceTimersByTimeAsync(0)
    const [first, second] = p.posts('responses').map((s) => s.body ?? {})
    expect(first).toMatchObject({ score: 6, locale: 'en', url: 'https://shop.example/' })
    expect(first?.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(second).toEqual({ ...first, comment: 'Too slow' })
    expect(first?.respondentId).toBe(JSON.parse(p.storage.getItem('npskit:vid') as string))
    expect(events).toEqual([
      { shown: 'srv_a' },
      { surveyId: 'srv_a', id: first?.id, score: 6, category: 'detractor' },
      { surveyId: 'srv_a', id: first?.id, score: 6, category: 'detractor', comment: 'Too slow' },
    ])
    expect(p.transport.pending()).toEqual([])
  })

  it('sends consent to be contacted with the follow-up, and tells the card whether the site identified the visitor', async () => {
    const events: Record<string, unknown>[] = []
    const anonymous = pageView({
      before: (npskit) => npskit('on', 'response', (e: Record<string, unknown>) => events.push(e)),
    })
    await vi.advanceTimersByTimeAsync(10)
    expect(anonymous.cards[0]?.identified).toBe(false)
    anonymous.cards[0]?.onScore(3)
    anonymous.cards[0]?.onFollowUp({ comment: 'Broken', contact: { email: 'ana@example.com' } })
    await vi.advanceTimersByTimeAsync(0)
    const [score, followUp] = anonymous.posts('responses').map((s) => s.body ?? {})
    expect(score).not.toHaveProperty('contact')
    expect(followUp).toEqual({ ...score, comment: 'Broken', contact: { email: 'ana@example.com' } })
    // The page hears that the visitor asked, never the address (sites forward these events to analytics).
    expect(events[1]).toEqual({
      surveyId: 'srv_a',
      id: score?.id,
      score: 3,
      category: 'detractor',
      comment: 'Broken',
      contact: true,
    })
    expect(JSON.stringify(events)).not.toContain('ana@example.com')

    const known = pageView({ before: (npskit) => npskit('identify', 'user-42') })
    await vi.advanceTimersByTimeAsync(10)
    expect(known.cards[0]?.identified).toBe(true)
    known.cards[0]?.onScore(9)
    known.cards[0]?.onFollowUp({ contact: {} })
    await vi.advanceTimersByTimeAsync(0)
    expect(known.posts('responses')[1]?.body).toMatchObject({
      respondentId: 'user-42',
      score: 9,
      contact: {},
    })
  })

  it('costs no request at all on later page views once the visitor has answered', async () => {
    const first = pageView()
    await vi.advanceTimersByTimeAsync(10)
    first.cards[0]?.onScore(10)
    first.cards[0]?.onClose()
    await vi.advanceTimersByTimeAsync(0)

    vi.setSystemTime(T0 + 30 * DAY)
    const later = pageView({ storage: first.storage })
    await vi.advanceTimersByTimeAsync(1000)
    expect(later.sent).toEqual([])
    expect(later.cards).toHaveLength(0)
  })

  it('asks again after resurveyAfterDays', async () => {
    const first = pageView({ config: widgetConfig('en', { display: { resurveyAfterDays: 30 } }) })
    await vi.advanceTimersByTimeAsync(10)
    first.cards[0]?.onScore(8)
    await vi.advanceTimersByTimeAsync(0)
    vi.setSystemTime(T0 + 29 * DAY)
    const early = pageView({ storage: first.storage })
    await vi.advanceTimersByTimeAsync(10)
    expect(early.sent).toEqual([])
    vi.setSystemTime(T0 + 31 * DAY)
    const later = pageView({
      storage: first.storage,
      config: widgetConfig('en', { display: { resurveyAfterDays: 30 } }),
    })
    await vi.advanceTimersByTimeAsync(10)
    expect(later.cards).toHaveLength(1)
  })

  it('sends dismissed on close without a score and backs off for dismissBackoffDays', async () => {
    const dismissed = vi.fn()
    const first = pageView({ before: (npskit) => npskit('on', 'dismissed', dismissed) })
    await vi.advanceTimersByTimeAsync(10)
    first.cards[0]?.onDismiss()
    first.cards[0]?.onClose()
    await vi.advanceTimersByTimeAsync(0)
    expect(first.posts('events').map((s) => s.body?.type)).toEqual(['shown', 'dismissed'])
    expect(dismissed).toHaveBeenCalledOnce()

    vi.setSystemTime(T0 + 13 * DAY)
    const early = pageView({ storage: first.storage })
    await vi.advanceTimersByTimeAsync(10)
    expect(early.sent).toEqual([])
    vi.setSystemTime(T0 + 15 * DAY)
    const later = pageView({ storage: first.storage })
    await vi.advanceTimersByTimeAsync(10)
    expect(later.cards).toHaveLength(1)
  })

  it('waits for minPageViews, counting each page view on this device', async () => {
    const config = widgetConfig('en', { display: { minPageViews: 3 } })
    const storage = new MemoryStorage()
    const shown: number[] = []
    for (let view = 1; view <= 3; view++) {
      const p = pageView({ storage, config })
      await vi.advanceTimersByTimeAsync(10)
      shown.push(p.cards.length)
    }
    expect(shown).toEqual([0, 0, 1])
  })

  it('keeps a visitor outside the sample out on every page view, without asking the collector again', async () => {
    const config = widgetConfig('en', { display: { sampleRate: 0 } })
    const first = pageView({ config })
    await vi.advanceTimersByTimeAsync(10)
    expect(first.configFetches()).toHaveLength(1)
    expect(first.cards).toHaveLength(0)
    const second = pageView({ storage: first.storage, config })
    await vi.advanceTimersByTimeAsync(10)
    expect(second.sent).toEqual([])
  })

  it('shows at once with data-open="now", whatever the rules say', async () => {
    const config = widgetConfig('en', { display: { sampleRate: 0, delaySeconds: 60 } })
    const p = pageView({ config, options: { open: true } })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.cards).toHaveLength(1)
  })

  it("opens with npskit('open') and closes with npskit('close'), without counting a dismissal", async () => {
    const closed = vi.fn()
    const config = widgetConfig('en', { display: { urlExclude: ['/*'] } })
    const p = pageView({ config, before: (npskit) => npskit('on', 'closed', closed) })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.cards).toHaveLength(0)
    p.command('open')
    await vi.advanceTimersByTimeAsync(10)
    expect(p.cards).toHaveLength(1)
    p.command('close')
    expect(p.closed).toEqual(['site'])
    expect(closed).toHaveBeenCalledWith({ surveyId: 'srv_a', answered: false })
    await vi.advanceTimersByTimeAsync(0)
    expect(p.posts('events').map((s) => s.body?.type)).toEqual(['shown'])
  })

  it('replaces the anonymous id with the identified user and sends traits as metadata', async () => {
    const p = pageView({
      before: (npskit) =>
        npskit('identify', 'user-42', { plan: 'pro', seats: 12, admin: true, nested: { x: 1 } }),
    })
    await vi.advanceTimersByTimeAsync(10)
    p.cards[0]?.onScore(9)
    await vi.advanceTimersByTimeAsync(0)
    expect(p.posts('responses')[0]?.body).toMatchObject({
      respondentId: 'user-42',
      metadata: { plan: 'pro', seats: 12, admin: true },
    })
    expect(p.posts('events')[0]?.body).toMatchObject({ type: 'shown', respondentId: 'user-42' })
  })

  it("forgets the visitor on npskit('reset') but keeps answers still waiting to be sent", async () => {
    const p = pageView()
    await vi.advanceTimersByTimeAsync(10)
    const vid = p.storage.getItem('npskit:vid')
    expect(vid).not.toBeNull()
    p.setOnline(false)
    p.cards[0]?.onScore(3)
    await vi.advanceTimersByTimeAsync(0)
    p.command('reset')
    expect(p.storage.getItem('npskit:vid')).toBeNull()
    expect(p.storage.getItem('npskit:s:srv_a')).toBeNull()
    expect(p.transport.pending().map((m) => m.b.score)).toEqual([3])
  })

  it('sends answers kept from an earlier page view, on start and when the browser is back online', async () => {
    const down = pageView({ collectorDown: true, options: { open: true } })
    await vi.advanceTimersByTimeAsync(10)
    expect(down.cards).toHaveLength(0) // no config, no card: the page does not notice

    const storage = new MemoryStorage()
    const first = pageView({ storage })
    await vi.advanceTimersByTimeAsync(10)
    first.setOnline(false)
    first.cards[0]?.onScore(7)
    await vi.advanceTimersByTimeAsync(0)
    expect(first.transport.pending()).toHaveLength(1)
    first.setOnline(true)
    first.win.dispatchEvent(new first.win.Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(first.transport.pending()).toHaveLength(0)

    first.setOnline(false)
    first.cards[0]?.onFollowUp({ comment: 'ok' })
    await vi.advanceTimersByTimeAsync(0)
    const next = pageView({ storage })
    await vi.advanceTimersByTimeAsync(10)
    expect(next.posts('responses').map((s) => s.body?.comment)).toEqual(['ok'])
    expect(next.transport.pending()).toEqual([])
  })

  it('re-checks the URL rules when a single-page app changes route (history API and hash)', async () => {
    const config = widgetConfig('en', { display: { urlInclude: ['/checkout*'], delaySeconds: 2 } })
    const p = pageView({ url: 'https://shop.example/home', config })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.cards).toHaveLength(0)

    p.win.history.pushState({}, '', '/checkout/done')
    await vi.advanceTimersByTimeAsync(1000)
    p.win.history.pushState({}, '', '/home')
    await vi.advanceTimersByTimeAsync(5000)
    expect(p.cards).toHaveLength(0) // left the allowed page before the delay ran out

    p.win.location.hash = '#x'
    p.win.history.replaceState({}, '', '/checkout#step-2')
    await vi.advanceTimersByTimeAsync(2100)
    expect(p.cards).toHaveLength(1)

    p.win.history.pushState({}, '', '/home')
    await vi.advanceTimersByTimeAsync(10)
    expect(p.closed).toEqual(['site'])
  })

  it('never lets a throwing listener or a failing collector reach the host page', async () => {
    const p = pageView({
      before: (npskit) => {
        npskit('on', 'shown', () => {
          throw new Error('site bug')
        })
        npskit('unknown-command')
        npskit('on', 'shown', 'not a function')
      },
    })
    await vi.advanceTimersByTimeAsync(10)
    expect(p.cards).toHaveLength(1)
  })
})

describe('helpers', () => {
  it('makes v7 UUIDs that start with the time, also where randomUUID is missing (plain-http pages)', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    const at = Date.parse('2026-12-01T09:00:00.123Z')
    expect(uuid(crypto, at)).toMatch(re)
    expect(uuid(crypto, at).replace('-', '').slice(0, 12)).toBe(at.toString(16).padStart(12, '0'))
    const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) } as Crypto
    expect(uuid(insecure)).toMatch(re)
    expect(uuid(crypto, at)).not.toBe(uuid(crypto, at))
  })

  it('orders ids by the time they were made, so answers append to the collector index', () => {
    const ids = [0, 1, 255, 256, 1_000_000].map((ms) => uuid(crypto, Date.parse('2026-12-01') + ms))
    expect([...ids].sort()).toEqual(ids)
  })

  it('keeps only traits the collector accepts, so an odd trait never costs the answer', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]))
    expect(toMetadata({ plan: 'pro', n: 1, ok: false, bad: Number.NaN, obj: {}, 'sp ace': 'x' })).toEqual({
      plan: 'pro',
      n: 1,
      ok: false,
    })
    expect(Object.keys(toMetadata(many) ?? {})).toHaveLength(20)
    expect(toMetadata({ long: 'x'.repeat(300) })?.long).toHaveLength(256)
    expect(toMetadata(undefined)).toBeUndefined()
  })
})
