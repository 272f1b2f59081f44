/**
 * API key secrets: made from 32 random bytes, stored only as a SHA-256 hash, compared in constant time.
 * A hash (not a slow password hash) is enough because the secret has 256 bits of entropy.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A new secret, e.g. `npk_3q2…` (a session token: `nps_…`); shown once, never stored. */
export function generateSecret(prefix = 'npk'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`
}

/** The part of a secret a key list shows: its last 4 characters, too few to help a guesser. */
export function last4(secret: string): string {
  return secret.slice(-4)
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** Equal hashes, without leaking through timing how many leading characters matched. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A random id with a prefix, e.g. `srv_…` or `key_…`: 128 random bits, unguessable. */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`
}
