import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressBlock, deviceOf, pathOf } from './client.ts'

describe('addressBlock', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::5', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0:0:0:1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('counts %s as %s', (address, block) => {
    expect(addressBlock(address)).toBe(block)
  })
})

describe('deviceOf', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36', 'desktop'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
      'desktop',
    ],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'mobile'],
    [
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36',
      'mobile',
    ],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148', 'tablet'],
    ['Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/120.0 Safari/537.36', 'tablet'],
  ])('classes %s as %s', (ua, device) => {
    expect(deviceOf(ua)).toBe(device)
  })

  it('knows nothing without a User-Agent', () => {
    expect(deviceOf(undefined)).toBeNull()
  })
})

describe('pathOf', () => {
  it('keeps only the path of a URL', () => {
    expect(pathOf('https://shop.example/checkout/done?order=1#top')).toBe('/checkout/done')
    expect(pathOf('https://shop.example')).toBe('/')
    expect(pathOf(undefined)).toBeNull()
  })

  it('reads the path exactly as the URL parser does, for every URL the parser accepts', () => {
    const tricky = fc.constantFrom(
      'https://a/b/../c',
      'https://a/./b',
      'https://a/b/.',
      'https://a/.well-known/x',
      'https://a/%2e%2e/b',
      'https://a\\b/c',
      'https://a/b\\c',
      'HTTPS://A/B',
      'https://a//b',
      'https://a?x=1',
      'https://a#top',
      'https://u:p@a:8080/x;y,z',
      'https://a/ä/é',
      'https://a/b c',
      'https://a/{x}|[y]^',
      'https://a/~x!$&()*+=@:',
      'http://a:080/x',
      'ftp://a/b',
      'https://a/b?c/../d#e/../f',
    )
    const path = fc.stringMatching(/^(\/[a-z0-9._~%!$&'()*+,;=:@\\-]{0,6}){0,4}$/)
    const url = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      tricky,
      fc
        .tuple(fc.constantFrom('https://shop.example', 'http://a:1', 'https://x.y'), path)
        .map(([o, p]) => o + p),
    )
    fc.assert(
      fc.property(url, (u) => {
        if (URL.canParse(u)) expect(pathOf(u)).toBe(new URL(u).pathname)
      }),
      { numRuns: 5000 },
    )
  })
})
