import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Backend } from '../backend/backend.ts'
import { type Fixture, fixture, storedAnswer } from '../testing.ts'
import { EXPORT_BATCH, exportResponses } from './export.ts'

describe('exportResponses', () => {
  let f: Fixture
  let survey: string
  beforeEach(async () => {
    f = await fixture()
    survey = await f.survey()
    const rows = Array.from({ length: EXPORT_BATCH * 4 + 1 }, (_, i) =>
      storedAnswer({
        id: `row-${String(i).padStart(5, '0')}`,
        createdAt: Date.UTC(2026, 0, 1) + i,
        score: i % 11,
        metadata: { plan: 'pro' },
      }),
    )
    await f.backend.importResponses(survey, rows, Date.now())
    await f.backend.admitMetadataKeys(survey, ['plan'])
  })
  afterEach(() => f.close())

  /** The fixture's backend, counting the pages read from it. */
  const counted = () => {
    const pages = { read: 0 }
    const backend: Pick<Backend, 'listResponses' | 'metadataKeys'> = {
      metadataKeys: (id) => f.backend.metadataKeys(id),
      listResponses: (...args) => {
        pages.read++
        return f.backend.listResponses(...args)
      },
    }
    return { backend, pages }
  }

  it.each(['csv', 'ndjson'] as const)(
    'reads a page of %s only when the reader asks for one',
    async (format) => {
      const { backend, pages } = counted()
      const { body } = await exportResponses(backend, survey, {}, format)
      expect(pages.read).toBe(0)
      const reader = body.getReader()
      await reader.read()
      // A slow client has taken one page: nothing more was read for it meanwhile.
      await new Promise(setImmediate)
      expect(pages.read).toBe(1)
      await reader.read()
      expect(pages.read).toBe(2)
      await reader.cancel()
      await new Promise(setImmediate)
      expect(pages.read).toBe(2)
    },
  )

  it('writes every row once, the CSV header first', async () => {
    const { backend } = counted()
    const { body, headers } = await exportResponses(backend, survey, {}, 'csv')
    expect(headers['Content-Type']).toBe('text/csv; charset=utf-8')
    const lines = (await new Response(body).text()).trimEnd().split('\n')
    expect(lines[0]).toMatch(/,metadata\.plan$/)
    expect(lines).toHaveLength(EXPORT_BATCH * 4 + 2)
    expect(new Set(lines).size).toBe(lines.length)
  })
})
