/**
 * Follow-up arrived with a migration (SQLite 14) on databases that already held surveys and answers:
 * the test builds a database at the schema before it (the earlier migrations' own SQL), stores answers
 * there as that schema did, then opens it with the backend. What was there is history: the survey's
 * dispatcher starts after it, the old answers carry no consent and open nothing, and a live answer
 * written afterwards is the first change the dispatcher reads.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteBackend } from '@npskit/collector'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { migrations } from '../../collector/src/backend/sqlite/migrations.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe('the follow-up migration', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it('starts the dispatcher of a SQLite file’s surveys after the answers already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npskit-migration-'))
    dirs.push(dir)
    const file = join(dir, 'npskit.db')
    const followUp = migrations.find((m) => m.name === 'follow-up: cases, webhooks, emails')
    if (!followUp) throw new Error('no follow-up migration')
    const old = new Database(file)
    const earlier = migrations.filter((m) => m.version < followUp.version)
    for (const migration of earlier) old.exec(migration.sql)
    old.pragma(`user_version = ${earlier.at(-1)!.version}`)
    old.prepare("INSERT INTO surveys VALUES ('srv_old', '{}', ?, ?)").run(T0, T0)
    const insert = old.prepare(
      "INSERT INTO responses (survey_id, id, created_at, updated_at, score, seq) VALUES ('srv_old', ?, ?, ?, 2, ?)",
    )
    for (const n of [1, 2, 3]) insert.run(`old-${n}`, T0 + n, T0 + n, n)
    old.prepare('UPDATE change_counter SET value = 3').run()
    old.close()

    const backend = new SqliteBackend(file)
    try {
      expect(await backend.followUpCursor('srv_old')).toBe(3)
      // Read from the very beginning, the answers from before are still not live ones.
      expect(await backend.followUpChanges('srv_old', 0, 10)).toEqual({ items: [], next: 0 })
      const page = await backend.listResponses('srv_old', {}, 10)
      expect(page.items.map((r) => [r.id, r.contact])).toEqual([
        ['old-1', null],
        ['old-2', null],
        ['old-3', null],
      ])
      // An answer to an old one merges; it is a change to history, not a new answer.
      await backend.writeResponse('srv_old', { id: 'old-1', score: 2, comment: 'again', receivedAt: T0 + 9 })
      const id = randomUUID()
      await backend.writeResponse('srv_old', { id, score: 1, contact: { email: null }, receivedAt: T0 + 10 })
      const { items } = await backend.followUpChanges('srv_old', 3, 10)
      expect(items).toMatchObject([
        { type: 'response', created: true, response: { id, contact: { email: null } } },
      ])
      expect(items[0]!.seq).toBeGreaterThan(3)
      // An old answer can still get a case by hand.
      expect(
        await backend.openCase(
          {
            surveyId: 'srv_old',
            responseId: 'old-2',
            assignee: null,
            dueAt: null,
            tags: [],
            openedBy: 'admin',
          },
          T0 + 11,
        ),
      ).toMatchObject({ created: true, case: { responseId: 'old-2', answeredAt: T0 + 2 } })
    } finally {
      await backend.close()
    }
  })
})
