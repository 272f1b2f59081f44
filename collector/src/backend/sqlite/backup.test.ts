import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultSurveySettings } from '@npskit/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir, uuid } from '../../testing.ts'
import { backupDatabase, inspectDatabase, restoreDatabase } from './backup.ts'
import { SqliteBackend } from './sqlite-backend.ts'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function folder() {
  const tmp = tempDir()
  cleanups.push(tmp.remove)
  return tmp.dir
}

async function databaseWith(answers: number) {
  const path = join(folder(), 'npskit.db')
  const backend = new SqliteBackend(path)
  cleanups.push(() => backend.close())
  const survey = (await backend.createSurvey(defaultSurveySettings('Backup'), Date.now())).id
  await Promise.all(
    Array.from({ length: answers }, () =>
      backend.writeResponse(survey, { id: uuid(), score: 9, receivedAt: Date.now() }),
    ),
  )
  return { path, backend, survey }
}

describe('backupDatabase', () => {
  it('copies an open database, WAL and all, into one checked file', async () => {
    const { path } = await databaseWith(25)
    // The answers are in the WAL, not yet in the main file: a file copy would miss them.
    expect(existsSync(`${path}-wal`)).toBe(true)
    const target = join(folder(), 'backup.db')
    const info = await backupDatabase(path, target)
    expect(info).toMatchObject({ surveys: 1, responses: 25, events: 0 })
    expect(existsSync(`${target}-wal`)).toBe(false)
    expect(inspectDatabase(target).responses).toBe(25)
  })

  it('never overwrites a file, and says so', async () => {
    const { path } = await databaseWith(1)
    const target = join(folder(), 'backup.db')
    writeFileSync(target, 'precious')
    await expect(backupDatabase(path, target)).rejects.toThrow('exists already')
  })
})

describe('restoreDatabase', () => {
  it('replaces a database only when asked, and drops the old one’s WAL so it is not replayed', async () => {
    const source = await databaseWith(3)
    const backup = join(folder(), 'backup.db')
    await backupDatabase(source.path, backup)

    const old = await databaseWith(7)
    await old.backend.close()
    writeFileSync(`${old.path}-wal`, 'a log of another database')
    expect(() => restoreDatabase(backup, old.path)).toThrow('--replace')
    expect(restoreDatabase(backup, old.path, { replace: true })).toMatchObject({ responses: 3 })
    expect(existsSync(`${old.path}-wal`)).toBe(false)

    const restored = new SqliteBackend(old.path)
    cleanups.push(() => restored.close())
    expect((await restored.listResponses(source.survey, {}, 100)).items).toHaveLength(3)
  })

  it('refuses a file that is not an npskit database', () => {
    const dir = folder()
    const junk = join(dir, 'junk.db')
    writeFileSync(junk, 'not a database at all, just text')
    expect(() => restoreDatabase(junk, join(dir, 'npskit.db'))).toThrow(/not a SQLite database|not an npskit/)
    expect(existsSync(join(dir, 'npskit.db'))).toBe(false)
  })
})
