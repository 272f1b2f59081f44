import { stringify } from 'csv-stringify/sync'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fixture, fixture, storedAnswer, tempDir } from '../testing.ts'
import {
  csvHeader,
  csvMetadata,
  csvRecord,
  csvText,
  fromCsvMetadata,
  fromCsvText,
  responseJson,
} from './format.ts'
import { spoolImport } from './import.ts'

/** Text the collector stores: no NUL, any other code point (fast-check's `binary` unit makes no lone surrogate). */
const storable = (maxLength: number) =>
  fc.string({ unit: 'binary', maxLength }).filter((s) => !s.includes('\u0000'))

/** Texts a spreadsheet would start a formula with, and texts that start with our own mark. */
const risky = fc
  .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''"), storable(30))
  .map(([start, rest]) => start + rest)
const text = (maxLength: number) => fc.oneof(storable(maxLength), risky)

describe('CSV cells', () => {
  it('mark every text a spreadsheet would run as a formula, and import takes exactly the mark away', () => {
    fc.assert(
      fc.property(text(60), (value) => {
        const cell = csvText(value)
        expect(cell).not.toMatch(/^[=+\-@\t\r]/)
        expect(fromCsvText(cell)).toBe(value)
      }),
    )
    expect(csvText('=HYPERLINK("https://evil.example","x")')).toBe('\'=HYPERLINK("https://evil.example","x")')
    expect(csvText("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0")
    expect(csvText("'quoted")).toBe("''quoted")
    expect(csvText('plain text')).toBe('plain text')
  })

  it('keep a metadata value’s type: numbers and booleans bare, texts that would pass for one marked', () => {
    const value = fc.oneof(
      text(40),
      fc.constantFrom('12', '-5', 'true', 'false', '', '1e3', '007'),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.boolean(),
    )
    fc.assert(
      fc.property(value, (v) => {
        const cell = csvMetadata(v)
        expect(cell).not.toMatch(/^[=+@\t\r]/)
        // A negative number is a number to a spreadsheet too: it stays bare.
        if (typeof v === 'string') expect(cell).not.toMatch(/^-/)
        expect(fromCsvMetadata(cell)).toEqual(Object.is(v, -0) ? 0 : v)
      }),
    )
    expect(csvMetadata(-5)).toBe('-5')
    expect(csvMetadata('-5')).toBe("'-5")
    expect(csvMetadata('12')).toBe("'12")
    expect(csvMetadata(true)).toBe('true')
  })
})

const lowerDomain = (email: string) => {
  const at = email.lastIndexOf('@')
  return email.slice(0, at) + email.slice(at).toLowerCase()
}

describe('CSV export → import', () => {
  let f: Fixture
  beforeAll(async () => {
    f = await fixture()
  })
  afterAll(() => f.close())

  const importText = (id: string, body: string, contentType: string) =>
    f.admin(`/v1/surveys/${id}/responses/import`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    })

  const KEYS = ['plan', 'seats', 'constructor', 'toString', 'hasOwnProperty', 'x-1']
  const answer = fc.record({
    comment: fc.option(
      text(200).filter((s) => s !== ''),
      { nil: null },
    ),
    respondentId: fc.option(
      text(40).filter((s) => s !== ''),
      { nil: null },
    ),
    metadata: fc.option(
      fc.dictionary(
        fc.constantFrom(...KEYS),
        fc.oneof(text(40), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()),
        { minKeys: 1, maxKeys: 4 },
      ),
      { nil: null },
    ),
    contact: fc.option(
      fc.record({
        email: fc.option(
          fc.oneof(
            fc.emailAddress().filter((e) => e.length <= 254),
            // Addresses a spreadsheet would read as a formula.
            fc.constantFrom('=cmd@example.com', '-ana@example.com', "'q@example.com", '+x@Example.ORG'),
          ),
          { nil: null },
        ),
      }),
      { nil: null },
    ),
    // Where it came from; a row without one imports as `import`, which the copy then keeps.
    source: fc.option(fc.constantFrom('widget', 'api', 'import', 'link'), { nil: null }),
  })

  it('stores exactly what was exported, for any text, number, boolean, contact or source', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          text(30).filter((s) => s !== ''),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(answer, { minLength: 6, maxLength: 6 }),
        async (ids, answers) => {
          const source = await f.survey()
          const rows = ids.map((id, i) => ({
            id,
            score: i % 11,
            createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
            ...answers[i],
          }))
          const seeded = await importText(
            source,
            rows.map((r) => JSON.stringify(r)).join('\n'),
            'application/x-ndjson',
          )
          expect(seeded.status).toBe(200)
          // Stored as given (an address's domain in lower case), so the copy below compares real consent.
          expect(f.backend.listResponses(source, {}, 100).items.map((r) => r.contact)).toEqual(
            rows.map((r) => r.contact && { email: r.contact.email && lowerDomain(r.contact.email) }),
          )
          expect(f.backend.listResponses(source, {}, 100).items.map((r) => r.source)).toEqual(
            rows.map((r) => r.source ?? 'import'),
          )
          const csv = await (await f.admin(`/v1/surveys/${source}/responses?format=csv`)).text()
          const copy = await f.survey()
          const imported = await importText(copy, csv, 'text/csv')
          expect(imported.status, await imported.clone().text()).toBe(200)
          expect(f.backend.listResponses(copy, {}, 100).items).toEqual(
            f.backend.listResponses(source, {}, 100).items,
          )
          expect(await (await f.admin(`/v1/surveys/${copy}/responses?format=csv`)).text()).toBe(csv)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('contact in an export', () => {
  let dir: ReturnType<typeof tempDir>
  beforeAll(() => {
    dir = tempDir()
  })
  afterAll(() => dir.remove())

  const answers = [
    storedAnswer({ id: 'a', contact: { email: 'ana@example.com' } }),
    storedAnswer({ id: 'b', contact: { email: null } }),
    storedAnswer({ id: 'c', contact: null }),
    storedAnswer({ id: 'd', contact: { email: '=2+2@example.com' } }),
  ]
  const readBack = async (body: string, format: 'csv' | 'ndjson') => {
    const spooled = await spoolImport(
      new Response(body).body,
      format,
      { importLimit: 1 << 20, importRowLimit: 100, dataDir: dir.dir },
      0,
    )
    try {
      return [...spooled.rows()].map((r) => [r.id, r.contact])
    } finally {
      spooled.dispose()
    }
  }
  const expected = answers.map((a) => [a.id, a.contact])

  it('is two CSV columns, contactRequested and contactEmail (marked like any text), that import reads back', async () => {
    const csv = stringify([csvHeader([]), ...answers.map((a) => csvRecord(a, []))])
    const lines = csv.trimEnd().split('\n')
    expect(lines[0]).toMatch(/,device,contactRequested,contactEmail,source$/)
    expect(lines.slice(1).map((l) => l.split(',').slice(-3).join(','))).toEqual([
      'true,ana@example.com,import',
      'true,,import',
      'false,,import',
      "true,'=2+2@example.com,import",
    ])
    expect(await readBack(csv, 'csv')).toEqual(expected)
  })

  it('is contact in NDJSON, email or null, that import reads back', async () => {
    const ndjson = answers.map((a) => JSON.stringify(responseJson(a))).join('\n')
    expect(JSON.parse(ndjson.split('\n')[1] ?? '').contact).toEqual({ email: null })
    expect(JSON.parse(ndjson.split('\n')[2] ?? '').contact).toBeNull()
    expect(await readBack(ndjson, 'ndjson')).toEqual(expected)
  })

  it('imports an older export without the contact columns as answers without consent', async () => {
    expect(await readBack('id,score,comment\nold,9,fine\n', 'csv')).toEqual([['old', null]])
  })
})
