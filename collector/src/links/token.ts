/**
 * Personal survey links: a token that says which survey, who answers (respondentId), what the answer
 * carries (metadata) and until when, signed with HMAC-SHA256 under the collector's own `links` secret
 * (Backend.signingSecret). Nobody without the secret can make one, and a changed byte breaks the
 * signature, so nobody can answer as someone else or change the metadata.
 *
 * A token is `<payload>.<signature>`, both base64url: the payload is the JSON of {@link LinkClaims}.
 * The answer's id is derived from the token (another HMAC of the payload), so every visit of one link
 * writes the same answer (the answers' merge by id) and nobody holding the token can compute it.
 *
 * @example
 * const token = signLink(secret, { s: 'srv_1', r: 'user-7', m: { accountId: 'acme' }, e: exp, n: 'x' })
 * const checked = verifyLink(secret, 'srv_1', token, Date.now())
 * if (checked.ok) checked.claims.r // 'user-7'
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { MetadataValue } from '../backend/backend.ts'

export interface LinkClaims {
  /** The survey. */
  s: string
  /** The respondent, if the link was made for one. */
  r?: string
  /** Metadata every answer through this link carries. */
  m?: Record<string, MetadataValue>
  /** Locale the page asks in, unless the visitor's `?locale=` says otherwise. */
  l?: string
  /** Expiry, seconds since the epoch. */
  e: number
  /** A random nonce: two links for one respondent are two answers. */
  n: string
}

export type LinkCheck =
  | { ok: true; claims: LinkClaims; responseId: string }
  | { ok: false; reason: 'malformed' | 'tampered' | 'other_survey' }
  /** Signed by this collector, so its claims (the link's language) may be read, but no longer answerable. */
  | { ok: false; reason: 'expired'; claims: LinkClaims }

/** A token is at most this long: metadata is bounded, so a real one is far shorter. */
export const MAX_TOKEN_LENGTH = 16_384

const mac = (secret: string, label: string, data: string) =>
  createHmac('sha256', secret).update(label).update('\0').update(data).digest()

export function linkNonce(): string {
  return randomBytes(9).toString('base64url')
}

export function signLink(secret: string, claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url')
  return `${payload}.${mac(secret, 'npskit-link', payload).toString('base64url')}`
}

/** The answer id of a link: a UUID (version 4 layout) from a keyed hash of its payload. */
export function responseIdOf(secret: string, payload: string): string {
  const b = mac(secret, 'npskit-link-response', payload).subarray(0, 16)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** Checks a token for a survey at `now` (ms): signature first, so nothing unsigned is ever parsed. */
export function verifyLink(secret: string, surveyId: string, token: string, now: number): LinkCheck {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' }
  const dot = token.indexOf('.')
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' }
  const payload = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1), 'base64url')
  const expected = mac(secret, 'npskit-link', payload)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'tampered' }
  }
  let claims: LinkClaims
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (typeof claims?.s !== 'string' || typeof claims.e !== 'number') return { ok: false, reason: 'malformed' }
  if (claims.s !== surveyId) return { ok: false, reason: 'other_survey' }
  if (claims.e * 1000 <= now) return { ok: false, reason: 'expired', claims }
  return { ok: true, claims, responseId: responseIdOf(secret, payload) }
}
