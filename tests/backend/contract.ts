/**
 * The backend contract: one suite every engine runs unchanged (sqlite.test.ts, postgres.test.ts),
 * written against the `Backend` interface only — surveys, keys, writes and merges, imports, erasure,
 * copying, and the hourly counts held exact through every kind of change. The analytics figures have a
 * suite of their own (analytics-contract.ts).
 *
 * @example
 * describeBackendContract(sqliteEngine())
 */
import { randomUUID } from 'node:crypto'
import { type Backend, type DataBatch, type StoredResponse, UnknownSurveyError } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { storedAnswer } from '../../collector/src/testing.ts'
import type { Engine } from './engines.ts'
import { latestScenario, latestWindows, recountLatest } from './latest-scenario.ts'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const HOUR = 3_600_000
const DAY = 86_400_000

/** A response as an import hands it to the backend: defaults, with the fields given. */
export const stored = (fields: Partial<StoredResponse> = {}): StoredResponse =>
  storedAnswer({ createdAt: T0, ...fields })

/** Everything a backend holds, batch by batch, through its export. */
export async function exported(backend: Backend): Promise<DataBatch[]> {
  const batches: DataBatch[] = []
  for await (const batch of backend.exportData(7)) batches.push(batch)
  return batches
}

export function describeBackendContract(engine: Engine): void {
  describe(`the ${engine.name} backend (contract)`, () => {
    let backend: Backend
    beforeEach(async () => {
      backend = await engine.open()
    })
    afterEach(async () => {
      await backend.close()
    })
    afterAll(() => engine.cleanup())

    const newSurvey = async (label = 'Checkout') =>
      (await backend.createSurvey(defaultSurveySettings(label), T0)).id

    describe('surveys', () => {
      it('gives each survey an unguessable srv_ id and reads it back with its settings', async () => {
        const a = await backend.createSurvey(defaultSurveySettings('A'), T0)
        const b = await backend.createSurvey(defaultSurveySettings('B'), T0)
        expect(a.id).toMatch(/^srv_[A-Za-z0-9_-]{20,}$/)
        expect(a.id).not.toBe(b.id)
        expect(await backend.getSurvey(a.id)).toEqual({
          id: a.id,
          settings: defaultSurveySettings('A'),
          createdAt: T0,
          updatedAt: T0,
        })
        expect(await backend.getSurvey('srv_missing')).toBeUndefined()
      })

      it('lists surveys page by page, each once', async () => {
        const ids = []
        for (let i = 0; i < 5; i++)
          ids.push((await backend.createSurvey(defaultSurveySettings(`S${i}`), T0 + i)).id)
        const first = await backend.listSurveys(2)
        const second = await backend.listSurveys(2, first.next!)
        const third = await backend.listSurveys(2, second.next!)
        expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(ids)
        expect(third.next).toBeNull()
      })

      it('changes settings, keeps the creation time, and reads the change back at once', async () => {
        const id = await newSurvey()
        expect((await backend.getSurvey(id))?.settings.name).toBe('Checkout')
        const settings = { ...defaultSurveySettings('Renamed'), responseLifetimeDays: 30 }
        const updated = await backend.updateSurvey(id, settings, T0 + DAY)
        expect(updated).toMatchObject({ settings, createdAt: T0, updatedAt: T0 + DAY })
        expect((await backend.getSurvey(id))?.settings.name).toBe('Renamed')
        expect(await backend.updateSurvey('srv_missing', settings, T0)).toBeUndefined()
      })

      it('deletes a survey with its responses and events', async () => {
        const id = await newSurvey()
        const kept = await newSurvey('Kept')
        await backend.getSurvey(id)
        await backend.writeResponse(id, { id: randomUUID(), score: 3, respondentId: 'r1', receivedAt: T0 })
        await backend.writeEvent(id, { type: 'shown', respondentId: 'r1' }, T0)
        await backend.writeResponse(kept, { id: randomUUID(), score: 9, receivedAt: T0 })
        expect(await backend.deleteSurvey(id)).toBe(true)
        expect(await backend.getSurvey(id)).toBeUndefined()
        expect(await backend.deleteSurvey(id)).toBe(false)
        // The survey's rows are gone: erasing its respondent finds nothing left.
        expect(await backend.eraseRespondent('r1')).toEqual({
          responses: 0,
          events: 0,
          cases: 0,
          deliveries: 0,
          emails: 0,
        })
        expect(await backend.distribution(id, {})).toEqual(new Array(11).fill(0))
        expect((await backend.distribution(kept, {}))[9]).toBe(1)
        await expect(
          backend.writeResponse(id, { id: randomUUID(), score: 3, receivedAt: T0 }),
        ).rejects.toBeInstanceOf(UnknownSurveyError)
      })
    })

    describe('API keys', () => {
      it('accepts a key by its secret and refuses any other secret', async () => {
        const key = await backend.addApiKey({ name: 'ci', secret: 'npk_secret-one-abcdefgh' }, T0)
        // A list tells keys apart by the last 4 characters: too few to help anyone guess the rest.
        expect(key).toMatchObject({ name: 'ci', last4: 'efgh', revokedAt: null })
        expect(JSON.stringify(await backend.listApiKeys())).not.toContain('npk_secr')
        expect((await backend.verifyApiKey('npk_secret-one-abcdefgh'))?.id).toBe(key.id)
        expect(await backend.verifyApiKey('npk_secret-one-abcdefgX')).toBeUndefined()
        expect(JSON.stringify(await backend.listApiKeys())).not.toContain('secret-one')
        // Only its hash is stored: nothing the backend holds contains the secret.
        expect(JSON.stringify(await exported(backend))).not.toContain('secret-one')
      })

      it('refuses a revoked key and counts only active keys', async () => {
        const a = await backend.addApiKey({ name: 'a', secret: 'npk_aaaaaaaaaaaaaaaa' }, T0)
        await backend.addApiKey({ name: 'b', secret: 'npk_bbbbbbbbbbbbbbbb' }, T0)
        expect(await backend.countActiveApiKeys()).toBe(2)
        expect((await backend.revokeApiKey(a.id, T0 + 1))?.revokedAt).toBe(T0 + 1)
        expect(await backend.verifyApiKey('npk_aaaaaaaaaaaaaaaa')).toBeUndefined()
        expect(await backend.countActiveApiKeys()).toBe(1)
      })

      it('keeps one key when the same secret is added again, and a revoked one stays revoked', async () => {
        const a = await backend.addApiKey({ name: 'env', secret: 'npk_same-secret-123' }, T0)
        expect(await backend.addApiKey({ name: 'env', secret: 'npk_same-secret-123' }, T0 + 1)).toEqual(a)
        await backend.revokeApiKey(a.id, T0 + 2)
        // NPSKIT_ADMIN_KEY is added at every start: a revoked one must not come back by itself.
        const b = await backend.addApiKey({ name: 'env', secret: 'npk_same-secret-123' }, T0 + 3)
        expect(b).toMatchObject({ id: a.id, revokedAt: T0 + 2 })
        expect(await backend.listApiKeys()).toHaveLength(1)
        expect(await backend.verifyApiKey('npk_same-secret-123')).toBeUndefined()
      })

      it('keeps the scope a key was made with: admin unless read is asked for', async () => {
        const admin = await backend.addApiKey({ name: 'ops', secret: 'npk_scope-admin-1234' }, T0)
        const read = await backend.addApiKey(
          { name: 'cs', secret: 'npk_scope-read-12345', scope: 'read' },
          T0,
        )
        expect(admin.scope).toBe('admin')
        expect(read.scope).toBe('read')
        expect((await backend.verifyApiKey('npk_scope-read-12345'))?.scope).toBe('read')
        expect(Object.fromEntries((await backend.listApiKeys()).map((k) => [k.name, k.scope]))).toEqual({
          ops: 'admin',
          cs: 'read',
        })
        // The same secret again keeps its scope, whatever is asked: a scope is never changed.
        expect(
          (await backend.addApiKey({ name: 'cs', secret: 'npk_scope-read-12345', scope: 'admin' }, T0 + 1))
            .scope,
        ).toBe('read')
        // A copy keeps scopes (the export carries them).
        const target = await engine.open()
        try {
          await target.importData(backend.exportData())
          expect((await target.verifyApiKey('npk_scope-read-12345'))?.scope).toBe('read')
          expect((await target.verifyApiKey('npk_scope-admin-1234'))?.scope).toBe('admin')
        } finally {
          await target.close()
        }
      })
    })

    describe('dashboard sessions', () => {
      const TOKEN = 'nps_session-token-0123456789'

      it('answers a session by its token until it expires, with the key it came from', async () => {
        const key = await backend.addApiKey({ name: 'cs', secret: 'npk_session-key-123', scope: 'read' }, T0)
        const made = await backend.createSession({ token: TOKEN, keyId: key.id, expiresAt: T0 + HOUR }, T0)
        expect(made).toEqual({ key, createdAt: T0, expiresAt: T0 + HOUR })
        expect(await backend.verifySession(TOKEN, T0 + HOUR - 1)).toEqual(made)
        expect(await backend.verifySession('nps_session-token-012345678X', T0)).toBeUndefined()
        // Only the token's hash is kept, and sessions are not part of what a copy moves.
        expect(JSON.stringify(await exported(backend))).not.toContain('session-token')
        const target = await engine.open()
        try {
          await target.importData(backend.exportData())
          expect(await target.verifySession(TOKEN, T0)).toBeUndefined()
        } finally {
          await target.close()
        }
      })

      it('refuses an expired session and deletes it as it is found', async () => {
        const key = await backend.addApiKey({ name: 'ops', secret: 'npk_session-key-456' }, T0)
        await backend.createSession({ token: TOKEN, keyId: key.id, expiresAt: T0 + HOUR }, T0)
        expect(await backend.verifySession(TOKEN, T0 + HOUR)).toBeUndefined()
        // Gone, not just refused: asked about an earlier moment, it is not found either.
        expect(await backend.verifySession(TOKEN, T0)).toBeUndefined()
        expect(await backend.endSession(TOKEN)).toBe(false)
      })

      it('clears expired sessions when another is made', async () => {
        const key = await backend.addApiKey({ name: 'ops', secret: 'npk_session-key-789' }, T0)
        await backend.createSession({ token: TOKEN, keyId: key.id, expiresAt: T0 + HOUR }, T0)
        await backend.createSession(
          { token: `${TOKEN}-2`, keyId: key.id, expiresAt: T0 + 3 * HOUR },
          T0 + 2 * HOUR,
        )
        expect(await backend.verifySession(TOKEN, T0)).toBeUndefined()
        expect((await backend.verifySession(`${TOKEN}-2`, T0 + 2 * HOUR))?.key.id).toBe(key.id)
      })

      it('ends a session at once when asked, and every session of a key when the key is revoked', async () => {
        const a = await backend.addApiKey({ name: 'a', secret: 'npk_session-key-aaa' }, T0)
        const b = await backend.addApiKey({ name: 'b', secret: 'npk_session-key-bbb' }, T0)
        for (const token of ['nps_a1', 'nps_a2']) {
          await backend.createSession({ token, keyId: a.id, expiresAt: T0 + HOUR }, T0)
        }
        await backend.createSession({ token: 'nps_b1', keyId: b.id, expiresAt: T0 + HOUR }, T0)
        expect(await backend.endSession('nps_a1')).toBe(true)
        expect(await backend.verifySession('nps_a1', T0)).toBeUndefined()
        expect(await backend.verifySession('nps_a2', T0)).toBeDefined()
        await backend.revokeApiKey(a.id, T0 + 1)
        expect(await backend.verifySession('nps_a2', T0 + 1)).toBeUndefined()
        expect(await backend.endSession('nps_a2')).toBe(false)
        expect(await backend.verifySession('nps_b1', T0 + 1)).toBeDefined()
        // A revoked or unknown key makes no session.
        expect(
          await backend.createSession({ token: 'nps_a3', keyId: a.id, expiresAt: T0 + HOUR }, T0 + 2),
        ).toBeUndefined()
        expect(
          await backend.createSession({ token: 'nps_x', keyId: 'key_nope', expiresAt: T0 + HOUR }, T0 + 2),
        ).toBeUndefined()
        expect(await backend.verifySession('nps_a3', T0 + 2)).toBeUndefined()
      })
    })

    describe('the write path', () => {
      it('creates a row the first time and merges a repeat, keeping the first receipt time', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        const first = await backend.writeResponse(survey, {
          id,
          score: 6,
          respondentId: 'r1',
          url: 'https://shop.example/a',
          path: '/a',
          device: 'mobile',
          metadata: { plan: 'pro', seats: 3, beta: true },
          receivedAt: T0,
        })
        const repeat = await backend.writeResponse(survey, {
          id,
          score: 6,
          comment: 'slow checkout',
          receivedAt: T0 + 5000,
        })
        expect(first).toEqual({ created: true, category: 'detractor' })
        expect(repeat).toEqual({ created: false, category: 'detractor' })
        const { items } = await backend.listResponses(survey, {}, 10)
        expect(items).toEqual([
          stored({
            id,
            createdAt: T0,
            score: 6,
            comment: 'slow checkout',
            respondentId: 'r1',
            url: 'https://shop.example/a',
            path: '/a',
            device: 'mobile',
            metadata: { plan: 'pro', seats: 3, beta: true },
            // Written without a source: a client of the API.
            source: 'api',
          }),
        ])
      })

      it('keeps where an answer first came from through merges, and an imported row’s own source', async () => {
        const survey = await newSurvey()
        const [card, client] = [randomUUID(), randomUUID()]
        await backend.writeResponse(survey, { id: card, score: 9, receivedAt: T0, source: 'widget' })
        await backend.writeResponse(survey, { id: client, score: 9, receivedAt: T0 + 1, source: 'api' })
        await backend.writeResponse(survey, { id: client, score: 3, receivedAt: T0 + 2, source: 'widget' })
        const [exportedRow, history] = [randomUUID(), randomUUID()]
        await backend.importResponses(
          survey,
          [
            stored({ id: exportedRow, createdAt: T0 + 3, source: 'link' }),
            stored({ id: history, createdAt: T0 + 4, source: null }),
          ],
          T0,
        )
        const { items } = await backend.listResponses(survey, {}, 10)
        expect(items.map((r) => [r.id, r.source])).toEqual([
          [card, 'widget'],
          [client, 'api'],
          [exportedRow, 'link'],
          [history, 'import'],
        ])
        const feed = await backend.changes(survey, 0, 10)
        expect(
          feed.items.map((c) => (c.type === 'response.upserted' ? c.response.source : null)).sort(),
        ).toEqual(['api', 'import', 'link', 'widget'])
      })

      it('lets a repeat change the score, and counts the answer once, under its new score', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        await backend.writeResponse(survey, { id, score: 3, receivedAt: T0 })
        expect(await backend.writeResponse(survey, { id, score: 10, receivedAt: T0 + 1 })).toEqual({
          created: false,
          category: 'promoter',
        })
        const distribution = await backend.distribution(survey, {})
        expect(distribution[3]).toBe(0)
        expect(distribution[10]).toBe(1)
      })

      it('stores one row when the same id arrives many times at once', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            backend.writeResponse(survey, { id, score: 10, receivedAt: T0 + i }),
          ),
        )
        expect(results.filter((r) => r.created)).toHaveLength(1)
        const { items } = await backend.listResponses(survey, {}, 100)
        expect(items).toHaveLength(1)
        expect(items[0]?.createdAt).toBe(T0)
        expect((await backend.distribution(survey, {}))[10]).toBe(1)
      })

      it('refuses a write to an unknown survey without failing the writes queued with it', async () => {
        const survey = await newSurvey()
        const good = backend.writeResponse(survey, { id: randomUUID(), score: 8, receivedAt: T0 })
        const bad = backend.writeResponse('srv_missing', { id: randomUUID(), score: 8, receivedAt: T0 })
        const event = backend.writeEvent('srv_missing', { type: 'shown', respondentId: 'r' }, T0)
        const goodEvent = backend.writeEvent(survey, { type: 'shown', respondentId: 'r' }, T0)
        // Settled together: a refusal that arrived while another expectation was awaited would otherwise
        // count as an unhandled rejection for a moment, and fail the run on a busy machine.
        await Promise.allSettled([good, bad, event, goodEvent])
        await expect(bad).rejects.toBeInstanceOf(UnknownSurveyError)
        await expect(event).rejects.toBeInstanceOf(UnknownSurveyError)
        await expect(good).resolves.toEqual({ created: true, category: 'passive' })
        await expect(goodEvent).resolves.toBeUndefined()
        expect((await backend.listResponses(survey, {}, 10)).items).toHaveLength(1)
      })

      it('fails a write the database refuses alone, never the writes sent beside it', async () => {
        const survey = await newSurvey()
        // Validation upstream never lets a score of 11 through; the database's own check refuses it.
        const writes = Array.from({ length: 9 }, (_, i) =>
          backend.writeResponse(survey, { id: randomUUID(), score: i === 4 ? 11 : i, receivedAt: T0 }),
        )
        const results = await Promise.allSettled(writes)
        expect(results.map((r) => r.status)).toEqual([
          ...Array(4).fill('fulfilled'),
          'rejected',
          ...Array(4).fill('fulfilled'),
        ])
        expect((await backend.listResponses(survey, {}, 20)).items).toHaveLength(8)
      })

      it('imports every row or none, and tells new rows from replaced ones', async () => {
        const survey = await newSurvey()
        const rows = [stored(), stored({ score: 2 })]
        expect(await backend.importResponses(survey, rows, T0)).toEqual({ created: 2, updated: 0 })
        expect(await backend.importResponses(survey, [stored({ ...rows[0]!, score: 0 })], T0)).toEqual({
          created: 0,
          updated: 1,
        })
        // One id twice in a file: created, then replaced by its second row.
        const twice = randomUUID()
        expect(
          await backend.importResponses(
            survey,
            [stored({ id: twice, score: 4 }), stored({ id: twice, score: 5 })],
            T0,
          ),
        ).toEqual({ created: 1, updated: 1 })
        function* failing() {
          yield stored()
          throw new Error('disk on fire')
        }
        await expect(backend.importResponses(survey, failing(), T0)).rejects.toThrow('disk on fire')
        const { items } = await backend.listResponses(survey, {}, 10)
        expect(items.map((r) => r.score).sort()).toEqual([0, 2, 5])
        await expect(backend.importResponses('srv_missing', [stored()], T0)).rejects.toBeInstanceOf(
          UnknownSurveyError,
        )
      })

      it('imports in one transaction however many rows there are', async () => {
        const survey = await newSurvey()
        const rows = Array.from({ length: 12_345 }, (_, i) =>
          stored({ createdAt: T0 + i * 1000, score: i % 11 }),
        )
        expect(await backend.importResponses(survey, rows, T0)).toEqual({ created: 12_345, updated: 0 })
        const distribution = await backend.distribution(survey, {})
        expect(distribution.reduce((a, b) => a + b, 0)).toBe(12_345)
        expect(distribution[0]).toBe(1123)
      })
    })

    describe('reading responses', () => {
      it('filters by time range (from inclusive, to exclusive) and by category', async () => {
        const survey = await newSurvey()
        await backend.importResponses(
          survey,
          [
            stored({ createdAt: T0, score: 10 }),
            stored({ createdAt: T0 + DAY, score: 7 }),
            stored({ createdAt: T0 + 2 * DAY, score: 1 }),
          ],
          T0,
        )
        const scores = async (filter: Parameters<Backend['listResponses']>[1]) =>
          (await backend.listResponses(survey, filter, 10)).items.map((r) => r.score)
        expect(await scores({ from: T0 + DAY })).toEqual([7, 1])
        expect(await scores({ to: T0 + DAY })).toEqual([10])
        expect(await scores({ from: T0, to: T0 + 2 * DAY })).toEqual([10, 7])
        expect(await scores({ category: 'detractor' })).toEqual([1])
        expect(await scores({ category: 'passive' })).toEqual([7])
      })

      it('pages in (createdAt, id) order, ids by code point, every row exactly once', async () => {
        const survey = await newSurvey()
        // Upper and lower case, digits and punctuation: an engine that sorted by a language's
        // collation instead of by code point would order these differently.
        const names = ['b', 'B', 'a', 'A', '_', '-', '0', 'Z', 'z', 'é', 'e', 'a-b', 'ab', 'a_b']
        const rows = Array.from({ length: 23 }, (_, i) =>
          stored({ id: `${names[i % names.length]}${i}`, createdAt: T0 + (i % 4) }),
        )
        await backend.importResponses(survey, rows, T0)
        const seen: string[] = []
        let page = await backend.listResponses(survey, {}, 5)
        seen.push(...page.items.map((r) => r.id))
        while (page.next) {
          page = await backend.listResponses(survey, {}, 5, page.next)
          seen.push(...page.items.map((r) => r.id))
        }
        const expected = [...rows]
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
          .map((r) => r.id)
        expect(seen).toEqual(expected)
      })
    })

    describe('filtering and searching responses', () => {
      type Filter = Parameters<Backend['listResponses']>[1]
      /** Every page of a listing, in its order, through the cursor. */
      const all = async (survey: string, filter: Filter, order?: 'oldest' | 'newest', limit = 3) => {
        const ids: string[] = []
        let page = await backend.listResponses(survey, filter, limit, undefined, order)
        ids.push(...page.items.map((r) => r.id))
        while (page.next) {
          page = await backend.listResponses(survey, filter, limit, page.next, order)
          ids.push(...page.items.map((r) => r.id))
        }
        return ids
      }

      /** Twelve answers of every kind, one per hour, ids a0…a11 (so ties never arise by accident). */
      const varied = () =>
        [
          { score: 10, locale: 'de', path: '/checkout', device: 'mobile', comment: 'Schnell und GÜNSTIG' },
          { score: 9, locale: 'DE-at', path: '/checkout/done', device: 'desktop', comment: '100% happy' },
          { score: 8, locale: 'en', path: '/pricing', device: 'tablet', comment: 'fine_ish' },
          { score: 7, locale: 'en-GB', path: '/checkout', device: 'mobile', comment: 'ok, 100 percent ok' },
          { score: 6, locale: 'fr', path: null, device: null, comment: 'trop cher' },
          { score: 5, locale: null, path: '/', device: 'desktop', comment: 'finexish' },
          { score: 3, locale: 'de', path: '/checkout', device: 'desktop', comment: 'über-langsam' },
          { score: 0, locale: 'en', path: '/help', device: 'mobile', comment: '' },
          { score: 1, locale: 'en', path: '/checkout', device: 'mobile', comment: null },
          { score: 9, locale: 'de', path: '/pricing', device: 'desktop', comment: 'ÜBER gut' },
          { score: 4, locale: 'en', path: '/checkout', device: 'tablet', comment: 'slow checkout' },
          { score: 10, locale: 'en', path: '/checkout', device: 'desktop', comment: 'Fast CHECKOUT' },
        ].map((fields, i) =>
          stored({
            id: `a${String(i).padStart(2, '0')}`,
            createdAt: T0 + i * HOUR,
            ...fields,
            device: fields.device as StoredResponse['device'],
            metadata: { plan: i % 3 === 0 ? 'pro' : 'free', seats: i % 2 ? 5 : 2.5, beta: i < 4 },
          }),
        )
      const idsOf = (rows: StoredResponse[], keep: (r: StoredResponse) => boolean) =>
        rows.filter(keep).map((r) => r.id)

      it('filters by locale, path, device and metadata as the figures do, and lists what they count', async () => {
        const survey = await newSurvey()
        const rows = varied()
        await backend.importResponses(survey, rows, T0)
        const cases: [Filter, (r: StoredResponse) => boolean][] = [
          [{ locale: 'de' }, (r) => /^de(-|$)/i.test(r.locale ?? '')],
          [{ locale: 'EN' }, (r) => /^en(-|$)/i.test(r.locale ?? '')],
          [{ path: '/checkout' }, (r) => r.path === '/checkout'],
          [{ path: '/checkout*' }, (r) => r.path?.startsWith('/checkout') ?? false],
          [{ device: 'mobile' }, (r) => r.device === 'mobile'],
          [{ segments: [['plan', 'pro']] }, (r) => r.metadata?.plan === 'pro'],
          [{ segments: [['seats', '2.5']] }, (r) => r.metadata?.seats === 2.5],
          [
            { segments: [['beta', 'true']], device: 'desktop' },
            (r) => r.metadata?.beta === true && r.device === 'desktop',
          ],
        ]
        for (const [filter, keep] of cases) {
          const expected = idsOf(rows, keep)
          expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0)
          expect(await all(survey, filter), JSON.stringify(filter)).toEqual(expected)
          // The same answers the figures count for that filter.
          const counted = (await backend.distribution(survey, filter)).reduce((a, b) => a + b, 0)
          expect(counted, JSON.stringify(filter)).toBe(expected.length)
        }
      })

      it('keeps scores from minScore to maxScore, inclusive, and within a category when both are given', async () => {
        const survey = await newSurvey()
        const rows = varied()
        await backend.importResponses(survey, rows, T0)
        const scores = async (filter: Filter) =>
          (await backend.listResponses(survey, filter, 50)).items.map((r) => r.score)
        expect(await scores({ minScore: 9 })).toEqual([10, 9, 9, 10])
        expect(await scores({ maxScore: 3 })).toEqual([3, 0, 1])
        expect(await scores({ minScore: 7, maxScore: 7 })).toEqual([7])
        expect(await scores({ minScore: 0, maxScore: 10 })).toHaveLength(12)
        expect(await scores({ category: 'detractor', minScore: 4 })).toEqual([6, 5, 4])
        expect(await scores({ category: 'promoter', maxScore: 8 })).toEqual([])
      })

      it('finds comments containing the text, ignoring case also beyond ASCII, with % and _ as plain characters', async () => {
        const survey = await newSurvey()
        const rows = varied()
        await backend.importResponses(survey, rows, T0)
        const found = (text: string, filter: Filter = {}) => all(survey, { ...filter, text })
        expect(await found('checkout')).toEqual(['a10', 'a11'])
        expect(await found('CHECKOUT')).toEqual(['a10', 'a11'])
        // SQLite's LIKE and lower() fold ASCII only: Ü and ü are one letter here.
        expect(await found('über')).toEqual(['a06', 'a09'])
        expect(await found('ÜBER')).toEqual(['a06', 'a09'])
        expect(await found('günstig')).toEqual(['a00'])
        // A LIKE pattern would take % for "anything" and _ for "any one character".
        expect(await found('100%')).toEqual(['a01'])
        expect(await found('%')).toEqual(['a01'])
        expect(await found('fine_')).toEqual(['a02'])
        expect(await found('_')).toEqual(['a02'])
        expect(await found('\\')).toEqual([])
        // No comment and an empty one contain nothing; search joins the other filters.
        expect(await found('o', { category: 'detractor' })).toEqual(['a04', 'a10'])
        expect(await found('o', { locale: 'en', minScore: 9 })).toEqual(['a11'])
        expect(await found('nowhere')).toEqual([])
      })

      it('lists newest first when asked, ties by id descending, and pages a filtered listing in either order', async () => {
        const survey = await newSurvey()
        // Several answers per millisecond, so the cursor has to break ties by id.
        const rows = Array.from({ length: 40 }, (_, i) =>
          stored({
            id: `r${String((i * 7) % 40).padStart(2, '0')}`,
            createdAt: T0 + (i % 5),
            score: i % 11,
            comment: i % 4 ? `comment ${i}` : null,
            device: i % 2 ? 'mobile' : 'desktop',
          }),
        )
        await backend.importResponses(survey, rows, T0)
        const oldest = [...rows].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        const newest = [...oldest].reverse()
        expect(await all(survey, {}, 'newest')).toEqual(newest.map((r) => r.id))
        expect(await all(survey, {}, 'oldest')).toEqual(oldest.map((r) => r.id))
        const filter: Filter = { device: 'mobile', category: 'detractor', text: 'COMMENT' }
        const keep = (r: StoredResponse) => r.device === 'mobile' && r.score <= 6 && r.comment !== null
        expect(idsOf(newest, keep).length).toBeGreaterThan(4)
        expect(await all(survey, filter, 'newest', 2)).toEqual(idsOf(newest, keep))
        expect(await all(survey, filter, 'oldest', 2)).toEqual(idsOf(oldest, keep))
        expect(await all(survey, { ...filter, from: T0 + 1, to: T0 + 4 }, 'newest', 2)).toEqual(
          idsOf(newest, (r) => keep(r) && r.createdAt >= T0 + 1 && r.createdAt < T0 + 4),
        )
      })

      it('with latestPerRespondent, takes each respondent’s latest answer first, then category and text', async () => {
        const survey = await newSurvey()
        const rows = [
          stored({ id: 'x1', respondentId: 'ann', createdAt: T0, score: 2, comment: 'slow' }),
          stored({ id: 'x2', respondentId: 'ann', createdAt: T0 + HOUR, score: 9, comment: 'fast now' }),
          stored({ id: 'x3', respondentId: 'bob', createdAt: T0, score: 10, comment: 'fast' }),
          stored({ id: 'x4', respondentId: 'bob', createdAt: T0 + HOUR, score: 3, comment: 'slow now' }),
          stored({ id: 'x5', respondentId: null, createdAt: T0, score: 1, comment: 'slow' }),
          stored({ id: 'x6', respondentId: null, createdAt: T0 + 2 * HOUR, score: 0, comment: 'slow' }),
        ]
        await backend.importResponses(survey, rows, T0)
        const latest: Filter = { latestPerRespondent: true }
        expect(await all(survey, latest, 'newest')).toEqual(['x6', 'x4', 'x2', 'x5'])
        // ann's detractor answer is not her latest: it is not listed, as no figure counts it.
        expect(await all(survey, { ...latest, category: 'detractor' }, 'newest')).toEqual(['x6', 'x4', 'x5'])
        expect(await all(survey, { ...latest, text: 'fast' })).toEqual(['x2'])
        expect(await all(survey, { ...latest, text: 'slow' }, 'newest', 1)).toEqual(['x6', 'x4', 'x5'])
      })
    })

    describe('the metadata key registry', () => {
      it('registers admitted keys, names them sorted by code point, and admits known keys again', async () => {
        const survey = await newSurvey()
        expect(await backend.metadataKeys(survey)).toEqual([])
        expect(await backend.admitMetadataKeys(survey, ['plan', 'seats'], 50)).toEqual([])
        expect(await backend.admitMetadataKeys(survey, ['beta', 'Zone', 'plan'], 50)).toEqual([])
        expect(await backend.metadataKeys(survey)).toEqual(['Zone', 'beta', 'plan', 'seats'])
        expect(await backend.admitMetadataKeys(survey, ['plan', 'Zone'], 4)).toEqual([])
        // Another survey's registry is its own.
        expect(await backend.metadataKeys(await newSurvey('Other'))).toEqual([])
      })

      it('admits all keys or none at its limit, and answers those refused', async () => {
        const survey = await newSurvey()
        expect(await backend.admitMetadataKeys(survey, ['a', 'b', 'c'], 4)).toEqual([])
        expect(await backend.admitMetadataKeys(survey, ['a', 'd', 'e'], 4)).toEqual(['d', 'e'])
        expect(await backend.metadataKeys(survey)).toEqual(['a', 'b', 'c'])
        expect(await backend.admitMetadataKeys(survey, ['d', 'a'], 4)).toEqual([])
        expect(await backend.admitMetadataKeys(survey, ['e'], 4)).toEqual(['e'])
        // Without a limit (keys the survey's settings declare) every key goes in.
        expect(await backend.admitMetadataKeys(survey, ['e', 'f'])).toEqual([])
        expect(await backend.metadataKeys(survey)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
      })

      it('holds its limit exactly when many admissions arrive at once', async () => {
        const survey = await newSurvey()
        const refused = await Promise.all(
          Array.from({ length: 30 }, (_, i) => backend.admitMetadataKeys(survey, [`k${i}`, `j${i}`], 10)),
        )
        expect(refused.filter((r) => r.length === 0)).toHaveLength(5)
        expect(await backend.metadataKeys(survey)).toHaveLength(10)
      })

      it('refuses a survey that does not exist, and goes with a deleted survey', async () => {
        await expect(backend.admitMetadataKeys('srv_missing', ['plan'], 50)).rejects.toBeInstanceOf(
          UnknownSurveyError,
        )
        const survey = await newSurvey()
        await backend.admitMetadataKeys(survey, ['plan'], 50)
        await backend.deleteSurvey(survey)
        expect(await backend.metadataKeys(survey)).toEqual([])
        await expect(backend.admitMetadataKeys(survey, ['plan'], 50)).rejects.toBeInstanceOf(
          UnknownSurveyError,
        )
      })

      it('is rebuilt from the answers when a copy is loaded', async () => {
        const survey = await newSurvey()
        await backend.admitMetadataKeys(survey, ['plan', 'seats', 'beta'], 50)
        await backend.importResponses(
          survey,
          [stored({ metadata: { plan: 'pro', seats: 3 } }), stored({ metadata: { beta: true } }), stored()],
          T0,
        )
        const target = await engine.open()
        try {
          await target.importData(backend.exportData(2))
          expect(await target.metadataKeys(survey)).toEqual(['beta', 'plan', 'seats'])
          expect(await target.admitMetadataKeys(survey, ['plan', 'new'], 3)).toEqual(['new'])
        } finally {
          await target.close()
        }
      })
    })

    describe('erasure', () => {
      it('removes one respondent’s responses and events from every survey and counts them', async () => {
        const a = await newSurvey('A')
        const b = await newSurvey('B')
        await backend.writeResponse(a, { id: randomUUID(), score: 9, respondentId: 'gone', receivedAt: T0 })
        await backend.writeResponse(b, { id: randomUUID(), score: 2, respondentId: 'gone', receivedAt: T0 })
        await backend.writeResponse(b, { id: randomUUID(), score: 5, respondentId: 'stays', receivedAt: T0 })
        await backend.writeEvent(a, { type: 'dismissed', respondentId: 'gone' }, T0)
        expect(await backend.eraseRespondent('gone')).toEqual({
          responses: 2,
          events: 1,
          cases: 0,
          deliveries: 0,
          emails: 0,
        })
        expect((await backend.listResponses(a, {}, 10)).items).toEqual([])
        expect((await backend.listResponses(b, {}, 10)).items.map((r) => r.respondentId)).toEqual(['stays'])
        expect(await backend.eraseRespondent('gone')).toEqual({
          responses: 0,
          events: 0,
          cases: 0,
          deliveries: 0,
          emails: 0,
        })
        expect(JSON.stringify(await exported(backend))).not.toContain('gone')
      })
    })

    describe('the hourly counts', () => {
      /**
       * A model of what the backend holds, kept by the test: every change below is made to both, and
       * the backend's counts — from its rollups for whole hours, from the rows at the edges — must equal
       * the model's for windows on and off the hour.
       */
      it('stay exact through writes, merges, imports, erasure, events and deletion, whatever the window', async () => {
        const surveys = [await newSurvey('A'), await newSurvey('B')]
        // widget: the response rate counts it (source widget); an API, link or imported answer it does not.
        const answers = new Map<
          string,
          { survey: string; at: number; score: number; respondent: string; widget: boolean }
        >()
        const events: { survey: string; at: number; type: 'shown' | 'dismissed'; respondent: string }[] = []
        let seed = 7
        const random = () => {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
          return seed / 2_147_483_648
        }
        const base = Date.parse('2026-03-28T00:00:00Z')
        const someTime = () => base + Math.floor(random() * 72 * HOUR)
        const someSurvey = () => surveys[Math.floor(random() * surveys.length)]!

        const writes: Promise<unknown>[] = []
        for (let i = 0; i < 120; i++) {
          const id = randomUUID()
          const survey = someSurvey()
          const answer = {
            survey,
            at: someTime(),
            score: Math.floor(random() * 11),
            respondent: `r${i % 9}`,
            widget: i % 2 === 0,
          }
          answers.set(id, answer)
          writes.push(
            backend.writeResponse(survey, {
              id,
              score: answer.score,
              respondentId: answer.respondent,
              receivedAt: answer.at,
              // Half of the others come through survey links: counted like any answer, not as the widget's.
              source: answer.widget ? 'widget' : i % 4 === 1 ? 'link' : 'api',
            }),
          )
          if (i % 3 === 0) {
            const event = {
              survey,
              at: someTime(),
              type: random() < 0.7 ? ('shown' as const) : ('dismissed' as const),
              // Every respondent has events too, r4 (erased below) among them.
              respondent: `r${Math.floor(i / 3) % 9}`,
            }
            events.push(event)
            writes.push(
              backend.writeEvent(survey, { type: event.type, respondentId: event.respondent }, event.at),
            )
          }
        }
        await Promise.all(writes)

        // Merges: one keeps its score (a follow-up comment), others change it; each keeps its first source.
        const ids = [...answers.keys()]
        for (const id of ids.slice(0, 15)) {
          const answer = answers.get(id)!
          const score = id === ids[0] ? answer.score : (answer.score + 4) % 11
          await backend.writeResponse(answer.survey, {
            id,
            score,
            comment: 'later',
            receivedAt: answer.at + 999,
            source: answer.widget ? 'api' : 'widget',
          })
          answer.score = score
        }
        // An import that replaces answers (new scores, other hours) and adds new ones.
        const replaced = ids.slice(15, 30).filter((id) => answers.get(id)!.survey === surveys[0])
        // Every third imported row carries the source an export wrote (widget); the others are imports.
        const imported = [
          ...replaced.map((id) => ({ id, at: someTime(), score: Math.floor(random() * 11) })),
          ...Array.from({ length: 10 }, () => ({
            id: randomUUID(),
            at: someTime(),
            score: Math.floor(random() * 11),
          })),
        ].map((r, i) => ({ ...r, widget: i % 3 === 0 }))
        await backend.importResponses(
          surveys[0]!,
          imported.map((r) =>
            stored({
              id: r.id,
              createdAt: r.at,
              score: r.score,
              respondentId: 'imported',
              source: r.widget ? 'widget' : null,
            }),
          ),
          base,
        )
        for (const r of imported)
          answers.set(r.id, {
            survey: surveys[0]!,
            at: r.at,
            score: r.score,
            respondent: 'imported',
            widget: r.widget,
          })
        // A failed import changes nothing.
        function* failing() {
          yield stored({ id: ids[40]!, createdAt: base, score: 0 })
          throw new Error('cut short')
        }
        await expect(backend.importResponses(surveys[0]!, failing(), base)).rejects.toThrow('cut short')
        // Erasure of one respondent, answers and events.
        const erased = await backend.eraseRespondent('r4')
        expect(erased.responses).toBeGreaterThan(0)
        expect(erased.events).toBeGreaterThan(0)
        for (const [id, answer] of answers) if (answer.respondent === 'r4') answers.delete(id)
        for (let i = events.length - 1; i >= 0; i--) if (events[i]!.respondent === 'r4') events.splice(i, 1)

        const windows = [
          { start: -8.64e15, end: 8.64e15 },
          { start: base, end: base + 24 * HOUR },
          { start: base + 90 * 60_000, end: base + 30 * HOUR + 17 },
          { start: base + 5 * HOUR + 1, end: base + 5 * HOUR + 59 * 60_000 },
          ...Array.from({ length: 20 }, () => {
            const start = someTime() - 6 * HOUR
            return { start, end: start + Math.floor(random() * 40 * HOUR) + 1 }
          }),
        ]
        const expectCounts = async () => {
          for (const survey of surveys) {
            const expected = windows.map(({ start, end }) => {
              const counts = new Array<number>(11).fill(0)
              for (const a of answers.values())
                if (a.survey === survey && a.at >= start && a.at < end) counts[a.score]!++
              return counts
            })
            expect(await backend.distributions(survey, {}, windows)).toEqual(expected)
            expect(
              await backend.distribution(survey, { from: windows[2]!.start, to: windows[2]!.end }),
            ).toEqual(expected[2])
            const expectedEvents = windows.map(({ start, end }) => {
              const inside = events.filter((e) => e.survey === survey && e.at >= start && e.at < end)
              let widgetAnswers = 0
              for (const a of answers.values())
                if (a.survey === survey && a.widget && a.at >= start && a.at < end) widgetAnswers++
              return {
                shown: inside.filter((e) => e.type === 'shown').length,
                dismissed: inside.filter((e) => e.type === 'dismissed').length,
                widgetAnswers,
              }
            })
            expect(await backend.eventCounts(survey, windows)).toEqual(expectedEvents)
          }
        }
        await expectCounts()

        // A deleted survey's counts go with it; the other survey's stay.
        await backend.deleteSurvey(surveys[1]!)
        for (const [id, answer] of answers) if (answer.survey === surveys[1]) answers.delete(id)
        for (let i = events.length - 1; i >= 0; i--) if (events[i]!.survey === surveys[1]) events.splice(i, 1)
        await expectCounts()
      })
    })

    describe("each respondent's latest answer", () => {
      it('counts exactly as a recount through writes, merges, imports, deletion, erasure and anonymisation', async () => {
        const { single, rolling, unordered } = latestWindows()
        await latestScenario(backend, async (model, step) => {
          for (const survey of model.surveys) {
            for (const windows of [single, rolling, unordered]) {
              expect(
                await backend.distributions(survey, { latestPerRespondent: true }, windows),
                `after ${step}`,
              ).toEqual(recountLatest(model, survey, windows))
            }
            for (const w of single) {
              expect(
                await backend.distribution(survey, { from: w.start, to: w.end, latestPerRespondent: true }),
                `after ${step}, ${w.start}–${w.end}`,
              ).toEqual(recountLatest(model, survey, [w])[0])
            }
          }
        })
      })
    })

    describe('copying', () => {
      it('exports everything and loads it into an empty backend unchanged', async () => {
        const a = await newSurvey('A')
        const b = await newSurvey('B')
        await backend.addApiKey({ name: 'ci', secret: 'npk_copied-key-123456' }, T0)
        await backend.importResponses(
          a,
          Array.from({ length: 20 }, (_, i) =>
            stored({
              createdAt: T0 + i * HOUR,
              score: i % 11,
              comment: i % 2 ? `c${i}` : null,
              metadata: { n: i },
            }),
          ),
          T0,
        )
        await backend.writeResponse(b, { id: randomUUID(), score: 4, respondentId: 'x', receivedAt: T0 })
        await backend.writeEvent(b, { type: 'shown', respondentId: 'x' }, T0)
        await backend.writeEvent(
          a,
          { type: 'dismissed', respondentId: 'y', responseId: randomUUID() },
          T0 + 1,
        )
        const target = await engine.open()
        try {
          expect(await target.isEmpty()).toBe(true)
          expect(await target.importData(backend.exportData(6))).toEqual({
            surveys: 2,
            keys: 1,
            responses: 21,
            events: 2,
            cases: 0,
            endpoints: 0,
          })
          expect(await target.isEmpty()).toBe(false)
          expect(await exported(target)).toEqual(await exported(backend))
          expect((await target.verifyApiKey('npk_copied-key-123456'))?.name).toBe('ci')
          expect(await target.distribution(a, {})).toEqual(await backend.distribution(a, {}))
          expect(await target.eventCounts(b, [{ start: 0, end: T0 + 1 }])).toEqual([
            // The answer was written without a source (api): not the widget's.
            { shown: 1, dismissed: 0, widgetAnswers: 0 },
          ])
          // A target that holds anything is refused, and keeps what it holds.
          await expect(target.importData(backend.exportData())).rejects.toThrow(/not empty/)
          expect((await exported(target)).length).toBeGreaterThan(0)
        } finally {
          await target.close()
        }
      })

      it('loads nothing when the copy fails part way', async () => {
        await newSurvey('A')
        const target = await engine.open()
        try {
          async function* broken(): AsyncIterable<DataBatch> {
            yield* backend.exportData()
            throw new Error('the source went away')
          }
          await expect(target.importData(broken())).rejects.toThrow('the source went away')
          expect(await target.isEmpty()).toBe(true)
        } finally {
          await target.close()
        }
      })
    })

    it('finishes queued writes when closed', async () => {
      const survey = await newSurvey()
      const pending = backend.writeResponse(survey, { id: randomUUID(), score: 9, receivedAt: T0 })
      await backend.close()
      await expect(pending).resolves.toMatchObject({ created: true })
      // afterEach closes again: a second close must be harmless.
    })

    describe('stats', () => {
      it('counts queued writes until they commit, and every write in the group-commit sizes', async () => {
        const survey = await newSurvey()
        const before = await backend.stats()
        expect(before.queuedWrites).toBe(0)
        const writes = Array.from({ length: 30 }, (_, i) =>
          i % 3 === 0
            ? backend.writeEvent(survey, { type: 'shown', respondentId: `r${i}` }, T0)
            : backend.writeResponse(survey, { id: randomUUID(), score: i % 11, receivedAt: T0 }),
        )
        // Queued the moment they were accepted, before any has committed.
        expect((await backend.stats()).queuedWrites).toBe(30)
        await Promise.all(writes)
        const after = await backend.stats()
        expect(after.queuedWrites).toBe(0)
        const sizes = after.commitSizes
        expect(sizes.sum - before.commitSizes.sum).toBe(30)
        expect(sizes.count - before.commitSizes.count).toBeGreaterThanOrEqual(1)
        expect(sizes.counts).toHaveLength(sizes.bounds.length + 1)
        expect(sizes.counts.reduce((a, b) => a + b, 0)).toBe(sizes.count)
        expect([...sizes.bounds].sort((a, b) => a - b)).toEqual([...sizes.bounds])
      })

      it(`reports ${engine.name === 'sqlite' ? "the write-ahead log's size" : "the pools' sizes"}`, async () => {
        await backend.writeResponse(await newSurvey(), { id: randomUUID(), score: 9, receivedAt: T0 })
        const stats = await backend.stats()
        if (engine.name === 'sqlite') {
          expect(stats.walBytes).toBeGreaterThan(0)
          expect(stats.pool).toBeUndefined()
        } else {
          expect(stats.pool).toEqual({ write: 4, read: 4 })
          expect(stats.walBytes).toBeUndefined()
        }
      })
    })
  })
}
