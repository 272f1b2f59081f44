/**
 * Admin routes of the data lifecycle: a survey's retention policy with its dry run and its record of
 * runs, a run on demand, and deletion — of one answer by id, or of every answer a filter selects (with
 * a dry run first). Deletions go in batches (lifecycle/retention.ts) and keep every count exact.
 *
 * @example
 * admin.route('/', lifecycleRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import { retentionSettingsSchema } from '@npskit/shared'
import type { LifecycleRun } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { refuseUnknownKeys } from '../http/metadata.ts'
import {
  errors,
  handle,
  idParam,
  json,
  openApp,
  readSecurity,
  adminSecurity as security,
} from '../http/openapi.ts'
import {
  cursorParam,
  decodeCursor,
  encodeCursor,
  filterOf,
  filterShape,
  flagParam,
  limitParam,
  parseRange,
  querySchema,
  rangeShape,
  segmentKeysOf,
  segmentParameter,
} from '../http/query.ts'
import {
  deleteMatching,
  deletionDue,
  RetentionBusyError,
  retentionDue,
  runRetention,
} from '../lifecycle/retention.ts'
import { pageOf, surveyOf, surveyParams } from './surveys.ts'

const tags = ['lifecycle']

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const runSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['retention', 'deletion']),
    policy: z.unknown().openapi({ description: 'the retention policy the run applied; null for a deletion' }),
    filter: z
      .record(z.string(), z.string())
      .nullable()
      .openapi({ description: 'a deletion’s filter, as its query gave it; null for a retention run' }),
    cutoff: z
      .string()
      .nullable()
      .openapi({ description: 'a retention run touched answers created before this' }),
    startedAt: z.string(),
    finishedAt: z.string(),
    deleted: z.number().int(),
    anonymised: z.number().int(),
  })
  .openapi('LifecycleRun', { description: 'one retention run or deletion by filter, recorded when it ended' })

const runJson = (run: LifecycleRun) => ({
  id: run.id,
  kind: run.kind,
  policy: run.policy,
  filter: run.filter,
  cutoff: iso(run.cutoff),
  startedAt: iso(run.startedAt)!,
  finishedAt: iso(run.finishedAt)!,
  deleted: run.deleted,
  anonymised: run.anonymised,
})

const deletedSchema = z.object({
  responses: z.number().int(),
  events: z.number().int(),
  cases: z.number().int(),
  deliveries: z.number().int(),
  emails: z.number().int(),
})

/** The filter of a deletion: the listing's period and answer filters (one respondent's latest makes no deletion). */
const deletionQuery = querySchema(
  {
    ...rangeShape,
    locale: filterShape.locale,
    path: filterShape.path,
    device: filterShape.device,
    dryRun: flagParam('dryRun', 'true: answer how many answers would be deleted, and delete none').optional(),
  },
  { segments: true },
)

export function lifecycleRoutes({ backend, clock }: AppDeps) {
  const app = openApp<AdminEnv>()

  const retentionRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/retention',
    tags,
    security: readSecurity,
    summary:
      'The survey’s retention policy, how many answers its next run would touch (a dry run), and its last run',
    request: { params: surveyParams },
    responses: {
      200: json(
        z.object({
          policy: retentionSettingsSchema
            .nullable()
            .openapi({ description: 'null: answers are kept forever' }),
          cutoff: z
            .string()
            .nullable()
            .openapi({ description: 'a run now touches answers created before this' }),
          due: z.number().int().openapi({
            description:
              'answers a run now would delete (delete) or anonymise (anonymise: those not yet anonymous)',
          }),
          lastRun: runSchema.nullable(),
        }),
        'the dry run',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, retentionRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const due = await retentionDue(backend, survey, clock.now())
    const runs = await backend.listLifecycleRuns(survey.id, 20)
    const last = runs.items.find((run) => run.kind === 'retention')
    return c.json({
      policy: due.policy,
      cutoff: iso(due.cutoff),
      due: due.answers,
      lastRun: last ? runJson(last) : null,
    })
  })

  const runRoute = createRoute({
    method: 'post',
    path: '/surveys/{id}/retention/run',
    tags,
    security,
    summary: 'Apply the survey’s retention policy now (the job also runs it at start-up and every hour)',
    request: { params: surveyParams },
    responses: {
      200: json(runSchema, 'the run, as recorded'),
      ...errors(400, 401, 404, 409),
    },
  })
  handle(app, runRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    if (!survey.settings.retention) {
      throw new ApiError(409, 'no_retention', 'the survey keeps its answers forever: set retention first')
    }
    try {
      const run = await runRetention(backend, survey, clock.now(), { force: true, clock: () => clock.now() })
      return c.json(runJson(run!))
    } catch (error) {
      if (error instanceof RetentionBusyError) {
        throw new ApiError(
          409,
          'retention_running',
          'a retention run of this survey is under way; try again later',
        )
      }
      throw error
    }
  })

  const runsRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}/lifecycle-runs',
    tags,
    security: readSecurity,
    summary: 'Every retention run and deletion by filter of the survey, the newest first',
    request: {
      params: surveyParams,
      query: querySchema({ limit: limitParam(100, 20), cursor: cursorParam }),
    },
    responses: { 200: json(pageOf(runSchema), 'a page of runs'), ...errors(400, 401, 404) },
  })
  handle(app, runsRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    const page = await backend.listLifecycleRuns(survey.id, query.limit, decodeCursor(query.cursor))
    return c.json({ items: page.items.map(runJson), nextCursor: encodeCursor(page.next) })
  })

  const deleteOneRoute = createRoute({
    method: 'delete',
    path: '/surveys/{id}/responses/{responseId}',
    tags,
    security,
    summary:
      'Delete one answer, with its case and whatever about it has not gone out; every count stays exact',
    request: {
      params: surveyParams.extend({
        responseId: idParam('the answer’s id', '0190a6b2-6c1e-7bb4-9a53-8a4b3c2d1e0f'),
      }),
    },
    responses: {
      200: json(z.object({ id: z.string(), deleted: deletedSchema }), 'the answer is gone'),
      ...errors(400, 401, 404),
    },
  })
  handle(app, deleteOneRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const id = c.req.param('responseId')
    const deleted = await backend.deleteResponses(survey.id, [id], clock.now())
    if (deleted.responses === 0) throw notFound('answer')
    await backend.scrub()
    return c.json({ id, deleted })
  })

  const deleteManyRoute = createRoute({
    method: 'delete',
    path: '/surveys/{id}/responses',
    tags,
    security,
    summary:
      'Delete every answer a filter selects (a period, a segment, …; at least one), in batches; dryRun=true first says how many',
    request: { params: surveyParams, query: deletionQuery },
    parameters: [segmentParameter],
    responses: {
      200: json(
        z.object({
          dryRun: z.boolean(),
          answers: z
            .number()
            .int()
            .openapi({ description: 'answers the filter selects (dry run) or deleted' }),
          run: runSchema.nullable().openapi({ description: 'the deletion as recorded; null for a dry run' }),
        }),
        'what was (or would be) deleted',
      ),
      ...errors(400, 401, 404),
    },
  })
  handle(app, deleteManyRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const query = c.req.valid('query')
    const { dryRun, tz: _tz, ...given } = query
    const range = parseRange(['from', 'to'], [query.from, query.to], query.tz)
    const filter = filterOf(query, range)
    if (Object.keys(given).length === 0) {
      throw new ApiError(
        400,
        'invalid_query',
        'name what to delete: from, to, locale, path, device or segment.<key>',
      )
    }
    await refuseUnknownKeys(backend, survey, segmentKeysOf(query))
    if (dryRun)
      return c.json({ dryRun: true, answers: await deletionDue(backend, survey.id, filter), run: null })
    const run = await deleteMatching(
      backend,
      survey.id,
      filter,
      given as Record<string, string>,
      clock.now(),
      {
        clock: () => clock.now(),
      },
    )
    return c.json({ dryRun: false, answers: run.deleted, run: runJson(run) })
  })

  return app
}
