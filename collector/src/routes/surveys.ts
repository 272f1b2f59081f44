/**
 * Admin routes for surveys: create, list, read, change, delete (with all their data). A survey is
 * answered flat: `{ id, ...settings, createdAt, updatedAt }`, the same fields create and PATCH take.
 *
 * @example
 * admin.route('/', surveyRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  defaultSurveySettings,
  isSurveyId,
  mergeSurveySettings,
  surveyCreateSchema,
  surveyPatchSchema,
  surveySettingsSchema,
} from '@npskit/shared'
import type { Backend, Survey } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { invalidBody, surveyNotFound } from '../http/errors.ts'
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

export function surveyJson(survey: Survey) {
  return {
    id: survey.id,
    ...survey.settings,
    createdAt: new Date(survey.createdAt).toISOString(),
    updatedAt: new Date(survey.updatedAt).toISOString(),
  }
}

/** The survey a route's `:id` names, or a 404 (an id that cannot be one is not looked up). */
export async function surveyOf(backend: Backend, id: string): Promise<Survey> {
  const survey = isSurveyId(id) ? await backend.getSurvey(id) : undefined
  if (!survey) throw surveyNotFound(id)
  return survey
}

/** The `{id}` of every survey route. */
export const surveyParams = z.object({ id: idParam('the survey id', 'srv_3kT9wQ2mZx') })

export const surveySchema = surveySettingsSchema
  .extend({ id: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .openapi('Survey', { description: 'a survey: its id, every setting, and when it was created and changed' })

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })

const tags = ['surveys']

export function surveyRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()
  const limit = config.adminBodyLimit
  const surveyCreate = jsonBody(app, 'SurveyCreate', surveyCreateSchema)
  const surveyPatch = jsonBody(app, 'SurveyPatch', surveyPatchSchema, {
    description: 'any settings; nested objects (followUp, display, theme) merge key by key',
  })
  const security = adminSecurity

  const createSurveyRoute = createRoute({
    method: 'post',
    path: '/surveys',
    tags,
    security,
    summary: 'Create a survey (only name is required; every other setting has a default)',
    request: { body: surveyCreate },
    responses: { 201: json(surveySchema, 'the survey with its id'), ...errors(400, 401, 413, 415) },
  })
  handle(app, createSurveyRoute, async (c) => {
    const body = await readJson(c.req.raw, surveyCreateSchema, { limit })
    const settings = surveySettingsSchema.safeParse(
      mergeSurveySettings(defaultSurveySettings(body.name), body),
    )
    if (!settings.success) throw invalidBody(settings.error)
    return c.json(surveyJson(await backend.createSurvey(settings.data, clock.now())), 201)
  })

  const listSurveysRoute = createRoute({
    method: 'get',
    path: '/surveys',
    tags,
    security: readSecurity,
    summary: 'List surveys, oldest first',
    request: { query: querySchema({ limit: limitParam(1000, 100), cursor: cursorParam }) },
    responses: { 200: json(pageOf(surveySchema), 'a page of surveys'), ...errors(400, 401) },
  })
  handle(app, listSurveysRoute, async (c) => {
    const query = c.req.valid('query')
    const page = await backend.listSurveys(query.limit, decodeCursor(query.cursor))
    return c.json({ items: page.items.map(surveyJson), nextCursor: encodeCursor(page.next) })
  })

  const readSurveyRoute = createRoute({
    method: 'get',
    path: '/surveys/{id}',
    tags,
    security: readSecurity,
    summary: 'Read a survey',
    request: { params: surveyParams },
    responses: { 200: json(surveySchema, 'the survey'), ...errors(401, 404) },
  })
  handle(app, readSurveyRoute, async (c) => {
    return c.json(surveyJson(await surveyOf(backend, c.req.param('id'))))
  })

  const patchSurveyRoute = createRoute({
    method: 'patch',
    path: '/surveys/{id}',
    tags,
    security,
    summary: 'Change settings (nested objects merge)',
    request: { params: surveyParams, body: surveyPatch },
    responses: { 200: json(surveySchema, 'the changed survey'), ...errors(400, 401, 404, 413, 415) },
  })
  handle(app, patchSurveyRoute, async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const change = await readJson(c.req.raw, surveyPatchSchema, { limit })
    const settings = surveySettingsSchema.safeParse(mergeSurveySettings(survey.settings, change))
    if (!settings.success) throw invalidBody(settings.error)
    const updated = await backend.updateSurvey(survey.id, settings.data, clock.now())
    if (!updated) throw surveyNotFound(survey.id)
    return c.json(surveyJson(updated))
  })

  const deleteSurveyRoute = createRoute({
    method: 'delete',
    path: '/surveys/{id}',
    tags,
    security,
    summary: 'Delete a survey with all its answers and events',
    request: { params: surveyParams },
    responses: { 204: { description: 'deleted' }, ...errors(401, 404) },
  })
  handle(app, deleteSurveyRoute, async (c) => {
    const id = c.req.param('id')
    if (!isSurveyId(id) || !(await backend.deleteSurvey(id))) throw surveyNotFound(id)
    return c.body(null, 204)
  })

  return app
}
