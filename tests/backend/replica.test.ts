/**
 * A read replica for the analytics (`NPSKIT_DATABASE_READ_URL`): figures are read from it, while every
 * write, key and survey stays on the primary. Here the "replica" is a copy of the primary that is not
 * kept up to date, so where each read goes is plain to see: a new answer is stored on the primary and
 * listed from it at once, and the figures, read from the replica, do not count it.
 */
import { randomUUID } from 'node:crypto'
import { copyData, PostgresBackend } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('a PostgreSQL backend with a read replica', () => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const drop of drops) await drop()
  })

  it('reads the figures from the replica and everything else from the primary', async () => {
    const [primary, replica] = [await createDatabase(), await createDatabase()]
    drops.push(primary.drop, replica.drop)
    const seed = await PostgresBackend.connect(primary.url)
    const survey = await seed.createSurvey(defaultSurveySettings('Replicated'), 1)
    await seed.writeResponse(survey.id, { id: randomUUID(), score: 10, receivedAt: 2 })
    const copy = await PostgresBackend.connect(replica.url)
    await copyData(seed, copy)
    await Promise.all([seed.close(), copy.close()])

    const backend = await PostgresBackend.connect(primary.url, { readUrl: replica.url })
    try {
      expect(backend.location).toMatch(/ \(reads: 127\.0\.0\.1:5432\/npskit_test_\w+\)$/)
      await backend.writeResponse(survey.id, { id: randomUUID(), score: 0, receivedAt: 3 })
      expect((await backend.listResponses(survey.id, {}, 10)).items.map((r) => r.score)).toEqual([10, 0])
      expect(await backend.distribution(survey.id, {})).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
      expect((await backend.getSurvey(survey.id))?.settings.name).toBe('Replicated')
    } finally {
      await backend.close()
    }
  })

  it('refuses to start when the replica cannot be reached, saying which', async () => {
    const primary = await createDatabase()
    drops.push(primary.drop)
    await expect(
      PostgresBackend.connect(primary.url, { readUrl: 'postgres://postgres@127.0.0.1:1/replica' }),
    ).rejects.toThrow('cannot reach PostgreSQL at 127.0.0.1:1: the connection was refused')
  })
})
