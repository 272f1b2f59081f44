import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limit.ts'

describe('RateLimiter', () => {
  it('lets a client burst up to the limit, then refills evenly over the minute', () => {
    let now = 0
    const limiter = new RateLimiter(60, () => now)
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBe(0)
    expect(limiter.take('a')).toBe(1)
    now += 1000
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('b')).toBe(0)
  })

  it('refuses a client until the Retry-After it was given has passed', () => {
    let now = 0
    const limiter = new RateLimiter(120, () => now)
    for (let i = 0; i < 120; i++) limiter.take('a')
    expect(limiter.take('a')).toBe(1)
    now += 600 // a token is back, but the client was told to wait a whole second
    expect(limiter.take('a')).toBe(1)
    now += 400
    expect(limiter.take('a')).toBe(0)
  })

  it('tells how long a client is still refused without taking a token', () => {
    let now = 0
    const limiter = new RateLimiter(2, () => now)
    expect(limiter.refusedFor('a')).toBe(0)
    limiter.take('a')
    limiter.take('a')
    expect(limiter.refusedFor('a')).toBe(0)
    expect(limiter.take('a')).toBe(30)
    now += 10_000
    expect(limiter.refusedFor('a')).toBe(20)
    expect(limiter.refusedFor('b')).toBe(0)
    now += 20_000
    expect(limiter.refusedFor('a')).toBe(0)
  })

  it('never limits when the limit is 0', () => {
    const limiter = new RateLimiter(0, () => 0)
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0)
  })

  it('forgets old clients instead of growing without bound', () => {
    let now = 0
    const limiter = new RateLimiter(10, () => now, 100)
    for (let i = 0; i < 1000; i++) {
      now += 1
      limiter.take(`client-${i}`)
    }
    // A client just forgotten starts again with a full bucket; the newest one is still remembered.
    expect(limiter.take('client-0')).toBe(0)
  })
})
