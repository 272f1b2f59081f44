/**
 * The dashboard's only way to the collector: the public HTTP API, the same routes a script calls, typed
 * by schema.d.ts (generated from `/openapi.json`; see ../generate-api.ts). The session cookie goes with
 * every request; a 401 means the session ended, so the app goes back to sign-in.
 *
 * @example
 * const summary = await read(api.GET('/v1/surveys/{id}/nps', { params: { path: { id }, query } }))
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './schema'

export type Schemas = components['schemas']
/**
 * A schema as openapi-fetch hands it in a response: its `Readable` turns every tuple into an array
 * (`[string, string][]` → `string[][]`), as for `Survey` below; the webhook endpoints' filters hold such tuples.
 */
type AsRead<T> = T extends (infer E)[] ? AsRead<E>[] : T extends object ? { [K in keyof T]: AsRead<T[K]> } : T
export type Summary = Schemas['Summary']
export type Session = Schemas['Session']
export type ApiKey = Schemas['ApiKey']
export type Trend = Schemas['Trend']
export type Breakdown = Schemas['Breakdown']
export type Comparison = Schemas['Comparison']
export type Themes = Schemas['Themes']
export type TargetStatus = Schemas['TargetStatus']
export type BenchmarkStanding = Schemas['BenchmarkStanding']
export type StoredResponse = Schemas['StoredResponse']
export type ErrorBody = Schemas['Error']
export type Case = Schemas['Case']
/**
 * A case with its answer and log. The generated type of `response` (a nullable reference) comes out as
 * `StoredResponse & (Record<string, never> | null)`, which nothing satisfies; this is what the route answers.
 */
export type CaseWithLog = Omit<Schemas['CaseWithLog'], 'response'> & { response: StoredResponse | null }
export type CaseLogEntry = Schemas['CaseLogEntry']
export type WebhookEndpoint = AsRead<Schemas['WebhookEndpoint']>
export type WebhookEndpointCreated = AsRead<Schemas['WebhookEndpointCreated']>
export type WebhookDelivery = Schemas['WebhookDelivery']
export type WebhookDeliveryDetail = Schemas['WebhookDeliveryDetail']
export type CaseFigures =
  paths['/v1/surveys/{id}/cases/figures']['get']['responses'][200]['content']['application/json']

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })

/**
 * A survey as the client hands it over: openapi-fetch's answer types turn the document's tuples
 * (`[key, value]` segments) into arrays, so the schema's own type would not match what a read returns.
 */
/** One survey. */
export const readSurvey = (id: string) => read(api.GET('/v1/surveys/{id}', { params: { path: { id } } }))
export type Survey = Awaited<ReturnType<typeof readSurvey>>

/** A request the API refused (or that never reached it), with the API's own code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The issues of a 400: `path` names the field (`theme.accent`), so a form shows the message beside it. */
    readonly issues: { path?: string; message: string }[] = [],
  ) {
    super(message)
  }
}

let onSignedOut = () => {}

/** What to do when a request answers 401 (the app shows sign-in). */
export function whenSignedOut(handler: () => void) {
  onSignedOut = handler
}

/** The answer's data, or an ApiFailure carrying the API's error message. */
export async function read<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof request>
  try {
    result = await request
  } catch {
    throw new ApiFailure(0, 'network', 'the collector did not answer: check that it is running')
  }
  const { data, error, response } = result
  if (response.ok) return data as T
  const body = (error ?? {}) as Partial<ErrorBody>
  const failure = new ApiFailure(
    response.status,
    body.error?.code ?? 'http_error',
    body.error?.message ?? `${response.status} ${response.statusText}`,
    (body.error?.issues ?? []) as ApiFailure['issues'],
  )
  if (response.status === 401) onSignedOut()
  throw failure
}
