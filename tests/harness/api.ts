/**
 * The product team's side of a test: create surveys and read figures through the collector's admin API,
 * with the admin key, exactly as documented.
 */
import type { SurveyCreate } from '@npskit/shared'
import type { Collector } from './collector.ts'

export interface Summary {
  total: number
  promoters: number
  passives: number
  detractors: number
  distribution: number[]
  nps: number | null
  ci95: [number, number] | null
  dismissed?: number
  shown?: number
}

export interface StoredResponse {
  id: string
  score: number
  comment?: string | null
  respondentId?: string | null
  url?: string | null
  locale?: string | null
  [key: string]: unknown
}

/** A request with the admin key; the parsed JSON answer, or an error naming the status and body. */
export async function admin<T>(collector: Collector, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${collector.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${collector.adminKey}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status}: ${text}`)
  return JSON.parse(text) as T
}

/**
 * Creates a survey that shows at once (`delaySeconds: 0`) unless told otherwise.
 *
 * @example
 * const { id } = await createSurvey(collector, { allowedOrigins: [host.origin] })
 */
export async function createSurvey(
  collector: Collector,
  settings: Partial<SurveyCreate> = {},
): Promise<{ id: string; [key: string]: unknown }> {
  const body: SurveyCreate = {
    name: 'E2E survey',
    ...settings,
    display: { delaySeconds: 0, ...settings.display },
  }
  const survey = await admin<{ id: string }>(collector, '/v1/surveys', {
    method: 'POST',
    body: JSON.stringify(body),
  })
  return survey
}

/** GET /v1/surveys/:id/nps — the Summary a product team reads. */
export function readNps(collector: Collector, surveyId: string): Promise<Summary> {
  return admin<Summary>(collector, `/v1/surveys/${surveyId}/nps`)
}

/** Every stored response of a survey, as JSON. */
export async function readResponses(collector: Collector, surveyId: string): Promise<StoredResponse[]> {
  const page = await admin<{ items: StoredResponse[] }>(
    collector,
    `/v1/surveys/${surveyId}/responses?format=json&limit=1000`,
  )
  return page.items
}

/** Why a body is not the API's error shape `{ error: { code, message, issues? } }`, or undefined if it is. */
export function errorShapeProblem(text: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'the body is not JSON'
  }
  const error = (value as { error?: unknown } | null)?.error as Record<string, unknown> | undefined
  if (!error || typeof error !== 'object') return 'no "error" object'
  if (typeof error.code !== 'string' || error.code === '') return 'error.code is not a non-empty string'
  if (typeof error.message !== 'string' || error.message === '')
    return 'error.message is not a non-empty string'
  if (error.issues !== undefined && !Array.isArray(error.issues)) return 'error.issues is not a list'
  return undefined
}
