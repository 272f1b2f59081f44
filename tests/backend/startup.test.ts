/**
 * Starting the collector on PostgreSQL as a user does, with `NPSKIT_DATABASE_URL`: a working database
 * starts it (and says which), and each usual mistake stops it at once with a message that says what is
 * wrong — a URL that is not PostgreSQL's, a server that refuses the connection, a database that does
 * not exist.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../harness/collector.ts'
import { createDatabase, databaseUrl, requirePostgres } from '../harness/postgres.ts'

/** Runs the CLI until it listens (then stops it) or exits; answers what it printed and its exit code. */
function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'collector/src/cli.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NPSKIT_PORT: '0',
      NPSKIT_ADMIN_KEY: `npk_${randomBytes(16).toString('hex')}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (/listening on/.test(output) && /database: /.test(output)) child.kill('SIGTERM')
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => resolve({ code, output }))
  })
}

const postgresFound = await requirePostgres()

describe('starting the collector with NPSKIT_DATABASE_URL', () => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const drop of drops) await drop()
  })

  it('refuses a URL that is not PostgreSQL’s, naming the variable', async () => {
    const { code, output } = await run({ NPSKIT_DATABASE_URL: 'mysql://root:secret@localhost/npskit' })
    expect(code).toBe(1)
    expect(output).toContain('NPSKIT_DATABASE_URL must be a PostgreSQL URL')
    expect(output).not.toContain('secret')
  })

  it('says so when the server refuses the connection', async () => {
    const { code, output } = await run({ NPSKIT_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/npskit' })
    expect(code).toBe(1)
    expect(output).toContain('cannot reach PostgreSQL at 127.0.0.1:1: the connection was refused')
  })

  it.skipIf(!postgresFound)('says how to create a database that does not exist', async () => {
    const { code, output } = await run({ NPSKIT_DATABASE_URL: databaseUrl('npskit_missing_database') })
    expect(code).toBe(1)
    expect(output).toContain('the database "npskit_missing_database" does not exist')
    expect(output).toContain('createdb npskit_missing_database')
  })

  it.skipIf(!postgresFound)(
    'starts on a database it may use, migrates it, and says where the data lives',
    async () => {
      const database = await createDatabase()
      drops.push(database.drop)
      const first = await run({ NPSKIT_DATABASE_URL: database.url, NPSKIT_DATABASE_POOL: '3' })
      expect(first.output).toMatch(
        new RegExp(`database: 127\\.0\\.0\\.1:5432/${database.name} \\(postgres\\)`),
      )
      expect(first.code).toBe(0)
      // Again on the migrated database: nothing to do, same answer.
      const second = await run({ NPSKIT_DATABASE_URL: database.url })
      expect(second.code).toBe(0)
    },
  )
})
