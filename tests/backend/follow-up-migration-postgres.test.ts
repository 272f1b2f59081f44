/**
 * Follow-up arrived with a migration (PostgreSQL 6) on databases that already held surveys and answers:
 * the test builds a database at the schema before it (the earlier migrations' own SQL), stores answers
 * there as that schema did, then opens it with the backend. What was there is history: the survey's
 * dispatcher starts after it, the old answers carry no consent and open nothing, and a live answer
 * written afterwards is the first change the dispatcher reads. The answers' table is not rewritten.
 */
import { randomUUID } from 'node:crypto'
import { PostgresBackend } from '@npskit/collector'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../collector/src/backend/postgres/migrations.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe.skipIf(!postgresFound)('the follow-up migration on PostgreSQL', () => {
  it('starts the dispatcher of the surveys already there after their answers, without rewriting them', async () => {
    const database = await createDatabase()
    const followUp = migrations.find((m) => m.name.startsWith('follow-up'))
    if (!followUp) throw new Error('no follow-up migration')
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    const fileOfResponses = async () =>
      (
        await sql<
          { file: string }[]
        >`SELECT relfilenode::text AS file FROM pg_class WHERE relname = 'responses'`
      )[0]!.file
    let before: string
    try {
      await sql`CREATE TABLE npskit_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
      for (const migration of migrations.filter((m) => m.version < followUp.version)) {
        await sql.unsafe(migration.sql)
        await sql`INSERT INTO npskit_migrations (version, name) VALUES (${migration.version}, ${migration.name})`
      }
      await sql`INSERT INTO surveys VALUES ('srv_old', '{}', ${T0}, ${T0})`
      for (const n of [1, 2, 3]) {
        await sql`INSERT INTO responses (survey_id, id, created_at, updated_at, score, seq)
          VALUES ('srv_old', ${`old-${n}`}, ${T0 + n}, ${T0 + n}, 2, ${n})`
      }
      await sql`UPDATE change_counter SET value = 3`
      before = await fileOfResponses()
    } catch (error) {
      await sql.end()
      await database.drop()
      throw error
    }

    const backend = await PostgresBackend.connect(database.url, { poolSize: 2 })
    try {
      expect(await fileOfResponses()).toBe(before)
      expect(await backend.followUpCursor('srv_old')).toBe(3)
      // Read from the very beginning, the answers from before are still not live ones.
      expect(await backend.followUpChanges('srv_old', 0, 10)).toEqual({ items: [], next: 0 })
      const page = await backend.listResponses('srv_old', {}, 10)
      expect(page.items.map((r) => [r.id, r.contact])).toEqual([
        ['old-1', null],
        ['old-2', null],
        ['old-3', null],
      ])
      // A repeat of an old answer merges into it: a change to history, not a new answer.
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
      await sql.end()
      await database.drop()
    }
  })
})
