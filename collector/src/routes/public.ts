/**
 * The public routes the widget calls: its config, and the answers and events it sends. Safe by
 * default: a per-client rate limit, a small body cap, the survey's Origin list enforced on every
 * request (preflight or not), and nothing stored unless every check passed.
 *
 * @example
 * app.route('/v1', publicRoutes(deps))
 */
import {
  directionOf,
  eventSubmissionSchema,
  localize,
  resolveLocale,
  responseSubmissionSchema,
  type WidgetConfig,
} from '@npskit/shared'
import { type Context, Hono } from 'hono'
import type { AppDeps } from '../deps.ts'
import { readJson } from '../http/body.ts'
import { clientAddress, deviceOf, pathOf } from '../http/client.ts'
import { ApiError } from '../http/errors.ts'
import { allowCors, isOriginAllowed } from '../http/origin.ts'
import { RateLimiter } from '../http/rate-limit.ts'
import { type Survey, UnknownSurveyError } from '../store/store.ts'

export function publicRoutes({ store, config, clock }: AppDeps) {
  const limiter = new RateLimiter(config.rateLimit, () => clock.now())
  const app = new Hono()

  /**
   * The checks every public request passes, in order: rate limit, survey, origin. `read` marks the
   * side-effect-free config read, which a client without Origin (curl, a same-origin page) may make.
   */
  const admit = async (c: Context, read = false): Promise<Survey> => {
    // Every answer here depends on Origin, errors included, so no cache may reuse one across origins.
    c.header('Vary', 'Origin')
    const wait = limiter.take(clientAddress(c, config.trustProxy))
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `too many requests; retry in ${wait} s`, undefined, {
        'Retry-After': String(wait),
      })
    }
    const survey = await store.getSurvey(c.req.param('surveyId') ?? '')
    if (!survey) throw new ApiError(404, 'unknown_survey', 'no survey with this id')
    const origin = c.req.header('origin')
    if (read && !origin) return survey
    if (!isOriginAllowed(survey.settings, origin)) {
      throw origin
        ? new ApiError(403, 'origin_not_allowed', `origin ${origin} may not use this survey`)
        : new ApiError(403, 'origin_required', 'this survey accepts requests from its allowed origins only')
    }
    allowCors(c, origin)
    return survey
  }

  const preflight = (methods: string) => async (c: Context) => {
    await admit(c)
    c.header('Access-Control-Allow-Methods', methods)
    c.header('Access-Control-Allow-Headers', 'Content-Type')
    c.header('Access-Control-Max-Age', '86400')
    return c.body(null, 204)
  }

  app.options('/surveys/:surveyId/widget', preflight('GET'))
  app.options('/surveys/:surveyId/responses', preflight('POST'))
  app.options('/surveys/:surveyId/events', preflight('POST'))

  app.get('/surveys/:surveyId/widget', async (c) => {
    const survey = await admit(c, true)
    const { settings } = survey
    const wanted = c.req.query('locale')?.slice(0, 200) || c.req.header('accept-language')
    const locale = resolveLocale(wanted, settings.defaultLocale)
    const body: WidgetConfig = {
      surveyId: survey.id,
      locale,
      dir: directionOf(locale),
      strings: localize(locale, { question: settings.question, followUp: settings.followUp }),
      theme: settings.theme,
      display: settings.display,
    }
    c.header('Cache-Control', 'public, max-age=300')
    c.header('Vary', 'Accept-Language', { append: true })
    return c.json(body)
  })

  app.post('/surveys/:surveyId/responses', async (c) => {
    const survey = await admit(c)
    const submission = await readJson(c.req.raw, responseSubmissionSchema, {
      limit: config.publicBodyLimit,
      acceptText: true,
    })
    try {
      const result = await store.writeResponse(survey.id, {
        ...submission,
        path: pathOf(submission.url),
        device: deviceOf(c.req.header('user-agent')),
        receivedAt: clock.now(),
      })
      return c.json({ id: submission.id, category: result.category }, result.created ? 201 : 200)
    } catch (error) {
      if (error instanceof UnknownSurveyError)
        throw new ApiError(404, 'unknown_survey', 'no survey with this id')
      throw error
    }
  })

  app.post('/surveys/:surveyId/events', async (c) => {
    const survey = await admit(c)
    const event = await readJson(c.req.raw, eventSubmissionSchema, {
      limit: config.publicBodyLimit,
      acceptText: true,
    })
    try {
      await store.writeEvent(survey.id, event, clock.now())
    } catch (error) {
      if (error instanceof UnknownSurveyError)
        throw new ApiError(404, 'unknown_survey', 'no survey with this id')
      throw error
    }
    return c.json({ accepted: true }, 202)
  })

  return app
}
