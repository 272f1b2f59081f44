/**
 * The one error shape of the API: `{ "error": { "code", "message", "issues"? } }`. Handlers throw an
 * `ApiError`; the app's error handler writes it. Anything else becomes a 500 that logs, never leaks.
 */
import type { Context } from 'hono'
import type { z } from 'zod'
import { BackendUnavailableError } from '../backend/backend.ts'
import { loggerOf } from './log.ts'

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503

export interface Issue {
  path: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly issues?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
      },
    }
  }
}

/** zod's issues as `{ path: "metadata.plan", message }`, readable without knowing zod. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
}

/** A 400 `invalid_body` whose message names the first problem and whose issues list them all. */
export function invalidBody(error: z.ZodError, code = 'invalid_body'): ApiError {
  const issues = issuesOf(error)
  const first = issues[0]
  const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid body'
  return new ApiError(400, code, message, issues)
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`)

/**
 * The one answer for a survey that does not exist, on every route (public, admin, analytics): 404
 * `not_found`, `survey <id> not found`. An id longer than any survey's is cut, so the answer stays small.
 */
export const surveyNotFound = (id: string) =>
  new ApiError(404, 'not_found', `survey ${id.length > 128 ? `${id.slice(0, 128)}…` : id} not found`)

/** The answer to a request for a route that does not exist. */
export const notFoundRoute = (c: Context) =>
  c.json(new ApiError(404, 'not_found', 'no such route').toJSON(), 404)

/** The app's error handler: an ApiError as it says, a lost database as 503, anything else as a 500 that logs. */
export function answerError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value)
    return c.json(error.toJSON(), error.status)
  }
  if (error instanceof BackendUnavailableError) {
    // A networked database went away for a moment: say so, and when to try again.
    loggerOf(c).error(error.message, { requestId: c.get('requestId') })
    c.header('Retry-After', '1')
    return c.json(
      new ApiError(503, 'unavailable', 'the database is unavailable; retry shortly').toJSON(),
      503,
    )
  }
  loggerOf(c).error('unhandled error', { requestId: c.get('requestId'), error: error.stack ?? String(error) })
  return c.json(new ApiError(500, 'internal', 'something went wrong on our side').toJSON(), 500)
}
