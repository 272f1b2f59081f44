/**
 * A SQLite backend on a temp file for this engine's own tests, with shorthands that write answers and
 * events through the contract (imports and events, as the routes would), and the engine's analytics
 * with and without the hourly rollups, so a test can hold one against the other.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultSurveySettings } from '@npskit/shared'
import type { Device, StoredResponse } from '../backend.ts'
import { SqliteAnalytics } from './analytics.ts'
import { SqliteBackend } from './sqlite-backend.ts'

export interface Answer {
  at: string | number
  score: number
  comment?: string
  respondent?: string
  locale?: string
  path?: string
  device?: Device
  metadata?: Record<string, string | number | boolean>
}

const toMs = (at: string | number) => (typeof at === 'number' ? at : Date.parse(at))

export async function sqliteFixture() {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-sqlite-'))
  const backend = new SqliteBackend(join(dir, 'npskit.db'))
  let answers = 0
  return {
    backend,
    db: backend.db,
    analytics: new SqliteAnalytics(backend.db),
    /** The same reads counting every answer and event itself, never the rollups. */
    raw: new SqliteAnalytics(backend.db, { rollups: false }),
    async survey(): Promise<string> {
      return (await backend.createSurvey(defaultSurveySettings('Test'), 0)).id
    },
    /** Imports answers with ids in order, so a test can refer to the nth one (`answerId(n)`). */
    async answer(surveyId: string, ...list: Answer[]): Promise<void> {
      const rows = list.map(
        (a): StoredResponse => ({
          id: answerId(++answers),
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
          // The analytics fixture's answers stand for the widget's, which the response rate counts.
          source: 'widget',
        }),
      )
      await backend.importResponses(surveyId, rows, 0)
    },
    async event(surveyId: string, type: 'shown' | 'dismissed', at: string | number, respondentId: string) {
      await backend.writeEvent(surveyId, { type, respondentId }, toMs(at))
    },
    async close(): Promise<void> {
      await backend.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export type SqliteFixture = Awaited<ReturnType<typeof sqliteFixture>>

export const answerId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
