/**
 * A per-client token bucket for the public routes: each client may burst up to the per-minute limit,
 * refilled evenly over the minute. A client that runs dry is told a whole number of seconds to wait
 * (Retry-After) and is refused until that time has passed, so the header means what it says. Kept in
 * memory only (client addresses are never stored), swept as it grows so a flood of distinct addresses
 * cannot grow it without bound.
 *
 * @example
 * const limiter = new RateLimiter(600, () => Date.now())
 * const wait = limiter.take('203.0.113.7') // 0 when allowed, else seconds until the next token
 */
interface Bucket {
  tokens: number
  at: number
  /** Refused until this time (ms), as the last Retry-After said. */
  until: number
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>()

  constructor(
    readonly perMinute: number,
    readonly now: () => number,
    readonly maxClients = 100_000,
  ) {}

  /** Takes one token; answers 0 when allowed, else the whole seconds to wait. */
  take(client: string): number {
    if (this.perMinute <= 0) return 0
    const now = this.now()
    const bucket = this.#buckets.get(client)
    if (bucket && now < bucket.until) return Math.max(1, Math.ceil((bucket.until - now) / 1000))
    const perMs = this.perMinute / 60_000
    const tokens = bucket
      ? Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * perMs)
      : this.perMinute
    if (tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))
      this.#buckets.set(client, { tokens, at: now, until: now + wait * 1000 })
      return wait
    }
    if (!bucket && this.#buckets.size >= this.maxClients) this.#sweep(now)
    this.#buckets.set(client, { tokens: tokens - 1, at: now, until: 0 })
    return 0
  }

  /** The whole seconds this client is still refused for, as the last Retry-After said; 0 when it is not. */
  refusedFor(client: string): number {
    const bucket = this.#buckets.get(client)
    const now = this.now()
    return bucket && now < bucket.until ? Math.max(1, Math.ceil((bucket.until - now) / 1000)) : 0
  }

  /** Forgets buckets that have refilled completely: they hold no information. */
  #sweep(now: number): void {
    for (const [client, bucket] of this.#buckets) {
      if (now - bucket.at >= 60_000 && now >= bucket.until) this.#buckets.delete(client)
    }
    // Still full of recent clients: drop the oldest entries (Map keeps insertion order).
    for (const client of this.#buckets.keys()) {
      if (this.#buckets.size < this.maxClients) break
      this.#buckets.delete(client)
    }
  }
}
