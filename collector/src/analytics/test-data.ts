/**
 * Test datasets for analytics: a real SQLite file in a temp dir with the collector's migrations, and
 * surveys, answers and events written with plain SQL, so each test knows exactly what the database holds.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultSurveySettings, type SurveySettings } from '@npskit/shared'
import Database from 'better-sqlite3'
import { HourCounts } from '../store/hour-counts.ts'
import { migrate } from '../store/migrations.ts'
import { analyticsRoutes } from './routes.ts'
import { SqliteAnalytics } from './store.ts'

export interface Answer {
  at: string | number
  score: number
  comment?: string
  respondent?: string
  locale?: string
  path?: string
  device?: 'desktop' | 'mobile' | 'tablet'
  metadata?: Record<string, string | number | boolean>
}

const toMs = (at: string | number) => (typeof at === 'number' ? at : Date.parse(at))

/** A fresh database file with the newest schema, the analytics routes over it, and writers. */
export function analyticsFixture(now = '2026-06-15T12:00:00Z') {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-analytics-'))
  const db = new Database(join(dir, 'npskit.db'))
  db.pragma('journal_mode = WAL')
  migrate(db)
  const analytics = new SqliteAnalytics(db)
  let surveys = 0
  let answers = 0

  const insertSurvey = db.prepare(
    'INSERT INTO surveys (id, settings, created_at, updated_at) VALUES (?, ?, ?, ?)',
  )
  const insertAnswer = db.prepare(
    `INSERT INTO responses (survey_id, id, created_at, updated_at, score, comment, respondent_id, locale, url,
       path, device, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  )
  const insertEvent = db.prepare(
    'INSERT INTO events (survey_id, type, respondent_id, response_id, created_at) VALUES (?, ?, ?, NULL, ?)',
  )
  const selectSurvey = db.prepare('SELECT id, settings, created_at FROM surveys WHERE id = ?')
  // New answers are counted into the hourly rollup as the store counts them.
  const hours = new HourCounts(db)

  const app = analyticsRoutes({
    analytics,
    getSurvey: (id) => {
      const row = selectSurvey.get(id) as { id: string; settings: string; created_at: number } | undefined
      return (
        row && { id: row.id, settings: JSON.parse(row.settings) as SurveySettings, createdAt: row.created_at }
      )
    },
    clock: () => new Date(now),
  })

  return {
    db,
    analytics,
    app,
    /** A new survey with default settings changed by `settings`; answers its id. */
    survey(settings: Partial<SurveySettings> = {}): string {
      const id = `srv_test${++surveys}`
      const full = { ...defaultSurveySettings(`Survey ${surveys}`), ...settings }
      insertSurvey.run(id, JSON.stringify(full), Date.parse('2026-01-01T00:00:00Z'), 0)
      return id
    },
    answer(surveyId: string, ...list: Answer[]): void {
      db.transaction(() => {
        for (const a of list) {
          const at = toMs(a.at)
          insertAnswer.run(
            surveyId,
            `00000000-0000-4000-8000-${String(++answers).padStart(12, '0')}`,
            at,
            at,
            a.score,
            a.comment ?? null,
            a.respondent ?? null,
            a.locale ?? null,
            a.path ?? null,
            a.device ?? null,
            a.metadata ? JSON.stringify(a.metadata) : null,
          )
          hours.add(surveyId, at, a.score)
        }
        hours.flush()
      })()
    },
    /** `count` answers of one score at one time (with shared fields). */
    answers(surveyId: string, count: number, answer: Answer): void {
      this.answer(surveyId, ...Array.from({ length: count }, () => answer))
    },
    event(surveyId: string, type: 'shown' | 'dismissed', at: string | number, count = 1): void {
      db.transaction(() => {
        for (let i = 0; i < count; i++) insertEvent.run(surveyId, type, `visitor-${i}`, toMs(at))
      })()
    },
    // biome-ignore lint/suspicious/noExplicitAny: tests read answers field by field against expected values
    async get(path: string): Promise<{ status: number; body: any }> {
      const res = await app.request(path)
      return { status: res.status, body: await res.json() }
    },
    close(): void {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type AnalyticsFixture = ReturnType<typeof analyticsFixture>

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
