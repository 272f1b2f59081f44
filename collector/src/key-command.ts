/**
 * `npskit-collector key create [--scope admin|read] [--name <name>]`: a new API key written straight
 * into the collector's database (the one the server opens: `NPSKIT_DB`, or PostgreSQL with
 * `NPSKIT_DATABASE_URL`), for whoever lost the first admin key and so can reach neither the dashboard nor
 * `/v1/keys`. The secret is printed once; only its hash is stored. It works while the collector runs:
 * keys are never cached, so the new key opens the running collector at once.
 *
 * @example
 * npskit-collector key create
 * npskit-collector key create --scope read --name "CS team"
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openBackend } from './backend/index.ts'
import { generateSecret } from './backend/secrets.ts'
import { loadConfig } from './config.ts'
import { keyCreateSchema } from './routes/keys.ts'

const USAGE = `usage: npskit-collector key create [--scope admin|read] [--name <name>]

Makes a new API key in the collector's database (NPSKIT_DB, or NPSKIT_DATABASE_URL for PostgreSQL:
the same settings the collector starts with) and prints its secret once. Use it to get in when the
first admin key is lost; the collector may keep running.

--scope  admin (the default: everything) or read (figures, responses and exports; changes nothing)
--name   what the key is for, as the key list shows it (default: "command-line key")`

/** Runs `key …`; answers the process exit code. */
export async function keyCommand(
  args: string[],
  print = console.log,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let parsed: { values: { scope?: string; name?: string; help?: boolean }; positionals: string[] }
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { scope: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } },
    })
  } catch (error) {
    print(`${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    print(USAGE)
    return 0
  }
  if (positionals.length !== 1 || positionals[0] !== 'create') {
    print(USAGE)
    return 2
  }
  // The API's own rules for a key's name and scope, so the two ways of making a key agree.
  const wanted = keyCreateSchema.safeParse({ name: values.name ?? 'command-line key', scope: values.scope })
  if (!wanted.success) {
    const issue = wanted.error.issues[0]!
    print(`--${String(issue.path[0])}: ${issue.message}\n\n${USAGE}`)
    return 2
  }

  try {
    const config = loadConfig(env)
    if (!config.databaseUrl) {
      // A new, empty database would take the key and open nothing: the user meant the collector's own.
      const database = resolve(config.dbPath)
      if (config.dbPath === ':memory:' || !existsSync(database)) {
        print(
          `no collector database at ${database}. Point NPSKIT_DB at the database your collector uses ` +
            '(it prints it as `database: …` when it starts)',
        )
        return 1
      }
    }
    const backend = await openBackend(config)
    try {
      const secret = generateSecret()
      const key = await backend.addApiKey({ ...wanted.data, secret }, Date.now())
      print(`created the ${key.scope} key "${key.name}" in ${backend.location} (${backend.engine})`)
      print(`${key.scope} key: ${secret}`)
      print('  (shown once; only its hash is stored — keep it somewhere safe)')
      print('Sign in to the dashboard with it, or send it as `Authorization: Bearer <key>`.')
    } finally {
      await backend.close()
    }
    return 0
  } catch (error) {
    print(`key create failed: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
}
