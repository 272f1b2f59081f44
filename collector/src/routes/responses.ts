/**
 * Admin routes for stored answers: page through them (JSON) or stream them out (CSV, NDJSON), import
 * them (CSV, NDJSON; all rows or none), read what changed since a poller last looked (the change feed),
 * and erase one respondent everywhere.
 *
 * @example
 * admin.route('/', responseRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import { categorySchema, storedRespondentIdSchema } from '@npskit/shared'
import { RESPONSE_SOURCES, type ResponseFilter, type Survey, UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { mediaTypeOf } from '../http/body.ts'
import { ApiError, surveyNotFound } from '../http/errors.ts'
import { admitMetadata, refuseUnknownKeys } from '../http/metadata.ts'
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
  type CountedWindow,
  changeTokenParam,
  countedWindow,
  cursorParam,
  decodeChangeToken,
  decodeCursor,
  encodeChangeToken,
  encodeCursor,
  filterOf,
  filterShape,
  invalidQuery,
  limitParam,
  parseRange,
  querySchema,
  rangeShape,
  scoreParam,
  segmentKeysOf,
  segmentParameter,
  windowJson,
  windowSchema,
} from '../http/query.ts'
import { retainedAtImport } from '../lifecycle/retention.ts'
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
    contact: z
      .object({
        email: z.string().nullable().openapi({
          description: 'the address the visitor gave; null when the site had identified them (respondentId)',
          example: 'ana.lima@example.com',
        }),
      })
      .nullable()
      .openapi({
        description:
          'the respondent asked to be contacted about this answer; null: not asked, or they did not',
      }),
    source: z.enum(RESPONSE_SOURCES).nullable().openapi({
      description:
        'where the answer came from: the widget, the public API, an import, or a survey link; null: stored before sources were recorded. Only widget answers (and null) count towards responseRate',
      example: 'widget',
    }),
  })
  .openapi('StoredResponse', { description: 'an answer as stored, with its derived category and path' })

/** One entry of the change feed: an answer as it is now, or the tombstone of an erased one. */
const changeSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('response.upserted'),
      seq: z.number().int().openapi({ description: 'the change’s number, increasing in feed order' }),
      response: storedResponseSchema,
    }),
    z.object({
      type: z.literal('response.erased'),
      seq: z.number().int(),
      id: z.string().openapi({ description: 'the erased answer’s id; nothing else it held is kept' }),
      erasedAt: z.string(),
    }),
  ])
  .openapi('Change', {
    description: 'an answer created or changed (each answer once, at its latest change), or erased',
  })

/** The longest comment search: a phrase a person types, not a document. */
export const MAX_SEARCH = 200

const listQuery = querySchema(
  {
    ...rangeShape,
    ...filterShape,
    category: z
      .enum(['promoter', 'passive', 'detractor'], {
        error: 'category must be promoter, passive or detractor',
      })
      .optional()
      .openapi({ description: 'only answers of this category' }),
    minScore: scoreParam('minScore', 'only answers scoring at least this, 0–10').optional(),
    maxScore: scoreParam(
      'maxScore',
      'only answers scoring at most this, 0–10 (maxScore=minScore: one score)',
    ).optional(),
    q: z
      .string()
      .min(1, `q must be 1 to ${MAX_SEARCH} characters`)
      .max(MAX_SEARCH, `q must be 1 to ${MAX_SEARCH} characters`)
      .optional()
      .openapi({
        description:
          'only answers whose comment contains this text, ignoring case; a plain substring (% and _ are no wildcards)',
        example: 'checkout',
      }),
    order: z
      .enum(['oldest', 'newest'], { error: 'order must be oldest or newest' })
      .default('oldest')
      .openapi({ description: 'oldest first (default; the order of an export) or newest first' }),
    format: z
      .enum(['json', 'csv', 'ndjson'], { error: 'format must be json, csv or ndjson' })
      .default('json')
      .openapi({ description: 'json: one page (limit, cursor); csv, ndjson: every answer, streamed' }),
    limit: limitParam(1000, 100),
    cursor: cursorParam,
  },
  { segments: true },
)

/**
 * The backend's filter of a validated listing query: the analytics filters, then category, scores, text;
 * with the window it lists. `current=true` cuts from/to to the answers' lifetime as the figures do, but
 * only when asked: a survey's countCurrentOnly changes what its figures count, never what an export
 * holds (an export that silently left out old answers would be a backup missing them).
 */
function responseFilterOf(
  query: z.output<typeof listQuery>,
  survey: Survey,
  now: number,
): { filter: ResponseFilter; window: CountedWindow } {
  const window = countedWindow(
    parseRange(['from', 'to'], [query.from, query.to], query.tz),
    query.current ?? false,
    survey.settings,
    now,
  )
  if (query.minScore !== undefined && query.maxScore !== undefined && query.minScore > query.maxScore) {
    throw invalidQuery('minScore must not be greater than maxScore', 'minScore')
  }
  return {
    filter: {
      ...filterOf(query, window),
      category: query.category,
      minScore: query.minScore,
      maxScore: query.maxScore,
      text: query.q,
    },
    window,
  }
}

/** The header in which an export says which window it holds (the JSON page's `counted`). */
export const WINDOW_HEADER = 'NPSKit-Window'

/** The window of an export, as its `NPSKit-Window` header says it. */
const windowHeader = (window: CountedWindow) => {
  const { from, to, current, lifetimeDays } = windowJson(window)
  return [
    `from=${from ?? 'open'}`,
    `to=${to ?? 'open'}`,
    `current=${current}`,
    ...(lifetimeDays === undefined ? [] : [`lifetime-days=${lifetimeDays}`]),
  ].join('; ')
}

const tags = ['responses']

export function responseRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  const listRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/responses',
    tags,
    security: readSecurity,
    summary:
      'Page through the answers (json) or stream them all out (csv, ndjson), filtered as the figures are, oldest or newest first',
    request: { params: surveyParams, query: listQuery },
    // `segment.<key>` is a family of names, which OpenAPI cannot list: described once (http/query.ts).
    parameters: [segmentParameter],
    responses: {
      200: {
        description: 'a page of answers, or every answer as a file',
        content: {
          'application/json': {
            schema: pageOf(storedResponseSchema).extend({ counted: windowSchema }).openapi('ResponsePage'),
          },
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
    const { filter, window } = responseFilterOf(query, survey, clock.now())
    await refuseUnknownKeys(backend, survey, segmentKeysOf(query))

    if (format === 'json') {
      const cursor = decodeCursor(query.cursor)
      const page = await backend.listResponses(survey.id, filter, query.limit, cursor, query.order)
      return c.json({
        items: page.items.map(responseJson),
        nextCursor: encodeCursor(page.next),
        counted: windowJson(window),
      })
    }

    const { body, headers } = await exportResponses(
      backend,
      survey.id,
      filter,
      format,
      query.order,
      survey.settings.retention,
    )
    return c.body(body, 200, { ...headers, [WINDOW_HEADER]: windowHeader(window) })
  })

  const changesRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/changes',
    tags,
    security: readSecurity,
    summary:
      'What changed since a token: every answer created, merged or imported (as it is now) and every erasure, in order',
    request: {
      params: surveyParams,
      query: querySchema({ since: changeTokenParam, limit: limitParam(1000, 100) }),
    },
    responses: {
      200: json(
        z.object({
          items: z.array(changeSchema),
          next: z.string().openapi({
            description:
              'where to resume: pass it as since next time; never null, the same token when nothing changed',
          }),
        }),
        'the changes after since, oldest first; fewer than limit: nothing more just now',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, changesRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    const page = await backend.changes(survey.id, decodeChangeToken(query.since), query.limit)
    return c.json({
      items: page.items.map((change) =>
        change.type === 'response.upserted'
          ? { type: change.type, seq: change.seq, response: responseJson(change.response) }
          : {
              type: change.type,
              seq: change.seq,
              id: change.id,
              erasedAt: new Date(change.erasedAt).toISOString(),
            },
      ),
      next: encodeChangeToken(page.next),
    })
  })

  const metadataKeysRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/metadata-keys',
    tags,
    security: readSecurity,
    summary: 'The metadata keys a survey’s answers carry, and those its settings declare',
    request: { params: surveyParams },
    responses: {
      200: json(
        z.object({
          keys: z
            .array(z.string())
            .openapi({ description: 'seen and declared together, each once, sorted by code point' }),
          seen: z.array(z.string()).openapi({
            description:
              'every key answers were admitted with (also after those answers went): the CSV export’s columns',
          }),
          declared: z
            .array(z.string())
            .nullable()
            .openapi({ description: 'the survey’s metadataKeys setting; null when it declares none' }),
        }),
        'the keys to break the figures down by (by=metadata.<key>) or filter on (segment.<key>)',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, metadataKeysRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const seen = await backend.metadataKeys(survey.id)
    const declared = survey.settings.metadataKeys ?? null
    const keys = [...new Set([...seen, ...(declared ?? [])])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return c.json({ keys, seen, declared })
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
        z.object({
          imported: z.number().int(),
          created: z.number().int(),
          updated: z.number().int(),
          retention: z
            .object({ deleted: z.number().int(), anonymised: z.number().int() })
            .optional()
            .openapi({
              description:
                'with a retention policy: rows already older than its period, left out (delete) or written anonymised',
            }),
        }),
        'every row was written (but those the retention policy left out)',
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
      // Rows already past the retention period are anonymised or left out before they are written.
      const retained = retainedAtImport(survey.settings.retention, now)
      // In batches, each its own transaction, so answers sent meanwhile are not held behind the file.
      const result = await writeImport(spooled, (rows) =>
        backend.importResponses(survey.id, retained.rows(rows), now),
      )
      return c.json({
        imported: spooled.count,
        ...result,
        ...(survey.settings.retention ? { retention: retained.counts } : {}),
      })
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
    const deleted = await backend.eraseRespondent(respondentId, clock.now())
    // What was erased must not stay readable in the database files either.
    if (deleted.responses + deleted.events > 0) await backend.scrub()
    return { respondentId, deleted }
  }
  const erased = json(
    z.object({
      respondentId: z.string(),
      deleted: z.object({
        responses: z.number().int(),
        events: z.number().int(),
        /** Cases of those answers, with their logs. */
        cases: z.number().int(),
        /** Webhook deliveries and emails about those answers that had not yet gone out. */
        deliveries: z.number().int(),
        emails: z.number().int(),
      }),
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
