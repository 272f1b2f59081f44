/**
 * `pnpm start`: the whole product on one machine. Starts the collector on http://localhost:8787 with its
 * SQLite file in ./data, creates the demo survey on the first start only (its id is kept in
 * data/demo.json), serves the demo site from a second origin (http://localhost:5173), and prints where
 * everything is: the dashboard first (the collector's `/`), and which key signs in to it. Ctrl-C stops
 * both.
 *
 * Beside them runs the demo's follow-up inbox (inbox.ts): a webhook receiver that checks signatures and an
 * SMTP server, which the collector is pointed at, so a detractor's answer shows its case, its signed
 * webhook and its email here, with no code of the user's. Loopback endpoints are allowed for the demo
 * only (NPSKIT_WEBHOOK_ALLOW_PRIVATE): a real collector refuses them.
 *
 * Env: NPSKIT_PORT (8787), DEMO_PORT (5173), DEMO_WEBHOOK_PORT (5174), DEMO_SMTP_PORT (2525),
 * NPSKIT_SMTP_URL (your own SMTP server instead of the demo's), NPSKIT_DATA_DIR (./data), NPSKIT_DB (<data dir>/npskit.db),
 * NPSKIT_ADMIN_KEY (when the database already exists and demo.json does not, the demo needs a key to
 * create its survey). Port 0 picks a free port (the end-to-end test of this script uses that).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EXAMPLE_SURVEY, exampleAnswers } from './example-data.ts'
import { type Inbox, startInbox } from './inbox.ts'
import { type DemoServer, startDemoServer } from './server.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = resolve(root, process.env.NPSKIT_DATA_DIR ?? 'data')
// The demo survey lives in the collector's database, so its id is kept per database: the SQLite file's
// in demo.json, a PostgreSQL database's (NPSKIT_DATABASE_URL) in a file named after it.
const databaseUrl = process.env.NPSKIT_DATABASE_URL?.trim()
const demoFile = join(
  dataDir,
  databaseUrl
    ? `demo-postgres-${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 12)}.json`
    : 'demo.json',
)
const dbPath = resolve(root, process.env.NPSKIT_DB ?? join(dataDir, 'npskit.db'))

interface DemoState {
  surveyId: string
  createdAt: string
  /** The demo survey's webhook endpoint, pointed at the inbox, and its secret (this demo's only). */
  webhook?: { id: string; url: string; secret: string }
  /** The survey of example answers (example-data.ts), made beside the demo survey when there is a key. */
  exampleSurveyId?: string
  /**
   * The site backend's own key (named so in the dashboard's key list, revocable there), made on the
   * first start, so that /commands makes personal links on every later start too, when the collector
   * no longer prints its admin key. Kept in the data folder, beside the database it opens.
   */
  siteKey?: { id: string; secret: string }
}

/** Where the demo's team gets its case emails and digests. */
const TEAM_EMAIL = 'team@acme-notes.test'

function startCollector(inbox: Inbox): Promise<{
  child: ChildProcess
  port: number
  adminKey: string | null
  database: string
}> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'collector/src/cli.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NPSKIT_PORT: process.env.NPSKIT_PORT ?? '8787',
      NPSKIT_HOST: process.env.NPSKIT_HOST ?? '127.0.0.1',
      NPSKIT_DB: dbPath,
      NPSKIT_WIDGET_DIR: join(root, 'widget/dist'),
      NPSKIT_SMTP_URL: process.env.NPSKIT_SMTP_URL ?? inbox.smtpUrl,
      NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Links in case emails and chat messages lead back to this dashboard.
      NPSKIT_PUBLIC_URL:
        process.env.NPSKIT_PUBLIC_URL ?? `http://localhost:${process.env.NPSKIT_PORT ?? '8787'}`,
      // The demo's terminal shows the banner and problems, not an access line per widget request.
      NPSKIT_LOG_LEVEL: process.env.NPSKIT_LOG_LEVEL ?? 'warn',
    },
    // Ctrl-C reaches the whole process group; we stop the collector ourselves, in order.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let adminKey: string | null = process.env.NPSKIT_ADMIN_KEY ?? null
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the collector did not start in 30 s:\n${out}`)), 30_000)
    let heard = false
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const key = /admin key: (\S+)/.exec(out)
      if (key) adminKey = key[1]!
      const listening = /listening on http:\/\/\S+:(\d+)/.exec(out)
      if (listening && !heard) {
        heard = true
        clearTimeout(timer)
        // The CLI prints the key first; should a version print it after, it arrives in the same burst.
        setTimeout(() => {
          const late = /admin key: (\S+)/.exec(out)
          if (late) adminKey = late[1]!
          child.stdout!.off('data', onData)
          child.stdout!.on('data', (c: Buffer) => process.stdout.write(`[collector] ${c}`))
          // Where the collector says its data lives: the SQLite file, or the PostgreSQL database.
          const database = /database: (.+)/.exec(out)?.[1]?.trim() ?? dbPath
          resolvePromise({ child, port: Number(listening[1]), adminKey, database })
        }, 150)
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString()
      process.stderr.write(`[collector] ${c}`)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the collector exited with ${code}:\n${out}`))
    })
  })
}

/** A call of the collector's admin API with the demo's key; throws with what the collector said. */
async function adminCall<T>(
  collectorPort: number,
  adminKey: string,
  method: string,
  path: string,
  body: unknown,
) {
  const res = await fetch(`http://127.0.0.1:${collectorPort}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = (await res.json()) as T
  if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(answer)}`)
  return answer
}

async function createDemoSurvey(
  collectorPort: number,
  demoPort: number,
  adminKey: string,
): Promise<DemoState> {
  // Every detractor opens a case (the default rule), the card asks whether we may get in touch, and the
  // team is emailed each case and a weekly digest.
  const survey = await adminCall<{ id: string }>(collectorPort, adminKey, 'POST', '/v1/surveys', {
    name: 'Acme Notes demo',
    allowedOrigins: [`http://localhost:${demoPort}`, `http://127.0.0.1:${demoPort}`],
    display: { delaySeconds: 2, urlExclude: ['/app/billing*'] },
    contact: { ask: true },
    // Promoters are asked to tell others; the demo's own page stands in for a review site.
    thanks: { action: 'review', url: `http://localhost:${demoPort}/?review`, site: 'Acme Reviews' },
    notifications: { emails: [TEAM_EMAIL], caseEmails: true, digest: 'weekly' },
  })
  return { surveyId: survey.id, createdAt: new Date().toISOString() }
}

/**
 * A second survey holding two years of example answers with planted effects (example-data.ts), so the
 * dashboard has figures worth reading on the first start. Imported answers are history: they open no
 * cases and send nothing; the survey sends no digest or alert either.
 */
async function createExampleSurvey(collectorPort: number, adminKey: string): Promise<string> {
  const survey = await adminCall<{ id: string }>(collectorPort, adminKey, 'POST', '/v1/surveys', {
    ...EXAMPLE_SURVEY,
    notifications: { digest: 'off', alert: null },
  })
  const rows = [...exampleAnswers({ now: Date.now() })].map((row) => JSON.stringify(row)).join('\n')
  const res = await fetch(`http://127.0.0.1:${collectorPort}/v1/surveys/${survey.id}/responses/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/x-ndjson' },
    body: rows,
  })
  if (!res.ok) throw new Error(`importing the example answers failed: ${res.status} ${await res.text()}`)
  return survey.id
}

/** The demo survey's endpoint at the inbox: made once, moved when the inbox's port changed. */
async function ensureWebhook(
  collectorPort: number,
  adminKey: string | null,
  state: DemoState,
  inbox: Inbox,
): Promise<DemoState> {
  if (state.webhook?.url === inbox.webhookUrl) return state
  if (!adminKey) {
    console.warn(
      'The demo webhook endpoint cannot be made or moved without a key: run with NPSKIT_ADMIN_KEY=<key> pnpm start.',
    )
    return state
  }
  if (state.webhook) {
    await adminCall(collectorPort, adminKey, 'PATCH', `/v1/webhooks/${state.webhook.id}`, {
      url: inbox.webhookUrl,
    })
    return { ...state, webhook: { ...state.webhook, url: inbox.webhookUrl } }
  }
  const endpoint = await adminCall<{ id: string; secret: string }>(
    collectorPort,
    adminKey,
    'POST',
    '/v1/webhooks',
    { url: inbox.webhookUrl, surveyId: state.surveyId, description: 'the demo inbox (demo/inbox.ts)' },
  )
  return { ...state, webhook: { id: endpoint.id, url: inbox.webhookUrl, secret: endpoint.secret } }
}

async function main(): Promise<void> {
  for (const built of ['widget/dist/nps.js', 'collector/dashboard/dist/index.html']) {
    if (!existsSync(join(root, built))) {
      console.error(`${built} is missing: run \`pnpm build\` first (\`pnpm start\` does).`)
      process.exit(1)
    }
  }
  mkdirSync(dataDir, { recursive: true })
  const inbox = await startInbox({
    webhookPort: Number(process.env.DEMO_WEBHOOK_PORT ?? 5174),
    smtpPort: Number(process.env.DEMO_SMTP_PORT ?? 2525),
    print: (line) => console.log(`[inbox] ${line}`),
  })
  const { child, port: collectorPort, adminKey, database } = await startCollector(inbox)
  // Two different origins on purpose: the cross-origin path is the one every real site takes.
  const collectorUrl = `http://localhost:${collectorPort}`
  let surveyId = ''
  // The site backend's key for personal links, once demo.json is read (see DemoState.siteKey).
  let siteKey: string | null = null
  let demo: DemoServer | null = null
  let stopping = false
  const stop = async (code = 0) => {
    if (stopping) return
    stopping = true
    console.log('\nstopping…')
    await demo?.close()
    await inbox.close()
    if (child.exitCode === null) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
        child.once('exit', () => {
          clearTimeout(timer)
          done()
        })
        child.kill('SIGTERM')
      })
    }
    process.exit(code)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`the collector stopped unexpectedly (exit ${code})`)
      void stop(1)
    }
  })

  try {
    // The demo server starts first: the survey's allowed origin needs its port (0 picks a free one).
    demo = await startDemoServer({
      collectorUrl,
      surveyId: () => surveyId,
      // The site's backend holds the key to make personal survey links (/commands); no browser sees it.
      adminKey: () => adminKey ?? siteKey,
      port: Number(process.env.DEMO_PORT ?? 5173),
    })
    const demoPort = Number(new URL(demo.url).port)
    let state: DemoState | null = existsSync(demoFile)
      ? (JSON.parse(readFileSync(demoFile, 'utf8')) as DemoState)
      : null
    let created = false
    if (!state) {
      if (!adminKey) {
        throw new Error(
          `${demoFile} is missing and the database already has an admin key. Run again with ` +
            'NPSKIT_ADMIN_KEY=<key> pnpm start, or delete the data folder to start over.',
        )
      }
      state = await createDemoSurvey(collectorPort, demoPort, adminKey)
      created = true
    }
    state = await ensureWebhook(collectorPort, adminKey, state, inbox)
    if (!state.exampleSurveyId && adminKey) {
      state = { ...state, exampleSurveyId: await createExampleSurvey(collectorPort, adminKey) }
    }
    if (!state.siteKey && adminKey) {
      const key = await adminCall<{ id: string; key: string }>(collectorPort, adminKey, 'POST', '/v1/keys', {
        name: 'demo site (personal links on /commands)',
      })
      state = { ...state, siteKey: { id: key.id, secret: key.key } }
    }
    siteKey = state.siteKey?.secret ?? null
    // The secret stays in the data folder for the demo's own receiver, which must verify signatures.
    writeFileSync(demoFile, `${JSON.stringify(state, null, 2)}\n`)
    if (state.webhook) inbox.trust(state.webhook.secret)
    surveyId = state.surveyId

    // A key the collector just made is shown once, here; a key from the environment stays out of the log.
    const madeKey = adminKey && !process.env.NPSKIT_ADMIN_KEY ? adminKey : null
    const keyShown = madeKey ?? '$NPSKIT_ADMIN_KEY'
    // The landing page signs in; it needs an admin key (or a read key an admin made).
    const signIn = madeKey
      ? ['Sign in to the dashboard with the admin key above.']
      : process.env.NPSKIT_ADMIN_KEY
        ? ['Sign in to the dashboard with the key in NPSKIT_ADMIN_KEY.']
        : [
            'Sign in to the dashboard with the admin key your first start printed (or NPSKIT_ADMIN_KEY);',
            'lost it? `pnpm collector key create` prints a new one.',
          ]
    const lines = [
      '',
      'npskit is running',
      `  dashboard  ${collectorUrl}/`,
      `  collector  ${collectorUrl}   (database ${database})`,
      `  demo site  ${demo.url}   (survey ${state.surveyId}${created ? ', created now' : ''})`,
      `  inbox      ${inbox.pageUrl}   (webhooks and emails the demo survey sends; lines marked [inbox])`,
    ]
    if (state.exampleSurveyId) {
      lines.push(`  example    survey ${state.exampleSurveyId}   (two years of seeded answers to explore)`)
    }
    if (madeKey)
      lines.push(`  admin key  ${madeKey}   (shown once: keep it, the database stores only its hash)`)
    lines.push(
      '',
      ...signIn,
      '',
      'Answer the demo card with 0–6: a case opens (dashboard → Cases), and the inbox shows',
      'its signed webhook and the email to the team within a few seconds of the comment.',
      '',
      'Read the demo survey’s NPS:',
      `  curl -H "Authorization: Bearer ${keyShown}" ${collectorUrl}/v1/surveys/${state.surveyId}/nps`,
      '',
      'Press Ctrl-C to stop.',
    )
    console.log(lines.join('\n'))
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    await stop(1)
  }
}

await main()
