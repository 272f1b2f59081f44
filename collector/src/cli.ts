/**
 * `pnpm collector`: starts the collector from environment variables (see the README), prints where it
 * listens and — the first time, when no admin key exists — a new admin key, once.
 */
import { loadConfig } from './config.ts'
import { startServer } from './server.ts'
import { generateSecret } from './store/keys.ts'
import { SqliteStore } from './store/sqlite-store.ts'

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const store = new SqliteStore(config.dbPath, { sync: config.sync })
  const now = Date.now()
  if (config.adminKey) {
    await store.addApiKey({ name: 'NPSKIT_ADMIN_KEY', secret: config.adminKey }, now)
  } else if (store.countActiveApiKeys() === 0) {
    const secret = generateSecret()
    await store.addApiKey({ name: 'first admin key', secret }, now)
    console.log(`admin key: ${secret}`)
    console.log('  (shown once; only its hash is stored — keep it somewhere safe)')
  }
  const server = await startServer({ config, store })
  console.log(`npskit collector listening on ${server.url}`)
  if (config.publicUrl) console.log(`public URL: ${config.publicUrl}`)
  console.log(`database: ${config.dbPath}`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: finishing in-flight requests and closing the database`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  console.error(`npskit collector could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
