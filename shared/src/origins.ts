/**
 * Origins as a survey lists them in `allowedOrigins`. An entry is saved in the form a browser sends in
 * its Origin header (`scheme://host[:port]`: lower case, punycode, no default port, no trailing slash),
 * so the collector can match a request with one exact string comparison. An entry `https://*.shop.example`
 * allows every subdomain of shop.example at any depth (`https://a.shop.example`, `https://a.b.shop.example`)
 * with that scheme and port, as a Content-Security-Policy host source does; not shop.example itself
 * (list it too) and never a look-alike such as `https://evil-shop.example`.
 */

/** What an allowedOrigins entry becomes when saved, or why it cannot be one. */
export type AllowedOriginCheck = { ok: true; origin: string } | { ok: false; message: string }

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s
/** Stands in for `*` while the URL parser checks and normalises the rest of a wildcard's host. */
const PLACEHOLDER = 'npskit-wildcard'

const refuse = (message: string): AllowedOriginCheck => ({ ok: false, message })

/**
 * An allowedOrigins entry in its saved form: `HTTPS://Shop.Example:443/` → `https://shop.example`,
 * `https://*.Shop.Example` → `https://*.shop.example`, `*` stays `*`. Paths, queries, credentials,
 * percent-encoding and wildcards anywhere but the whole first label are refused, saying which.
 *
 * @example
 * checkAllowedOrigin('HTTPS://SHOP.EXAMPLE:443') // { ok: true, origin: 'https://shop.example' }
 * checkAllowedOrigin('https://shop.example/path') // { ok: false, message: 'must not have a path …' }
 */
export function checkAllowedOrigin(value: string): AllowedOriginCheck {
  if (value === '*') return { ok: true, origin: '*' }
  const parts = SCHEME.exec(value)
  if (!parts) return refuse('must be scheme://host[:port] such as https://shop.example, or *')
  const scheme = parts[1]!.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') return refuse('must use http:// or https://')
  const rest = parts[2]!
  const end = rest.search(/[/?#\\]/)
  const authority = end === -1 ? rest : rest.slice(0, end)
  const tail = end === -1 ? '' : rest.slice(end)
  if (/[?#]/.test(tail)) return refuse('must not have a query or fragment: scheme://host[:port] only')
  // A single trailing slash is how an address bar shows an origin; anything more is a path.
  if (tail !== '' && tail !== '/') return refuse('must not have a path: scheme://host[:port] only')
  if (authority.includes('@')) return refuse('must not contain a user name or password')
  if (authority.includes('%')) return refuse('must not be percent-encoded')
  if (/\s/.test(authority)) return refuse('must not contain spaces')
  const wildcard = authority.startsWith('*.')
  const host = wildcard ? `${PLACEHOLDER}.${authority.slice(2)}` : authority
  if (host.includes('*')) {
    return refuse('may use * only as the whole first label of the host, as in https://*.shop.example')
  }
  let url: URL
  try {
    url = new URL(`${scheme}://${host}`)
  } catch {
    return refuse('does not have a valid host[:port]')
  }
  if (!wildcard) return { ok: true, origin: url.origin }
  const suffix = url.hostname.slice(PLACEHOLDER.length + 1)
  // `*.example` or `*.com` would open a survey to whole top-level domains: a wildcard needs a domain
  // of at least two labels (the public suffix list is not consulted: `*.co.uk` is the owner's call),
  // or `localhost`, whose subdomains are all this machine (RFC 6761), for development.
  const labels = suffix.split('.').filter(Boolean)
  if (
    !url.hostname.startsWith(`${PLACEHOLDER}.`) ||
    (labels.length < 2 && !(labels.length === 1 && labels[0] === 'localhost'))
  ) {
    return refuse('a wildcard needs a domain of at least two labels after it, as in https://*.shop.example')
  }
  return { ok: true, origin: url.origin.replace(`//${PLACEHOLDER}.`, '//*.') }
}
