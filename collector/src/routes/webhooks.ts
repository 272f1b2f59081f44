/**
 * Admin routes for webhook endpoints and their delivery log: create (the signing secret is in that
 * answer only), list, read, change, delete; the deliveries of an endpoint, one delivery with its
 * attempts and body, a redelivery, and a test ping. A URL is checked by the address guard
 * (follow-up/ssrf.ts) when it is saved, and again by the sender when it connects.
 *
 * @example
 * admin.route('/', webhookRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  categorySchema,
  LIMITS,
  scoreSchema,
  segmentSchema,
  surveyIdSchema,
  textOf,
  urlSchema,
} from '@npskit/shared'
import type { Backend } from '../backend/backend.ts'
import {
  type Delivery,
  type DeliveryWithAttempts,
  WEBHOOK_EVENTS,
  type WebhookEndpoint,
} from '../backend/follow-up.ts'
import type { AppDeps } from '../deps.ts'
import { webhookUrlProblem } from '../follow-up/ssrf.ts'
import { buildDeliveries, generateWebhookSecret } from '../follow-up/webhooks.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { ApiError, notFound, surveyNotFound } from '../http/errors.ts'
import {
  adminSecurity,
  errors,
  handle,
  idParam,
  json,
  jsonBody,
  openApp,
  readSecurity,
} from '../http/openapi.ts'
import { cursorParam, decodeCursor, encodeCursor, limitParam, querySchema } from '../http/query.ts'
import { pageOf } from './surveys.ts'

/** Endpoints one collector keeps: each answer is checked against every one of them. */
export const MAX_ENDPOINTS = 100

const eventSchema = z.enum(WEBHOOK_EVENTS)
const formatSchema = z.enum(['standard', 'slack']).openapi({
  description:
    '`standard`: Standard Webhooks JSON `{ type, timestamp, data }`; `slack`: a Slack incoming-webhook message',
})

/** Subscribed events, each once, in the order given. */
const eventsSchema = z
  .array(eventSchema)
  .min(1, 'events must name at least one event')
  .max(WEBHOOK_EVENTS.length * 2)
  .transform((events) => [...new Set(events)])
  .openapi({ description: 'the events it receives (a test ping always)' })

export const webhookFilterSchema = z
  .strictObject({
    categories: z.array(categorySchema).min(1).max(3).optional(),
    minScore: scoreSchema.optional(),
    maxScore: scoreSchema.optional(),
    segments: z.array(segmentSchema).max(LIMITS.segments).optional().openapi({
      description: '[key, value] pairs: metadata[key] must equal value, compared as text',
    }),
  })
  .refine((f) => f.minScore === undefined || f.maxScore === undefined || f.minScore <= f.maxScore, {
    message: 'minScore must not be greater than maxScore',
    path: ['minScore'],
  })
  .openapi({
    description: 'which answers it hears of (response and case events); every condition given must hold',
  })

const descriptionSchema = textOf(LIMITS.text).nullable()

export const webhookCreateSchema = z.strictObject({
  url: urlSchema,
  surveyId: surveyIdSchema.nullable().default(null).openapi({ description: 'null or absent: every survey' }),
  format: formatSchema.default('standard'),
  events: eventsSchema.default([...WEBHOOK_EVENTS]),
  filter: webhookFilterSchema.default({}),
  description: descriptionSchema.default(null),
})

export const webhookPatchSchema = z.strictObject({
  url: urlSchema.optional(),
  format: formatSchema.optional(),
  events: eventsSchema.optional(),
  filter: webhookFilterSchema.optional(),
  description: descriptionSchema.optional(),
  enabled: z.boolean().optional().openapi({
    description: 'false disables it (deliveries wait); true enables it again and clears its failing state',
  }),
})

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function endpointJson(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    surveyId: endpoint.surveyId,
    url: endpoint.url,
    format: endpoint.format,
    events: endpoint.events,
    filter: endpoint.filter,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: iso(endpoint.failingSince),
    createdAt: iso(endpoint.createdAt)!,
    updatedAt: iso(endpoint.updatedAt)!,
  }
}

export function deliveryJson(delivery: Delivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    surveyId: delivery.surveyId,
    eventType: delivery.eventType,
    responseId: delivery.responseId,
    status: delivery.status,
    attempts: delivery.attempts,
    createdAt: iso(delivery.createdAt)!,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    lastLatencyMs: delivery.lastLatencyMs,
    deliveredAt: iso(delivery.deliveredAt),
  }
}

function deliveryDetailJson(delivery: DeliveryWithAttempts) {
  return {
    ...deliveryJson(delivery),
    payload: JSON.parse(delivery.payload) as unknown,
    history: delivery.history.map((a) => ({ ...a, at: iso(a.at)! })),
  }
}

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    surveyId: z.string().nullable(),
    url: z.string(),
    format: formatSchema,
    events: z.array(eventSchema),
    filter: webhookFilterSchema,
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().openapi({
      description: 'why it is disabled (`failing for 24 hours`, `disabled by <key>`, …); null while enabled',
    }),
    failingSince: z
      .string()
      .nullable()
      .openapi({ description: 'the first failed attempt since the last success' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookEndpoint', { description: 'a webhook endpoint, without its secret' })

const statusSchema = z.enum(['pending', 'delivered', 'failed'])

export const deliverySchema = z
  .object({
    id: z.string().openapi({ description: 'the `webhook-id` header, the same on every attempt' }),
    endpointId: z.string(),
    surveyId: z.string().nullable(),
    eventType: z.enum([...WEBHOOK_EVENTS, 'webhook.test']),
    responseId: z.string().nullable(),
    status: statusSchema,
    attempts: z.number().int(),
    createdAt: z.string(),
    nextAttemptAt: z.string().nullable(),
    lastAttemptAt: z.string().nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastLatencyMs: z.number().int().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery', { description: 'one message to an endpoint and how its attempts went' })

const deliveryDetailSchema = deliverySchema
  .extend({
    payload: z.unknown().openapi({ description: 'the body sent, exactly as signed' }),
    history: z.array(
      z.object({
        at: z.string(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        latencyMs: z.number().int(),
      }),
    ),
  })
  .openapi('WebhookDeliveryDetail', {
    description: 'a delivery with its body and every attempt, oldest first',
  })

const endpointParams = z.object({ endpointId: idParam('the endpoint id', 'whe_5mQ8') })
const deliveryParams = endpointParams.extend({ deliveryId: idParam('the delivery id', 'msg_2Zk4') })

/** Whether `id` can be one of ours (`<prefix>_…`): anything else is unknown without asking storage. */
const isId = (prefix: string, id: string) => id.startsWith(`${prefix}_`) && id.length <= LIMITS.id

async function endpointOf(backend: Backend, id: string): Promise<WebhookEndpoint> {
  const endpoint = isId('whe', id) ? await backend.getEndpoint(id) : undefined
  if (!endpoint) throw notFound('webhook endpoint')
  return endpoint
}

const endpointDisabled = () =>
  new ApiError(409, 'endpoint_disabled', 'the endpoint is disabled; enable it (PATCH enabled: true) first')

const tags = ['webhooks']

export function webhookRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()
  const limit = config.adminBodyLimit
  const security = adminSecurity

  /** A 400 naming what is wrong with a URL to be saved (its syntax or where it leads). */
  const checkUrl = async (url: string) => {
    const problem = await webhookUrlProblem(url, { allowPrivate: config.webhookAllowPrivate })
    if (problem) throw new ApiError(400, 'invalid_body', problem, [{ path: 'url', message: problem }])
  }

  const listRoute = createRoute({
    method: 'get',
    path: '/webhooks',
    tags,
    security: readSecurity,
    summary:
      'List webhook endpoints (without secrets): every one, or a survey’s own and the collector-wide ones',
    request: {
      query: querySchema({
        surveyId: z
          .string()
          .optional()
          .openapi({ description: 'only endpoints that hear of this survey', example: 'srv_3kT9wQ2mZx' }),
      }),
    },
    responses: { 200: json(pageOf(webhookEndpointSchema), 'the endpoints'), ...errors(400, 401, 404) },
  })
  handle(app, listRoute, async (c) => {
    const { surveyId } = c.req.valid('query')
    if (
      surveyId !== undefined &&
      !(surveyIdSchema.safeParse(surveyId).success && (await backend.getSurvey(surveyId)))
    ) {
      throw surveyNotFound(surveyId)
    }
    const endpoints = await backend.listEndpoints(surveyId)
    return c.json({ items: endpoints.map(endpointJson), nextCursor: null })
  })

  const createEndpointRoute = createRoute({
    method: 'post',
    path: '/webhooks',
    tags,
    security,
    summary: 'Create a webhook endpoint (its signing secret is in this answer only)',
    request: { body: jsonBody(app, 'WebhookEndpointCreate', webhookCreateSchema) },
    responses: {
      201: json(
        webhookEndpointSchema
          .extend({ secret: z.string().openapi({ description: '`whsec_…`: verify signatures with it' }) })
          .openapi('WebhookEndpointCreated'),
        'the endpoint, with its secret',
      ),
      ...errors(400, 401, 404, 409, 413, 415),
    },
  })
  handle(app, createEndpointRoute, async (c) => {
    const body = await readJson(c.req.raw, webhookCreateSchema, { limit })
    if (body.surveyId !== null && !(await backend.getSurvey(body.surveyId)))
      throw surveyNotFound(body.surveyId)
    await checkUrl(body.url)
    if ((await backend.listEndpoints()).length >= MAX_ENDPOINTS) {
      throw new ApiError(
        409,
        'too_many_endpoints',
        `a collector keeps at most ${MAX_ENDPOINTS} webhook endpoints`,
      )
    }
    const secret = generateWebhookSecret()
    const endpoint = await backend.createEndpoint({ ...body, secret }, clock.now())
    return c.json({ ...endpointJson(endpoint), secret }, 201)
  })

  const readEndpointRoute = createRoute({
    method: 'get',
    path: '/webhooks/{endpointId}',
    tags,
    security: readSecurity,
    summary: 'Read a webhook endpoint (without its secret)',
    request: { params: endpointParams },
    responses: { 200: json(webhookEndpointSchema, 'the endpoint'), ...errors(401, 404) },
  })
  handle(app, readEndpointRoute, async (c) => {
    return c.json(endpointJson(await endpointOf(backend, c.req.param('endpointId'))))
  })

  const patchEndpointRoute = createRoute({
    method: 'patch',
    path: '/webhooks/{endpointId}',
    tags,
    security,
    summary: 'Change a webhook endpoint, or disable or enable it',
    request: { params: endpointParams, body: jsonBody(app, 'WebhookEndpointPatch', webhookPatchSchema) },
    responses: {
      200: json(webhookEndpointSchema, 'the changed endpoint'),
      ...errors(400, 401, 404, 413, 415),
    },
  })
  handle(app, patchEndpointRoute, async (c) => {
    const endpoint = await endpointOf(backend, c.req.param('endpointId'))
    const change = await readJson(c.req.raw, webhookPatchSchema, { limit })
    if (change.url !== undefined) await checkUrl(change.url)
    const { enabled, ...fields } = change
    // Disabling names who did it; disabling a disabled endpoint keeps the reason it has.
    const switched =
      enabled === true
        ? { enabled }
        : enabled === false && endpoint.enabled
          ? { enabled, disabledReason: `disabled by ${c.get('apiKey').name}` }
          : {}
    const updated = await backend.updateEndpoint(endpoint.id, { ...fields, ...switched }, clock.now())
    if (!updated) throw notFound('webhook endpoint')
    return c.json(endpointJson(updated))
  })

  const deleteEndpointRoute = createRoute({
    method: 'delete',
    path: '/webhooks/{endpointId}',
    tags,
    security,
    summary: 'Delete a webhook endpoint with its deliveries',
    request: { params: endpointParams },
    responses: { 204: { description: 'deleted' }, ...errors(401, 404) },
  })
  handle(app, deleteEndpointRoute, async (c) => {
    const id = c.req.param('endpointId')
    if (!isId('whe', id) || !(await backend.deleteEndpoint(id))) throw notFound('webhook endpoint')
    return c.body(null, 204)
  })

  const listDeliveriesRoute = createRoute({
    method: 'get',
    path: '/webhooks/{endpointId}/deliveries',
    tags,
    security: readSecurity,
    summary: 'The delivery log of an endpoint, newest first',
    request: {
      params: endpointParams,
      query: querySchema({ limit: limitParam(100, 20), cursor: cursorParam }),
    },
    responses: { 200: json(pageOf(deliverySchema), 'a page of deliveries'), ...errors(400, 401, 404) },
  })
  handle(app, listDeliveriesRoute, async (c) => {
    const endpoint = await endpointOf(backend, c.req.param('endpointId'))
    const query = c.req.valid('query')
    const page = await backend.listDeliveries(endpoint.id, query.limit, decodeCursor(query.cursor))
    return c.json({ items: page.items.map(deliveryJson), nextCursor: encodeCursor(page.next) })
  })

  /** The endpoint's delivery a route names, or a 404. */
  const deliveryOf = async (endpointId: string, deliveryId: string) => {
    const endpoint = await endpointOf(backend, endpointId)
    const delivery = isId('msg', deliveryId) ? await backend.getDelivery(deliveryId) : undefined
    if (!delivery || delivery.endpointId !== endpoint.id) throw notFound('delivery')
    return { endpoint, delivery }
  }

  const readDeliveryRoute = createRoute({
    method: 'get',
    path: '/webhooks/{endpointId}/deliveries/{deliveryId}',
    tags,
    security: readSecurity,
    summary: 'One delivery: its body and every attempt',
    request: { params: deliveryParams },
    responses: { 200: json(deliveryDetailSchema, 'the delivery'), ...errors(401, 404) },
  })
  handle(app, readDeliveryRoute, async (c) => {
    const { delivery } = await deliveryOf(c.req.param('endpointId'), c.req.param('deliveryId'))
    return c.json(deliveryDetailJson(delivery))
  })

  const redeliverRoute = createRoute({
    method: 'post',
    path: '/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver',
    tags,
    security,
    summary: 'Send a delivery again now, with the same id and body (whatever became of it)',
    request: { params: deliveryParams },
    responses: { 202: json(deliverySchema, 'the delivery, pending again'), ...errors(401, 404, 409) },
  })
  handle(app, redeliverRoute, async (c) => {
    const { endpoint, delivery } = await deliveryOf(c.req.param('endpointId'), c.req.param('deliveryId'))
    if (!endpoint.enabled) throw endpointDisabled()
    const pending = await backend.redeliver(delivery.id, clock.now())
    if (!pending) throw notFound('delivery')
    return c.json(deliveryJson(pending), 202)
  })

  const testRoute = createRoute({
    method: 'post',
    path: '/webhooks/{endpointId}/test',
    tags,
    security,
    summary: 'Send the endpoint a test ping (`webhook.test`), signed as every delivery',
    request: { params: endpointParams },
    responses: { 202: json(deliverySchema, 'the ping’s delivery, pending'), ...errors(401, 404, 409) },
  })
  handle(app, testRoute, async (c) => {
    const endpoint = await endpointOf(backend, c.req.param('endpointId'))
    if (!endpoint.enabled) throw endpointDisabled()
    const now = clock.now()
    const [ping] = buildDeliveries([endpoint], { type: 'webhook.test' }, now, { publicUrl: config.publicUrl })
    await backend.enqueueDeliveries([ping!], now)
    const stored = await backend.getDelivery(ping!.id)
    if (!stored) throw notFound('delivery')
    return c.json(deliveryJson(stored), 202)
  })

  return app
}
