/**
 * Reading request bodies ourselves: with a byte cap enforced while streaming (a missing or lying
 * Content-Length cannot get past it), the media type checked first, and JSON parsed and validated with
 * zod. Public POSTs also accept `text/plain`, which `sendBeacon` and preflight-free `fetch` send.
 */
import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { ApiError, invalidBody } from './errors.ts'

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

export function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'body_too_large', `the body is larger than ${limit} bytes`)
}

/**
 * The body as UTF-8 text, refusing more than `limit` bytes with 413. `incoming` is the Node request
 * behind it, when the server is @hono/node-server (`c.env.incoming`): read from the Node stream, the
 * bytes are decoded where they arrived, while the Web Request's arrayBuffer() first copies them into a
 * new ArrayBuffer, which on the hot POST cost more than decoding them.
 */
export async function readText(request: Request, limit: number, incoming?: IncomingMessage): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit)
  if (incoming && !incoming.readableDidRead) return decodeUtf8(await readIncoming(incoming, limit))
  if (Number.isFinite(declared)) {
    // The HTTP parser frames the body by Content-Length, so it cannot exceed what was declared; reading
    // it whole skips building a web stream, which costs more than the rest of the request.
    return decodeUtf8(new Uint8Array(await request.arrayBuffer()))
  }
  if (!request.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  return decodeUtf8(Buffer.concat(chunks))
}

/** A Node request's whole body, refusing more than `limit` bytes (a chunked body has no length). */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else {
        // The rest stays unread; the server drops it with the connection once it has answered.
        settle()
        incoming.pause()
        reject(tooLarge(limit))
      }
    }
    const onEnd = () => {
      settle()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      settle()
      reject(error)
    }
    const onClose = () => {
      settle()
      reject(new Error('the client closed the connection before the body ended'))
    }
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose)
  })
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new ApiError(400, 'invalid_encoding', 'the body must be UTF-8 text')
  }
}

export interface JsonBodyOptions {
  limit: number
  /** Accept `text/plain` too (public routes). */
  acceptText?: boolean
  /** The Node request behind `request`, on @hono/node-server (see readText). */
  incoming?: IncomingMessage | undefined
}

/**
 * JSON.parse that refuses a `__proto__` key (400 naming it): copied into a plain object it would
 * silently set the prototype instead of a field, so a value would vanish (or worse) between validation
 * and storage. The key is checked as parsed, so an escaped spelling (`\u005f_proto__`) is refused too;
 * text with neither the plain spelling nor any `\u` escape cannot hold one, and skips the reviver.
 */
export function parseJson(text: string): unknown {
  if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text)
  return JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') throw protoKey()
    return value
  })
}

const protoKey = () => new ApiError(400, 'invalid_body', 'the key __proto__ is not allowed')

/** Checks the media type (415), reads within the cap (413), parses (400 invalid_json), validates (400). */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  options: JsonBodyOptions,
): Promise<z.output<T>> {
  const type = mediaTypeOf(request)
  if (type !== 'application/json' && !(options.acceptText && type === 'text/plain')) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      options.acceptText
        ? 'send the body as application/json or text/plain'
        : 'send the body as application/json',
    )
  }
  const text = await readText(request, options.limit, options.incoming)
  let value: unknown
  try {
    value = parseJson(text)
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw invalidBody(parsed.error)
  return parsed.data
}
