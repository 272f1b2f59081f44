/**
 * Datasets for the analytics contract: the whole collector app over a backend of the engine under test,
 * with a fixed clock and an admin key, and writers that go through the backend contract (imports keep
 * each answer's time; events are written one by one as the widget's are), so each test knows exactly
 * what the backend holds. Reads go through the HTTP API, as a product team's would.
 */
import { randomBytes } from 'node:crypto'
import {
  type Backend,
  createApp,
  defaultConfig,
  type ResponseSource,
  type StoredResponse,
} from '@npskit/collector'
import { defaultSurveySettings, type SurveySettings } from '@npskit/shared'
import type { Engine } from './engines.ts'

export interface Answer {
  at: string | number
  score: number
  comment?: string
  respondent?: string
  locale?: string
  path?: string
  device?: 'desktop' | 'mobile' | 'tablet'
  metadata?: Record<string, string | number | boolean>
  /** Where it came from: the widget unless said (an import without one stores `import`). */
  source?: ResponseSource | null
}

const toMs = (at: string | number) => (typeof at === 'number' ? at : Date.parse(at))

/** A fresh backend of the engine, the app over it with the clock at `now`, and writers. */
export async function analyticsFixture(engine: Engine, now = '2026-06-15T12:00:00Z') {
  const backend: Backend = await engine.open()
  const key = `npk_${randomBytes(24).toString('base64url')}`
  await backend.addApiKey({ name: 'analytics tests', secret: key }, Date.parse(now))
  const app = createApp({
    backend,
    config: defaultConfig({ rateLimit: 0 }),
    clock: { now: () => Date.parse(now) },
  })
  let surveys = 0
  let answers = 0

  return {
    backend,
    /** A new survey with default settings changed by `settings`; answers its id. */
    async survey(settings: Partial<SurveySettings> = {}): Promise<string> {
      const full = { ...defaultSurveySettings(`Survey ${++surveys}`), ...settings }
      return (await backend.createSurvey(full, Date.parse('2026-01-01T00:00:00Z'))).id
    },
    async answer(surveyId: string, ...list: Answer[]): Promise<void> {
      const rows = list.map(
        (a): StoredResponse => ({
          id: `00000000-0000-4000-8000-${String(++answers).padStart(12, '0')}`,
          createdAt: toMs(a.at),
          score: a.score,
          comment: a.comment ?? null,
          respondentId: a.respondent ?? null,
          locale: a.locale ?? null,
          url: null,
          path: a.path ?? null,
          device: a.device ?? null,
          metadata: a.metadata ?? null,
          contact: null,
          // The fixture's answers stand for the widget's, which the response rate counts.
          source: a.source === undefined ? 'widget' : a.source,
        }),
      )
      // As the routes do: every key written is admitted first (the registry reads check keys against).
      const keys = new Set(list.flatMap((a) => Object.keys(a.metadata ?? {})))
      if (keys.size > 0) await backend.admitMetadataKeys(surveyId, [...keys])
      await backend.importResponses(surveyId, rows, 0)
    },
    /** `count` answers of one score at one time (with shared fields). */
    async answers(surveyId: string, count: number, answer: Answer): Promise<void> {
      await this.answer(surveyId, ...Array.from({ length: count }, () => answer))
    },
    async event(
      surveyId: string,
      type: 'shown' | 'dismissed',
      at: string | number,
      count = 1,
    ): Promise<void> {
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          backend.writeEvent(surveyId, { type, respondentId: `visitor-${i}` }, toMs(at)),
        ),
      )
    },
    /** GET /v1<path> with the admin key. */
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field against expected values
    async get(path: string): Promise<{ status: number; body: any; text: string }> {
      const res = await app.request(`/v1${path}`, { headers: { authorization: `Bearer ${key}` } })
      const text = await res.text()
      return { status: res.status, body: JSON.parse(text), text }
    },
    async close(): Promise<void> {
      await backend.close()
    },
  }
}

export type AnalyticsFixture = Awaited<ReturnType<typeof analyticsFixture>>

/**
 * The published adjusted-Wald recipe, written out independently of `@npskit/shared` so the tests check
 * the implementation against the formula rather than against itself.
 */
export function expectedInterval(promoters: number, passives: number, detractors: number) {
  const n = promoters + passives + detractors + 3
  const p = (promoters + 0.75) / n
  const d = (detractors + 0.75) / n
  const s = p - d
  const variance = p + d - s * s
  const half = 1.96 * Math.sqrt(variance / n)
  return {
    ci95: [Math.max(-100, 100 * (s - half)), Math.min(100, 100 * (s + half))] as const,
    n,
    s,
    variance,
  }
}
