/**
 * Admin routes for stored answers: page through them (JSON) or stream them out (CSV, NDJSON), import
 * them (CSV, NDJSON; all rows or none), and erase one respondent everywhere.
 *
 * @example
 * admin.route('/', responseRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import { categorySchema, storedRespondentIdSchema } from '@npskit/shared'
import { type ResponseFilter, UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { mediaTypeOf } from '../http/body.ts'
import { ApiError, surveyNotFound } from '../http/errors.ts'
import { admitMetadata } from '../http/metadata.ts'
import {
  errors,
  handle,
  idParam,
  json,
  named,
  openApp,
  readSecurity,
  adminSecurity as security,
} from '../http/openapi.ts'
import {
  cursorParam,
  decodeCursor,
  encodeCursor,
  limitParam,
  parseRange,
  querySchema,
  rangeShape,
} from '../http/query.ts'
import { exportResponses } from '../transfer/export.ts'
import { responseJson } from '../transfer/format.ts'
import { importFormatOf, importRowSchema, spoolImport, writeImport } from '../transfer/import.ts'
import { pageOf, surveyOf, surveyParams } from './surveys.ts'

export const storedResponseSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    score: z.number().int(),
    category: categorySchema,
    comment: z.string().nullable(),
    respondentId: z.string().nullable(),
    locale: z.string().nullable(),
    url: z.string().nullable(),
    path: z.string().nullable(),
    device: z.enum(['desktop', 'mobile', 'tablet']).nullable(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  })
  .openapi('StoredResponse', { description: 'an answer as stored, with its derived category and path' })

const listQuery = querySchema({
  ...rangeShape,
  category: z
    .enum(['promoter', 'passive', 'detractor'], { error: 'category must be promoter, passive or detractor' })
    .optional()
    .openapi({ description: 'only answers of this category' }),
  format: z
    .enum(['json', 'csv', 'ndjson'], { error: 'format must be json, csv or ndjson' })
    .default('json')
    .openapi({ description: 'json: one page (limit, cursor); csv, ndjson: every answer, streamed' }),
  limit: limitParam(1000, 100),
  cursor: cursorParam,
})

/** `from`, `to` (read in `tz`) and `category` of a validated listing query. */
function responseFilterOf(query: z.output<typeof listQuery>): ResponseFilter {
  const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
  return { from: range.from, to: range.to, category: query.category }
}

const tags = ['responses']

export function responseRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  const listRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/responses',
    tags,
    security: readSecurity,
    summary: 'Page through the answers (json) or stream them all out (csv, ndjson), oldest first',
    request: { params: surveyParams, query: listQuery },
    responses: {
      200: {
        description: 'a page of answers, or every answer as a file',
        content: {
          'application/json': { schema: pageOf(storedResponseSchema) },
          'text/csv': { schema: z.string().openapi({ description: 'a header, then one row per answer' }) },
          'application/x-ndjson': {
            schema: z.string().openapi({ description: 'one StoredResponse per line' }),
          },
        },
      },
      ...errors(400, 401, 404),
    },
  })
  handle(app, listRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    const format = query.format
    const filter = responseFilterOf(query)

    if (format === 'json') {
      const page = await backend.listResponses(survey.id, filter, query.limit, decodeCursor(query.cursor))
      return c.json({ items: page.items.map(responseJson), nextCursor: encodeCursor(page.next) })
    }

    const { body, headers } = await exportResponses(backend, survey.id, filter, format)
    return c.body(body, 200, headers)
  })

  const importRoute = createRoute({
    method: 'post',
    path: '/surveys/{id}/responses/import',
    tags,
    security,
    summary: 'Import answers: all rows or none, idempotent by id, createdAt kept',
    request: {
      params: surveyParams,
      query: querySchema({
        format: z
          .enum(['csv', 'ndjson'], { error: 'format must be csv or ndjson' })
          .optional()
          .openapi({ description: 'the body’s format, when its Content-Type does not say' }),
      }),
      body: {
        required: true,
        content: {
          'text/csv': {
            schema: z
              .string()
              .openapi({ description: 'a header row, columns as the CSV export writes them' }),
          },
          'application/x-ndjson': {
            schema: named('ImportRow', importRowSchema, 'one JSON object per line'),
          },
        },
      },
    },
    responses: {
      200: json(
        z.object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int() }),
        'every row was written',
      ),
      ...errors(400, 401, 404, 413, 415),
    },
  })
  handle(app, importRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const format = importFormatOf(mediaTypeOf(c.req.raw), c.req.valid('query').format)
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
      if (error instanceof UnknownSurveyError) throw surveyNotFound(survey.id)
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
  const erased = json(
    z.object({
      respondentId: z.string(),
      deleted: z.object({ responses: z.number().int(), events: z.number().int() }),
    }),
    'what was erased',
  )

  const eraseRoute = createRoute({
    method: 'delete',
    path: '/respondents/{respondentId}',
    tags,
    security,
    summary: 'Erase every answer and event of one respondent, in every survey',
    request: {
      params: z.object({ respondentId: idParam('the respondent id the answers carry', 'user-42') }),
    },
    responses: { 200: erased, ...errors(400, 401) },
  })
  handle(app, eraseRoute, async (c) => c.json(await eraseRespondent(c.req.param('respondentId'))))

  // In the query, an id needs no path segment: `.` and `..` stored before they were refused, or ids a
  // proxy would mangle in a path (`%2F`), stay erasable.
  const eraseByQueryRoute = createRoute({
    method: 'delete',
    path: '/respondents',
    tags,
    security,
    summary: 'Erase one respondent named in the query: any id ever stored, also one no path can carry',
    request: {
      query: querySchema({
        respondentId: z
          .string({ error: 'respondentId is required, once: ?respondentId=<id>' })
          .openapi({ description: 'the respondent id the answers carry', example: '..' }),
      }),
    },
    responses: { 200: erased, ...errors(400, 401) },
  })
  handle(app, eraseByQueryRoute, async (c) =>
    c.json(await eraseRespondent(c.req.valid('query').respondentId)),
  )

  return app
}
