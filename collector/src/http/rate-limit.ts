/**
 * A per-client token bucket for the public routes: each client may burst up to the per-minute limit,
 * refilled evenly over the minute. Kept in memory only (client addresses are never stored), swept as it
 * grows so a flood of distinct addresses cannot grow it without bound.
 *
 * @example
 * const limiter = new RateLimiter(600, () => Date.now())
 * const wait = limiter.take('203.0.113.7') // 0 when allowed, else seconds until the next token
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    readonly perMinute: number,
    readonly now: () => number,
    readonly maxClients = 100_000,
  ) {}

  /** Takes one token; answers 0 when allowed, else the whole seconds to wait. */
  take(client: string): number {
    if (this.perMinute <= 0) return 0
    const now = this.now()
    const perMs = this.perMinute / 60_000
    const bucket = this.#buckets.get(client)
    const tokens = bucket
      ? Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * perMs)
      : this.perMinute
    if (tokens < 1) {
      this.#buckets.set(client, { tokens, at: now })
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))
    }
    if (!bucket && this.#buckets.size >= this.maxClients) this.#sweep(now)
    this.#buckets.set(client, { tokens: tokens - 1, at: now })
    return 0
  }

  /** Forgets buckets that have refilled completely: they hold no information. */
  #sweep(now: number): void {
    const full = 60_000
    for (const [client, bucket] of this.#buckets) {
      if (now - bucket.at >= full) this.#buckets.delete(client)
    }
    // Still full of recent clients: drop the oldest entries (Map keeps insertion order).
    for (const client of this.#buckets.keys()) {
      if (this.#buckets.size < this.maxClients) break
      this.#buckets.delete(client)
    }
  }
}
