/**
 * The Origin policy of the public routes. A survey lists the sites that may send it answers; `*` lets
 * any site (and any client without an Origin header, such as curl) send. A browser always sends Origin
 * with a POST, so a request without one comes from a script or server, which can forge any header:
 * refusing it unless the survey is open to all keeps the rule simple and the default closed.
 *
 * Only an Origin in the exact form a browser serialises it is taken (`scheme://host[:port]`, as
 * `new URL(x).origin` writes it): a value that merely normalises to an allowed origin
 * (`https://user:pw@shop.example`, `https://shop%2eexample`, `https:shop.example`) is refused, so what
 * `Access-Control-Allow-Origin` echoes is always an origin the survey listed.
 */

import { checkAllowedOrigin, type SurveySettings } from '@npskit/shared'

interface OriginPolicy {
  any: boolean
  exact: Set<string>
  /** `https://*.shop.example:8443` as `{ scheme: 'https://', suffix: '.shop.example:8443' }`. */
  wildcards: { scheme: string; suffix: string }[]
}

/** Compiled once per settings object (the backend caches surveys, so this is once per change). */
const policies = new WeakMap<readonly string[], OriginPolicy>()

function policyOf(allowed: readonly string[]): OriginPolicy {
  let policy = policies.get(allowed)
  if (policy) return policy
  policy = { any: false, exact: new Set(), wildcards: [] }
  for (const entry of allowed) {
    // Entries are saved normalised; this also reads ones saved before that (`https://Shop.Example`).
    const check = checkAllowedOrigin(entry)
    if (!check.ok) continue
    if (check.origin === '*') policy.any = true
    else if (check.origin.includes('://*.')) {
      const [scheme, host] = check.origin.split('*')
      policy.wildcards.push({ scheme: scheme!, suffix: host! })
    } else policy.exact.add(check.origin)
  }
  policies.set(allowed, policy)
  return policy
}

/** Whether a header value is an origin exactly as a browser writes one. */
export function isSerializedOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}

/** A subdomain's labels before a wildcard's suffix: one or more, none empty. */
const LABELS = /^[^.]+(\.[^.]+)*$/

export function isOriginAllowed(settings: SurveySettings, origin: string | undefined): boolean {
  const policy = policyOf(settings.allowedOrigins)
  if (policy.any) return true
  if (!origin || origin === 'null') return false
  // The common case: an exact match with a saved (serialised) origin, no URL parsing on the hot path.
  if (policy.exact.has(origin)) return true
  if (policy.wildcards.length === 0 || !isSerializedOrigin(origin)) return false
  return policy.wildcards.some(
    ({ scheme, suffix }) =>
      origin.startsWith(scheme) &&
      origin.endsWith(suffix) &&
      LABELS.test(origin.slice(scheme.length, origin.length - suffix.length)),
  )
}
