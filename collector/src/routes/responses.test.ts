import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { errorCode, everything, type Fixture, fixture, uuid } from '../testing.ts'

const DAY = 86_400_000

describe('admin: responses', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey()
  })
  afterEach(() => f.close())

  /** A few answers with every kind of field, including text that needs CSV quoting. */
  async function seed() {
    const sent = [
      {
        id: uuid(),
        score: 10,
        respondentId: 'ana',
        locale: 'pt-BR',
        url: 'https://shop.example/a?q=1',
        metadata: { plan: 'pro', seats: 12, beta: true },
      },
      { id: uuid(), score: 8, comment: 'fine, "mostly"\nsecond line; =SUM(A1)', respondentId: 'bo' },
      { id: uuid(), score: 3, comment: 'Ünïcødé — 日本語 🙂', metadata: { plan: 'free' } },
      { id: uuid(), score: 0, comment: '' },
    ]
    for (const body of sent) {
      await f.send(survey, 'responses', body, {
        headers: { 'user-agent': 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)' },
      })
      f.clock.advance(DAY)
    }
    return sent
  }

  const exportText = async (id: string, format: string) => {
    const res = await f.admin(`/v1/surveys/${id}/responses?format=${format}`)
    expect(res.status).toBe(200)
    return res.text()
  }

  const importText = (id: string, body: string, contentType: string) =>
    f.admin(`/v1/surveys/${id}/responses/import`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    })

  describe('export', () => {
    it('pages through JSON with a cursor, oldest first', async () => {
      const sent = await seed()
      const first = (await (await f.admin(`/v1/surveys/${survey}/responses?limit=3`)).json()) as {
        items: { id: string; category: string }[]
        nextCursor: string
      }
      const second = (await (
        await f.admin(`/v1/surveys/${survey}/responses?limit=3&cursor=${first.nextCursor}`)
      ).json()) as {
        items: { id: string }[]
        nextCursor: string | null
      }
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual(sent.map((s) => s.id))
      expect(second.nextCursor).toBeNull()
      expect(first.items[0]).toMatchObject({
        category: 'promoter',
        path: '/a',
        device: 'tablet',
        metadata: { seats: 12 },
      })
    })

    it('shows each answer’s contact consent: the address, null without one, null when not given', async () => {
      const ids = [uuid(), uuid(), uuid()]
      const bodies = [{ contact: { email: 'ana@example.com' } }, { respondentId: 'user-7', contact: {} }, {}]
      for (const [i, body] of bodies.entries()) {
        await f.send(survey, 'responses', { id: ids[i], score: 2 + i, ...body })
        f.clock.advance(DAY)
      }
      const { items } = (await (await f.admin(`/v1/surveys/${survey}/responses`)).json()) as {
        items: { id: string; contact: unknown }[]
      }
      expect(items.map((r) => [r.id, r.contact])).toEqual([
        [ids[0], { email: 'ana@example.com' }],
        [ids[1], { email: null }],
        [ids[2], null],
      ])
    })

    it('filters by from, to and category', async () => {
      const sent = await seed()
      const t0 = Date.parse('2026-03-01T12:00:00.000Z')
      const ids = async (query: string) =>
        (
          (await (await f.admin(`/v1/surveys/${survey}/responses?${query}`)).json()) as {
            items: { id: string }[]
          }
        ).items.map((r) => r.id)
      expect(
        await ids(`from=${new Date(t0 + DAY).toISOString()}&to=${new Date(t0 + 3 * DAY).toISOString()}`),
      ).toEqual([sent[1]!.id, sent[2]!.id])
      expect(await ids('category=detractor')).toEqual([sent[2]!.id, sent[3]!.id])
      expect(await ids('from=2026-03-02')).toEqual(sent.slice(1).map((s) => s.id))
    })

    it('streams CSV with a header, quoted text and one column per metadata key', async () => {
      await seed()
      const csv = await exportText(survey, 'csv')
      const [header] = csv.split('\n')
      expect(header).toBe(
        'id,createdAt,score,category,comment,respondentId,locale,url,path,device,contactRequested,contactEmail,source,metadata.beta,metadata.plan,metadata.seats',
      )
      expect(csv).toContain('"fine, ""mostly""\nsecond line; =SUM(A1)"')
      expect(csv).toContain('Ünïcødé — 日本語 🙂')
    })

    it('exports own metadata only: a key named like a built-in never leaks Object.prototype into other rows', async () => {
      for (const metadata of [{ constructor: 'x', toString: 1 }, { plan: 'pro' }, undefined]) {
        await f.send(survey, 'responses', { id: uuid(), score: 9, metadata })
        f.clock.advance(DAY)
      }
      const csv = await exportText(survey, 'csv')
      expect(csv).not.toContain('function')
      expect(
        csv
          .trimEnd()
          .split('\n')
          .slice(1)
          .map((line) => line.split(',').slice(-3)),
      ).toEqual([
        ['x', '', '1'],
        ['', 'pro', ''],
        ['', '', ''],
      ])
      const copy = await f.survey({ name: 'Copy' })
      expect((await importText(copy, csv, 'text/csv')).status).toBe(200)
      expect(f.backend.listResponses(copy, {}, 10).items).toEqual(
        f.backend.listResponses(survey, {}, 10).items,
      )
    })

    it('marks cells a spreadsheet would run as a formula, keeps numbers bare, and imports them back exactly', async () => {
      const sent = [
        {
          comment: '=HYPERLINK("https://evil.example","click")',
          respondentId: '@admin',
          metadata: { n: -5, s: '-5' },
        },
        { comment: "=cmd|' /C calc'!A0", respondentId: '+1+1', metadata: { n: 12, s: "'quoted" } },
        { comment: '\tTabbed', respondentId: '-2', metadata: { n: true, s: 'true' } },
      ]
      for (const body of sent) {
        await f.send(survey, 'responses', { id: uuid(), score: 3, ...body })
        f.clock.advance(DAY)
      }
      const csv = await exportText(survey, 'csv')
      const cells = csv.trimEnd().split('\n').slice(1)
      expect(cells[0]).toContain('"\'=HYPERLINK(""https://evil.example"",""click"")",\'@admin,')
      expect(cells[0]).toMatch(/,-5,'-5$/)
      expect(cells[1]).toContain(",'=cmd|' /C calc'!A0,'+1+1,")
      expect(cells[1]).toMatch(/,12,''quoted$/)
      expect(cells[2]).toMatch(/,true,'true$/)
      for (const line of csv.split('\n')) {
        for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+@\t\r]/)
      }
      const copy = await f.survey({ name: 'Copy' })
      expect((await importText(copy, csv, 'text/csv')).status).toBe(200)
      const items = f.backend.listResponses(copy, {}, 10).items
      expect(items).toEqual(f.backend.listResponses(survey, {}, 10).items)
      expect(items.map((r) => r.metadata)).toEqual(sent.map((s) => s.metadata))
    })

    it('has one column per key the survey collects, at most 50, without reading every answer', async () => {
      for (let i = 0; i < 5; i++) {
        const metadata = Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`r${i}k${k}`, k]))
        await f.send(survey, 'responses', { id: uuid(), score: 8, metadata })
      }
      const [header] = (await exportText(survey, 'csv')).split('\n')
      expect(header!.split(',').filter((c) => c.startsWith('metadata.'))).toHaveLength(40)
    })

    it('streams NDJSON, one answer per line', async () => {
      const sent = await seed()
      const lines = (await exportText(survey, 'ndjson')).trimEnd().split('\n')
      expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(sent.map((s) => s.id))
    })

    it('exports more rows than one batch without losing or repeating any', async () => {
      const rows = Array.from({ length: 2500 }, (_, i) =>
        JSON.stringify({
          id: `row-${i}`,
          score: i % 11,
          createdAt: new Date(Date.UTC(2025, 0, 1) + (i % 7) * 1000).toISOString(),
        }),
      )
      expect((await importText(survey, rows.join('\n'), 'application/x-ndjson')).status).toBe(200)
      const lines = (await exportText(survey, 'ndjson')).trimEnd().split('\n')
      expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(2500)
      expect((await exportText(survey, 'csv')).trimEnd().split('\n')).toHaveLength(2501)
    })

    it('answers 400 for an unknown format or a bad date and 404 for an unknown survey', async () => {
      expect(await errorCode(await f.admin(`/v1/surveys/${survey}/responses?format=xml`))).toBe(
        'invalid_query',
      )
      expect((await f.admin(`/v1/surveys/${survey}/responses?from=yesterday`)).status).toBe(400)
      expect((await f.admin(`/v1/surveys/${survey}/responses?category=fan`)).status).toBe(400)
      expect((await f.admin(`/v1/surveys/${survey}/responses?limit=5000`)).status).toBe(400)
      expect((await f.admin('/v1/surveys/srv_nope/responses')).status).toBe(404)
    })
  })

  describe('the query string, parsed as strictly as on the analytics routes', () => {
    const refusal = async (query: string) => {
      const res = await f.admin(`/v1/surveys/${survey}/responses?${query}`)
      const body = (await res.json()) as { error: { code: string; message: string } }
      return { status: res.status, code: body.error?.code, message: body.error?.message }
    }

    it.each([
      ['to=2026-02-30', 'to'],
      ['from=2026-04-31T10:00:00Z', 'from'],
      ['from=2026-01-01T24:00:00Z', 'from'],
      ['limit=0x10', 'limit'],
      ['limit=1000.0', 'limit'],
      ['limit=1e2', 'limit'],
      ['limit=%2010', 'limit'],
      ['limit=10&limit=20', 'limit'],
      ['from=2026-01-01&from=2026-02-01', 'from'],
      ['format=csv&format=json', 'format'],
      ['fromm=2026-01-01', 'fromm'],
      ['tz=Mars/Olympus', 'tz'],
    ])('answers 400 invalid_query naming the parameter for %s', async (query, parameter) => {
      const { status, code, message } = await refusal(query)
      expect(status).toBe(400)
      expect(code).toBe('invalid_query')
      expect(message).toContain(parameter)
    })

    it('says when a parameter is given twice, rather than using its first value', async () => {
      expect((await refusal('limit=10&limit=20')).message).toBe('limit is given more than once; give it once')
    })

    it('reads a time without an offset in tz, UTC by default, on the list and the export', async () => {
      // One answer at 2026-03-01T12:00Z, which is 13:00 in Berlin.
      await f.send(survey, 'responses', { id: uuid(), score: 9 })
      const count = async (query: string, format = 'json') => {
        const res = await f.admin(`/v1/surveys/${survey}/responses?format=${format}&${query}`)
        expect(res.status).toBe(200)
        return format === 'json'
          ? ((await res.json()) as { items: unknown[] }).items.length
          : (await res.text()).trimEnd().split('\n').length - 1
      }
      expect(await count('from=2026-03-01T12:30')).toBe(0)
      expect(await count('from=2026-03-01T12:30&tz=Europe/Berlin')).toBe(1)
      expect(await count('to=2026-03-01T12:30&tz=Europe/Berlin')).toBe(0)
      expect(await count('from=2026-03-01T12:30&tz=Europe/Berlin', 'csv')).toBe(1)
      expect(await count('from=2026-03-01T12:30', 'ndjson')).toBe(0)
      expect(await count('from=2026-03-01T13:30%2B02:00')).toBe(1)
    })

    it('refuses the same bad input on the export as on the page', async () => {
      for (const format of ['csv', 'ndjson']) {
        for (const query of ['to=2026-02-30', 'from=x', 'tz=Nowhere', 'category=fan&category=promoter']) {
          expect(await refusal(`format=${format}&${query}`)).toMatchObject({
            status: 400,
            code: 'invalid_query',
          })
        }
      }
    })
  })

  describe('the filters of the figures, scores, comment search and order', () => {
    /** Eight answers a day apart, oldest first, imported so each field is what the test says. */
    async function seedVaried() {
      const t0 = Date.parse('2026-02-01T10:00:00.000Z')
      const rows = [
        {
          score: 10,
          locale: 'de',
          device: 'mobile',
          path: '/checkout',
          plan: 'pro',
          comment: 'Schnell, ÜBERZEUGT',
        },
        {
          score: 9,
          locale: 'en',
          device: 'desktop',
          path: '/checkout',
          plan: 'free',
          comment: '100% zufrieden',
        },
        { score: 8, locale: 'en-GB', device: 'mobile', path: '/help', plan: 'pro', comment: 'fine_ish' },
        {
          score: 6,
          locale: 'de-AT',
          device: 'tablet',
          path: '/checkout/done',
          plan: 'pro',
          comment: 'überteuert',
        },
        {
          score: 3,
          locale: 'fr',
          device: 'mobile',
          path: '/checkout',
          plan: 'free',
          comment: 'lent, 100 fois',
        },
        { score: 1, locale: 'de', device: 'desktop', path: '/checkout', plan: 'pro', comment: null },
        {
          score: 0,
          locale: 'en',
          device: 'mobile',
          path: '/checkout',
          plan: 'pro',
          comment: 'slow checkout',
        },
        { score: 7, locale: 'en', device: 'desktop', path: '/', plan: 'free', comment: 'Checkout ok' },
      ].map((r, i) => ({
        id: `v${i}`,
        score: r.score,
        createdAt: new Date(t0 + i * DAY).toISOString(),
        comment: r.comment,
        locale: r.locale,
        device: r.device,
        url: `https://shop.example${r.path}`,
        metadata: { plan: r.plan, seats: i },
      }))
      const res = await importText(
        survey,
        rows.map((r) => JSON.stringify(r)).join('\n'),
        'application/x-ndjson',
      )
      expect(res.status).toBe(200)
      return rows.map((r) => r.id)
    }

    const ids = async (query: string) => {
      const res = await f.admin(`/v1/surveys/${survey}/responses?${query}`)
      expect(res.status, query).toBe(200)
      return ((await res.json()) as { items: { id: string }[] }).items.map((r) => r.id)
    }

    it.each([
      ['locale=de', ['v0', 'v3', 'v5']],
      ['device=mobile', ['v0', 'v2', 'v4', 'v6']],
      ['path=/checkout', ['v0', 'v1', 'v4', 'v5', 'v6']],
      ['path=/checkout*', ['v0', 'v1', 'v3', 'v4', 'v5', 'v6']],
      ['segment.plan=pro', ['v0', 'v2', 'v3', 'v5', 'v6']],
      ['segment.seats=4', ['v4']],
      ['segment.plan=pro&device=mobile', ['v0', 'v2', 'v6']],
      ['minScore=9', ['v0', 'v1']],
      ['maxScore=1', ['v5', 'v6']],
      ['minScore=7&maxScore=7', ['v7']],
      ['category=detractor&minScore=3', ['v3', 'v4']],
      ['q=checkout', ['v6', 'v7']],
      ['q=%C3%BCber', ['v0', 'v3']],
      ['q=100%25', ['v1']],
      ['q=_', ['v2']],
      ['q=100&locale=fr', ['v4']],
    ])('lists, oldest first, the answers %s selects', async (query, expected) => {
      await seedVaried()
      expect(await ids(query)).toEqual(expected)
    })

    it('lists newest first with order=newest, and pages a filtered listing with its cursor', async () => {
      const sent = await seedVaried()
      expect(await ids('order=newest')).toEqual([...sent].reverse())
      const pages: string[] = []
      let cursor = ''
      for (;;) {
        const res = await f.admin(
          `/v1/surveys/${survey}/responses?order=newest&segment.plan=pro&q=%C3%9C&limit=1${cursor}`,
        )
        const page = (await res.json()) as { items: { id: string }[]; nextCursor: string | null }
        pages.push(...page.items.map((r) => r.id))
        if (!page.nextCursor) break
        cursor = `&cursor=${page.nextCursor}`
      }
      expect(pages).toEqual(['v3', 'v0'])
    })

    it('exports exactly what the list shows for the same filters and order, in both formats', async () => {
      await seedVaried()
      const query = 'order=newest&device=mobile&maxScore=8&q=e'
      const listed = await ids(query)
      expect(listed).toEqual(['v6', 'v4', 'v2'])
      const ndjson = await f.admin(`/v1/surveys/${survey}/responses?format=ndjson&${query}`)
      expect(ndjson.headers.get('content-disposition')).toBe(
        `attachment; filename="${survey}-responses.ndjson"`,
      )
      const lines = (await ndjson.text()).trimEnd().split('\n')
      expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(listed)
      const csv = (await exportText(survey, `csv&${query}`)).trimEnd().split('\n')
      expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(listed)
    })

    it.each([
      ['minScore=11', 'minScore must be an integer from 0 to 10'],
      ['maxScore=-1', 'maxScore must be an integer from 0 to 10'],
      ['minScore=1.5', 'minScore must be an integer from 0 to 10'],
      ['minScore=7&maxScore=3', 'minScore must not be greater than maxScore'],
      ['q=', 'q must be 1 to 200 characters'],
      [`q=${'x'.repeat(201)}`, 'q must be 1 to 200 characters'],
      ['q=a&q=b', 'q is given more than once; give it once'],
      ['order=sideways', 'order must be oldest or newest'],
      ['device=phone', 'device must be desktop, mobile or tablet'],
      ['path=checkout', 'path must start with /'],
      ['segment.no%20space=x', 'segment.no space: a metadata key uses 1–64 letters, digits and _ . : -'],
      ['score=7', 'unknown parameter score'],
    ])(
      'answers 400 invalid_query for %s, naming the parameter, on the list and the export',
      async (query, message) => {
        for (const format of ['json', 'csv', 'ndjson']) {
          const res = await f.admin(`/v1/surveys/${survey}/responses?format=${format}&${query}`)
          expect(res.status).toBe(400)
          expect(await res.json()).toMatchObject({ error: { code: 'invalid_query', message } })
        }
      },
    )

    it('takes q of 200 characters, the longest a search may be', async () => {
      expect(await ids(`q=${'x'.repeat(200)}`)).toEqual([])
    })
  })

  describe('metadata keys', () => {
    it('names the keys answers carry and those declared, each once, to a read key too', async () => {
      const declared = await f.survey({ metadataKeys: ['plan', 'agent', 'zone'] })
      await importText(declared, 'id,score,metadata.plan,metadata.agent\na,7,pro,agent-1\n', 'text/csv')
      const made = (await (
        await f.admin('/v1/keys', { method: 'POST', body: { name: 'viewer', scope: 'read' } })
      ).json()) as { key: string }
      const res = await f.app.request(`/v1/surveys/${declared}/metadata-keys`, {
        headers: { authorization: `Bearer ${made.key}` },
      })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        keys: ['agent', 'plan', 'zone'],
        seen: ['agent', 'plan'],
        declared: ['plan', 'agent', 'zone'],
      })
    })

    it('answers what answers brought when nothing is declared, [] before any, and 404 for no survey', async () => {
      const keys = async (id: string) => (await f.admin(`/v1/surveys/${id}/metadata-keys`)).json()
      expect(await keys(survey)).toEqual({ keys: [], seen: [], declared: null })
      await f.send(survey, 'responses', { id: uuid(), score: 9, metadata: { plan: 'pro', Beta: true } })
      expect(await keys(survey)).toEqual({ keys: ['Beta', 'plan'], seen: ['Beta', 'plan'], declared: null })
      expect((await f.admin('/v1/surveys/srv_nope/metadata-keys')).status).toBe(404)
      expect((await f.admin(`/v1/surveys/${survey}/metadata-keys?x=1`)).status).toBe(400)
    })
  })

  describe('import', () => {
    it.each([
      ['csv', 'text/csv'],
      ['ndjson', 'application/x-ndjson'],
    ])('round-trips %s: what export writes, import reads back unchanged', async (format, type) => {
      await seed()
      const exported = await exportText(survey, format)
      const copy = await f.survey({ name: 'Copy' })
      const res = await importText(copy, exported, type)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ imported: 4, created: 4, updated: 0 })
      expect(await exportText(copy, format)).toBe(exported)
    })

    it('keeps createdAt, reads metadata.* columns and is idempotent by id', async () => {
      const csv = [
        'id,score,comment,respondentId,createdAt,locale,url,metadata.plan,metadata.region',
        'legacy-1,9,"Great, really",u1,2024-05-01T10:00:00Z,en,https://old.example/p,pro,eu',
        'legacy-2,4,,u2,2024-05-02T10:00:00.000+02:00,,,,',
      ].join('\r\n')
      const first = await importText(survey, csv, 'text/csv; charset=utf-8')
      expect(await first.json()).toEqual({ imported: 2, created: 2, updated: 0 })
      const again = await importText(survey, csv, 'text/csv')
      expect(await again.json()).toEqual({ imported: 2, created: 0, updated: 2 })
      const { items } = f.backend.listResponses(survey, {}, 10)
      expect(items).toEqual([
        expect.objectContaining({
          id: 'legacy-1',
          createdAt: Date.parse('2024-05-01T10:00:00Z'),
          comment: 'Great, really',
          path: '/p',
          metadata: { plan: 'pro', region: 'eu' },
        }),
        expect.objectContaining({
          id: 'legacy-2',
          createdAt: Date.parse('2024-05-02T08:00:00Z'),
          comment: null,
          metadata: null,
        }),
      ])
    })

    it('lists every bad row by line with its reason and writes nothing', async () => {
      const ndjson = [
        JSON.stringify({ id: 'ok-1', score: 9 }),
        JSON.stringify({ id: 'bad-1', score: 11 }),
        '',
        '{not json',
        JSON.stringify({ id: 'bad-3', score: 5, createdAt: 'last tuesday' }),
        JSON.stringify({ id: 'ok-2', score: 1 }),
      ].join('\n')
      const res = await importText(survey, ndjson, 'application/x-ndjson')
      expect(res.status).toBe(400)
      const body = (await res.json()) as {
        error: { code: string; message: string; issues: { line: number; message: string }[] }
      }
      expect(body.error.code).toBe('invalid_rows')
      expect(body.error.message).toBe('3 rows are invalid; nothing was imported')
      expect(body.error.issues.map((i) => i.line)).toEqual([2, 4, 5])
      expect(body.error.issues[0]!.message).toContain('score')
      expect(body.error.issues[2]!.message).toContain('createdAt')
      expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
    })

    it('reports bad CSV rows by line too, and refuses an unknown column', async () => {
      const csv = 'id,score\na,7\nb,ten\nc,\n'
      const res = await importText(survey, csv, 'text/csv')
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { issues: { line: number }[] } }
      expect(body.error.issues.map((i) => i.line)).toEqual([3, 4])
      const unknown = await importText(survey, 'id,score,colour\na,7,red\n', 'text/csv')
      expect(unknown.status).toBe(400)
      expect(await errorCode(unknown)).toBe('invalid_import')
      const broken = await importText(survey, 'id,score\n"a,7\n', 'text/csv')
      expect(broken.status).toBe(400)
      expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
    })

    it('answers 415 for another media type, 404 for an unknown survey and 413 past the import cap', async () => {
      expect((await importText(survey, '{}', 'application/json')).status).toBe(415)
      expect((await importText('srv_nope', 'id,score\na,1\n', 'text/csv')).status).toBe(404)
      const g = await fixture({ importLimit: 1024 })
      try {
        const id = await g.survey()
        const big = `id,score\n${Array.from({ length: 200 }, (_, i) => `row-${i},5`).join('\n')}\n`
        const res = await g.admin(`/v1/surveys/${id}/responses/import`, {
          method: 'POST',
          body: big,
          headers: { 'content-type': 'text/csv' },
        })
        expect(res.status).toBe(413)
        expect(g.backend.listResponses(id, {}, 10).items).toEqual([])
      } finally {
        await g.close()
      }
    })

    it('refuses a __proto__ metadata key in NDJSON (however spelled) and as a CSV column, naming it', async () => {
      const ndjson = [
        JSON.stringify({ id: 'a', score: 1 }),
        '{"id":"b","score":2,"metadata":{"\\u005f_proto__":"x"}}',
      ].join('\n')
      const res = await importText(survey, ndjson, 'application/x-ndjson')
      expect(res.status).toBe(400)
      const body = (await res.json()) as {
        error: { code: string; issues: { line: number; message: string }[] }
      }
      expect(body.error.code).toBe('invalid_rows')
      expect(body.error.issues).toEqual([{ line: 2, message: 'the key __proto__ is not allowed' }])
      const csv = await importText(survey, 'id,score,metadata.__proto__\na,7,x\n', 'text/csv')
      expect(csv.status).toBe(400)
      expect(((await csv.json()) as { error: { message: string } }).error.message).toContain(
        'metadata.__proto__',
      )
      expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
    })

    it('admits its metadata keys as answers do: declared ones only, or at most 50', async () => {
      const declared = await f.survey({ metadataKeys: ['plan'] })
      const other = await importText(
        declared,
        'id,score,metadata.plan,metadata.tier\na,7,pro,2\n',
        'text/csv',
      )
      expect(other.status).toBe(400)
      expect(await other.json()).toMatchObject({
        error: {
          code: 'invalid_body',
          message: 'metadata key "tier" is not collected by this survey; its metadataKeys are "plan"',
        },
      })
      // 51 keys over three rows (a row has at most 20).
      const columns = Array.from({ length: 51 }, (_, i) => `metadata.k${i}`)
      const row = (n: number) =>
        `r${n},7,${columns.map((_, i) => (Math.floor(i / 20) === n ? 'x' : '')).join(',')}`
      const wide = await importText(
        survey,
        [`id,score,${columns.join(',')}`, row(0), row(1), row(2)].join('\n'),
        'text/csv',
      )
      expect(wide.status).toBe(400)
      expect(((await wide.json()) as { error: { message: string } }).error.message).toContain(
        'already collects 50 metadata keys',
      )
      expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
      expect(f.backend.metadataKeys(survey)).toEqual([])
    })

    it('is not bound by the public body limit', async () => {
      const rows = Array.from({ length: 1000 }, (_, i) =>
        JSON.stringify({ id: `r-${i}`, score: 7, comment: 'x'.repeat(40) }),
      )
      const body = rows.join('\n')
      expect(body.length).toBeGreaterThan(16 * 1024)
      expect((await importText(survey, body, 'application/x-ndjson')).status).toBe(200)
    })
  })

  describe('erasure', () => {
    it('refuses a respondent id the collector would never accept with an answer, saying why', async () => {
      const nul = await f.admin('/v1/respondents/a%00b', { method: 'DELETE' })
      expect(nul.status).toBe(400)
      expect(await nul.json()).toMatchObject({
        error: { code: 'invalid_query', message: 'respondentId must not contain the NUL character (U+0000)' },
      })
      const long = await f.admin(`/v1/respondents/${'x'.repeat(129)}`, { method: 'DELETE' })
      expect(long.status).toBe(400)
      expect(((await long.json()) as { error: { message: string } }).error.message).toBe(
        'respondentId must be at most 128 characters',
      )
    })
    it('erases every respondent id an answer was accepted with, through the path and through the query', async () => {
      const tricky = fc.constantFrom(
        ...['.', '..', '...', '%2e', '.%2e', '%2e%2e', '/', 'a/b', '../x', './', '?', '#', '%', '%25'],
        ...[
          ' lead',
          'trail ',
          ' ',
          '+',
          'a+b',
          '&',
          '=',
          ';',
          '\\',
          '\t',
          '\n',
          '\u0001',
          '\u007f',
          'é',
          '😀',
        ],
      )
      const id = fc.oneof(
        tricky,
        fc.string({ unit: fc.constantFrom('.', '/', '%', '2', 'e', '?', '#', ' ', '+', '\\'), maxLength: 5 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 130 }),
      )
      const erase = (respondentId: string, form: 'path' | 'query') =>
        f.admin(
          form === 'path'
            ? `/v1/respondents/${encodeURIComponent(respondentId)}`
            : `/v1/respondents?respondentId=${encodeURIComponent(respondentId)}`,
          { method: 'DELETE' },
        )
      await fc.assert(
        fc.asyncProperty(
          id,
          fc.constantFrom('path' as const, 'query' as const),
          async (respondentId, form) => {
            const sent = await f.send(survey, 'responses', { id: uuid(), score: 4, respondentId })
            if (sent.status !== 201) return
            const res = await erase(respondentId, form)
            expect(res.status).toBe(200)
            expect(await res.json()).toEqual({
              respondentId,
              deleted: { responses: 1, events: 0, cases: 0, deliveries: 0, emails: 0 },
            })
          },
        ),
        { numRuns: 300 },
      )
      expect(f.backend.listResponses(survey, {}, 10).items).toEqual([])
    })

    it('refuses . and .. with an answer, and still erases them where an earlier version stored them', async () => {
      for (const respondentId of ['.', '..']) {
        const sent = await f.send(survey, 'responses', { id: uuid(), score: 4, respondentId })
        expect(sent.status).toBe(400)
        expect(((await sent.json()) as { error: { message: string } }).error.message).toContain(
          'respondentId: must not be . or ..',
        )
        const shown = await f.send(survey, 'events', { type: 'shown', respondentId })
        expect(shown.status).toBe(400)
        await f.backend.writeResponse(survey, {
          id: uuid(),
          score: 4,
          respondentId,
          receivedAt: f.clock.now(),
        })
        // An export of such data imports as it is.
        const row = JSON.stringify({ id: uuid(), score: 5, respondentId })
        expect((await importText(survey, row, 'application/x-ndjson')).status).toBe(200)
        const res = await f.admin(`/v1/respondents?respondentId=${respondentId}`, { method: 'DELETE' })
        expect(await res.json()).toEqual({
          respondentId,
          deleted: { responses: 2, events: 0, cases: 0, deliveries: 0, emails: 0 },
        })
      }
      const twice = await f.admin('/v1/respondents?respondentId=a&respondentId=b', { method: 'DELETE' })
      expect(twice.status).toBe(400)
      expect(await errorCode(twice)).toBe('invalid_query')
      expect((await f.admin('/v1/respondents', { method: 'DELETE' })).status).toBe(400)
    })

    it('removes everything of one respondent from every survey and answers how many', async () => {
      const other = await f.survey({ name: 'Other' })
      await f.send(survey, 'responses', {
        id: uuid(),
        score: 9,
        respondentId: 'erase-me',
        comment: 'my secret',
      })
      await f.send(other, 'responses', { id: uuid(), score: 2, respondentId: 'erase-me' })
      await f.send(other, 'responses', { id: uuid(), score: 6, respondentId: 'keep-me' })
      await f.send(survey, 'events', { type: 'shown', respondentId: 'erase-me' })
      await f.send(other, 'events', { type: 'dismissed', respondentId: 'erase-me' })
      const res = await f.admin('/v1/respondents/erase-me', { method: 'DELETE' })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({
        respondentId: 'erase-me',
        deleted: { responses: 2, events: 2, cases: 0, deliveries: 0, emails: 0 },
      })
      const left = JSON.stringify(await everything(f.backend))
      expect(left).not.toContain('erase-me')
      expect(left).not.toContain('my secret')
      expect(left).toContain('keep-me')
    })
  })
})
