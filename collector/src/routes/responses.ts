/**
 * Admin routes for stored answers: page through them (JSON) or stream them out (CSV, NDJSON), import
 * them (CSV, NDJSON; all rows or none), and erase one respondent everywhere.
 *
 * @example
 * admin.route('/', responseRoutes(deps))
 */
import { storedRespondentIdSchema } from '@npskit/shared'
import { Hono } from 'hono'
import { UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { mediaTypeOf } from '../http/body.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { admitMetadata } from '../http/metadata.ts'
import { decodeCursor, encodeCursor, parseLimit, parseResponseFilter } from '../http/query.ts'
import { exportResponses } from '../transfer/export.ts'
import { responseJson } from '../transfer/format.ts'
import { importFormatOf, spoolImport, writeImport } from '../transfer/import.ts'
import { surveyOf } from './surveys.ts'

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

    const { body, headers } = await exportResponses(backend, survey.id, filter, format)
    return c.body(body, 200, headers)
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
      await admitMetadata(backend, survey, spooled.metadataKeys)
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

  /** Erases one respondent everywhere; `DELETE /v1/respondents?respondentId=…` takes any stored id. */
  const eraseRespondent = async (respondentId: string) => {
    const valid = storedRespondentIdSchema.safeParse(respondentId)
    if (!valid.success) {
      throw new ApiError(
        400,
        'invalid_query',
        `respondentId ${valid.error.issues[0]?.message ?? 'is not valid'}`,
      )
    }
    return { respondentId, deleted: await backend.eraseRespondent(respondentId) }
  }

  app.delete('/respondents/:respondentId', async (c) => {
    return c.json(await eraseRespondent(c.req.param('respondentId')))
  })

  // In the query, an id needs no path segment: `.` and `..` stored before they were refused, or ids a
  // proxy would mangle in a path (`%2F`), stay erasable.
  app.delete('/respondents', async (c) => {
    const ids = c.req.queries('respondentId') ?? []
    if (ids.length !== 1) {
      throw new ApiError(400, 'invalid_query', 'respondentId is required, once: ?respondentId=<id>')
    }
    return c.json(await eraseRespondent(ids[0]!))
  })

  return app
}
