/**
 * The Origin policy of the public routes. A survey lists the sites that may send it answers; `*` lets
 * any site (and any client without an Origin header, such as curl) send. A browser always sends Origin
 * with a POST, so a request without one comes from a script or server, which can forge any header:
 * refusing it unless the survey is open to all keeps the rule simple and the default closed.
 */

import type { SurveySettings } from '@npskit/shared'

/** `https://Shop.Example:443` → `https://shop.example`; anything unparsable stays as given. */
export function normalizeOrigin(origin: string): string {
  try {
    return new URL(origin).origin
  } catch {
    return origin
  }
}

export function isOriginAllowed(settings: SurveySettings, origin: string | undefined): boolean {
  if (settings.allowedOrigins.includes('*')) return true
  if (!origin || origin === 'null') return false
  // The common case, an exact match, needs no URL parsing on the hot path.
  if (settings.allowedOrigins.includes(origin)) return true
  const wanted = normalizeOrigin(origin)
  return settings.allowedOrigins.some((allowed) => normalizeOrigin(allowed) === wanted)
}
