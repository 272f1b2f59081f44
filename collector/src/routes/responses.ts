/**
 * Admin routes for stored answers: page through them (JSON) or stream them out (CSV, NDJSON), import
 * them (CSV, NDJSON; all rows or none), and erase one respondent everywhere.
 *
 * @example
 * admin.route('/', responseRoutes(deps))
 */
import { respondentIdSchema } from '@npskit/shared'
import { stringify } from 'csv-stringify/sync'
import { Hono } from 'hono'
import { type Cursor, UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { mediaTypeOf } from '../http/body.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { decodeCursor, encodeCursor, parseLimit, parseResponseFilter } from '../http/query.ts'
import { csvHeader, csvRecord, responseJson } from '../transfer/format.ts'
import { importFormatOf, spoolImport, writeImport } from '../transfer/import.ts'
import { surveyOf } from './surveys.ts'

/** Rows read from the store per step of a streamed export. */
const EXPORT_BATCH = 1000

export function responseRoutes({ backend, config, clock }: AppDeps) {
  const app = new Hono<AdminEnv>()

  app.get('/surveys/:id/responses', async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const format = c.req.query('format') ?? 'json'
    const filter = parseResponseFilter((name) => c.req.query(name))

    if (format === 'json') {
      const page = await backend.listResponses(
        survey.id,
        filter,
        parseLimit(c.req.query('limit'), 100, 1000),
        decodeCursor(c.req.query('cursor')),
      )
      return c.json({ items: page.items.map(responseJson), nextCursor: encodeCursor(page.next) })
    }
    if (format !== 'csv' && format !== 'ndjson') {
      throw new ApiError(400, 'invalid_query', 'format must be json, csv or ndjson')
    }

    // Streamed page by page in (createdAt, id) order, so memory stays flat whatever the survey's size.
    const keys = format === 'csv' ? await backend.metadataKeys(survey.id, filter) : []
    let cursor: Cursor | undefined
    let started = false
    let finished = false
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (finished) return controller.close()
        const page = await backend.listResponses(survey.id, filter, EXPORT_BATCH, cursor)
        let text = ''
        if (format === 'csv') {
          const records = page.items.map((r) => csvRecord(r, keys))
          if (!started) records.unshift(csvHeader(keys))
          text = records.length ? stringify(records) : ''
        } else {
          text = page.items.map((r) => `${JSON.stringify(responseJson(r))}\n`).join('')
        }
        started = true
        if (text) controller.enqueue(encoder.encode(text))
        if (page.next) cursor = page.next
        else finished = true
        if (finished) controller.close()
      },
    })
    const filename = `${survey.id}-responses.${format}`
    return c.body(stream, 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
    })
  })

  app.post('/surveys/:id/responses/import', async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const format = importFormatOf(mediaTypeOf(c.req.raw), c.req.query('format'))
    if (!format) {
      throw new ApiError(415, 'unsupported_media_type', 'send text/csv or application/x-ndjson')
    }
    const now = clock.now()
    const spooled = await spoolImport(c.req.raw.body, format, config, now)
    try {
      // In batches, each its own transaction, so answers sent meanwhile are not held behind the file.
      const result = await writeImport(spooled, (rows) => backend.importResponses(survey.id, rows, now))
      return c.json({ imported: spooled.count, ...result })
    } catch (error) {
      if (error instanceof UnknownSurveyError) throw notFound('survey')
      throw error
    } finally {
      spooled.dispose()
    }
  })

  app.delete('/respondents/:respondentId', async (c) => {
    const respondentId = c.req.param('respondentId')
    const valid = respondentIdSchema.safeParse(respondentId)
    if (!valid.success) {
      throw new ApiError(
        400,
        'invalid_query',
        `respondentId ${valid.error.issues[0]?.message ?? 'is not valid'}`,
      )
    }
    const deleted = await backend.eraseRespondent(respondentId)
    return c.json({ respondentId, deleted })
  })

  return app
}
