/**
 * The webhook URL guard: a webhook makes the collector send requests where an admin says, so without a
 * guard an endpoint could reach what only the collector's own network can (a database's HTTP port, a
 * cloud metadata service at 169.254.169.254). Addresses that are loopback, private (RFC 1918,
 * fc00::/7), shared (100.64.0.0/10, carrier-grade NAT), link-local, unspecified, multicast or reserved
 * are refused — also written inside an IPv6 address (`::ffff:127.0.0.1`, NAT64, 6to4) — unless
 * NPSKIT_WEBHOOK_ALLOW_PRIVATE says the receivers live on a private network.
 *
 * The rule is checked twice: when an endpoint is saved (`webhookUrlProblem`, a 400 naming why), and
 * when a delivery connects (`guardedLookup`, given to node:http as its `lookup`), on the very address
 * the socket then connects to, so a name that resolved to a public address at save time cannot be
 * switched to a private one afterwards (DNS rebinding).
 *
 * @example
 * const problem = await webhookUrlProblem('http://10.0.0.5/hook', { allowPrivate: false })
 * // 'url: 10.0.0.5 is a private address; …'
 * http.request(url, { lookup: guardedLookup })
 */
import { type LookupAddress, type LookupAllOptions, lookup } from 'node:dns'
import { isIP, type LookupFunction } from 'node:net'

/** An IPv4 address as its four bytes, or undefined when `text` is none. */
function ipv4Bytes(text: string): number[] | undefined {
  if (isIP(text) !== 4) return undefined
  return text.split('.').map(Number)
}

/** An IPv6 address as its sixteen bytes (a trailing dotted IPv4 part included), or undefined. */
function ipv6Bytes(text: string): number[] | undefined {
  const bare = text.replace(/%.*$/, '')
  if (isIP(bare) !== 6) return undefined
  let groups: string[]
  const [head = '', tail] = bare.split('::')
  const part = (s: string) => (s === '' ? [] : s.split(':'))
  const expand = (words: string[]) =>
    words.flatMap((word) => {
      const v4 = ipv4Bytes(word)
      return v4 ? [((v4[0]! << 8) | v4[1]!).toString(16), ((v4[2]! << 8) | v4[3]!).toString(16)] : [word]
    })
  if (tail === undefined) groups = expand(part(head))
  else {
    const left = expand(part(head))
    const right = expand(part(tail))
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
  }
  return groups.flatMap((group) => {
    const word = Number.parseInt(group, 16)
    return [word >> 8, word & 0xff]
  })
}

/** Whether the first `bits` of `bytes` are those of `prefix`. */
function inPrefix(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i)
    const mask = (0xff << (8 - take)) & 0xff
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false
  }
  return true
}

const V4_RANGES: [prefix: number[], bits: number, what: string][] = [
  [[0, 0, 0, 0], 8, 'an unspecified address'],
  [[10, 0, 0, 0], 8, 'a private address'],
  [[100, 64, 0, 0], 10, 'a shared (carrier-grade NAT) address'],
  [[127, 0, 0, 0], 8, 'a loopback address'],
  [[169, 254, 0, 0], 16, 'a link-local address'],
  [[172, 16, 0, 0], 12, 'a private address'],
  [[192, 168, 0, 0], 16, 'a private address'],
  [[224, 0, 0, 0], 4, 'a multicast address'],
  [[240, 0, 0, 0], 4, 'a reserved address'],
]

const V6_RANGES: [prefix: number[], bits: number, what: string][] = [
  [[0xfc], 7, 'a private (unique local) address'],
  [[0xfe, 0xc0], 10, 'a private (site-local) address'],
  [[0xfe, 0x80], 10, 'a link-local address'],
  [[0xff], 8, 'a multicast address'],
]

/** Where an IPv6 address carries an IPv4 one, the v4 address's byte offset, by prefix. */
const V4_INSIDE_V6: [prefix: number[], bits: number, at: number][] = [
  // ::ffff:a.b.c.d, IPv4-mapped: what a dual-stack socket connects to for an IPv4 address.
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, 12],
  // ::a.b.c.d, the deprecated IPv4-compatible form.
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 96, 12],
  // 64:ff9b::a.b.c.d, NAT64: a gateway on the way may forward it to the IPv4 address.
  [[0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96, 12],
  // 2002:aabb:ccdd::/48, 6to4.
  [[0x20, 0x02], 16, 2],
]

function v4Reason(bytes: readonly number[]): string | undefined {
  return V4_RANGES.find(([prefix, bits]) => inPrefix(bytes, prefix, bits))?.[2]
}

/**
 * Why a webhook may not be sent to `address` (an IP address as text): `a loopback address`, … ;
 * undefined when it is a public address. Text that is no IP address is refused too.
 */
export function blockedAddressReason(address: string): string | undefined {
  const v4 = ipv4Bytes(address)
  if (v4) return v4Reason(v4)
  const v6 = ipv6Bytes(address)
  if (!v6) return 'not an IP address'
  if (v6.every((b) => b === 0)) return 'an unspecified address'
  if (v6.slice(0, 15).every((b) => b === 0) && v6[15] === 1) return 'a loopback address'
  for (const [prefix, bits, at] of V4_INSIDE_V6) {
    if (inPrefix(v6, prefix, bits)) {
      const reason = v4Reason(v6.slice(at, at + 4))
      if (reason) return reason
    }
  }
  return V6_RANGES.find(([prefix, bits]) => inPrefix(v6, prefix, bits))?.[2]
}

/** The URL's host as an IP address (brackets of an IPv6 literal removed), or undefined for a name. */
export function hostAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  return isIP(host) ? host : undefined
}

/** What is wrong with `raw` as a webhook URL before any name is resolved; undefined: nothing. */
export function webhookUrlSyntaxProblem(raw: string): string | undefined {
  if (!URL.canParse(raw)) return 'url must be an absolute http or https URL'
  const url = new URL(raw)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `url must be http or https, not ${url.protocol.slice(0, -1).slice(0, 20)}`
  }
  if (url.username || url.password) {
    return 'url must not hold a user name or password; receivers check the signature instead'
  }
  if (!url.hostname) return 'url must name a host'
  return undefined
}

const privateHint = 'set NPSKIT_WEBHOOK_ALLOW_PRIVATE=true if receivers on private networks are intended'

/** The message for a refused address, the same at save time and at delivery. */
export function blockedMessage(host: string, address: string, reason: string): string {
  const where = host === address ? address : `${host} resolves to ${address}, which`
  return `${where} is ${reason}; ${privateHint}`
}

const resolveAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  )

/**
 * What is wrong with `raw` as a webhook URL, checked when an endpoint is saved: its syntax, then (unless
 * `allowPrivate`) every address its host resolves to. undefined: it may be saved.
 */
export async function webhookUrlProblem(
  raw: string,
  options: { allowPrivate: boolean },
): Promise<string | undefined> {
  const syntax = webhookUrlSyntaxProblem(raw)
  if (syntax || options.allowPrivate) return syntax
  const url = new URL(raw)
  const literal = hostAddress(url)
  let addresses: string[]
  if (literal) addresses = [literal]
  else {
    try {
      addresses = (await resolveAll(url.hostname)).map((a) => a.address)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return `url: the host ${url.hostname} does not resolve${code ? ` (${code})` : ''}`
    }
  }
  for (const address of addresses) {
    const reason = blockedAddressReason(address)
    if (reason) return `url: ${blockedMessage(literal ?? url.hostname, address, reason)}`
  }
  return undefined
}

/** The error a delivery fails with when its host resolves to a refused address. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_BLOCKED_ADDRESS'
  constructor(host: string, address: string, reason: string) {
    super(`refused: ${blockedMessage(host, address, reason)}`)
    this.name = 'BlockedAddressError'
  }
}

/**
 * A `lookup` for node:http and node:https that resolves as usual and refuses (BlockedAddressError) when
 * any address of the host is refused, so the socket can only connect to an address that was checked.
 * An IP literal in the URL never reaches a lookup: callers check it with blockedAddressReason first.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  const all: LookupAllOptions = { ...options, all: true }
  lookup(hostname, all, (error, addresses) => {
    if (error) return callback(error, '', 0)
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address)
      if (reason) return callback(new BlockedAddressError(hostname, address, reason), '', 0)
    }
    const first = addresses[0]
    if (!first)
      return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0)
    if (options.all) return callback(null, addresses)
    return callback(null, first.address, first.family)
  })
}
