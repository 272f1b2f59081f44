/**
 * Admin routes for surveys: create, list, read, change, delete (with all their data). A survey is
 * answered flat: `{ id, ...settings, createdAt, updatedAt }`, the same fields create and PATCH take.
 *
 * @example
 * admin.route('/', surveyRoutes(deps))
 */
import {
  defaultSurveySettings,
  isSurveyId,
  mergeSurveySettings,
  surveyCreateSchema,
  surveyPatchSchema,
  surveySettingsSchema,
} from '@npskit/shared'
import { Hono } from 'hono'
import type { Backend, Survey } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import type { AdminEnv } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { invalidBody, notFound } from '../http/errors.ts'
import { decodeCursor, encodeCursor, parseLimit } from '../http/query.ts'

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
  if (!survey) throw notFound('survey')
  return survey
}

export function surveyRoutes({ backend, config, clock }: AppDeps) {
  const app = new Hono<AdminEnv>()
  const limit = config.adminBodyLimit

  app.post('/surveys', async (c) => {
    const body = await readJson(c.req.raw, surveyCreateSchema, { limit })
    const settings = surveySettingsSchema.safeParse(
      mergeSurveySettings(defaultSurveySettings(body.name), body),
    )
    if (!settings.success) throw invalidBody(settings.error)
    return c.json(surveyJson(await backend.createSurvey(settings.data, clock.now())), 201)
  })

  app.get('/surveys', async (c) => {
    const page = await backend.listSurveys(
      parseLimit(c.req.query('limit'), 100, 1000),
      decodeCursor(c.req.query('cursor')),
    )
    return c.json({ items: page.items.map(surveyJson), nextCursor: encodeCursor(page.next) })
  })

  app.get('/surveys/:id', async (c) => {
    return c.json(surveyJson(await surveyOf(backend, c.req.param('id'))))
  })

  app.patch('/surveys/:id', async (c) => {
    const survey = await surveyOf(backend, c.req.param('id'))
    const change = await readJson(c.req.raw, surveyPatchSchema, { limit })
    const settings = surveySettingsSchema.safeParse(mergeSurveySettings(survey.settings, change))
    if (!settings.success) throw invalidBody(settings.error)
    const updated = await backend.updateSurvey(survey.id, settings.data, clock.now())
    if (!updated) throw notFound('survey')
    return c.json(surveyJson(updated))
  })

  app.delete('/surveys/:id', async (c) => {
    const id = c.req.param('id')
    if (!isSurveyId(id) || !(await backend.deleteSurvey(id))) throw notFound('survey')
    return c.body(null, 204)
  })

  return app
}
