/**
 * Test fixtures shared by the collector's tests: a fresh app over a real SQLite file in a temp folder,
 * an admin key, and small request helpers. Not part of the public API.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SurveyCreate } from '@npskit/shared'
import { createApp } from './app.ts'
import type { Backend, DataBatch, StoredResponse } from './backend/backend.ts'
import { generateSecret } from './backend/secrets.ts'
import { SqliteBackend } from './backend/sqlite/sqlite-backend.ts'
import { type Config, defaultConfig } from './config.ts'
import type { Clock } from './deps.ts'

export const ORIGIN = 'https://shop.example'

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'npskit-collector-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A clock the test moves by hand. */
export function manualClock(
  start = Date.parse('2026-03-01T12:00:00.000Z'),
): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = start
  return {
    now: () => now,
    set: (ms) => {
      now = ms
    },
    advance: (ms) => {
      now += ms
    },
  }
}

export interface Fixture {
  app: ReturnType<typeof createApp>
  backend: SqliteBackend
  key: string
  clock: ReturnType<typeof manualClock>
  dbPath: string
  /** An admin request with the key; `body` objects are sent as JSON. */
  admin(
    path: string,
    init?: { method?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>
  /** Creates a survey open to ORIGIN (plus `settings`) and returns its id. */
  survey(settings?: Partial<SurveyCreate>): Promise<string>
  /** A public POST from ORIGIN (or `origin`), JSON by default. */
  send(
    surveyId: string,
    kind: 'responses' | 'events',
    body: unknown,
    options?: { origin?: string | null; contentType?: string; headers?: Record<string, string> },
  ): Promise<Response>
  close(): Promise<void>
}

export async function fixture(config: Partial<Config> = {}): Promise<Fixture> {
  const { dir, remove } = tempDir()
  const dbPath = join(dir, 'npskit.db')
  const backend = new SqliteBackend(dbPath)
  const key = generateSecret()
  const clock = manualClock()
  await backend.addApiKey({ name: 'test', secret: key }, clock.now())
  const app = createApp({
    backend,
    clock,
    config: defaultConfig({ dbPath, dataDir: dir, rateLimit: 0, widgetDir: join(dir, 'widget'), ...config }),
  })

  const admin: Fixture['admin'] = (path, init = {}) =>
    Promise.resolve(
      app.request(path, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${key}`,
          ...(init.body !== undefined && typeof init.body !== 'string'
            ? { 'content-type': 'application/json' }
            : {}),
          ...init.headers,
        },
        ...(init.body !== undefined
          ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
          : {}),
      }),
    )

  return {
    app,
    backend,
    key,
    clock,
    dbPath,
    admin,
    async survey(settings = {}) {
      const res = await admin('/v1/surveys', {
        method: 'POST',
        body: { name: 'Checkout', allowedOrigins: [ORIGIN], ...settings },
      })
      if (res.status !== 201) throw new Error(`survey not created: ${res.status} ${await res.text()}`)
      return ((await res.json()) as { id: string }).id
    },
    send(surveyId, kind, body, options = {}) {
      const origin = options.origin === undefined ? ORIGIN : options.origin
      return Promise.resolve(
        app.request(`/v1/surveys/${surveyId}/${kind}`, {
          method: 'POST',
          headers: {
            'content-type': options.contentType ?? 'application/json',
            ...(origin ? { origin } : {}),
            ...options.headers,
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      )
    },
    async close() {
      await backend.close()
      remove()
    },
  }
}

export const uuid = () => randomUUID()

/** An answer as an import hands it to the backend: no optional field, except the ones given. */
export function storedAnswer(fields: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id: randomUUID(),
    createdAt: Date.UTC(2026, 0, 1),
    score: 9,
    comment: null,
    respondentId: null,
    locale: null,
    url: null,
    path: null,
    device: null,
    metadata: null,
    contact: null,
    source: 'import',
    ...fields,
  }
}

/** The error code of an error answer. */
export async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code
}

/** Everything a backend holds, read through the contract (its export): for tests that look at all of it. */
export async function everything(backend: Backend) {
  const all = {
    surveys: [] as Extract<DataBatch, { kind: 'surveys' }>['rows'],
    keys: [] as Extract<DataBatch, { kind: 'keys' }>['rows'],
    responses: [] as (Extract<DataBatch, { kind: 'responses' }>['rows'][number] & { surveyId: string })[],
    events: [] as Extract<DataBatch, { kind: 'events' }>['rows'],
    cases: [] as Extract<DataBatch, { kind: 'cases' }>['rows'],
    endpoints: [] as Extract<DataBatch, { kind: 'endpoints' }>['rows'],
  }
  for await (const batch of backend.exportData()) {
    if (batch.kind === 'responses')
      all.responses.push(...batch.rows.map((r) => ({ ...r, surveyId: batch.surveyId })))
    else if (batch.kind === 'surveys') all.surveys.push(...batch.rows)
    else if (batch.kind === 'keys') all.keys.push(...batch.rows)
    else if (batch.kind === 'cases') all.cases.push(...batch.rows)
    else if (batch.kind === 'endpoints') all.endpoints.push(...batch.rows)
    else all.events.push(...batch.rows)
  }
  return all
}
