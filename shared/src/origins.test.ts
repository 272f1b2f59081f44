import { describe, expect, it } from 'vitest'
import { checkAllowedOrigin } from './origins.ts'
import { surveyCreateSchema } from './schemas.ts'

const saved = (value: string) => checkAllowedOrigin(value)

describe('an allowedOrigins entry', () => {
  it.each([
    ['*', '*'],
    ['https://shop.example', 'https://shop.example'],
    ['HTTPS://SHOP.EXAMPLE:443', 'https://shop.example'],
    ['http://Shop.Example:80', 'http://shop.example'],
    ['https://shop.example/', 'https://shop.example'],
    ['http://localhost:5173', 'http://localhost:5173'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
    ['https://*.shop.example', 'https://*.shop.example'],
    ['HTTPS://*.Shop.Example:443', 'https://*.shop.example'],
    ['https://*.shop.example:8443', 'https://*.shop.example:8443'],
    ['http://*.localhost:5173', 'http://*.localhost:5173'],
  ])('%s is saved as %s, the form a browser sends', (value, origin) => {
    expect(saved(value)).toEqual({ ok: true, origin })
  })

  it.each([
    ['https://shop.example/path', 'must not have a path'],
    ['https://shop.example?x=1', 'must not have a query or fragment'],
    ['https://shop.example/#top', 'must not have a query or fragment'],
    ['https://user:pw@shop.example', 'must not contain a user name or password'],
    ['https://shop%2eexample', 'must not be percent-encoded'],
    ['https:shop.example', 'must be scheme://host[:port]'],
    ['shop.example', 'must be scheme://host[:port]'],
    ['ftp://shop.example', 'must use http:// or https://'],
    ['https://shop.example:99999', 'does not have a valid host[:port]'],
    ['https://*shop.example', 'may use * only as the whole first label'],
    ['https://a.*.shop.example', 'may use * only as the whole first label'],
    ['https://*.*.shop.example', 'may use * only as the whole first label'],
    ['https://*', 'may use * only as the whole first label'],
    ['https://*.example', 'a wildcard needs a domain of at least two labels'],
    ['https://*.1.2.3.4', 'does not have a valid host[:port]'],
  ])('%s is refused: %s', (value, message) => {
    const check = saved(value)
    expect(check.ok).toBe(false)
    expect(check.ok ? '' : check.message).toContain(message)
  })

  it('is normalised when a survey is saved, and refused with its value and the reason', () => {
    const ok = surveyCreateSchema.parse({
      name: 'A',
      allowedOrigins: ['HTTPS://SHOP.EXAMPLE:443', 'https://*.Shop.Example'],
    })
    expect(ok.allowedOrigins).toEqual(['https://shop.example', 'https://*.shop.example'])
    const bad = surveyCreateSchema.safeParse({ name: 'A', allowedOrigins: ['https://user:pw@shop.example'] })
    expect(bad.error?.issues).toEqual([
      expect.objectContaining({
        path: ['allowedOrigins', 0],
        message: 'https://user:pw@shop.example must not contain a user name or password',
      }),
    ])
  })
})
