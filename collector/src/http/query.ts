/**
 * Query-string parsing for list and export routes: opaque cursors, page sizes and time ranges, each
 * refused with a 400 that says which parameter is wrong.
 */
import { categorySchema } from '@npskit/shared'
import type { Cursor, ResponseFilter } from '../backend/backend.ts'
import { ApiError } from './errors.ts'

export function encodeCursor(cursor: Cursor | null): string | null {
  return cursor && Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url')
}

export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (raw === undefined || raw === '') return undefined
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      !value[1].includes('\u0000')
    ) {
      return { createdAt: value[0], id: value[1] }
    }
  } catch {}
  throw new ApiError(400, 'invalid_query', 'cursor is not one this API gave out')
}

export function parseLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new ApiError(400, 'invalid_query', `limit must be an integer from 1 to ${max}`)
  }
  return n
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** An ISO 8601 date or date-time as ms; a date alone means its start in UTC. */
export function parseTime(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined
  const ms = ISO.test(raw) ? Date.parse(raw) : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new ApiError(400, 'invalid_query', `${name} must be an ISO 8601 date or date-time`)
  }
  return ms
}

/** `from`, `to` and `category` of a response listing. */
export function parseResponseFilter(query: (name: string) => string | undefined): ResponseFilter {
  const category = query('category')
  const parsedCategory = category ? categorySchema.safeParse(category) : undefined
  if (parsedCategory && !parsedCategory.success) {
    throw new ApiError(400, 'invalid_query', 'category must be promoter, passive or detractor')
  }
  return {
    from: parseTime('from', query('from')),
    to: parseTime('to', query('to')),
    category: parsedCategory?.data,
  }
}
