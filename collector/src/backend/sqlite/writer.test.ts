import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../testing.ts'
import type { WriteOp } from './answers.js'
import { openConnection } from './connection.js'
import { migrate } from './migrations.ts'
import { Writer, type WriterOptions } from './writer.ts'

const HOUR = 3_600_000

const answer = (id: string, score: number, { at = 1, comment = null as string | null } = {}): WriteOp => [
  'r',
  'srv_1',
  id,
  at,
  score,
  comment,
  null,
  null,
  null,
  null,
  null,
  null,
  null,
  'widget',
]

describe('Writer', () => {
  const cleanups: (() => void | Promise<void>)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  function open(options: Partial<WriterOptions> = {}) {
    const { dir, remove } = tempDir()
    const path = join(dir, 'npskit.db')
    const { db } = openConnection(path)
    migrate(db)
    db.prepare(
      "INSERT INTO surveys (id, settings, created_at, updated_at) VALUES ('srv_1', '{}', 0, 0)",
    ).run()
    const writer = new Writer(path, { sync: true, maxWalBytes: 64 * 1024 * 1024, ...options })
    cleanups.push(
      remove,
      () => void db.close(),
      () => writer.close(),
    )
    return { db, writer }
  }

  const count = (db: Database.Database, table: string) =>
    db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()

  it('tells an insert from a merge, and the reading connection sees both once answered', async () => {
    const { db, writer } = open()
    expect(await Promise.all([writer.write(answer('a', 3)), writer.write(answer('a', 9))])).toEqual([1, 0])
    expect(db.prepare('SELECT score FROM responses').all()).toEqual([{ score: 9 }])
  })

  it('fails one write alone, with the SQLite error code, and commits the rest of its batch', async () => {
    const { db, writer } = open()
    const good = writer.write(answer('a', 3))
    const unknown = writer.write(['e', 'srv_missing', 'shown', 'v', null, 1])
    const invalid = writer.write(answer('b', 11))
    await expect(unknown).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
    await expect(invalid).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' })
    await expect(good).resolves.toBe(1)
    expect(count(db, 'responses')).toBe(1)
  })

  it('adds the hourly counts of new answers, not of merges', async () => {
    const { db, writer } = open()
    await Promise.all([
      writer.write(answer('a', 3, { at: 5 * HOUR })),
      writer.write(answer('b', 4, { at: 5 * HOUR + 1 })),
      writer.write(answer('a', 3, { at: 5 * HOUR, comment: 'the follow-up' })),
      writer.write(answer('c', 4, { at: 7 * HOUR })),
    ])
    expect(db.prepare('SELECT hour, s3, s4 FROM response_hours ORDER BY hour').all()).toEqual([
      { hour: 5, s3: 1, s4: 1 },
      { hour: 7, s3: 0, s4: 1 },
    ])
  })

  it('settles once every write sent before has been answered', async () => {
    const { db, writer } = open({ sync: false })
    expect(writer.settled()).toBeUndefined()
    void writer.write(answer('a', 1))
    await writer.settled()
    expect(count(db, 'responses')).toBe(1)
    expect(writer.settled()).toBeUndefined()
  })

  it('carries writes across the end of the ring, and holds back what does not fit until there is room', async () => {
    // 1 KiB of ring for records of about 70 bytes: it wraps many times and fills up.
    const { db, writer } = open({ ringBytes: 1024 })
    const ids = Array.from({ length: 300 }, (_, i) => `id-${String(i).padStart(4, '0')}`)
    expect(await Promise.all(ids.map((id, i) => writer.write(answer(id, i % 11))))).toEqual(ids.map(() => 1))
    expect(db.prepare('SELECT id FROM responses ORDER BY rowid').pluck().all()).toEqual(ids)
    await expect(writer.write(answer('x'.repeat(2000), 1))).rejects.toThrow('larger than the ring')
  })

  it('wakes from its sleep when a write arrives after a quiet spell', async () => {
    const { db, writer } = open({ sleepAfterMs: 10 })
    await writer.write(answer('a', 1))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await expect(writer.write(answer('b', 2))).resolves.toBe(1)
    expect(count(db, 'responses')).toBe(2)
  })

  it('answers queued writes when closed and refuses later ones', async () => {
    const { db, writer } = open()
    const pending = Array.from({ length: 100 }, (_, i) => writer.write(answer(`id-${i}`, i % 11)))
    await writer.close()
    expect(await Promise.all(pending)).toEqual(pending.map(() => 1))
    expect(count(db, 'responses')).toBe(100)
    await expect(writer.write(answer('late', 1))).rejects.toThrow('closed')
  })
})
