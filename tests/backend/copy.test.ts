/**
 * The copy command as a team that outgrows its SQLite file runs it: `npskit-collector copy` from the
 * file into an empty PostgreSQL database and back into a new file, through the real CLI. Everything
 * arrives (counts and checksums, and the same figures through the API), a target that holds anything is
 * refused, and a copy that fails part way leaves the target as empty as it was.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fingerprint, openBackendAt, SqliteBackend, type StoredResponse } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../harness/collector.ts'
import { createDatabase, requirePostgres } from '../harness/postgres.ts'

function copy(from: string, to: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'collector/src/cli.ts', 'copy', '--from', from, '--to', to],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('npskit-collector copy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-copy-'))
  const source = join(dir, 'source.db')
  const drops: (() => Promise<void>)[] = []
  const newDatabase = async () => {
    const database = await createDatabase()
    drops.push(database.drop)
    return database.url
  }

  beforeAll(async () => {
    const backend = new SqliteBackend(source)
    const surveys = [
      await backend.createSurvey(
        { ...defaultSurveySettings('Checkout'), allowedOrigins: ['https://shop.example'] },
        1,
      ),
      await backend.createSurvey(defaultSurveySettings('Support'), 2),
    ]
    await backend.addApiKey({ name: 'ops', secret: 'npk_the-copied-admin-key-0001' }, 3)
    const revoked = await backend.addApiKey({ name: 'old', secret: 'npk_a-revoked-key-000000002' }, 4)
    await backend.revokeApiKey(revoked.id, 5)
    for (const survey of surveys) {
      const rows = Array.from(
        { length: 3000 },
        (_, i): StoredResponse => ({
          id: randomUUID(),
          createdAt: Date.parse('2026-01-01T00:00:00Z') + i * 600_000,
          score: i % 11,
          comment: i % 4 === 0 ? `comment ${i} — ünïcödé, "quoted", 日本語` : null,
          respondentId: i % 3 ? `user-${i % 500}` : null,
          locale: ['de', 'en-GB', null][i % 3]!,
          url: i % 2 ? 'https://shop.example/checkout?x=1' : null,
          path: i % 2 ? '/checkout' : null,
          device: (['desktop', 'mobile', 'tablet', null] as const)[i % 4]!,
          metadata:
            i % 5 ? { plan: ['free', 'pro'][i % 2]!, seats: i % 50, beta: i % 7 === 0, zone: 'eu' } : null,
          contact: i % 6 === 0 ? { email: i % 12 ? null : `user-${i}@example.com` } : null,
          source: (['widget', 'api', 'import', 'link'] as const)[i % 4]!,
        }),
      )
      await backend.admitMetadataKeys(survey.id, ['plan', 'seats', 'beta', 'zone'])
      await backend.importResponses(survey.id, rows, 6)
      // Cases of some answers, with a log of several entries, and an endpoint of the survey's own.
      for (const row of rows.filter((r) => r.score <= 1).slice(0, 20)) {
        const opened = await backend.openCase(
          {
            surveyId: survey.id,
            responseId: row.id,
            assignee: null,
            dueAt: null,
            tags: ['copy'],
            openedBy: 'ops',
          },
          8,
        )
        if ('case' in opened) {
          await backend.changeCase(
            opened.case.id,
            { status: 'contacted', assignee: 'ana', note: 'called' },
            'ops',
            9,
          )
        }
      }
      await backend.createEndpoint(
        {
          surveyId: survey.id,
          url: 'https://hooks.example/npskit',
          format: 'slack',
          events: ['case.opened'],
          filter: { categories: ['detractor'], segments: [['plan', 'pro']] },
          description: null,
          secret: `whsec_${survey.id}`,
        },
        8,
      )
      for (let i = 0; i < 200; i++) {
        await backend.writeEvent(
          survey.id,
          { type: i % 4 ? 'shown' : 'dismissed', respondentId: `user-${i}` },
          7 + i,
        )
      }
    }
    await backend.close()
  }, 60_000)

  afterAll(async () => {
    for (const drop of drops) await drop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('copies a SQLite file into an empty PostgreSQL database and back, and verifies each copy', async () => {
    const url = await newDatabase()
    const there = await copy(source, url)
    expect(there.output).toContain('copied in')
    expect(there.output).toContain(
      'verified: the target holds the same 2 surveys, 2 keys, 6,000 answers, 400 events, 40 cases, 2 webhook endpoints (checksums match)',
    )
    expect(there.code).toBe(0)
    const back = join(dir, 'back.db')
    const again = await copy(url, back)
    expect(again.output).toContain('verified:')
    expect(again.code).toBe(0)

    // Independently of the command's own check: all three hold the same data, and answer the same.
    const backends = [new SqliteBackend(source), await openBackendAt(url), new SqliteBackend(back)]
    try {
      const prints = await Promise.all(backends.map((backend) => fingerprint(backend)))
      expect(prints[1]).toEqual(prints[0])
      expect(prints[2]).toEqual(prints[0])
      const [survey] = (await backends[0]!.listSurveys(1)).items
      for (const backend of backends) {
        expect(await backend.distribution(survey!.id, { latestPerRespondent: true })).toEqual(
          await backends[0]!.distribution(survey!.id, { latestPerRespondent: true }),
        )
        expect((await backend.verifyApiKey('npk_the-copied-admin-key-0001'))?.name).toBe('ops')
        expect(await backend.verifyApiKey('npk_a-revoked-key-000000002')).toBeUndefined()
        // The metadata key registry arrives too (rebuilt from the answers): CSV export keeps its columns.
        expect(await backend.metadataKeys(survey!.id)).toEqual(['beta', 'plan', 'seats', 'zone'])
      }
    } finally {
      for (const backend of backends) await backend.close()
    }
  })

  it('refuses a target that holds anything, and changes nothing in it', async () => {
    const url = await newDatabase()
    const target = await openBackendAt(url)
    await target.createSurvey(defaultSurveySettings('Already here'), 1)
    const before = await fingerprint(target)
    await target.close()
    const { code, output } = await copy(source, url)
    expect(code).toBe(1)
    expect(output).toContain('is not empty')
    const after = await openBackendAt(url)
    expect(await fingerprint(after)).toEqual(before)
    await after.close()
  })

  it('refuses a source file that does not exist instead of copying an empty database', async () => {
    const { code, output } = await copy(join(dir, 'typo.db'), await newDatabase())
    expect(code).toBe(1)
    expect(output).toContain('there is no SQLite file at')
  })
})
