import { describe, expect, it } from 'vitest'
import { type LinkClaims, responseIdOf, signLink, verifyLink } from './token.ts'

const SECRET = 'a-secret-of-the-collector'
const NOW = Date.parse('2026-03-01T12:00:00Z')
const claims: LinkClaims = {
  s: 'srv_1',
  r: 'user-7',
  m: { accountId: 'acme', seats: 12 },
  e: NOW / 1000 + 3600,
  n: 'nonce',
}

describe('a personal link token', () => {
  it('verifies for its survey with the claims it was signed with, and a UUID answer id', () => {
    const checked = verifyLink(SECRET, 'srv_1', signLink(SECRET, claims), NOW)
    expect(checked).toEqual({ ok: true, claims, responseId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    if (checked.ok)
      expect(checked.responseId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      )
  })

  it('gives the same answer id on every check of one token, another for another link', () => {
    const token = signLink(SECRET, claims)
    const a = verifyLink(SECRET, 'srv_1', token, NOW)
    const b = verifyLink(SECRET, 'srv_1', token, NOW + 1000)
    const other = verifyLink(SECRET, 'srv_1', signLink(SECRET, { ...claims, n: 'other' }), NOW)
    expect(a.ok && b.ok && other.ok).toBe(true)
    if (a.ok && b.ok && other.ok) {
      expect(a.responseId).toBe(b.responseId)
      expect(other.responseId).not.toBe(a.responseId)
    }
  })

  it('derives the answer id with the secret, so the token alone does not give it', () => {
    const payload = signLink(SECRET, claims).split('.')[0]!
    expect(responseIdOf(SECRET, payload)).not.toBe(responseIdOf('another secret', payload))
  })

  it('is refused as tampered when its metadata or respondent is changed', () => {
    const [, signature] = signLink(SECRET, claims).split('.')
    for (const changed of [
      { ...claims, m: { accountId: 'evil' } },
      { ...claims, r: 'someone-else' },
    ]) {
      const payload = Buffer.from(JSON.stringify(changed)).toString('base64url')
      expect(verifyLink(SECRET, 'srv_1', `${payload}.${signature}`, NOW)).toEqual({
        ok: false,
        reason: 'tampered',
      })
    }
  })

  it('is refused as tampered when its signature is changed or made with another secret', () => {
    const token = signLink(SECRET, claims)
    const flipped = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA')
    expect(verifyLink(SECRET, 'srv_1', flipped, NOW)).toEqual({ ok: false, reason: 'tampered' })
    expect(verifyLink(SECRET, 'srv_1', signLink('guessed', claims), NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    })
  })

  it('is refused once expired, and for another survey', () => {
    const token = signLink(SECRET, claims)
    expect(verifyLink(SECRET, 'srv_1', token, claims.e * 1000 - 1).ok).toBe(true)
    expect(verifyLink(SECRET, 'srv_1', token, claims.e * 1000)).toEqual({
      ok: false,
      reason: 'expired',
      claims,
    })
    expect(verifyLink(SECRET, 'srv_2', token, NOW)).toEqual({ ok: false, reason: 'other_survey' })
  })

  it('is refused as malformed when it is not one', () => {
    for (const token of ['', 'abc', 'a.b.c', '.sig', 'x'.repeat(20_000)]) {
      expect(verifyLink(SECRET, 'srv_1', token, NOW)).toMatchObject({ ok: false })
    }
    expect(verifyLink(SECRET, 'srv_1', 'a.b.c', NOW)).toEqual({ ok: false, reason: 'malformed' })
  })
})
