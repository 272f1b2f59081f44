/**
 * Follow-up cases: the inbox of a survey (filtered, paged, the most recently opened first), one case
 * with its answer and log, the changes a team makes (status, assignee, due time, tags, notes — each
 * logged with the name of the key that made it), opening a case by hand, and the follow-up figures.
 * Cases are opened by the survey's rules too (follow-up/dispatcher.ts).
 *
 * @example
 * admin.route('/', caseRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import { assigneeSchema, categorySchema, LIMITS, summarize, tagSchema, textOf } from '@npskit/shared'
import { AFTER_ALL, BEFORE_ALL } from '../backend/backend.ts'
import type { Case, CaseChange, CaseStatus, CaseWithLog } from '../backend/follow-up.ts'
import type { AppDeps } from '../deps.ts'
import { detractorCoverage, figuresByAssignee, figuresOf } from '../follow-up/figures.ts'
import { caseJson, caseLogEntryJson } from '../follow-up/json.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { ApiError, notFound } from '../http/errors.ts'
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
import {
  cursorParam,
  decodeCursor,
  encodeCursor,
  flagParam,
  instantMessage,
  invalidQuery,
  isInstant,
  limitParam,
  parseInstant,
  parseRange,
  querySchema,
  rangeShape,
} from '../http/query.ts'
import { responseJson } from '../transfer/format.ts'
import { storedResponseSchema } from './responses.ts'
import { pageOf, surveyOf, surveyParams } from './surveys.ts'

const STATUSES = ['open', 'contacted', 'resolved', 'dismissed'] as const satisfies readonly CaseStatus[]
const statusSchema = z.enum(STATUSES, { error: 'status must be open, contacted, resolved or dismissed' })

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** A time in a body: an ISO 8601 date-time (a date or a time without offset is read in UTC). */
const instantText = (name: string) =>
  z.string().refine(isInstant, instantMessage(name)).openapi({ example: '2026-12-04T17:00:00Z' })

const caseSchema = z
  .object({
    id: z.string(),
    surveyId: z.string(),
    responseId: z.string(),
    status: statusSchema,
    assignee: z.string().nullable(),
    dueAt: z.string().nullable(),
    overdue: z.boolean().openapi({ description: 'open or contacted, and past its due time' }),
    tags: z.array(z.string()),
    score: z.number().int(),
    category: categorySchema,
    answeredAt: z.string(),
    openedAt: z.string(),
    openedBy: z.string().openapi({ description: 'the name of the key that opened it, or rule: <name>' }),
    updatedAt: z.string(),
    firstContactAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .openapi('Case', { description: 'a follow-up case: one answer, who follows it up, and how far they got' })

const logEntrySchema = z
  .object({
    seq: z.number().int().openapi({ description: 'the entry’s number in the change log' }),
    at: z.string(),
    actor: z.string(),
    kind: z.enum(['opened', 'note', 'status', 'assignee', 'due', 'tags']),
    note: z.string().nullable(),
    from: z.unknown(),
    to: z.unknown(),
  })
  .openapi('CaseLogEntry', { description: 'one entry of a case’s append-only log' })

const caseWithLogSchema = caseSchema
  .extend({ response: storedResponseSchema.nullable(), log: z.array(logEntrySchema) })
  .openapi('CaseWithLog', { description: 'a case with its answer and its log, oldest entry first' })

const figuresSchema = z.object({
  cases: z.number().int(),
  open: z.number().int(),
  contacted: z.number().int(),
  resolved: z.number().int(),
  dismissed: z.number().int(),
  contactedShare: z.number().nullable(),
  medianHoursToFirstContact: z.number().nullable(),
  medianHoursToResolution: z.number().nullable(),
  overdue: z.number().int(),
})

/** A case as the API shows it: the one JSON of follow-up/json.ts, and whether it is overdue now. */
export function caseApiJson(c: Case, now: number) {
  return {
    ...caseJson(c),
    overdue: (c.status === 'open' || c.status === 'contacted') && c.dueAt !== null && c.dueAt < now,
  }
}

export function caseWithLogJson(c: CaseWithLog, now: number) {
  return {
    ...caseApiJson(c, now),
    response: c.response && responseJson(c.response),
    log: c.log.map(caseLogEntryJson),
  }
}

const tagsSchema = z
  .array(tagSchema)
  .max(LIMITS.tags, `a case has at most ${LIMITS.tags} tags`)
  .transform((tags) => [...new Set(tags)])

const noteSchema = textOf(LIMITS.note, 1)

const caseOpenSchema = z.strictObject({
  responseId: textOf(LIMITS.id, 1),
  assignee: assigneeSchema.nullable().optional(),
  dueAt: instantText('dueAt').nullable().optional(),
  tags: tagsSchema.optional(),
  note: noteSchema.optional(),
})

const casePatchSchema = z
  .strictObject({
    status: statusSchema.optional(),
    assignee: assigneeSchema.nullable().optional(),
    dueAt: instantText('dueAt').nullable().optional(),
    tags: tagsSchema.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'give at least one of status, assignee, dueAt, tags')

const noteBodySchema = z.strictObject({ text: noteSchema })

const dueOf = (raw: string | null | undefined) =>
  raw === undefined ? undefined : raw === null ? null : parseInstant('dueAt', raw, 'UTC')

const caseParams = z.object({ caseId: idParam('the case id', 'case_V1StGXR8Z5jdHi6B') })

const tags = ['cases']

export function caseRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()
  const limit = config.adminBodyLimit

  /** The case a route's `:caseId` names, or a 404. */
  const caseOf = async (id: string) => {
    const found = id.length <= LIMITS.id ? await backend.getCase(id) : undefined
    if (!found) throw notFound(`case ${id}`)
    return found
  }

  const listQuery = querySchema({
    ...rangeShape,
    status: z
      .string()
      .transform((raw, ctx) => {
        const list = raw.split(',')
        const bad = list.find((s) => !(STATUSES as readonly string[]).includes(s))
        if (bad !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `status must be a comma-separated list of ${STATUSES.join(', ')}; got ${bad}`,
          })
          return z.NEVER
        }
        return list as CaseStatus[]
      })
      .optional()
      .openapi({ description: 'only cases in these statuses, comma-separated', example: 'open,contacted' }),
    assignee: assigneeSchema.optional().openapi({ description: 'only cases assigned to exactly this' }),
    unassigned: flagParam('unassigned', 'true: only cases nobody is assigned to').optional(),
    overdue: flagParam('overdue', 'true: only open or contacted cases past their due time').optional(),
    category: categorySchema.optional().openapi({ description: 'only cases of answers in this category' }),
    limit: limitParam(200, 50),
    cursor: cursorParam,
  })

  const listRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/cases',
    tags,
    security: readSecurity,
    summary: 'The inbox: a survey’s cases, the most recently opened first, filtered and paged',
    description: 'from/to select by when the answer was received.',
    request: { params: surveyParams, query: listQuery },
    responses: { 200: json(pageOf(caseSchema), 'a page of cases'), ...errors(400, 401, 404) },
  })
  handle(app, listRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    if (query.assignee !== undefined && query.unassigned) {
      throw invalidQuery('give assignee or unassigned=true, not both', 'unassigned')
    }
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const now = clock.now()
    const cursor = decodeCursor(query.cursor)
    const page = await backend.listCases(
      {
        surveyId: survey.id,
        status: query.status,
        assignee: query.unassigned ? null : query.assignee,
        overdueAt: query.overdue ? now : undefined,
        category: query.category,
        from: range.from,
        to: range.to,
      },
      query.limit,
      cursor && { openedAt: cursor.createdAt, id: cursor.id },
    )
    return c.json({
      items: page.items.map((item) => caseApiJson(item, now)),
      nextCursor: encodeCursor(page.next && { createdAt: page.next.openedAt, id: page.next.id }),
    })
  })

  const openRoute = createRoute({
    method: 'post',
    path: '/surveys/{id}/cases',
    tags,
    security: adminSecurity,
    summary: 'Open a case for an answer by hand',
    request: { params: surveyParams, body: jsonBody(app, 'CaseOpen', caseOpenSchema) },
    responses: {
      201: json(caseWithLogSchema, 'the new case'),
      ...errors(400, 401, 404, 409, 413, 415),
    },
  })
  handle(app, openRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const body = await readJson(c.req.raw, caseOpenSchema, { limit })
    const now = clock.now()
    const result = await backend.openCase(
      {
        surveyId: survey.id,
        responseId: body.responseId,
        assignee: body.assignee ?? null,
        dueAt: dueOf(body.dueAt) ?? null,
        tags: body.tags ?? [],
        openedBy: c.get('apiKey').name,
        note: body.note,
      },
      now,
    )
    if ('missing' in result) throw notFound(`answer ${body.responseId} of survey ${survey.id}`)
    if (!result.created) {
      throw new ApiError(
        409,
        'case_exists',
        `answer ${body.responseId} has a case already: ${result.case.id}`,
      )
    }
    return c.json(caseWithLogJson(result.case, now), 201)
  })

  const readRoute = createRoute({
    method: 'get',
    path: '/cases/{caseId}',
    tags,
    security: readSecurity,
    summary: 'Read a case with its answer and log',
    request: { params: caseParams },
    responses: { 200: json(caseWithLogSchema, 'the case'), ...errors(401, 404) },
  })
  handle(app, readRoute, async (c) =>
    c.json(caseWithLogJson(await caseOf(c.req.param('caseId')), clock.now())),
  )

  const patchRoute = createRoute({
    method: 'patch',
    path: '/cases/{caseId}',
    tags,
    security: adminSecurity,
    summary: 'Change a case’s status, assignee, due time or tags (each change is logged)',
    request: { params: caseParams, body: jsonBody(app, 'CasePatch', casePatchSchema) },
    responses: { 200: json(caseWithLogSchema, 'the changed case'), ...errors(400, 401, 404, 413, 415) },
  })
  handle(app, patchRoute, async (c) => {
    const id = c.req.param('caseId')
    await caseOf(id)
    const body = await readJson(c.req.raw, casePatchSchema, { limit })
    const change: CaseChange = {
      status: body.status,
      assignee: body.assignee,
      dueAt: dueOf(body.dueAt),
      tags: body.tags,
    }
    const now = clock.now()
    const changed = await backend.changeCase(id, change, c.get('apiKey').name, now)
    if (!changed) throw notFound(`case ${id}`)
    return c.json(caseWithLogJson(changed, now))
  })

  const noteRoute = createRoute({
    method: 'post',
    path: '/cases/{caseId}/notes',
    tags,
    security: adminSecurity,
    summary: 'Add a note to a case’s log (we called the customer, …)',
    request: { params: caseParams, body: jsonBody(app, 'CaseNote', noteBodySchema) },
    responses: { 201: json(caseWithLogSchema, 'the case with the note'), ...errors(400, 401, 404, 413, 415) },
  })
  handle(app, noteRoute, async (c) => {
    const id = c.req.param('caseId')
    await caseOf(id)
    const body = await readJson(c.req.raw, noteBodySchema, { limit })
    const now = clock.now()
    const changed = await backend.changeCase(id, { note: body.text }, c.get('apiKey').name, now)
    if (!changed) throw notFound(`case ${id}`)
    return c.json(caseWithLogJson(changed, now), 201)
  })

  const figuresRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/cases/figures',
    tags,
    security: readSecurity,
    summary:
      'Follow-up figures: detractors with a case, share contacted, median times to contact and resolution, overdue — overall and per assignee',
    description: 'Over the answers received from `from` to `to` (default: all time).',
    request: { params: surveyParams, query: querySchema({ ...rangeShape }) },
    responses: {
      200: json(
        z.object({
          from: z.string().nullable(),
          to: z.string().nullable(),
          detractors: z.object({
            answers: z.number().int().openapi({ description: 'detractor answers received in the period' }),
            withCase: z.number().int(),
            share: z.number().nullable(),
          }),
          overall: figuresSchema,
          byAssignee: z.array(z.object({ assignee: z.string().nullable(), figures: figuresSchema })),
        }),
        'the figures',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, figuresRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const from = range.from ?? BEFORE_ALL
    const to = range.to ?? AFTER_ALL
    const now = clock.now()
    const [timings, distribution] = await Promise.all([
      backend.caseTimings(survey.id, from, to),
      backend.distribution(survey.id, { from: range.from, to: range.to }),
    ])
    return c.json({
      from: iso(range.from ?? null),
      to: iso(range.to ?? null),
      detractors: detractorCoverage(timings, summarize(distribution).detractors),
      overall: figuresOf(timings, now),
      byAssignee: figuresByAssignee(timings, now),
    })
  })

  return app
}
