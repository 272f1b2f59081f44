/**
 * Dashboard sessions: a person signs in with a key (POST /v1/sessions) and the browser holds an
 * `HttpOnly`, `SameSite=Strict` cookie with a random token; the server keeps only the token's hash,
 * the key it came from and an expiry (NPSKIT_SESSION_HOURS). No key or token is ever readable by the
 * page's scripts. Signing out ends the session on the server, and revoking the key ends all of its
 * sessions. The admin middleware (http/auth.ts) accepts the cookie as it accepts a Bearer key.
 *
 * @example
 * app.route('/v1', signIn)   // before the admin surface: signing in needs no key header
 * admin.route('/', current)  // behind it: who is signed in, and sign-out
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { generateSecret } from '../backend/secrets.ts'
import type { AppDeps } from '../deps.ts'
import { type AdminAuth, type AdminEnv, isHttps, isOwnOrigin, SESSION_COOKIE } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import { ApiError } from '../http/errors.ts'
import { errors, handle, json, jsonBody, openApp } from '../http/openapi.ts'
import { keyScopeSchema } from './keys.ts'

export const sessionCreateSchema = z.strictObject({ key: z.string().min(1).max(1000) })

const sessionSchema = z
  .object({
    keyName: z.string(),
    scope: keyScopeSchema,
    expiresAt: z.string().openapi({ description: 'when the session ends by itself (ISO 8601)' }),
  })
  .openapi('Session', { description: 'who is signed in, with which scope, until when' })

const tags = ['sessions']
const security: Record<string, string[]>[] = [{ session: ['read'] }]

export function sessionRoutes({ backend, config, clock }: AppDeps, auth: AdminAuth) {
  const proxy = { trustProxy: config.trustProxy, publicUrl: config.publicUrl }
  const cookieOptions = (c: Context) =>
    ({ httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c, proxy) }) as const

  const signIn = openApp()
  const signInRoute = createRoute({
    method: 'post',
    path: '/sessions',
    tags,
    summary: 'Sign in to the dashboard with a key: sets the npskit_session cookie',
    description:
      'The cookie is `HttpOnly; SameSite=Strict; Path=/` (and `Secure` over https) and lasts NPSKIT_SESSION_HOURS. Wrong keys spend the same per-address allowance as a wrong Bearer key.',
    request: { body: jsonBody(signIn, 'SessionCreate', sessionCreateSchema) },
    responses: {
      201: {
        ...json(sessionSchema, 'signed in'),
        headers: {
          'Set-Cookie': {
            description: 'npskit_session=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=…',
            schema: { type: 'string' },
          },
        },
      },
      ...errors(400, 401, 403, 413, 415, 429),
    },
  })
  handle(signIn, signInRoute, async (c) => {
    // A page elsewhere must not sign a browser in with a key of its choosing.
    const origin = c.req.header('origin')
    if (origin !== undefined && !isOwnOrigin(c, origin, proxy)) {
      throw new ApiError(
        403,
        'forbidden',
        `signing in must come from the collector's own pages, not ${origin}`,
      )
    }
    const { key: secret } = await readJson(c.req.raw, sessionCreateSchema, { limit: config.adminBodyLimit })
    const key = await auth.checkKey(c, secret)
    const now = clock.now()
    const seconds = config.sessionHours * 3600
    const token = generateSecret('nps')
    const session = await backend.createSession(
      { token, keyId: key.id, expiresAt: now + seconds * 1000 },
      now,
    )
    if (!session) throw new ApiError(401, 'unauthorized', 'this key was revoked just now')
    setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: seconds })
    return c.json(
      { keyName: key.name, scope: key.scope, expiresAt: new Date(session.expiresAt).toISOString() },
      201,
    )
  })

  const current = openApp<AdminEnv>()
  const signedIn = (c: Context<AdminEnv>) => {
    const session = c.get('session')
    if (!session) {
      throw new ApiError(
        401,
        'unauthorized',
        'not signed in: no npskit_session cookie (a Bearer key is no session)',
      )
    }
    return session
  }

  const currentRoute = createRoute({
    method: 'get',
    path: '/sessions/current',
    tags,
    security,
    summary: 'Who is signed in: the key name, its scope and when the session ends',
    responses: { 200: json(sessionSchema, 'signed in'), ...errors(400, 401) },
  })
  handle(current, currentRoute, (c) => {
    const session = signedIn(c)
    const key = c.get('apiKey')
    return c.json({
      keyName: key.name,
      scope: key.scope,
      expiresAt: new Date(session.expiresAt).toISOString(),
    })
  })

  const signOutRoute = createRoute({
    method: 'delete',
    path: '/sessions/current',
    tags,
    security,
    summary: 'Sign out: ends the session on the server and clears the cookie',
    responses: { 204: { description: 'signed out' }, ...errors(401, 403) },
  })
  handle(current, signOutRoute, async (c) => {
    await backend.endSession(signedIn(c).token)
    deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
    return c.body(null, 204)
  })

  return { signIn, current }
}
