/**
 * What the PostgreSQL engine stores for follow-up beyond the contract: the number of a live answer's
 * first write (first_seq), set by the one statement of its batch and kept through merges, never by an
 * import; and migration 6 on a database that already held surveys and answers — the test builds a
 * database at the schema before it (the earlier migrations' own SQL), stores answers there as that
 * schema did, then opens it with the backend. What was there is history: the survey's dispatcher starts
 * after it, the old answers carry no consent and open nothing, and a live answer written afterwards is
 * the first change the dispatcher reads. The answers' table is not rewritten.
 */
import { randomUUID } from 'node:crypto'
import { PostgresBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import postgres from 'postgres'
import { describe, expect, it } from 'vitest'
import { migrations } from '../../collector/src/backend/postgres/migrations.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'
import { stored } from './contract.ts'

const postgresFound = await requirePostgres()
const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe.skipIf(!postgresFound)('first_seq on PostgreSQL', () => {
  it('numbers a live answer’s first write and keeps it through merges, also within one batch; an import leaves it unset', async () => {
    const database = await createDatabase()
    const backend = await PostgresBackend.connect(database.url, { poolSize: 2 })
    const sql = postgres(database.url, { max: 1, onnotice: () => {} })
    try {
      const survey = (await backend.createSurvey(defaultSurveySettings('A'), T0)).id
      const row = async (id: string) =>
        (
          await sql<{ seq: number; first_seq: number | null; contact: unknown }[]>`
            SELECT seq::int, first_seq::int, contact FROM responses WHERE id = ${id}`
        )[0]!
      const id = randomUUID()
      await backend.writeResponse(survey, {
        id,
        score: 2,
        contact: { email: 'ana@example.com' },
        receivedAt: T0,
      })
      const first = await row(id)
      expect(first).toEqual({ seq: first.seq, first_seq: first.seq, contact: { email: 'ana@example.com' } })
      await backend.writeResponse(survey, { id, score: 2, comment: 'late', receivedAt: T0 + 1 })
      const again = await row(id)
      expect(again).toEqual({ seq: again.seq, first_seq: first.seq, contact: first.contact })
      expect(again.seq).toBeGreaterThan(first.seq)

      // Score and comment in one batch: two rounds, the insert and then the merge.
      const twice = randomUUID()
      await Promise.all([
        backend.writeResponse(survey, { id: twice, score: 9, receivedAt: T0 + 2 }),
        backend.writeResponse(survey, { id: twice, score: 9, comment: 'great', receivedAt: T0 + 2 }),
      ])
      const merged = await row(twice)
      expect(merged.first_seq).toBeLessThan(merged.seq)

      // An import is history; one that replaces a live answer leaves its first number as it was.
      const imported = stored()
      await backend.importResponses(survey, [imported, stored({ id, score: 5 })], T0 + 3)
      expect((await row(imported.id)).first_seq).toBeNull()
      expect((await row(id)).first_seq).toBe(first.seq)
    } finally {
      await sql.end()
      await backend.close()
      await database.drop()
    }
  })
})

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
