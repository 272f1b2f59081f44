/**
 * What the collector derives from a request instead of storing it raw: the client address (for rate
 * limiting only, in memory), the page path and a device class.
 */
import { IncomingMessage } from 'node:http'
import { isIPv6 } from 'node:net'
import type { Context } from 'hono'
import type { Device } from '../backend/backend.ts'

/** The Node request behind a context when the server is @hono/node-server (its HttpBindings). */
export function incomingOf(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming
  return incoming instanceof IncomingMessage ? incoming : undefined
}

/**
 * The client's address: the socket's peer, or with `trustProxy` the first `X-Forwarded-For` entry
 * (the proxy appends; the first entry is the client as the outermost trusted proxy saw it).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  return incomingOf(c)?.socket.remoteAddress ?? 'unknown'
}

/**
 * The block an address is counted as when one holder must not get a fresh allowance per address: an
 * IPv4 address alone, an IPv6 address by its /64, the usual allocation to one subscriber, who can send
 * from any address in it. `2001:db8:1:2::5` → `2001:db8:1:2::/64`; `::ffff:192.0.2.1` → `192.0.2.1`.
 */
export function addressBlock(address: string): string {
  const bare = address.replace(/%.*$/, '')
  if (!isIPv6(bare)) return address
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare)
  if (mapped) return mapped[1]!
  const [head = '', tail] = bare.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}

/**
 * A URL whose path the WHATWG parser keeps as written: http(s), no dot segments (checked apart), no
 * backslash, nothing it would percent-encode. The host is not checked: this is for URLs that zod has
 * already accepted (`z.url()`), where parsing each one a second time only to read its path cost more
 * than the rest of deriving an answer's fields.
 */
const PLAIN_PATH = /^https?:\/\/[^/?#\\\s]+(\/[\w\-.~!$&'()*+,;=:@/]*)?(?:[?#]|$)/

/** `https://shop.example/checkout/done?x=1` → `/checkout/done`, for a URL zod accepted. */
export function pathOf(url: string | undefined): string | null {
  if (!url) return null
  const plain = PLAIN_PATH.exec(url)
  if (plain && !plain[1]?.includes('/.')) return plain[1] || '/'
  try {
    return new URL(url).pathname
  } catch {
    return null
  }
}

const TABLET = /iPad|Tablet|PlayBook|Silk|Kindle|Nexus (7|9|10)|SM-T\d|Android(?!.*Mobile)/i
const MOBILE = /Mobi|iPhone|iPod|Android|Windows Phone|BlackBerry|Opera Mini|IEMobile/i

/** A coarse device class from the User-Agent; null when there is none. */
export function deviceOf(userAgent: string | undefined): Device | null {
  if (!userAgent) return null
  if (TABLET.test(userAgent)) return 'tablet'
  if (MOBILE.test(userAgent)) return 'mobile'
  return 'desktop'
}
