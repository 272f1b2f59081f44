/**
 * fast-check generators of malformed requests to the collector: wrong types, missing and unknown fields,
 * too-long strings, huge and empty bodies, broken JSON, broken UTF-8, wrong media types, SQL and script
 * fragments, unknown ids and unicode edge cases. Every request generated here is invalid by construction,
 * so a collector that follows its contract answers each with a 4xx and stores nothing.
 */
import fc from 'fast-check'

export interface Attempt {
  method: string
  path: string
  headers: Record<string, string>
  body?: Uint8Array<ArrayBuffer>
  /** What was broken, for the failure message. */
  label: string
}

const encoder = new TextEncoder()

export const sqlFragments = [
  "' OR '1'='1",
  "'; DROP TABLE responses; --",
  '1; DELETE FROM surveys',
  '" UNION SELECT hash FROM api_keys --',
  "srv_x' --",
  '%27%20OR%201%3D1',
  '0x27',
  "') ON CONFLICT DO NOTHING; --",
]
export const scriptFragments = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, literal on purpose
  '${process.exit(1)}',
  '__proto__',
  'constructor',
]
export const unicodeEdges = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\u202e',
  '\u200b\u200d',
  'e\u0301',
  '\u{1F600}'.repeat(100),
  '\uffff',
  'ﷺ',
  '\u2028\u2029',
]

/** encodeURIComponent that also writes lone surrogates, as the raw (invalid) UTF-8 bytes of one. */
export function encodeLoose(text: string): string {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
  return text.split(lone).map(encodeURIComponent).join('%ED%A0%80')
}

const fragment = fc.constantFrom(...sqlFragments, ...scriptFragments, ...unicodeEdges)
/** Anything that is clearly not a string. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
)
const longString = (min: number) => fc.integer({ min, max: min + 300 }).map((n) => 'x'.repeat(n))

/** A string that is not a UUID (fast-check's strings, fragments and near-misses). */
const notUuid = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fragment,
    fc.uuid().map((u) => `${u}0`),
    fc.uuid().map((u) => u.replace(/-/g, '')),
    fc.uuid().map((u) => `{${u}}`),
    fc.uuid().map((u) => `${u.slice(0, -1)}g`),
  )
  .filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s))

export const validResponse = fc.record({
  id: fc.uuid({ version: 4 }),
  score: fc.integer({ min: 0, max: 10 }),
})

/** One field of an answer made wrong; the rest valid. */
const badResponseField: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant('score'),
    fc.oneof(
      fc.integer({ min: 11 }),
      fc.integer({ max: -1 }),
      fc.double({ min: 0.01, max: 9.99, noNaN: true }).filter((d) => !Number.isInteger(d)),
      fc.integer({ min: 0, max: 10 }).map(String),
      fragment,
      notAString.filter((v) => typeof v !== 'number'),
    ),
  ),
  fc.tuple(fc.constant('id'), fc.oneof(notUuid, notAString)),
  fc.tuple(
    fc.constant('comment'),
    fc.oneof(
      longString(2001),
      notAString.filter((v) => v !== null),
    ),
  ),
  fc.tuple(fc.constant('respondentId'), fc.oneof(fc.constant(''), longString(129), notAString)),
  fc.tuple(
    fc.constant('locale'),
    fc.oneof(fragment, fc.constantFrom('', 'english', 'e', 'en_US', 'toolonglanguage', 'de--DE'), notAString),
  ),
  fc.tuple(
    fc.constant('url'),
    fc.oneof(
      fc.constantFrom('not a url', '', '//no-scheme', 'https://', ...sqlFragments.slice(0, 4)),
      longString(2049).map((s) => `https://shop.example/${s}`),
      notAString,
    ),
  ),
  fc.tuple(
    fc.constant('metadata'),
    fc.oneof(
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant('plan=pro'),
      fc.record({ nested: fc.record({ deep: fc.integer() }) }),
      fc.record({ list: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }) }),
      fc
        .integer({ min: 21, max: 60 })
        .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
      fragment.filter((key) => !/^[A-Za-z0-9_.:-]+$/.test(key)).map((key) => ({ [key]: 'x' })),
      longString(257).map((value) => ({ plan: value })),
      longString(65).map((key) => ({ [key]: 1 })),
      fc.constant({ '': 1 }),
    ),
  ),
  fc.tuple(
    fc.constantFrom('surveyId', 'createdAt', 'category', 'extra', '__proto__', 'Score', 'ID', 'nps'),
    fc.jsonValue({ maxDepth: 1 }),
  ),
)

function objectWith(base: Record<string, unknown>, [key, value]: [string, unknown]): string {
  // `__proto__` as an own key must reach the server literally, so write the member by hand.
  const rest = JSON.stringify(base).slice(1, -1)
  return `{${rest},${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`
}

/** Malformed bodies for `POST /responses`, with the media type they are sent as. */
export function malformedResponseBody(): fc.Arbitrary<{
  type: string
  body: Uint8Array<ArrayBuffer>
  label: string
}> {
  const json = (label: string, text: string, type = 'application/json') => ({
    type,
    body: encoder.encode(text),
    label,
  })
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(validResponse, badResponseField)
        .map(([v, f]) => json(`bad ${f[0]}`, objectWith(v, f))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validResponse, fc.constantFrom('id', 'score'))
        .map(([v, key]) => json(`missing ${key}`, JSON.stringify({ ...v, [key]: undefined }))),
    },
    {
      weight: 1,
      arbitrary: fc
        .jsonValue({ maxDepth: 2 })
        .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
        .map((v) => json('not an object', JSON.stringify(v))),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.string({ maxLength: 60 }),
          validResponse.chain((v) => {
            const text = JSON.stringify(v)
            return fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n))
          }),
          validResponse.map((v) => JSON.stringify(v).replace(/"/g, "'")),
          validResponse.map((v) => `${JSON.stringify(v)},`),
          validResponse.map((v) => `${JSON.stringify(v)}${JSON.stringify(v)}`),
          fc.constantFrom(
            '{',
            '}',
            '[',
            'null,',
            '{"id":}',
            '{"score":01}',
            '{"score":NaN}',
            '{"score":Infinity}',
          ),
        )
        .filter((text) => {
          try {
            JSON.parse(text)
            return false
          } catch {
            return true
          }
        })
        .map((text) => json('broken JSON', text, text.length % 2 ? 'application/json' : 'text/plain')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('application/json', 'text/plain').map((t) => json('empty body', '', t)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validResponse, fc.integer({ min: 17 * 1024, max: 64 * 1024 }))
        .map(([v, size]) =>
          json(`huge body (${size} B)`, JSON.stringify({ ...v, comment: 'x'.repeat(size) })),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          validResponse,
          fc.constantFrom(
            [0xff],
            [0xc3, 0x28],
            [0xed, 0xa0, 0x80],
            [0xf8, 0x88, 0x80, 0x80, 0x80],
            [0xc0, 0xaf],
            [0xe2, 0x82],
          ),
        )
        .map(([v, bytes]) => {
          const [head, tail] = JSON.stringify({ ...v, comment: '@' }).split('@') as [string, string]
          const body = new Uint8Array([...encoder.encode(head), ...bytes, ...encoder.encode(tail)])
          return {
            type: 'application/json',
            body,
            label: `broken UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')}`,
          }
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          validResponse,
          fc.constantFrom(
            'application/xml',
            'text/html',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            'image/png',
            'application/octet-stream',
            'text/json',
            'application/jsonp',
            'application/json-patch+json',
            '',
          ),
        )
        .map(([v, type]) => json(`media type "${type}"`, JSON.stringify(v), type)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          validResponse,
          fc.constantFrom('id', 'score', 'locale', 'respondentId'),
          fc.constantFrom(...unicodeEdges),
        )
        .map(([v, key, edge]) =>
          json(
            `unicode edge in ${key}`,
            // A respondent id may hold any text up to 128 characters (code points), so only a longer one is wrong.
            objectWith(v, [
              key,
              key === 'respondentId' ? edge.repeat(129) : `${edge}${key === 'score' ? '5' : ''}`,
            ]),
          ),
        ),
    },
  )
}

/** Malformed bodies for `POST /events`. */
export function malformedEventBody(): fc.Arbitrary<{
  type: string
  body: Uint8Array<ArrayBuffer>
  label: string
}> {
  const valid = { type: 'shown', respondentId: 'visitor-1' }
  const badField: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(
      fc.constant('type'),
      fc.oneof(fc.constantFrom('answered', 'SHOWN', '', 'shown '), fragment, notAString),
    ),
    fc.tuple(fc.constant('respondentId'), fc.oneof(fc.constant(''), longString(129), notAString)),
    fc.tuple(
      fc.constant('responseId'),
      fc.oneof(
        notUuid,
        notAString.filter((v) => v !== null),
      ),
    ),
    fc.tuple(fc.constantFrom('score', 'extra', 'surveyId'), fc.jsonValue({ maxDepth: 1 })),
  )
  return fc.oneof(
    badField.map((f) => ({
      type: 'application/json',
      body: encoder.encode(objectWith(valid, f)),
      label: `event bad ${f[0]}`,
    })),
    fc
      .string({ maxLength: 40 })
      .filter((s) => {
        try {
          JSON.parse(s)
          return false
        } catch {
          return true
        }
      })
      .map((s) => ({ type: 'text/plain', body: encoder.encode(s), label: 'event broken JSON' })),
    fc.constantFrom('application/xml', 'image/gif', '').map((type) => ({
      type,
      body: encoder.encode(JSON.stringify(valid)),
      label: `event media type "${type}"`,
    })),
  )
}

/** Malformed survey ids for paths: unknown ones that look right, and ones that cannot be ids at all. */
export const badSurveyId = fc.oneof(
  fc.stringMatching(/^srv_[A-Za-z0-9]{8,20}$/).map((id) => `${id}unknown`),
  fragment.map(encodeLoose),
  fc.constantFrom('srv_', 'SRV_abc', '..%2F..%2Fetc%2Fpasswd', '%00', 'srv_%F0%9F%98%80', 'x'.repeat(300)),
)

/** Bad bodies for creating or changing a survey: one field wrong, the rest valid. */
export function malformedSurveyBody(): fc.Arbitrary<{
  type: string
  body: Uint8Array<ArrayBuffer>
  label: string
}> {
  const badField: fc.Arbitrary<[string, unknown]> = fc.oneof(
    fc.tuple(fc.constant('name'), fc.oneof(fc.constant(''), longString(201), notAString)),
    fc.tuple(
      fc.constant('allowedOrigins'),
      fc.oneof(
        fc.constant('https://shop.example'),
        fc.array(fc.constantFrom('shop.example', 'https://shop.example/path', 'ftp://x', ...sqlFragments), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constant(Array.from({ length: 51 }, (_, i) => `https://s${i}.example`)),
      ),
    ),
    fc.tuple(
      fc.constant('display'),
      fc.oneof(
        fc.record({
          sampleRate: fc.oneof(
            fc.double({ min: 1.01, max: 100, noNaN: true }),
            fc.double({ min: -100, max: -0.01, noNaN: true }),
          ),
        }),
        fc.record({
          delaySeconds: fc.oneof(fc.integer({ min: 3601 }), fc.integer({ max: -1 }), fc.constant('5')),
        }),
        fc.record({ minPageViews: fc.constantFrom(0, 1.5, 1001, '2') }),
        fc.record({ urlInclude: fc.constantFrom('/checkout', [''], [1]) }),
        fc.record({ unknownRule: fc.integer() }),
      ),
    ),
    fc.tuple(
      fc.constant('theme'),
      fc.oneof(
        fc.record({
          accent: fc.constantFrom('red', '#fff', '#4f46e5; background:url(x)', ...scriptFragments),
        }),
        fc.record({ position: fc.constantFrom('middle', '', ...sqlFragments) }),
        fc.record({ mode: fc.constantFrom('night', 1) }),
      ),
    ),
    fc.tuple(
      fc.constant('target'),
      fc.oneof(
        fc.record({ nps: fc.integer({ min: 101 }), deadline: fc.constant('2027-06-30') }),
        fc.record({ nps: fc.constant(40), deadline: fc.constantFrom('next year', '2027-13-01', '') }),
      ),
    ),
    fc.tuple(fc.constant('defaultLocale'), fc.oneof(fragment, fc.constantFrom('', 'english'), notAString)),
    fc.tuple(fc.constant('responseLifetimeDays'), fc.constantFrom(0, -1, 3651, 1.5, '90')),
    fc.tuple(fc.constant('question'), fc.oneof(fc.constant(''), longString(501), fc.integer())),
    fc.tuple(fc.constantFrom('id', 'createdAt', 'admin', '__proto__'), fc.jsonValue({ maxDepth: 1 })),
  )
  return fc.oneof(
    {
      weight: 5,
      arbitrary: badField.map((f) => ({
        type: 'application/json',
        body: encoder.encode(objectWith({ name: 'Valid name' }, f)),
        label: `survey bad ${f[0]}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', '{"name":', 'name=x', '[]', 'null', '"x"').map((text) => ({
        type: 'application/json',
        body: encoder.encode(text),
        label: `survey body ${JSON.stringify(text)}`,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '').map((type) => ({
        type,
        body: encoder.encode(JSON.stringify({ name: 'Wrong media type' })),
        label: `survey media type "${type}"`,
      })),
    },
  )
}

/** Query strings a read endpoint must refuse. */
export const badReadQuery = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('nps', 'nps/trend?interval=day', 'nps/breakdown?by=device'),
      fc.constantFrom('from', 'to'),
      fc.oneof(fragment, fc.constantFrom('yesterday', '2026-13-45', 'not-a-date')),
    )
    .map(([path, key, value]) => `${path}${path.includes('?') ? '&' : '?'}${key}=${encodeLoose(value)}`),
  fc.oneof(fragment, fc.constantFrom('hour', 'year')).map((v) => `nps/trend?interval=${encodeLoose(v)}`),
  fc.constantFrom('-1', 'abc', '1e9', '3.5').map((v) => `nps/trend?interval=day&window=${v}`),
  fc
    .oneof(fragment, fc.constantFrom('country', 'metadata.'))
    .map((v) => `nps/breakdown?by=${encodeLoose(v)}`),
  fc.constantFrom('nps/compare', 'nps/compare?aFrom=2026-01-01', 'nps/compare?aFrom=x&aTo=y&bFrom=z&bTo=w'),
  fc
    .constantFrom(
      'limit=-1',
      'limit=abc',
      'format=xml',
      'cursor=%00garbage',
      `cursor=${encodeURIComponent(sqlFragments[1]!)}`,
    )
    .map((q) => `responses?${q}`),
  fc.constant('themes?category=happy'),
)
