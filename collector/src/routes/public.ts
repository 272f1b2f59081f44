/**
 * The public routes the widget calls: its config, and the answers and events it sends. Safe by
 * default: a per-client rate limit, a small body cap, the survey's Origin list enforced on every
 * request (preflight or not), and nothing stored unless every check passed.
 *
 * @example
 * app.route('/v1', publicRoutes(deps))
 */
import { createRoute, z } from '@hono/zod-openapi'
import {
  categorySchema,
  compiledEventSubmissionSchema,
  compiledResponseSubmissionSchema,
  directionOf,
  eventSubmissionSchema,
  isSurveyId,
  localize,
  resolveLocale,
  responseSubmissionSchema,
  type WidgetConfig,
  widgetConfigSchema,
} from '@npskit/shared'
import type { Context } from 'hono'
import { type Survey, UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import { readJson } from '../http/body.ts'
import { clientAddress, deviceOf, incomingOf, pathOf } from '../http/client.ts'
import { ApiError, surveyNotFound } from '../http/errors.ts'
import { admitMetadata } from '../http/metadata.ts'
import { errors, handle, idParam, json as jsonAnswer, jsonBody, named, openApp } from '../http/openapi.ts'
import { isOriginAllowed } from '../http/origin.ts'
import { querySchema } from '../http/query.ts'
import { RateLimiter } from '../http/rate-limit.ts'

/** Response headers as a plain object: the Node adapter writes one straight to the socket. */
type ResponseHeaders = Record<string, string>

/**
 * A JSON answer with plain-object headers. Hono's `c.header()` builds a `Headers` object per request,
 * which the Node adapter then copies back into a plain one; on the hot POST that was a measurable share
 * of each request (see README, Performance).
 */
function json(body: unknown, status: number, headers: ResponseHeaders): Response {
  headers['content-type'] = 'application/json'
  return new Response(JSON.stringify(body), { status, headers })
}

/**
 * The card's config for a survey in the locale the visitor wants most (`de`, `en-US,en;q=0.8`, …, else
 * the survey's default): what the widget fetches, and what a survey link page (/s/:id) is served with.
 */
export function widgetConfigOf(survey: Survey, wanted: string | undefined): WidgetConfig {
  const { settings } = survey
  const locale = resolveLocale(wanted?.slice(0, 200), settings.defaultLocale)
  return {
    surveyId: survey.id,
    locale,
    dir: directionOf(locale),
    strings: localize(locale, {
      question: settings.question,
      followUp: settings.followUp,
      texts: settings.texts,
    }),
    theme: settings.theme,
    display: settings.display,
    contact: { ask: settings.contact?.ask === true },
    // `none` is as absent: the card keeps today's thank-you.
    ...(settings.thanks && settings.thanks.action !== 'none' ? { thanks: settings.thanks } : {}),
  }
}

const params = z.object({ id: idParam('the survey id', 'srv_3kT9wQ2mZx') })
const tags = ['public']

export const answerAckSchema = z
  .object({ id: z.string(), category: categorySchema })
  .openapi('AnswerAck', { description: 'the answer id and the category of its score' })

const preflightRoute = (path: string, methods: string) =>
  createRoute({
    method: 'options',
    path,
    tags,
    summary: `CORS preflight (${methods}) for the survey's allowed origins`,
    request: { params },
    responses: { 204: { description: 'allowed: Access-Control-Allow-* headers' }, ...errors(403, 404, 429) },
  })

export function publicRoutes({ backend, config, clock }: AppDeps) {
  const limiter = new RateLimiter(config.rateLimit, () => clock.now())
  const app = openApp()

  /**
   * The checks every public request passes, in order: rate limit, survey, origin. They fill in the
   * answer's CORS headers as they go, so an error thrown here or later carries what was decided so far
   * (see `route`). `read` marks the side-effect-free config read, which a client without Origin (curl,
   * a same-origin page) may make.
   */
  const admit = (c: Context, headers: ResponseHeaders, read: boolean): Survey | Promise<Survey> => {
    const wait = limiter.take(clientAddress(c, config.trustProxy))
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `too many requests; retry in ${wait} s`, undefined, {
        'Retry-After': String(wait),
      })
    }
    const id = c.req.param('id') ?? ''
    const found = isSurveyId(id) ? backend.getSurvey(id) : undefined
    // The backend answers from memory almost always: no extra turn of the event loop for it then.
    return found instanceof Promise
      ? found.then((survey) => allow(c, survey, headers, read))
      : allow(c, found, headers, read)
  }

  const allow = (c: Context, survey: Survey | undefined, headers: ResponseHeaders, read: boolean) => {
    if (!survey) throw surveyNotFound(c.req.param('id') ?? '')
    const origin = c.req.header('origin')
    if (read && !origin) return survey
    if (!isOriginAllowed(survey.settings, origin)) {
      throw origin
        ? new ApiError(403, 'origin_not_allowed', `origin ${origin} may not use this survey`)
        : new ApiError(403, 'origin_required', 'this survey accepts requests from its allowed origins only')
    }
    headers['access-control-allow-origin'] = origin ?? '*'
    return survey
  }

  /** A public handler: admitted first; an error answer keeps the CORS headers decided before it. */
  const route =
    (
      handle: (c: Context, survey: Survey, headers: ResponseHeaders) => Promise<Response> | Response,
      read = false,
    ) =>
    async (c: Context) => {
      // Every answer here depends on Origin, errors included, so no cache may reuse one across origins.
      const headers: ResponseHeaders = { vary: 'Origin' }
      // These answers are built with plain headers (the Node adapter's fast path), so the request id the
      // access log gave this request is added here rather than through Hono's prepared headers.
      const requestId = c.get('requestId') as string | undefined
      if (requestId) headers['x-request-id'] = requestId
      try {
        const admitted = admit(c, headers, read)
        return await handle(c, admitted instanceof Promise ? await admitted : admitted, headers)
      } catch (error) {
        for (const [name, value] of Object.entries(headers)) c.header(name, value)
        throw error
      }
    }

  const preflight = (methods: string) =>
    route((_c, _survey, headers) => {
      headers['access-control-allow-methods'] = methods
      headers['access-control-allow-headers'] = 'Content-Type'
      headers['access-control-max-age'] = '86400'
      return new Response(null, { status: 204, headers })
    })

  handle(app, preflightRoute('/surveys/{id}/widget', 'GET'), preflight('GET'))
  handle(app, preflightRoute('/surveys/{id}/responses', 'POST'), preflight('POST'))
  handle(app, preflightRoute('/surveys/{id}/events', 'POST'), preflight('POST'))

  handle(
    app,
    createRoute({
      method: 'get',
      path: '/surveys/{id}/widget',
      tags,
      summary: 'The widget config in the visitor’s language (texts, theme, display rules)',
      request: {
        params,
        query: querySchema({
          locale: z.string().optional().openapi({
            description: 'the visitor’s preferred locales (else Accept-Language), such as de or en-US,en',
            example: 'de',
          }),
        }),
      },
      responses: {
        200: jsonAnswer(named('WidgetConfig', widgetConfigSchema), 'the config'),
        ...errors(400, 403, 404, 429),
      },
    }),
    route((c, survey, headers) => {
      const body = widgetConfigOf(survey, c.req.query('locale') || c.req.header('accept-language'))
      headers['cache-control'] = 'public, max-age=300'
      headers.vary = 'Origin, Accept-Language'
      return json(body, 200, headers)
    }, true),
  )

  handle(
    app,
    createRoute({
      method: 'post',
      path: '/surveys/{id}/responses',
      tags,
      summary: 'Send an answer; a repeat with the same id merges into it (the follow-up comment)',
      request: {
        params,
        body: jsonBody(app, 'ResponseSubmission', responseSubmissionSchema, { text: true }),
      },
      responses: {
        201: jsonAnswer(answerAckSchema, 'stored, first time'),
        200: jsonAnswer(answerAckSchema, 'merged into the answer with this id'),
        ...errors(400, 403, 404, 413, 415, 429),
      },
    }),
    route(async (c, survey, headers) => {
      const submission = await readJson(c.req.raw, compiledResponseSubmissionSchema, {
        limit: config.publicBodyLimit,
        acceptText: true,
        incoming: incomingOf(c),
      })
      try {
        if (submission.metadata) {
          const admitted = admitMetadata(backend, survey, Object.keys(submission.metadata))
          if (admitted) await admitted
        }
        // Field by field rather than a spread: one fixed shape, built once, on the hottest path.
        const result = await backend.writeResponse(survey.id, {
          id: submission.id,
          score: submission.score,
          comment: submission.comment,
          respondentId: submission.respondentId,
          locale: submission.locale,
          url: submission.url,
          metadata: submission.metadata,
          // Present is consent; an identified visitor's comes without an address.
          contact: submission.contact && { email: submission.contact.email ?? null },
          path: pathOf(submission.url),
          device: deviceOf(c.req.header('user-agent')),
          receivedAt: clock.now(),
          // The widget says so; anything else posting here is a client of the API.
          source: submission.source ?? 'api',
        })
        return json({ id: submission.id, category: result.category }, result.created ? 201 : 200, headers)
      } catch (error) {
        if (error instanceof UnknownSurveyError) throw surveyNotFound(survey.id)
        throw error
      }
    }),
  )

  handle(
    app,
    createRoute({
      method: 'post',
      path: '/surveys/{id}/events',
      tags,
      summary: 'The card was shown or dismissed (the denominators of the response rate)',
      request: {
        params,
        body: jsonBody(app, 'EventSubmission', eventSubmissionSchema, { text: true }),
      },
      responses: {
        202: jsonAnswer(z.object({ accepted: z.literal(true) }), 'accepted'),
        ...errors(400, 403, 404, 413, 415, 429),
      },
    }),
    route(async (c, survey, headers) => {
      const event = await readJson(c.req.raw, compiledEventSubmissionSchema, {
        limit: config.publicBodyLimit,
        acceptText: true,
        incoming: incomingOf(c),
      })
      try {
        await backend.writeEvent(survey.id, event, clock.now())
      } catch (error) {
        if (error instanceof UnknownSurveyError) throw surveyNotFound(survey.id)
        throw error
      }
      return json({ accepted: true }, 202, headers)
    }),
  )

  return app
}
