/**
 * Survey links: the card full-page at `/s/:surveyId`, for an email, a QR code or a signature, without
 * the script tag. Three parts:
 *
 * - `GET /s/{id}` (public): the page, in the survey's texts, theme and locale (`?locale=`, the link's,
 *   else Accept-Language). `?t=` a personal link's token; `?score=` a score chosen in the email, shown
 *   chosen and recorded only when the visitor confirms it on the page: a mail scanner's GET records
 *   nothing. A strict CSP: it loads only the collector's own files (nps-page.js, nps-card.js).
 * - `POST /v1/surveys/{id}/link-responses` (public): the page's answers. Only from the collector's own
 *   origin (the page's), whatever the survey's allowed origins, which stay as they are. The answer is
 *   stored with source `link`, decided here and never by the client; with a token its respondentId,
 *   metadata and id come from the token, so one link is one answer and a second visit edits it.
 * - `POST /v1/surveys/{id}/links` and `GET /v1/surveys/{id}/links/email` (admin): make a personal link;
 *   the email snippet of the 0–10 row.
 *
 * @example
 * app.route('/v1', linkPublicRoutes(deps)); admin.route('/', linkAdminRoutes(deps)); app.route('/', linkPages(deps))
 */
import { randomBytes } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import {
  commentSchema,
  contactSubmissionSchema,
  isSurveyId,
  type LinkPageTexts,
  linkPageTexts,
  localeSchema,
  metadataSchema,
  resolveLocale,
  respondentIdSchema,
  scoreSchema,
} from '@npskit/shared'
import type { Context } from 'hono'
import { type MetadataValue, type Survey, UnknownSurveyError } from '../backend/backend.ts'
import type { AppDeps } from '../deps.ts'
import { type AdminEnv, isOwnOrigin, ownBaseUrl } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { clientAddress, deviceOf, incomingOf } from '../http/client.ts'
import { ApiError, surveyNotFound } from '../http/errors.ts'
import { admitMetadata } from '../http/metadata.ts'
import { adminSecurity, errors, handle, idParam, json, jsonBody, openApp } from '../http/openapi.ts'
import { querySchema } from '../http/query.ts'
import { RateLimiter } from '../http/rate-limit.ts'
import { widgetConfigOf } from '../routes/public.ts'
import { surveyOf } from '../routes/surveys.ts'
import { emailSnippet, type LinkPageData, linkPage, problemPage } from './html.ts'
import { type LinkCheck, linkNonce, MAX_TOKEN_LENGTH, signLink, verifyLink } from './token.ts'

const params = z.object({ id: idParam('the survey id', 'srv_3kT9wQ2mZx') })

const DAY = 86_400_000
/** A link lives 30 days unless it says otherwise, a year at most. */
export const LINK_DEFAULT_DAYS = 30
export const LINK_MAX_DAYS = 366

export const linkCreateSchema = z.strictObject({
  respondentId: respondentIdSchema.optional().openapi({ description: 'who answers through this link' }),
  metadata: metadataSchema.optional().openapi({
    description: 'carried by the answer, as the widget’s identify traits (e.g. accountId)',
  }),
  locale: localeSchema
    .optional()
    .openapi({ description: 'the page’s language, unless `?locale=` says otherwise' }),
  expiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({
      description: `when the link stops taking answers; default ${LINK_DEFAULT_DAYS} days, at most ${LINK_MAX_DAYS}`,
    }),
})

export const linkSchema = z
  .object({
    url: z.string().openapi({ description: 'the page; add `&score=N` for a score chosen in advance' }),
    token: z.string(),
    expiresAt: z.string(),
    responseId: z.string().openapi({ description: 'the id of the one answer this link makes (and edits)' }),
  })
  .openapi('SurveyLink', { description: 'a personal survey link' })

export const linkAnswerSchema = z.strictObject({
  token: z.string().max(MAX_TOKEN_LENGTH).optional().openapi({ description: 'the personal link’s token' }),
  id: z
    .uuid('id must be a UUID')
    .optional()
    .openapi({ description: 'the answer id, on an open link (no token)' }),
  score: scoreSchema,
  comment: commentSchema.optional(),
  locale: localeSchema.optional(),
  contact: contactSubmissionSchema.optional(),
})

/** What each refusal of a token answers, and which of the link pages' texts says so. */
const REFUSALS: Record<Exclude<LinkCheck, { ok: true }>['reason'], [403 | 410, 'expired' | 'invalid']> = {
  expired: [410, 'expired'],
  tampered: [403, 'invalid'],
  malformed: [403, 'invalid'],
  other_survey: [403, 'invalid'],
}

/**
 * The page that says why there is no card, in the language the card would have spoken: `?locale=`, the
 * link's own (only from a token this collector signed), the visitor's Accept-Language, the survey's
 * default language (English where no survey is known).
 */
function refusalPage(
  c: Context,
  nonce: string,
  kind: 'expired' | 'invalid' | 'notFound' | 'wait',
  {
    linkLocale,
    fallback = 'en',
    seconds = 0,
  }: { linkLocale?: string; fallback?: string; seconds?: number } = {},
): string {
  const wanted = c.req.query('locale') || linkLocale || c.req.header('accept-language')
  const locale = resolveLocale(wanted?.slice(0, 200), fallback)
  const texts = linkPageTexts[locale] ?? (linkPageTexts.en as LinkPageTexts)
  return problemPage(
    texts[`${kind}Title`],
    texts[`${kind}Text`].replace('{seconds}', String(seconds)),
    nonce,
    locale,
  )
}

const pageHeaders = (c: Context, nonce: string) => {
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'self'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  )
  // The token is in the URL: never in a cache, a Referer or a search index.
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'no-referrer')
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('X-Robots-Tag', 'noindex')
}

/** The scores `?score=` may name; anything else chooses none (a mangled link still opens the page). */
const chosenScore = (raw: string | undefined) => (raw && /^(10|[0-9])$/.test(raw) ? Number(raw) : undefined)

/** One allowance per client for the page and its answers together (NPSKIT_RATE_LIMIT a minute). */
const limiters = new WeakMap<AppDeps['config'], RateLimiter>()
function limiterOf({ config, clock }: AppDeps): RateLimiter {
  let limiter = limiters.get(config)
  if (!limiter) {
    limiter = new RateLimiter(config.rateLimit, () => clock.now())
    limiters.set(config, limiter)
  }
  return limiter
}

/** A link's token checked, now, against the collector's signing secret (made on first use). */
async function checkLink(
  backend: AppDeps['backend'],
  clock: AppDeps['clock'],
  surveyId: string,
  token: string,
): Promise<ReturnType<typeof verifyLink>> {
  const now = clock.now()
  return verifyLink(await backend.signingSecret('links', now), surveyId, token, now)
}

export function linkPages(deps: AppDeps) {
  const { backend, config, clock } = deps
  const limiter = limiterOf(deps)
  const app = openApp()
  handle(
    app,
    {
      ...createRoute({
        method: 'get',
        path: '/s/{id}',
        tags: ['links'],
        summary: 'The survey link page: the card full-page (`?t=` token, `?score=` chosen, `?locale=`)',
        description:
          'HTML. Takes `t` (a personal link’s token), `score` (0–10, shown chosen; recorded only when the visitor confirms it) and `locale`; other parameters (a mail tool’s tracking) are ignored. An unknown survey answers 404, an expired link 410, a changed one 403, each as a readable page.',
        request: { params },
        responses: {
          200: { description: 'the page', content: { 'text/html': { schema: z.string() } } },
          403: {
            description: 'a link that is not valid (a page)',
            content: { 'text/html': { schema: z.string() } },
          },
          404: { description: 'no such survey (a page)', content: { 'text/html': { schema: z.string() } } },
          410: { description: 'an expired link (a page)', content: { 'text/html': { schema: z.string() } } },
          429: {
            description: 'too many requests from this client (a page; see Retry-After)',
            content: { 'text/html': { schema: z.string() } },
          },
        },
      }),
      'x-query': 'ignored' as const,
    },
    async (c) => {
      const nonce = randomBytes(16).toString('base64')
      pageHeaders(c, nonce)
      const wait = limiter.take(clientAddress(c, config.trustProxy))
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        return c.html(refusalPage(c, nonce, 'wait', { seconds: wait }), 429)
      }
      const id = c.req.param('id')
      const survey = isSurveyId(id) ? await backend.getSurvey(id) : undefined
      if (!survey) return c.html(refusalPage(c, nonce, 'notFound'), 404)
      const token = c.req.query('t')
      let locale = c.req.query('locale')
      if (token) {
        const checked = await checkLink(backend, clock, survey.id, token)
        if (!checked.ok) {
          const [status, kind] = REFUSALS[checked.reason]
          const linkLocale = checked.reason === 'expired' ? checked.claims.l : undefined
          return c.html(
            refusalPage(c, nonce, kind, { linkLocale, fallback: survey.settings.defaultLocale }),
            status,
          )
        }
        locale ||= checked.claims.l
      }
      const data: LinkPageData = {
        config: widgetConfigOf(survey, locale || c.req.header('accept-language')),
        identified: Boolean(token),
      }
      if (token) data.token = token
      const score = chosenScore(c.req.query('score'))
      if (score === undefined) return c.html(linkPage(data, nonce))
      data.score = score
      // Chosen in the email is not sent: say so, or a person who sees their score lit closes the tab.
      const texts = linkPageTexts[data.config.locale] ?? (linkPageTexts.en as LinkPageTexts)
      return c.html(linkPage(data, nonce, texts.confirmScore.replace('{score}', String(score))))
    },
  )
  return app
}

export function linkPublicRoutes(deps: AppDeps) {
  const { backend, config, clock } = deps
  const limiter = limiterOf(deps)
  const app = openApp()
  handle(
    app,
    createRoute({
      method: 'post',
      path: '/surveys/{id}/link-responses',
      tags: ['public'],
      summary: 'An answer from the survey link page (source `link`); with a token, its one answer',
      description:
        'Only from the collector’s own origin (the link page’s). With `token` the answer’s id, respondentId and metadata come from the token, so a second visit edits the same answer; without one (the open link) `id` is required. 403 `link_invalid` or `link_expired` for a token that cannot answer.',
      request: { params, body: jsonBody(app, 'LinkAnswer', linkAnswerSchema, { text: true }) },
      responses: {
        201: json(z.object({ category: z.enum(['promoter', 'passive', 'detractor']) }), 'stored, first time'),
        200: json(
          z.object({ category: z.enum(['promoter', 'passive', 'detractor']) }),
          'merged into the link’s answer',
        ),
        ...errors(400, 403, 404, 413, 415, 429),
      },
    }),
    async (c) => {
      const wait = limiter.take(clientAddress(c, config.trustProxy))
      if (wait > 0) {
        throw new ApiError(429, 'rate_limited', `too many requests; retry in ${wait} s`, undefined, {
          'Retry-After': String(wait),
        })
      }
      const survey: Survey = await surveyOf(backend, c.req.param('id'))
      // The page is the collector's own: its origin, and only it, may send here. The survey's allowed
      // origins are for the widget on other sites and stay untouched.
      const origin = c.req.header('origin')
      if (!isOwnOrigin(c, origin, config)) {
        throw origin
          ? new ApiError(
              403,
              'origin_not_allowed',
              `link answers come from the collector's own page, not ${origin}`,
            )
          : new ApiError(
              403,
              'origin_required',
              'link answers come from the collector’s own page: Origin is missing',
            )
      }
      const answer = await readJson(c.req.raw, linkAnswerSchema, {
        limit: config.publicBodyLimit,
        acceptText: true,
        incoming: incomingOf(c),
      })
      let id = answer.id
      let respondentId: string | undefined
      let metadata: Record<string, MetadataValue> | undefined
      if (answer.token) {
        const checked = await checkLink(backend, clock, survey.id, answer.token)
        if (!checked.ok) {
          throw checked.reason === 'expired'
            ? new ApiError(403, 'link_expired', 'this link has expired')
            : new ApiError(403, 'link_invalid', 'this link is not valid for this survey')
        }
        id = checked.responseId
        respondentId = checked.claims.r
        metadata = checked.claims.m
      }
      if (!id) throw new ApiError(400, 'invalid_body', 'an answer without a token needs an id (a UUID)')
      try {
        if (metadata) {
          const admitted = admitMetadata(backend, survey, Object.keys(metadata))
          if (admitted) await admitted
        }
        const result = await backend.writeResponse(survey.id, {
          id,
          score: answer.score,
          comment: answer.comment,
          respondentId,
          locale: answer.locale,
          metadata,
          contact: answer.contact && { email: respondentId ? null : (answer.contact.email ?? null) },
          path: null,
          device: deviceOf(c.req.header('user-agent')),
          receivedAt: clock.now(),
          source: 'link',
        })
        return c.json({ category: result.category }, result.created ? 201 : 200)
      } catch (error) {
        if (error instanceof UnknownSurveyError) throw surveyNotFound(survey.id)
        throw error
      }
    },
  )
  return app
}

export function linkAdminRoutes({ backend, config, clock }: AppDeps) {
  const app = openApp<AdminEnv>()
  const tags = ['links']

  handle(
    app,
    createRoute({
      method: 'post',
      path: '/surveys/{id}/links',
      tags,
      security: adminSecurity,
      summary: 'Make a personal survey link (respondent, metadata, expiry) signed by the collector',
      request: { params, body: jsonBody(app, 'SurveyLinkCreate', linkCreateSchema) },
      responses: { 201: json(linkSchema, 'the link'), ...errors(400, 401, 404, 413, 415) },
    }),
    async (c) => {
      const survey = await surveyOf(backend, c.req.param('id'))
      const body = await readJson(c.req.raw, linkCreateSchema, { limit: config.adminBodyLimit })
      const now = clock.now()
      const expiresAt = body.expiresAt ? Date.parse(body.expiresAt) : now + LINK_DEFAULT_DAYS * DAY
      if (expiresAt <= now || expiresAt > now + LINK_MAX_DAYS * DAY) {
        throw new ApiError(
          400,
          'invalid_body',
          `expiresAt must be in the future, at most ${LINK_MAX_DAYS} days ahead`,
          [{ path: 'expiresAt', message: `must be in the future, at most ${LINK_MAX_DAYS} days ahead` }],
        )
      }
      // Refused now rather than on the visitor's answer, which could not be fixed then.
      if (body.metadata) {
        const admitted = admitMetadata(backend, survey, Object.keys(body.metadata))
        if (admitted) await admitted
      }
      const secret = await backend.signingSecret('links', now)
      const token = signLink(secret, {
        s: survey.id,
        ...(body.respondentId ? { r: body.respondentId } : {}),
        ...(body.metadata ? { m: body.metadata } : {}),
        ...(body.locale ? { l: body.locale } : {}),
        e: Math.ceil(expiresAt / 1000),
        n: linkNonce(),
      })
      const checked = verifyLink(secret, survey.id, token, now)
      if (!checked.ok) throw new Error('a link just made does not verify')
      return c.json(
        {
          url: `${ownBaseUrl(c, config)}/s/${survey.id}?t=${token}`,
          token,
          expiresAt: new Date(checked.claims.e * 1000).toISOString(),
          responseId: checked.responseId,
        },
        201,
      )
    },
  )

  handle(
    app,
    createRoute({
      method: 'get',
      path: '/surveys/{id}/links/email',
      tags,
      security: adminSecurity,
      summary: 'The email snippet: the 0–10 row as email-safe HTML, each number a link to the page',
      description:
        'A table with inline styles only, for the body of an email. With `token` the numbers open that personal link; without, the survey’s open link. A number opens the page with that score chosen; nothing is recorded until the visitor confirms it there.',
      request: {
        params,
        query: querySchema({
          token: z
            .string()
            .max(MAX_TOKEN_LENGTH)
            .optional()
            .openapi({ description: 'a personal link’s token' }),
          locale: z.string().max(200).optional().openapi({
            description: 'the snippet’s language (else the link’s, else the survey’s)',
            example: 'de',
          }),
        }),
      },
      responses: {
        200: { description: 'the snippet', content: { 'text/html': { schema: z.string() } } },
        ...errors(400, 401, 404),
      },
    }),
    async (c) => {
      const survey = await surveyOf(backend, c.req.param('id'))
      const token = c.req.query('token')
      let locale = c.req.query('locale')
      if (token) {
        const checked = await checkLink(backend, clock, survey.id, token)
        if (!checked.ok) {
          throw new ApiError(
            400,
            'invalid_query',
            `token is not a valid link of this survey (${checked.reason.replace('_', ' ')})`,
            [{ path: 'token', message: checked.reason }],
          )
        }
        locale ||= checked.claims.l
      }
      const page = `${ownBaseUrl(c, config)}/s/${survey.id}?${token ? `t=${token}&` : ''}`
      const html = emailSnippet(widgetConfigOf(survey, locale), (n) => `${page}score=${n}`)
      c.header('Cache-Control', 'no-store')
      return c.html(html)
    },
  )
  return app
}
