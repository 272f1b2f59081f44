import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { defaultSurveySettings } from '@npskit/shared'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredResponse } from '../../backend/backend.ts'
import { storedAnswer, tempDir } from '../../testing.ts'
import { listingSql } from './analytics.ts'
import { migrations } from './migrations.ts'
import { SqliteBackend } from './sqlite-backend.ts'

const stored = (r: Pick<StoredResponse, 'id' | 'score' | 'createdAt'>) => storedAnswer(r)

describe('SqliteBackend', () => {
  const dirs: (() => void)[] = []
  afterEach(() => {
    for (const remove of dirs.splice(0)) remove()
  })
  const path = () => {
    const { dir, remove } = tempDir()
    dirs.push(remove)
    return join(dir, 'npskit.db')
  }

  it('creates the database folder, applies every migration and runs in WAL mode', async () => {
    const backend = new SqliteBackend(path())
    expect(backend.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version)
    expect(backend.db.pragma('journal_mode', { simple: true })).toBe('wal')
    // NORMAL: commits do not wait for the disk; the store syncs the WAL itself before answering.
    expect(backend.db.pragma('synchronous', { simple: true })).toBe(1)
    expect(backend.db.pragma('foreign_keys', { simple: true })).toBe(1)
    await backend.close()
  })

  it('reads one survey’s scores in a time range from the covering index alone', async () => {
    const backend = new SqliteBackend(path())
    const plan = backend.db
      .prepare(
        'EXPLAIN QUERY PLAN SELECT score FROM responses WHERE survey_id = ? AND created_at >= ? AND created_at < ?',
      )
      .all('srv_x', 0, 1) as { detail: string }[]
    expect(plan.map((p) => p.detail).join()).toContain('COVERING INDEX responses_survey_time')
    await backend.close()
  })

  it('keeps two secondary indexes in time and change order, where a new answer appends, and two for respondent chains', async () => {
    const backend = new SqliteBackend(path())
    const indexes = backend.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'responses' AND sql IS NOT NULL ORDER BY name",
      )
      .all()
    expect(indexes).toEqual([
      { name: 'responses_chain' },
      { name: 'responses_superseded' },
      { name: 'responses_survey_seq' },
      { name: 'responses_survey_time' },
    ])
    // A respondent's answers in order, to find an answer's successor; the superseded ones by successor.
    expect(backend.db.prepare("SELECT name FROM pragma_index_info('responses_chain')").pluck().all()).toEqual(
      ['survey_id', 'respondent_id', 'created_at', 'id'],
    )
    const columns = backend.db
      .prepare("SELECT name FROM pragma_index_info('responses_survey_time')")
      .pluck()
      .all()
    expect(columns).toEqual(['survey_id', 'created_at', 'id', 'score', 'respondent_id'])
    // The change feed's: each survey's newest change is its greatest number, at the end of its range.
    expect(
      backend.db.prepare("SELECT name FROM pragma_index_info('responses_survey_seq')").pluck().all(),
    ).toEqual(['survey_id', 'seq'])
    await backend.close()
  })

  it('reads the change feed from its position through the indexes, without sorting either table', async () => {
    const backend = new SqliteBackend(path())
    const plan = (sql: string) =>
      (backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('srv_x', 0) as { detail: string }[])
        .map((p) => p.detail)
        .join()
    const answers = plan('SELECT * FROM responses WHERE survey_id = ? AND seq > ? ORDER BY seq LIMIT 10')
    expect(answers).toContain('INDEX responses_survey_seq (survey_id=? AND seq>?)')
    expect(answers).not.toContain('TEMP B-TREE')
    const stones = plan(
      'SELECT * FROM response_tombstones WHERE survey_id = ? AND seq > ? ORDER BY seq LIMIT 10',
    )
    expect(stones).toContain('PRIMARY KEY (survey_id=? AND seq>?)')
    expect(stones).not.toContain('TEMP B-TREE')
    await backend.close()
  })

  it('pages an export without sorting, and erases a respondent without reading the table', async () => {
    const backend = new SqliteBackend(path())
    const plan = (sql: string, ...params: unknown[]) =>
      (backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((p) => p.detail)
        .join('\n')
    const page = plan(
      `SELECT id, created_at, score, comment, respondent_id, locale, url, path, device, metadata FROM responses
       WHERE survey_id = ? AND (created_at > ? OR (created_at = ? AND id > ?)) ORDER BY created_at, id LIMIT ?`,
      'srv_x',
      0,
      0,
      'a',
      10,
    )
    expect(page).toContain('USING INDEX responses_survey_time')
    expect(page).not.toMatch(/TEMP B-TREE|SCAN responses/)
    const erase = plan(
      'DELETE FROM responses WHERE survey_id IN (SELECT id FROM surveys) AND respondent_id = ?',
      'r',
    )
    // Each survey's range of the respondent's answers: only the matches are read.
    expect(erase).toContain(
      'SEARCH responses USING COVERING INDEX responses_chain (survey_id=? AND respondent_id=?)',
    )
    expect(erase).not.toMatch(/SCAN responses/)
    await backend.close()
  })

  it('pages a filtered listing, newest first, along the time index without sorting', async () => {
    const backend = new SqliteBackend(path())
    for (const order of ['oldest', 'newest'] as const) {
      const { sql, params } = listingSql(
        'srv_x',
        { device: 'mobile', category: 'detractor', text: 'slow', segments: [['plan', 'pro']] },
        101,
        { createdAt: 5, id: 'a' },
        order,
      )
      const plan = (backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((p) => p.detail)
        .join('\n')
      expect(plan, order).toContain('USING INDEX responses_survey_time')
      expect(plan, order).not.toMatch(/TEMP B-TREE|SCAN responses/)
    }
    await backend.close()
  })

  it('keeps what it stored after it is closed and opened again', async () => {
    const file = path()
    const first = new SqliteBackend(file)
    const survey = await first.createSurvey(defaultSurveySettings('Kept'), 1)
    const id = randomUUID()
    await first.writeResponse(survey.id, { id, score: 9, receivedAt: 2 })
    await first.close()
    const second = new SqliteBackend(file)
    expect(second.getSurvey(survey.id)?.settings.name).toBe('Kept')
    expect(second.listResponses(survey.id, {}, 10).items.map((r) => r.id)).toEqual([id])
    await second.close()
  })

  it('checkpoints the WAL into the database file in the background', async () => {
    const file = path()
    const backend = new SqliteBackend(file)
    const survey = await backend.createSurvey(defaultSurveySettings('Busy'), 1)
    const before = statSync(file).size
    await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        backend.writeResponse(survey.id, {
          id: randomUUID(),
          score: i % 11,
          comment: 'x'.repeat(200),
          receivedAt: i,
        }),
      ),
    )
    // Automatic checkpoints are off on this connection: only the background worker grows the file.
    expect(backend.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const deadline = Date.now() + 5000
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(statSync(file).size).toBeGreaterThan(before)
    await backend.close()
  })

  it('truncates a WAL that outgrew the background checkpoints', async () => {
    const file = path()
    const backend = new SqliteBackend(file, { maxWalBytes: 64 * 1024 })
    const survey = await backend.createSurvey(defaultSurveySettings('Flood'), 1)
    const write = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          backend.writeResponse(survey.id, {
            id: randomUUID(),
            score: 5,
            comment: 'x'.repeat(1000),
            receivedAt: 1,
          }),
        ),
      )
    await write(400)
    const deadline = Date.now() + 5000
    while (statSync(`${file}-wal`).size > 64 * 1024 && Date.now() < deadline) await write(1)
    expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(64 * 1024)
    await backend.close()
  })

  it.each([
    ['on the writer thread', () => path()],
    ['on the main connection (in memory)', () => ':memory:'],
  ])(
    'keeps the hourly counts exact %s when answers arrive, merge, are imported, erased and deleted at once',
    async (_, file) => {
      const backend = new SqliteBackend(file())
      const [a, b] = await Promise.all([
        backend.createSurvey(defaultSurveySettings('A'), 1),
        backend.createSurvey(defaultSurveySettings('B'), 1),
      ])
      const hour = 3_600_000
      const imported = (
        id: string,
        score: number,
        createdAt = Date.parse('2025-01-02T00:00:00Z') + score * hour,
      ) => stored({ id, score, createdAt })
      const ids = Array.from({ length: 40 }, () => randomUUID())
      const writes: Promise<unknown>[] = ids.map((id, i) =>
        backend.writeResponse(i % 2 ? a.id : b.id, {
          id,
          score: i % 11,
          respondentId: `r${i % 5}`,
          receivedAt: Date.parse('2026-03-01T10:00:00Z') + (i % 4) * hour - 1,
        }),
      )
      // Without awaiting in between, so that all of it is queued behind the answers above.
      writes.push(backend.eraseRespondent('r3'))
      // Repeats that change the score, in both surveys.
      writes.push(backend.writeResponse(b.id, { id: ids[0]!, score: 10, receivedAt: 5 }))
      writes.push(backend.writeResponse(a.id, { id: ids[5]!, score: 9, receivedAt: 5 }))
      // An import that moves one answer to another hour and adds one.
      const moved = Date.parse('2025-01-01T00:30:00Z')
      writes.push(
        backend.importResponses(a.id, [imported(ids[1]!, 4, moved), imported(randomUUID(), 5, moved)], 9),
      )
      // One id twice in a file: inserted, then updated by its second row.
      const twice = randomUUID()
      writes.push(backend.importResponses(a.id, [imported(twice, 2), imported(twice, 7)], 9))
      // A file that fails on its last row stores nothing, and counts nothing.
      const failed = backend.importResponses(a.id, [imported(randomUUID(), 3), imported(randomUUID(), 11)], 9)
      writes.push(failed.catch(() => 'refused'))
      writes.push(backend.writeResponse(a.id, { id: ids[3]!, score: 0, receivedAt: 9 }))
      writes.push(backend.deleteSurvey(b.id))
      writes.push(backend.writeResponse(a.id, { id: randomUUID(), score: 8, receivedAt: 1 }))
      await Promise.all(writes)
      await expect(failed).rejects.toThrow(/CHECK/)
      const kept = backend.db
        .prepare(
          'SELECT * FROM response_hours WHERE s0+s1+s2+s3+s4+s5+s6+s7+s8+s9+s10 > 0 ORDER BY survey_id, hour',
        )
        .all()
      const counted = backend.db
        .prepare(
          `SELECT survey_id, (created_at - ((created_at % 3600000) + 3600000) % 3600000) / 3600000 AS hour,
          ${Array.from({ length: 11 }, (_, s) => `count(*) FILTER (WHERE score = ${s}) AS s${s}`).join(', ')},
          count(*) FILTER (WHERE source IS NULL OR source = 'widget') AS widget,
          ${Array.from({ length: 11 }, (_, s) => `count(*) FILTER (WHERE score = ${s} AND superseded_at IS NOT NULL) AS x${s}`).join(', ')}
         FROM responses GROUP BY 1, 2 ORDER BY 1, 2`,
        )
        .all()
      expect(kept).toEqual(counted)
      expect(counted.length).toBeGreaterThan(3)
      // Each answer's successor is its respondent's next answer, as a ranking of all of them says.
      const chained = backend.db
        .prepare(
          `SELECT count(*) AS wrong FROM responses AS r JOIN (
             SELECT survey_id, id, CASE WHEN respondent_id IS NULL THEN NULL ELSE
               lead(created_at) OVER (PARTITION BY survey_id, respondent_id ORDER BY created_at, id) END AS next
             FROM responses) AS c USING (survey_id, id)
           WHERE r.superseded_at IS NOT c.next`,
        )
        .get()
      expect(chained).toEqual({ wrong: 0 })
      expect(
        backend.db.prepare('SELECT count(*) AS n FROM responses WHERE superseded_at IS NOT NULL').get(),
      ).not.toEqual({ n: 0 })
      await backend.close()
    },
  )

  it.each([
    ['on the writer thread', () => path()],
    ['on the main connection (in memory)', () => ':memory:'],
  ])(
    'numbers a live answer’s first write and keeps it through merges, %s; an import leaves it unset',
    async (_, file) => {
      const backend = new SqliteBackend(file())
      const survey = await backend.createSurvey(defaultSurveySettings('A'), 1)
      const id = randomUUID()
      await backend.writeResponse(survey.id, {
        id,
        score: 2,
        contact: { email: 'ana@example.com' },
        receivedAt: 1,
      })
      const row = () =>
        backend.db.prepare('SELECT seq, first_seq, contact FROM responses WHERE id = ?').get(id) as {
          seq: number
          first_seq: number | null
          contact: string | null
        }
      const first = row()
      expect(first).toEqual({ seq: first.seq, first_seq: first.seq, contact: '{"email":"ana@example.com"}' })
      await backend.writeResponse(survey.id, { id, score: 2, comment: 'late', receivedAt: 2 })
      await backend.writeResponse(survey.id, { id, score: 7, receivedAt: 3 })
      expect(row()).toEqual({ seq: expect.any(Number), first_seq: first.seq, contact: first.contact })
      expect(row().seq).toBeGreaterThan(first.seq)
      const imported = storedAnswer()
      await backend.importResponses(survey.id, [imported], 4)
      expect(
        backend.db.prepare('SELECT first_seq FROM responses WHERE id = ?').pluck().get(imported.id),
      ).toBeNull()
      await backend.close()
    },
  )

  it('claims deliveries and emails, reads the dispatcher’s feed and the inbox through their indexes, without sorting', async () => {
    const backend = new SqliteBackend(path())
    const plan = (sql: string, params: Record<string, unknown>) =>
      (backend.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((p) => p.detail)
        .join('\n')
    const claim = plan(
      `SELECT d.n FROM webhook_deliveries AS d JOIN webhook_endpoints AS e ON e.id = d.endpoint_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND e.enabled = 1
         AND d.n = (SELECT min(p.n) FROM webhook_deliveries AS p
                    WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key AND p.status = 'pending')
       ORDER BY d.next_attempt_at, d.n LIMIT @limit`,
      { now: 1, limit: 10 },
    )
    // Only pending rows are in either index: the delivered history is never read.
    expect(claim).toContain('USING INDEX webhook_deliveries_due (next_attempt_at<?)')
    expect(claim).toContain('USING COVERING INDEX webhook_deliveries_pending (endpoint_id=? AND order_key=?)')
    expect(claim).not.toMatch(/TEMP B-TREE|SCAN d\b/)
    const emails = plan(
      "SELECT n FROM emails WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, n LIMIT 3",
      { now: 1 },
    )
    expect(emails).toContain('emails_due (next_attempt_at<?)')
    expect(emails).not.toContain('TEMP B-TREE')
    const feed = plan('SELECT * FROM case_log WHERE survey_id = @s AND seq > @after ORDER BY seq LIMIT 10', {
      s: 'srv_x',
      after: 0,
    })
    expect(feed).toContain('case_log_survey_seq (survey_id=? AND seq>?)')
    expect(feed).not.toContain('TEMP B-TREE')
    const inbox = plan(
      `SELECT * FROM cases WHERE survey_id = @s AND (opened_at < @at OR (opened_at = @at AND id < @id))
       ORDER BY opened_at DESC, id DESC LIMIT 10`,
      { s: 'srv_x', at: 1, id: 'case_x' },
    )
    expect(inbox).toContain('cases_survey_opened (survey_id=? AND opened_at<?)')
    expect(inbox).not.toContain('TEMP B-TREE')
    const log = plan(
      'SELECT * FROM webhook_deliveries WHERE endpoint_id = @e ORDER BY created_at DESC, id DESC LIMIT 10',
      { e: 'whe_x' },
    )
    expect(log).toContain('webhook_deliveries_endpoint (endpoint_id=?)')
    expect(log).not.toContain('TEMP B-TREE')
    await backend.close()
  })

  it('lets a deletion or an erasure take the answers sent before it, though another thread writes them', async () => {
    const backend = new SqliteBackend(path())
    const survey = await backend.createSurvey(defaultSurveySettings('Gone'), 1)
    const kept = await backend.createSurvey(defaultSurveySettings('Kept'), 1)
    const write = backend.writeResponse(survey.id, { id: randomUUID(), score: 9, receivedAt: 2 })
    const erased = backend.writeResponse(kept.id, {
      id: randomUUID(),
      score: 1,
      respondentId: 'r',
      receivedAt: 2,
    })
    const [deleted, erasure] = await Promise.all([
      backend.deleteSurvey(survey.id),
      backend.eraseRespondent('r'),
    ])
    expect(await write).toEqual({ created: true, category: 'promoter' })
    expect(await erased).toEqual({ created: true, category: 'detractor' })
    expect(deleted).toBe(true)
    expect(erasure).toEqual({ responses: 1, events: 0, cases: 0, deliveries: 0, emails: 0 })
    expect(backend.db.prepare('SELECT count(*) AS n FROM responses').get()).toEqual({ n: 0 })
    await backend.close()
  })

  it('refuses a database whose schema is newer than the code', async () => {
    const file = path()
    const backend = new SqliteBackend(file)
    backend.db.pragma('user_version = 999')
    await backend.close()
    expect(() => new SqliteBackend(file)).toThrow(/newer than this collector knows/)
  })
})
