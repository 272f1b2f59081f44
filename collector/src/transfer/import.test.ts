import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Fixture, fixture, uuid } from '../testing.ts'
import { MAX_IMPORT_COLUMNS, MAX_IMPORT_LINE_BYTES } from './import.ts'

interface ErrorBody {
  error: { code: string; message: string; issues?: { line: number; message: string }[] }
}

describe('import', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey()
  })
  afterEach(() => f.close())

  const importText = (body: string, type: string, g: Fixture = f, id = survey) =>
    g.admin(`/v1/surveys/${id}/responses/import`, { method: 'POST', body, headers: { 'content-type': type } })
  const stored = (g: Fixture = f, id = survey) =>
    g.backend.db.prepare('SELECT count(*) FROM responses WHERE survey_id = ?').pluck().get(id) as number
  const ndjson = (count: number, row: (i: number) => object = () => ({})) =>
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({ id: `row-${i}`, score: i % 11, ...row(i) }),
    ).join('\n')

  describe('caps', () => {
    it('refuses an NDJSON line longer than the cap with 413 naming it, also without a newline', async () => {
      const long = `{"id":"a","score":1,"comment":"${'x'.repeat(MAX_IMPORT_LINE_BYTES)}"}`
      for (const body of [long, `${ndjson(3)}\n${long}\n${ndjson(3)}`]) {
        const res = await importText(body, 'application/x-ndjson')
        expect(res.status).toBe(413)
        const { error } = (await res.json()) as ErrorBody
        expect(error.code).toBe('line_too_long')
        expect(error.message).toContain(`longer than ${MAX_IMPORT_LINE_BYTES} bytes`)
      }
      expect(stored()).toBe(0)
    })

    it('refuses a CSV record longer than the cap with 413', async () => {
      const res = await importText(
        `id,score,comment\na,1,${'x'.repeat(MAX_IMPORT_LINE_BYTES + 1)}\n`,
        'text/csv',
      )
      expect(res.status).toBe(413)
      expect(((await res.json()) as ErrorBody).error.code).toBe('line_too_long')
    })

    it('refuses a CSV header of 200,000 columns with 400 naming the cap', async () => {
      const header = ['id', 'score', ...Array.from({ length: 199_998 }, (_, i) => `metadata.k${i}`)]
      const res = await importText(`${header.join(',')}\nx,1${',a'.repeat(199_998)}\n`, 'text/csv')
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as ErrorBody
      expect(error.code).toBe('invalid_import')
      expect(error.message).toContain(`more than ${MAX_IMPORT_COLUMNS} columns`)
    })

    it('takes a header as wide as the cap', async () => {
      const metadata = Array.from({ length: MAX_IMPORT_COLUMNS - 2 }, (_, i) => `metadata.k${i}`)
      const cells = ','.repeat(metadata.length)
      const res = await importText(`id,score,${metadata.join(',')}\na,1${cells}\n`, 'text/csv')
      expect(res.status).toBe(200)
    })

    it('refuses more rows than the row cap with 413 naming it, and writes none', async () => {
      const g = await fixture({ importRowLimit: 10 })
      try {
        const id = await g.survey()
        expect((await importText(ndjson(10), 'application/x-ndjson', g, id)).status).toBe(200)
        const res = await importText(
          ndjson(11, (i) => ({ id: `more-${i}` })),
          'application/x-ndjson',
          g,
          id,
        )
        expect(res.status).toBe(413)
        const { error } = (await res.json()) as ErrorBody
        expect(error.code).toBe('too_many_rows')
        expect(error.message).toContain('at most 10 rows')
        expect(stored(g, id)).toBe(10)
      } finally {
        await g.close()
      }
    })
  })

  describe('CSV', () => {
    it('refuses a header that names a column twice, saying which', async () => {
      for (const [header, column] of [
        ['id,score,id', 'id'],
        ['id,score,metadata.plan,comment,metadata.plan', 'metadata.plan'],
      ]) {
        const res = await importText(`${header}\na,1,b\n`, 'text/csv')
        expect(res.status).toBe(400)
        const { error } = (await res.json()) as ErrorBody
        expect(error.code).toBe('invalid_import')
        expect(error.message).toBe(`the column "${column}" appears twice`)
      }
      expect(stored()).toBe(0)
    })

    it('says what is wrong with each bad row', async () => {
      const res = await importText('id,score\na,7.5\nb,11\nc,abc\n,5\nd,\n', 'text/csv')
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as ErrorBody
      expect(error.issues?.map(({ line, message }) => ({ line, message }))).toEqual([
        { line: 2, message: 'score must be an integer from 0 to 10, got 7.5' },
        { line: 3, message: 'score must be an integer from 0 to 10, got 11' },
        { line: 4, message: 'score must be an integer from 0 to 10, got abc' },
        { line: 5, message: 'id is required' },
        { line: 6, message: 'score is required' },
      ])
    })

    it('says what is wrong with the contact columns, by line', async () => {
      const csv = [
        'id,score,contactRequested,contactEmail',
        'a,9,yes,',
        'b,9,false,ana@example.com',
        'c,9,,ana@example.com',
        'd,9,true,ana at example',
        'e,9,true,ana@example.com',
      ].join('\n')
      const res = await importText(csv, 'text/csv')
      expect(res.status).toBe(400)
      const { error } = (await res.json()) as ErrorBody
      expect(error.issues?.map(({ line, message }) => ({ line, message }))).toEqual([
        { line: 2, message: 'contactRequested must be true or false, got yes' },
        { line: 3, message: 'contactEmail is given but contactRequested is not true' },
        { line: 4, message: 'contactEmail is given but contactRequested is not true' },
        { line: 5, message: 'contactEmail: must be an email address' },
      ])
      expect(stored()).toBe(0)
    })

    it('says the same of NDJSON rows, with the value as JSON', async () => {
      const body = [
        { id: 'a', score: 7.5 },
        { id: 'b', score: '9' },
        { score: 3 },
        { id: 'c', score: 3, contact: { email: 'nobody' } },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n')
      const { error } = (await (await importText(body, 'application/x-ndjson')).json()) as ErrorBody
      expect(error.issues?.map((i) => i.message)).toEqual([
        'score must be an integer from 0 to 10, got 7.5',
        'score must be an integer from 0 to 10, got "9"',
        'id is required',
        'contact.email: must be an email address',
      ])
    })
  })

  describe('writing', () => {
    it('writes nothing of a large file with one bad row at its end, and all of it without', async () => {
      const rows = ndjson(5000)
      const bad = await importText(`${rows}\n{"id":"last","score":12}`, 'application/x-ndjson')
      expect(bad.status).toBe(400)
      expect(((await bad.json()) as ErrorBody).error.issues?.[0]?.line).toBe(5001)
      expect(stored()).toBe(0)
      const good = await importText(rows, 'application/x-ndjson')
      expect(await good.json()).toEqual({ imported: 5000, created: 5000, updated: 0 })
      expect(stored()).toBe(5000)
      expect(
        (await f.admin(`/v1/surveys/${survey}/nps`).then((r) => r.json())) as { total: number },
      ).toMatchObject({ total: 5000 })
    })

    it('answers an answer sent while a large import is being written before the import answers', async () => {
      const total = 30_000
      let importAnswered = false
      const importing = importText(ndjson(total), 'application/x-ndjson').then((res) => {
        importAnswered = true
        return res
      })
      // Once the import's first batches are in (and not yet all of them), an answer arrives.
      let seen = stored()
      while (!importAnswered && (seen === 0 || seen === total)) {
        await new Promise((resolve) => setImmediate(resolve))
        seen = stored()
      }
      expect(importAnswered).toBe(false)
      const id = uuid()
      const answer = await f.send(survey, 'responses', { id, score: 9 })
      expect(answer.status).toBe(201)
      expect(importAnswered).toBe(false)
      expect(stored()).toBeLessThan(total + 1)
      expect((await (await importing).json()) as object).toEqual({
        imported: total,
        created: total,
        updated: 0,
      })
      expect(stored()).toBe(total + 1)
    })

    it('leaves no spool file behind, whether the import succeeds or fails', async () => {
      const spools = join(f.dbPath, '..', 'imports')
      expect((await importText(ndjson(10), 'application/x-ndjson')).status).toBe(200)
      expect((await importText('{"id":"x","score":99}', 'application/x-ndjson')).status).toBe(400)
      expect((await importText('id,score,id\n', 'text/csv')).status).toBe(400)
      expect(readdirSync(spools)).toEqual([])
    })
  })
})
