/**
 * The one error shape of the API: `{ "error": { "code", "message", "issues"? } }`. Handlers throw an
 * `ApiError`; the app's error handler writes it. Anything else becomes a 500 that logs, never leaks.
 */
import type { z } from 'zod'

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
