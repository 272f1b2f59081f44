import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../testing.ts'
import { type ResponseParams, Writer, type WriterSql } from './writer.ts'

const SQL: WriterSql = {
  insertResponse:
    'INSERT INTO t (survey_id, id, score) VALUES (@surveyId, @id, @score) ON CONFLICT DO NOTHING',
  mergeResponse: 'UPDATE t SET score = @score WHERE survey_id = @surveyId AND id = @id',
  insertEvent:
    'INSERT INTO e (survey_id, type, respondent_id, response_id, created_at) VALUES (?, ?, ?, ?, ?)',
}

const answer = (id: string, score: number, surveyId = 'srv_1'): ResponseParams => ({
  surveyId,
  id,
  at: 1,
  score,
  comment: null,
  respondentId: null,
  locale: null,
  url: null,
  path: null,
  device: null,
  metadata: null,
})

describe('Writer', () => {
  const cleanups: (() => void | Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function open(sync = true) {
    const { dir, remove } = tempDir()
    const path = join(dir, 'db')
    const db = new Database(path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.exec(`CREATE TABLE s (id TEXT PRIMARY KEY);
      INSERT INTO s VALUES ('srv_1');
      CREATE TABLE t (survey_id TEXT NOT NULL REFERENCES s(id), id TEXT NOT NULL, score INTEGER NOT NULL CHECK (score <= 10), PRIMARY KEY (survey_id, id));
      CREATE TABLE e (survey_id TEXT NOT NULL REFERENCES s(id), type TEXT, respondent_id TEXT, response_id TEXT, created_at INTEGER)`)
    const writer = new Writer(path, SQL, { sync, maxWalBytes: 64 * 1024 * 1024 })
    cleanups.push(
      remove,
      () => void db.close(),
      () => writer.close(),
    )
    return { db, writer }
  }

  it('tells an insert from a merge, and the reading connection sees both once answered', async () => {
    const { db, writer } = open()
    expect(
      await Promise.all([writer.write(['r', answer('a', 3)]), writer.write(['r', answer('a', 9)])]),
    ).toEqual([1, 0])
    expect(db.prepare('SELECT score FROM t').all()).toEqual([{ score: 9 }])
  })

  it('fails one write alone, with the SQLite error code, and commits the rest of its batch', async () => {
    const { db, writer } = open()
    const good = writer.write(['r', answer('a', 3)])
    const unknown = writer.write(['e', 'srv_missing', 'shown', 'v', null, 1])
    const invalid = writer.write(['r', answer('b', 11)])
    await expect(unknown).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
    await expect(invalid).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' })
    await expect(good).resolves.toBe(1)
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 })
  })

  it('settles once every write sent before has been answered', async () => {
    const { db, writer } = open(false)
    expect(writer.settled()).toBeUndefined()
    void writer.write(['r', answer('a', 1)])
    await writer.settled()
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 })
  })

  it('answers queued writes when closed and refuses later ones', async () => {
    const { db, writer } = open()
    const pending = Array.from({ length: 100 }, (_, i) => writer.write(['r', answer(`id-${i}`, i % 11)]))
    await writer.close()
    expect(await Promise.all(pending)).toEqual(pending.map(() => 1))
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 100 })
    await expect(writer.write(['r', answer('late', 1)])).rejects.toThrow('closed')
  })
})
