import { describe, expect, it } from 'vitest'
import { DEFAULT_WIDGET_DIR, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      dbPath: './data/npskit.db',
      adminKey: undefined,
      rateLimit: 600,
      trustProxy: false,
      authFailureLimit: 10,
      publicBodyLimit: 16 * 1024,
      importLimit: 100 * 1024 * 1024,
      widgetDir: DEFAULT_WIDGET_DIR,
      sync: 'full',
    })
    expect(DEFAULT_WIDGET_DIR).toMatch(/widget[/\\]dist$/)
  })

  it('reads every NPSKIT_ variable', () => {
    expect(
      loadConfig({
        NPSKIT_PORT: '0',
        NPSKIT_HOST: '0.0.0.0',
        NPSKIT_DB: '/var/lib/npskit/db.sqlite',
        NPSKIT_ADMIN_KEY: 'a-long-enough-admin-key',
        NPSKIT_PUBLIC_URL: 'https://nps.example.com/',
        NPSKIT_RATE_LIMIT: '0',
        NPSKIT_TRUST_PROXY: 'true',
        NPSKIT_AUTH_FAILURE_LIMIT: '3',
        NPSKIT_IMPORT_LIMIT: '2048',
        NPSKIT_WIDGET_DIR: '/srv/widget',
        NPSKIT_SYNC: 'normal',
        NPSKIT_DATABASE_URL: 'postgres://npskit:secret@db.internal:5432/npskit',
        NPSKIT_DATABASE_POOL: '25',
      }),
    ).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      dbPath: '/var/lib/npskit/db.sqlite',
      adminKey: 'a-long-enough-admin-key',
      publicUrl: 'https://nps.example.com',
      rateLimit: 0,
      trustProxy: true,
      authFailureLimit: 3,
      importLimit: 2048,
      widgetDir: '/srv/widget',
      sync: 'normal',
      databaseUrl: 'postgres://npskit:secret@db.internal:5432/npskit',
      databasePoolSize: 25,
    })
  })

  it('keeps its own files in the data folder: NPSKIT_DATA_DIR, else the SQLite file’s folder, else ./data', () => {
    expect(loadConfig({})).toMatchObject({ dataDir: './data', dbPath: './data/npskit.db' })
    expect(loadConfig({ NPSKIT_DATA_DIR: '/srv/npskit' })).toMatchObject({
      dataDir: '/srv/npskit',
      dbPath: '/srv/npskit/npskit.db',
    })
    expect(loadConfig({ NPSKIT_DB: '/var/lib/x/nps.db' }).dataDir).toBe('/var/lib/x')
    expect(loadConfig({ NPSKIT_DATA_DIR: '/srv/files', NPSKIT_DB: '/var/lib/x/nps.db' })).toMatchObject({
      dataDir: '/srv/files',
      dbPath: '/var/lib/x/nps.db',
    })
  })

  it('refuses webhooks to private addresses unless NPSKIT_WEBHOOK_ALLOW_PRIVATE is true', () => {
    expect(loadConfig({}).webhookAllowPrivate).toBe(false)
    expect(loadConfig({ NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'true' }).webhookAllowPrivate).toBe(true)
    expect(loadConfig({ NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'off' }).webhookAllowPrivate).toBe(false)
    expect(() => loadConfig({ NPSKIT_WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow(
      'NPSKIT_WEBHOOK_ALLOW_PRIVATE must be true or false',
    )
  })

  it('caps the rows of one import at a million unless NPSKIT_IMPORT_ROW_LIMIT says otherwise', () => {
    expect(loadConfig({}).importRowLimit).toBe(1_000_000)
    expect(loadConfig({ NPSKIT_IMPORT_ROW_LIMIT: '5000' }).importRowLimit).toBe(5000)
    expect(() => loadConfig({ NPSKIT_IMPORT_ROW_LIMIT: '0' })).toThrow(
      'NPSKIT_IMPORT_ROW_LIMIT must be an integer',
    )
  })

  it('takes a read replica for the figures only beside a primary', () => {
    expect(
      loadConfig({
        NPSKIT_DATABASE_URL: 'postgres://db/npskit',
        NPSKIT_DATABASE_READ_URL: 'postgres://replica/npskit',
      }),
    ).toMatchObject({ databaseUrl: 'postgres://db/npskit', databaseReadUrl: 'postgres://replica/npskit' })
    expect(() => loadConfig({ NPSKIT_DATABASE_READ_URL: 'postgres://replica/npskit' })).toThrow(
      'NPSKIT_DATABASE_READ_URL names a read replica of NPSKIT_DATABASE_URL, which is not set',
    )
  })

  it('uses SQLite unless NPSKIT_DATABASE_URL is set, with a pool of 10 for PostgreSQL', () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: undefined, databasePoolSize: 10 })
    expect(loadConfig({ NPSKIT_DATABASE_URL: 'postgresql://localhost/npskit' }).databaseUrl).toBe(
      'postgresql://localhost/npskit',
    )
  })

  it('names NPSKIT_DATABASE_URL without its password when it is not a PostgreSQL URL', () => {
    expect(() => loadConfig({ NPSKIT_DATABASE_URL: 'mysql://root:hunter2@localhost/npskit' })).toThrow(
      /NPSKIT_DATABASE_URL must be a PostgreSQL URL .*mysql:\/\/root:\*\*\*@localhost\/npskit/,
    )
    // Not even a URL: the password is still left out.
    expect(() => loadConfig({ NPSKIT_DATABASE_URL: 'postgres//nope:hunter2@x' })).toThrow('nope:***@x')
  })

  it.each([
    ['NPSKIT_PORT', 'eighty'],
    ['NPSKIT_PORT', '70000'],
    ['NPSKIT_RATE_LIMIT', '-1'],
    ['NPSKIT_AUTH_FAILURE_LIMIT', 'ten'],
    ['NPSKIT_TRUST_PROXY', 'maybe'],
    ['NPSKIT_ADMIN_KEY', 'short'],
    ['NPSKIT_PUBLIC_URL', 'not a url'],
    ['NPSKIT_SYNC', 'sometimes'],
    ['NPSKIT_DATABASE_URL', 'db.internal:5432'],
    ['NPSKIT_DATABASE_POOL', '0'],
    ['NPSKIT_HEADERS_TIMEOUT_MS', '10s'],
    ['NPSKIT_REQUEST_TIMEOUT_MS', '0'],
    ['NPSKIT_KEEP_ALIVE_TIMEOUT_MS', '-5'],
    ['NPSKIT_MAX_CONNECTIONS', '0'],
    ['NPSKIT_SMTP_URL', 'mail.example.com:25'],
    ['NPSKIT_SMTP_URL', 'http://mail.example.com'],
    ['NPSKIT_EMAIL_FROM', 'npskit'],
  ])('stops with a message naming %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name)
  })

  it('sends no email unless NPSKIT_SMTP_URL is set, from npskit <npskit@localhost> by default', () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: undefined, emailFrom: 'npskit <npskit@localhost>' })
    expect(
      loadConfig({
        NPSKIT_SMTP_URL: 'smtps://mailer:s3cret@smtp.example.com:465',
        NPSKIT_EMAIL_FROM: 'Shop NPS <nps@shop.example>',
      }),
    ).toMatchObject({
      smtpUrl: 'smtps://mailer:s3cret@smtp.example.com:465',
      emailFrom: 'Shop NPS <nps@shop.example>',
    })
    expect(loadConfig({ NPSKIT_SMTP_URL: 'smtp://127.0.0.1:2525' }).smtpUrl).toBe('smtp://127.0.0.1:2525')
    expect(loadConfig({ NPSKIT_EMAIL_FROM: 'nps@shop.example' }).emailFrom).toBe('nps@shop.example')
  })

  it('names NPSKIT_SMTP_URL without its password when it is not an SMTP URL', () => {
    expect(() => loadConfig({ NPSKIT_SMTP_URL: 'https://mailer:hunter2@smtp.example.com' })).toThrow(
      /NPSKIT_SMTP_URL must be an SMTP URL .*mailer:\*\*\*@smtp\.example\.com/,
    )
  })

  it('bounds slow clients by default: 10 s for headers, 60 s for a request, 5 s idle, 1024 connections', () => {
    expect(loadConfig({})).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
    })
    expect(
      loadConfig({
        NPSKIT_HEADERS_TIMEOUT_MS: '500',
        NPSKIT_REQUEST_TIMEOUT_MS: '900',
        NPSKIT_MAX_CONNECTIONS: '3',
      }),
    ).toMatchObject({ headersTimeoutMs: 500, requestTimeoutMs: 900, maxConnections: 3 })
  })

  it('refuses a header timeout longer than the request timeout that contains it', () => {
    expect(() => loadConfig({ NPSKIT_HEADERS_TIMEOUT_MS: '70000' })).toThrow(
      /NPSKIT_HEADERS_TIMEOUT_MS.*NPSKIT_REQUEST_TIMEOUT_MS/,
    )
  })
})
