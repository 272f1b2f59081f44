/**
 * `pnpm collector`: starts the collector from environment variables (see the README), prints where it
 * listens and — the first time, when no admin key exists — a new admin key, once.
 * `pnpm collector copy --from … --to …` copies its data to another backend (copy-command.ts);
 * `pnpm collector backup --to …` and `restore --from …` back up and restore SQLite (backup-command.ts);
 * `pnpm collector key create [--scope admin|read]` makes a key when the first one is lost (key-command.ts).
 */
import { openBackend } from './backend/index.ts'
import { generateSecret } from './backend/secrets.ts'
import { backupCommand } from './backup-command.ts'
import { loadConfig, redactUrl } from './config.ts'
import { copyCommand } from './copy-command.ts'
import { keyCommand } from './key-command.ts'
import { startServer } from './server.ts'

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const backend = await openBackend(config)
  const now = Date.now()
  if (config.adminKey) {
    const key = await backend.addApiKey({ name: 'NPSKIT_ADMIN_KEY', secret: config.adminKey }, now)
    // A revoked key stays revoked: it does not come back because the environment still holds it.
    if (key.revokedAt !== null) {
      console.warn(
        `NPSKIT_ADMIN_KEY was revoked on ${new Date(key.revokedAt).toISOString()} and stays revoked: it opens nothing. ` +
          'Set NPSKIT_ADMIN_KEY to a new secret (at least 16 characters) to get in with it, or unset it and use another admin key.',
      )
    }
  } else if ((await backend.countActiveApiKeys()) === 0) {
    const secret = generateSecret()
    await backend.addApiKey({ name: 'first admin key', secret }, now)
    console.log(`admin key: ${secret}`)
    console.log('  (shown once; only its hash is stored — keep it somewhere safe)')
  }
  const server = await startServer({ config, backend })

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
  // Before the banner: whoever reads it may stop the collector at once.
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  console.log(`npskit collector listening on ${server.url}`)
  if (config.publicUrl) console.log(`public URL: ${config.publicUrl}`)
  console.log(`database: ${backend.location} (${backend.engine})`)
  if (server.metricsUrl) console.log(`metrics (no key): ${server.metricsUrl}/metrics`)
  console.log(
    config.smtpUrl
      ? `email: through ${redactUrl(config.smtpUrl)} from ${config.emailFrom}`
      : 'email: off (set NPSKIT_SMTP_URL to send case emails, alerts and digests)',
  )
  if (config.webhookAllowPrivate) {
    console.log(
      'webhooks: endpoints on loopback and private addresses allowed (NPSKIT_WEBHOOK_ALLOW_PRIVATE)',
    )
  }
}

if (process.argv[2] === 'copy') {
  copyCommand(process.argv.slice(3)).then((code) => process.exit(code))
} else if (process.argv[2] === 'backup' || process.argv[2] === 'restore') {
  backupCommand(process.argv[2], process.argv.slice(3)).then((code) => process.exit(code))
} else if (process.argv[2] === 'key') {
  keyCommand(process.argv.slice(3)).then((code) => process.exit(code))
} else {
  main().catch((error: unknown) => {
    console.error(
      `npskit collector could not start: ${error instanceof Error ? error.message : String(error)}`,
    )
    process.exit(1)
  })
}
