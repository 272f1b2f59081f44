import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../../testing.ts'
import { GroupCommit } from './group-commit.ts'

describe('GroupCommit', () => {
  let db: Database.Database
  let remove: () => void
  /** Syncs the test holds open until it calls them back. */
  let syncs: ((error: Error | null) => void)[]
  let commits: GroupCommit
  const insert = (n: number) => () => db.prepare('INSERT INTO t (n) VALUES (?)').run(n).changes

  beforeEach(() => {
    const tmp = tempDir()
    remove = tmp.remove
    db = new Database(join(tmp.dir, 'db'))
    db.exec('CREATE TABLE t (n INTEGER NOT NULL CHECK (n >= 0))')
    syncs = []
    commits = new GroupCommit(db, (done) => syncs.push(done), { minSyncIntervalMs: 0 })
  })
  afterEach(() => {
    db.close()
    remove()
  })

  const settled = async <T>(promise: Promise<T>) => {
    let done = false
    void promise.then(
      () => {
        done = true
      },
      () => {
        done = true
      },
    )
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    return done
  }

  it('commits writes of one event-loop turn in one transaction and answers none before the sync', async () => {
    const writes = [commits.enqueue(insert(1)), commits.enqueue(insert(2)), commits.enqueue(insert(3))]
    expect(await settled(Promise.all(writes))).toBe(false)
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3)
    expect(syncs).toHaveLength(1)
    syncs[0]!(null)
    await expect(Promise.all(writes)).resolves.toEqual([1, 1, 1])
  })

  it('keeps one sync in flight, and lets every commit made meanwhile share the next one', async () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve))
    const first = commits.enqueue(insert(1))
    await turn()
    const second = commits.enqueue(insert(2))
    await turn()
    const third = commits.enqueue(insert(3))
    await turn()
    // Committed at once, each in its turn; only the first is being synced.
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(3)
    expect(syncs).toHaveLength(1)
    expect(await settled(Promise.all([second, third]))).toBe(false)
    syncs[0]!(null)
    await expect(first).resolves.toBe(1)
    expect(syncs).toHaveLength(2)
    expect(await settled(Promise.all([second, third]))).toBe(false)
    syncs[1]!(null)
    await expect(Promise.all([second, third])).resolves.toEqual([1, 1])
  })

  it('starts syncs at least the minimum interval apart', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const spaced = new GroupCommit(db, (done) => syncs.push(done), { minSyncIntervalMs: 50 })
      const first = spaced.enqueue(insert(1))
      await new Promise((resolve) => setImmediate(resolve))
      syncs[0]!(null)
      await first
      const second = spaced.enqueue(insert(2))
      await new Promise((resolve) => setImmediate(resolve))
      vi.advanceTimersByTime(49)
      expect(syncs).toHaveLength(1)
      vi.advanceTimersByTime(1)
      expect(syncs).toHaveLength(2)
      syncs[1]!(null)
      await expect(second).resolves.toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('rejects one failing write alone, at once, and commits the rest of its batch', async () => {
    const good = commits.enqueue(insert(1))
    const bad = commits.enqueue(insert(-1))
    await expect(bad).rejects.toThrow(/CHECK constraint/)
    syncs[0]!(null)
    await expect(good).resolves.toBe(1)
    expect(db.prepare('SELECT n FROM t').pluck().all()).toEqual([1])
  })

  it('reports a failed sync to every write that waited for it', async () => {
    const write = commits.enqueue(insert(1))
    await new Promise((resolve) => setImmediate(resolve))
    syncs[0]!(new Error('EIO'))
    await expect(write).rejects.toThrow('EIO')
  })

  it('on close, commits what is queued, waits for its sync and refuses later writes', async () => {
    const write = commits.enqueue(insert(1))
    const closing = commits.close()
    expect(await settled(closing)).toBe(false)
    syncs[0]!(null)
    await closing
    await expect(write).resolves.toBe(1)
    await expect(commits.enqueue(insert(2))).rejects.toThrow('closed')
  })
})
