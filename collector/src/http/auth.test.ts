import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, type Fixture, fixture } from '../testing.ts'

describe('wrong admin keys', () => {
  let f: Fixture
  beforeEach(async () => {
    f = await fixture({ trustProxy: true, authFailureLimit: 10 })
  })
  afterEach(() => f.close())

  const from = (address: string, key: string) =>
    f.app.request('/v1/surveys', {
      headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': address },
    })

  it('are refused with 429 and Retry-After after ten from one address, until that time has passed', async () => {
    for (let i = 0; i < 10; i++) expect((await from('203.0.113.7', `npk_guess-${i}`)).status).toBe(401)
    const limited = await from('203.0.113.7', 'npk_guess-10')
    expect(limited.status).toBe(429)
    expect(await errorCode(limited)).toBe('rate_limited')
    const wait = Number(limited.headers.get('retry-after'))
    expect(wait).toBeGreaterThanOrEqual(1)
    // While refused, not even the right key is checked: a guesser learns nothing faster than the limit.
    expect((await from('203.0.113.7', f.key)).status).toBe(429)
    f.clock.advance(wait * 1000)
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
    expect((await from('203.0.113.7', 'npk_guess-11')).status).toBe(401)
    expect((await from('203.0.113.7', 'npk_guess-12')).status).toBe(429)
  })

  it('from one address never slow down an admin at another', async () => {
    for (let i = 0; i < 50; i++) await from('203.0.113.7', `npk_guess-${i}`)
    expect((await from('203.0.113.7', 'npk_guess')).status).toBe(429)
    expect((await from('198.51.100.2', f.key)).status).toBe(200)
    expect((await from('198.51.100.2', 'npk_typo')).status).toBe(401)
  })

  it('from one IPv6 /64 count together, whichever of its addresses they come from', async () => {
    for (let i = 0; i < 10; i++) await from(`2001:db8:1:2::${i + 1}`, `npk_guess-${i}`)
    expect((await from('2001:db8:1:2::ffff', 'npk_guess')).status).toBe(429)
    expect((await from('2001:db8:1:3::1', f.key)).status).toBe(200)
  })

  it('are counted apart from good ones: a valid key is never refused for the requests it made', async () => {
    for (let i = 0; i < 100; i++) expect((await from('203.0.113.7', f.key)).status).toBe(200)
    for (let i = 0; i < 9; i++) await from('203.0.113.7', `npk_guess-${i}`)
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
    // Asking without any key is not a guess.
    for (let i = 0; i < 20; i++) {
      const res = await f.app.request('/v1/surveys', { headers: { 'x-forwarded-for': '203.0.113.7' } })
      expect(res.status).toBe(401)
    }
    expect((await from('203.0.113.7', f.key)).status).toBe(200)
  })
})
