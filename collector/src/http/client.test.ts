import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deviceOf, pathOf } from './client.ts'

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
