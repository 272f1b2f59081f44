import { describe, expect, it } from 'vitest'
import { blockedAddressReason, guardedLookup, webhookUrlProblem, webhookUrlSyntaxProblem } from './ssrf.ts'

describe('the webhook address guard', () => {
  it('refuses every IPv4 range a collector’s own network may hold, naming the kind', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'a loopback address'],
      ['127.255.0.9', 'a loopback address'],
      ['10.1.2.3', 'a private address'],
      ['172.16.0.1', 'a private address'],
      ['172.31.255.255', 'a private address'],
      ['192.168.1.1', 'a private address'],
      ['100.64.0.1', 'a shared (carrier-grade NAT) address'],
      ['100.127.255.254', 'a shared (carrier-grade NAT) address'],
      ['169.254.169.254', 'a link-local address'],
      ['0.0.0.0', 'an unspecified address'],
      ['224.0.0.1', 'a multicast address'],
      ['239.255.255.250', 'a multicast address'],
      ['255.255.255.255', 'a reserved address'],
    ]
    for (const [address, reason] of cases) expect(blockedAddressReason(address), address).toBe(reason)
  })

  it('lets public IPv4 addresses through, including the neighbours of refused ranges', () => {
    for (const address of [
      '93.184.215.14',
      '8.8.8.8',
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '11.0.0.1',
      '126.255.255.255',
      '128.0.0.1',
      '192.169.0.1',
      '223.255.255.255',
    ]) {
      expect(blockedAddressReason(address), address).toBeUndefined()
    }
  })

  it('refuses the IPv6 ranges, and an IPv4 address written inside an IPv6 one', () => {
    const cases: [string, string][] = [
      ['::1', 'a loopback address'],
      ['0:0:0:0:0:0:0:1', 'a loopback address'],
      ['::', 'an unspecified address'],
      ['fc00::1', 'a private (unique local) address'],
      ['fd12:3456:789a::1', 'a private (unique local) address'],
      ['fe80::1', 'a link-local address'],
      ['fe80::1%eth0', 'a link-local address'],
      ['febf::1', 'a link-local address'],
      ['fec0::1', 'a private (site-local) address'],
      ['ff02::1', 'a multicast address'],
      ['::ffff:127.0.0.1', 'a loopback address'],
      ['::ffff:7f00:1', 'a loopback address'],
      ['::FFFF:10.0.0.1', 'a private address'],
      ['::ffff:169.254.169.254', 'a link-local address'],
      ['::192.168.0.1', 'a private address'],
      ['64:ff9b::10.0.0.1', 'a private address'],
      ['2002:7f00:1::', 'a loopback address'],
    ]
    for (const [address, reason] of cases) expect(blockedAddressReason(address), address).toBe(reason)
  })

  it('lets public IPv6 addresses through, and a mapped public IPv4 one', () => {
    for (const address of [
      '2606:4700::1111',
      '2001:db8::1',
      'fe00::1',
      '::ffff:93.184.215.14',
      '2002:5db8:d70e::1',
    ]) {
      expect(blockedAddressReason(address), address).toBeUndefined()
    }
  })

  it('refuses text that is no address at all', () => {
    expect(blockedAddressReason('localhost')).toBe('not an IP address')
  })
})

describe('a webhook URL', () => {
  it('must be http or https, absolute, without a user name or password', () => {
    expect(webhookUrlSyntaxProblem('https://hooks.example/npskit')).toBeUndefined()
    expect(webhookUrlSyntaxProblem('ftp://hooks.example/x')).toBe('url must be http or https, not ftp')
    expect(webhookUrlSyntaxProblem('file:///etc/passwd')).toBe('url must be http or https, not file')
    expect(webhookUrlSyntaxProblem('/relative')).toBe('url must be an absolute http or https URL')
    expect(webhookUrlSyntaxProblem('https://user:pass@hooks.example/')).toMatch(
      /must not hold a user name or password/,
    )
    expect(webhookUrlSyntaxProblem('https://token@hooks.example/')).toMatch(
      /must not hold a user name or password/,
    )
  })

  it('is refused at save time when its host is, or resolves to, a refused address, saying why', async () => {
    const strict = { allowPrivate: false }
    expect(await webhookUrlProblem('http://127.0.0.1:8080/hook', strict)).toBe(
      'url: 127.0.0.1 is a loopback address; set NPSKIT_WEBHOOK_ALLOW_PRIVATE=true if receivers on private networks are intended',
    )
    expect(await webhookUrlProblem('http://[::ffff:10.0.0.1]/hook', strict)).toMatch(
      /^url: ::ffff:a00:1 is a private address/,
    )
    // Other spellings of an address are read the way a browser reads them.
    expect(await webhookUrlProblem('http://2130706433/', strict)).toMatch(/^url: 127\.0\.0\.1 is a loopback/)
    expect(await webhookUrlProblem('http://0x7f.1/', strict)).toMatch(/^url: 127\.0\.0\.1 is a loopback/)
    expect(await webhookUrlProblem('http://localhost:9/hook', strict)).toMatch(
      /^url: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    )
    expect(await webhookUrlProblem('http://93.184.215.14/hook', strict)).toBeUndefined()
  })

  it('may be private when the collector allows it, but never of another scheme', async () => {
    expect(await webhookUrlProblem('http://127.0.0.1:8080/hook', { allowPrivate: true })).toBeUndefined()
    expect(await webhookUrlProblem('gopher://127.0.0.1/', { allowPrivate: true })).toBe(
      'url must be http or https, not gopher',
    )
  })

  it('is refused when its host does not resolve', async () => {
    expect(await webhookUrlProblem('https://no-such-host.invalid/hook', { allowPrivate: false })).toMatch(
      /^url: the host no-such-host\.invalid does not resolve/,
    )
  })
})

describe('the lookup a delivery connects with', () => {
  const resolve = (host: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((done) =>
      guardedLookup(host, { all, family: 0 }, (error, address) => done({ error, address })),
    )

  it('refuses a name that resolves to a refused address, with the reason', async () => {
    for (const all of [false, true]) {
      const { error } = await resolve('localhost', all)
      expect(error?.message).toMatch(/^refused: localhost resolves to .*, which is a loopback address/)
      expect((error as NodeJS.ErrnoException).code).toBe('ERR_WEBHOOK_BLOCKED_ADDRESS')
    }
  })

  it('passes a lookup failure on as it is', async () => {
    const { error } = await resolve('no-such-host.invalid', false)
    expect((error as NodeJS.ErrnoException).code).toMatch(/ENOTFOUND|EAI_AGAIN/)
  })
})
