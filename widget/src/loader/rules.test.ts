import { describe, expect, it } from 'vitest'
import { DAY, rules } from '../test/fakes.ts'
import { cachedRules, decide, hash32, isSampled, RULES_TTL } from './rules.ts'

const now = Date.UTC(2026, 10, 23, 12)
const ctx = { now, respondentId: 'visitor-1', surveyId: 'srv_a', url: 'https://shop.example/checkout' }

describe('decide', () => {
  it('asks a visitor who has seen enough pages and never answered', () => {
    expect(decide({ v: 1 }, rules(), ctx)).toBe('ask')
  })

  it('does not ask again until resurveyAfterDays have passed since the answer', () => {
    const state = { v: 5, a: now - 89 * DAY }
    expect(decide(state, rules({ resurveyAfterDays: 90 }), ctx)).toBe('answered')
    expect(decide(state, rules({ resurveyAfterDays: 90 }), { ...ctx, now: now + 1 * DAY })).toBe('ask')
  })

  it('backs off for dismissBackoffDays after a dismissal', () => {
    const state = { v: 5, d: now - 13 * DAY }
    expect(decide(state, rules({ dismissBackoffDays: 14 }), ctx)).toBe('dismissed')
    expect(decide(state, rules({ dismissBackoffDays: 14 }), { ...ctx, now: now + DAY })).toBe('ask')
  })

  it('waits for minPageViews', () => {
    expect(decide({ v: 2 }, rules({ minPageViews: 3 }), ctx)).toBe('too-few-views')
    expect(decide({ v: 3 }, rules({ minPageViews: 3 }), ctx)).toBe('ask')
    expect(decide({}, rules({ minPageViews: 1 }), ctx)).toBe('too-few-views')
  })

  it('applies the URL include and exclude rules', () => {
    expect(decide({ v: 1 }, rules({ urlInclude: ['/pricing'] }), ctx)).toBe('url-excluded')
    expect(decide({ v: 1 }, rules({ urlExclude: ['/checkout*'] }), ctx)).toBe('url-excluded')
    expect(decide({ v: 1 }, rules({ urlInclude: ['/checkout'] }), ctx)).toBe('ask')
  })

  it('never asks a visitor outside the sample', () => {
    expect(decide({ v: 1 }, rules({ sampleRate: 0 }), ctx)).toBe('sampled-out')
  })
})

describe('sampling', () => {
  it('gives a visitor the same answer on every page view, not a new dice roll', () => {
    const first = Array.from({ length: 200 }, (_, i) => isSampled(`v${i}`, 'srv_a', 0.3))
    const again = Array.from({ length: 200 }, (_, i) => isSampled(`v${i}`, 'srv_a', 0.3))
    expect(again).toEqual(first)
  })

  it('samples about sampleRate of the visitors', () => {
    const n = 20_000
    const inSample = Array.from({ length: n }, (_, i) => isSampled(`visitor-${i}`, 'srv_a', 0.25)).filter(
      Boolean,
    )
    expect(inSample.length / n).toBeGreaterThan(0.23)
    expect(inSample.length / n).toBeLessThan(0.27)
  })

  it('draws a separate sample for each survey', () => {
    const a = Array.from({ length: 500 }, (_, i) => isSampled(`v${i}`, 'srv_a', 0.5))
    const b = Array.from({ length: 500 }, (_, i) => isSampled(`v${i}`, 'srv_b', 0.5))
    expect(a).not.toEqual(b)
  })

  it('keeps everyone at 1 and no one at 0', () => {
    expect(isSampled('x', 'srv_a', 1)).toBe(true)
    expect(isSampled('x', 'srv_a', 0)).toBe(false)
  })

  it('hashes with FNV-1a', () => {
    expect(hash32('')).toBe(0x811c9dc5)
    expect(hash32('a')).toBe(0xe40c292c)
  })
})

describe('cachedRules', () => {
  it('decides from rules cached by an earlier visit until they are a week old', () => {
    const r = rules({ sampleRate: 0.5 })
    expect(cachedRules({ r, t: now - RULES_TTL + 1 }, now)).toBe(r)
    expect(cachedRules({ r, t: now - RULES_TTL }, now)).toBeUndefined()
    expect(cachedRules({}, now)).toBeUndefined()
  })
})
