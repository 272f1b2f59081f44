/**
 * The API described as OpenAPI 3.1, generated from the same zod schemas that validate the requests
 * (zod's own JSON Schema output), plus `/docs`, a self-contained page that renders it: no script or
 * style from a CDN, so it works offline and under a strict Content-Security-Policy.
 *
 * @example
 * app.route('/', openapiRoutes())
 */
import {
  errorBodySchema,
  eventSubmissionSchema,
  responseSubmissionSchema,
  summarySchema,
  surveyCreateSchema,
  surveyPatchSchema,
  surveySettingsSchema,
  widgetConfigSchema,
} from '@npskit/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import { importRowSchema } from '../transfer/import.ts'
import { DOCS_HTML } from './docs-page.ts'
import { keyCreateSchema } from './keys.ts'

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    io: 'input',
  }) as Record<string, unknown>
  return rest
}

const isoTimes = { createdAt: z.string(), updatedAt: z.string() }
const surveySchema = surveySettingsSchema.extend({ id: z.string(), ...isoTimes })
const storedResponseSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  score: z.number().int(),
  category: z.enum(['promoter', 'passive', 'detractor']),
  comment: z.string().nullable(),
  respondentId: z.string().nullable(),
  locale: z.string().nullable(),
  url: z.string().nullable(),
  path: z.string().nullable(),
  device: z.enum(['desktop', 'mobile', 'tablet']).nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
})
const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The last 4 characters of the secret; null for a key stored before they were kept. */
  last4: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
})

const components: Record<string, z.ZodType> = {
  Error: errorBodySchema,
  SurveyCreate: surveyCreateSchema,
  SurveyPatch: surveyPatchSchema,
  Survey: surveySchema,
  ResponseSubmission: responseSubmissionSchema,
  EventSubmission: eventSubmissionSchema,
  StoredResponse: storedResponseSchema,
  ImportRow: importRowSchema,
  WidgetConfig: widgetConfigSchema,
  Summary: summarySchema,
  ApiKeyCreate: keyCreateSchema,
  ApiKey: apiKeySchema,
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const error = (description: string) => ({ description, content: json(ref('Error')) })
const list = (name: string) => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(name) }, nextCursor: { type: ['string', 'null'] } },
})

interface Operation {
  summary: string
  tag: 'public' | 'admin' | 'analytics' | 'meta'
  params?: string[]
  query?: Record<string, string>
  body?: Record<string, unknown>
  ok: Record<string, unknown>
  errors?: number[]
}

const ERRORS: Record<number, string> = {
  400: 'bad input',
  401: 'no or unknown admin key',
  403: 'origin not allowed',
  404: 'unknown survey or resource',
  409: 'conflict',
  413: 'body too large',
  415: 'wrong media type',
  429: 'rate limited (see Retry-After)',
}

function operation(op: Operation) {
  const parameters = [
    ...(op.params ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(op.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    })),
  ]
  const errors = op.tag === 'public' ? (op.errors ?? []) : [401, ...(op.errors ?? [])]
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(op.tag === 'admin' || op.tag === 'analytics' ? { security: [{ bearer: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: op.body } } : {}),
    responses: {
      ...op.ok,
      ...Object.fromEntries(errors.map((status) => [String(status), error(ERRORS[status] ?? 'error')])),
    },
  }
}

const publicPost = (schema: string) => ({
  'application/json': { schema: ref(schema) },
  'text/plain': { schema: { type: 'string', description: `${schema} as JSON text (sendBeacon)` } },
})
const range = { from: 'ISO 8601, inclusive', to: 'ISO 8601, exclusive' }
const filters = {
  ...range,
  locale: 'only this locale',
  path: 'only this page path',
  latestPerRespondent: 'true: one answer per respondent, the latest',
  'segment.<key>': 'metadata value',
}

/** The OpenAPI document; `serverUrl` is where the collector is reached. */
export function openapiDocument(serverUrl?: string) {
  const S = ['surveyId']
  return {
    openapi: '3.1.0',
    info: {
      title: 'npskit collector',
      version: '1',
      description:
        'Collects NPS answers from the npskit widget and serves trustworthy NPS figures. Errors are `{ error: { code, message, issues? } }`.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      '/healthz': { get: operation({ summary: 'Health', tag: 'meta', ok: { 200: { description: 'up' } } }) },
      '/v1/surveys/{surveyId}/widget': {
        get: operation({
          summary: 'Public widget config in the visitor’s language',
          tag: 'public',
          params: S,
          query: { locale: 'preferred locale; else Accept-Language' },
          ok: { 200: { description: 'config', content: json(ref('WidgetConfig')) } },
          errors: [403, 404, 429],
        }),
      },
      '/v1/surveys/{surveyId}/responses': {
        post: operation({
          summary: 'Send an answer; a repeat with the same id merges',
          tag: 'public',
          params: S,
          body: publicPost('ResponseSubmission'),
          ok: {
            201: { description: 'stored, first time', content: json({ type: 'object' }) },
            200: { description: 'merged into the answer with this id', content: json({ type: 'object' }) },
          },
          errors: [400, 403, 404, 413, 415, 429],
        }),
        get: operation({
          summary: 'Page through (json) or stream out (csv, ndjson) the answers',
          tag: 'admin',
          params: S,
          query: {
            ...range,
            category: 'promoter | passive | detractor',
            format: 'json | csv | ndjson',
            limit: '1–1000',
            cursor: 'nextCursor of the previous page',
          },
          ok: {
            200: {
              description: 'answers',
              content: {
                'application/json': { schema: list('StoredResponse') },
                'text/csv': { schema: { type: 'string' } },
                'application/x-ndjson': { schema: { type: 'string' } },
              },
            },
          },
          errors: [400, 404],
        }),
      },
      '/v1/surveys/{surveyId}/events': {
        post: operation({
          summary: 'The card was shown or dismissed',
          tag: 'public',
          params: S,
          body: publicPost('EventSubmission'),
          ok: { 202: { description: 'accepted' } },
          errors: [400, 403, 404, 413, 415, 429],
        }),
      },
      '/v1/surveys': {
        post: operation({
          summary: 'Create a survey',
          tag: 'admin',
          body: json(ref('SurveyCreate')),
          ok: { 201: { description: 'created', content: json(ref('Survey')) } },
          errors: [400, 415],
        }),
        get: operation({
          summary: 'List surveys',
          tag: 'admin',
          query: { limit: '1–1000', cursor: 'nextCursor of the previous page' },
          ok: { 200: { description: 'surveys', content: json(list('Survey')) } },
          errors: [400],
        }),
      },
      '/v1/surveys/{surveyId}': {
        get: operation({
          summary: 'Read a survey',
          tag: 'admin',
          params: S,
          ok: { 200: { description: 'the survey', content: json(ref('Survey')) } },
          errors: [404],
        }),
        patch: operation({
          summary: 'Change settings (nested objects merge)',
          tag: 'admin',
          params: S,
          body: json(ref('SurveyPatch')),
          ok: { 200: { description: 'the survey', content: json(ref('Survey')) } },
          errors: [400, 404, 415],
        }),
        delete: operation({
          summary: 'Delete a survey with all its data',
          tag: 'admin',
          params: S,
          ok: { 204: { description: 'deleted' } },
          errors: [404],
        }),
      },
      '/v1/surveys/{surveyId}/responses/import': {
        post: operation({
          summary: 'Import answers (all rows or none; idempotent by id; keeps createdAt)',
          tag: 'admin',
          params: S,
          query: { format: 'csv | ndjson, overrides Content-Type' },
          body: {
            'text/csv': { schema: { type: 'string', description: 'columns as the CSV export writes them' } },
            'application/x-ndjson': { schema: ref('ImportRow') },
          },
          ok: { 200: { description: '{ imported, created, updated }', content: json({ type: 'object' }) } },
          errors: [400, 404, 413, 415],
        }),
      },
      '/v1/respondents/{respondentId}': {
        delete: operation({
          summary: 'Erase every answer and event of one respondent, in every survey',
          tag: 'admin',
          params: ['respondentId'],
          ok: {
            200: {
              description: '{ respondentId, deleted: { responses, events } }',
              content: json({ type: 'object' }),
            },
          },
        }),
      },
      '/v1/respondents': {
        delete: operation({
          summary: 'Erase every answer and event of one respondent, any id ever stored (also . and ..)',
          tag: 'admin',
          query: { respondentId: 'the respondent id, percent-encoded (required, once)' },
          ok: {
            200: {
              description: '{ respondentId, deleted: { responses, events } }',
              content: json({ type: 'object' }),
            },
          },
        }),
      },
      '/v1/keys': {
        post: operation({
          summary: 'Create an admin key (the secret is in this answer only)',
          tag: 'admin',
          body: json(ref('ApiKeyCreate')),
          ok: { 201: { description: 'the key and its secret', content: json(ref('ApiKey')) } },
          errors: [400, 415],
        }),
        get: operation({
          summary: 'List keys',
          tag: 'admin',
          ok: { 200: { description: 'keys', content: json(list('ApiKey')) } },
        }),
      },
      '/v1/keys/{keyId}': {
        delete: operation({
          summary: 'Revoke a key (not the last active one)',
          tag: 'admin',
          params: ['keyId'],
          ok: { 200: { description: 'revoked', content: json(ref('ApiKey')) } },
          errors: [404, 409],
        }),
      },
      '/v1/surveys/{surveyId}/nps': {
        get: operation({
          summary: 'NPS Summary',
          tag: 'analytics',
          params: S,
          query: filters,
          ok: { 200: { description: 'Summary', content: json(ref('Summary')) } },
          errors: [400, 404],
        }),
      },
      '/v1/surveys/{surveyId}/nps/trend': {
        get: operation({
          summary: 'A Summary per period',
          tag: 'analytics',
          params: S,
          query: { ...filters, interval: 'day | week | month', window: 'rolling window in days' },
          ok: { 200: { description: '{ interval, window, tz, points }' } },
          errors: [400, 404],
        }),
      },
      '/v1/surveys/{surveyId}/nps/breakdown': {
        get: operation({
          summary: 'A Summary per group',
          tag: 'analytics',
          params: S,
          query: { ...filters, by: 'locale | path | device | metadata.<key>' },
          ok: { 200: { description: '{ by, groups }' } },
          errors: [400, 404],
        }),
      },
      '/v1/surveys/{surveyId}/nps/compare': {
        get: operation({
          summary: 'Two periods compared',
          tag: 'analytics',
          params: S,
          query: { aFrom: 'ISO 8601', aTo: 'ISO 8601', bFrom: 'ISO 8601', bTo: 'ISO 8601' },
          ok: { 200: { description: '{ a, b, delta, z, pValue, significant }' } },
          errors: [400, 404],
        }),
      },
      '/v1/surveys/{surveyId}/target': {
        get: operation({
          summary: 'The NPS target and where it stands',
          tag: 'analytics',
          params: S,
          ok: { 200: { description: 'target status' } },
          errors: [404],
        }),
      },
      '/v1/surveys/{surveyId}/themes': {
        get: operation({
          summary: 'Terms that stand out in comments',
          tag: 'analytics',
          params: S,
          query: { ...range, category: 'promoter | passive | detractor' },
          ok: { 200: { description: '{ category, terms }' } },
          errors: [400, 404],
        }),
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        Object.entries(components).map(([name, schema]) => [name, jsonSchema(schema)]),
      ),
    },
  }
}

export function openapiRoutes(serverUrl?: string) {
  const app = new Hono()
  let document: ReturnType<typeof openapiDocument> | undefined
  app.get('/openapi.json', (c) => {
    document ??= openapiDocument(serverUrl)
    return c.json(document)
  })
  app.get('/docs', (c) => {
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    )
    return c.html(DOCS_HTML)
  })
  return app
}
