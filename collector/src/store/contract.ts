/**
 * The Store contract: one suite any implementation runs (SQLite now, PostgreSQL later), written against
 * the interface only. An implementation's test file calls `describeStoreContract` with a factory.
 *
 * @example
 * describeStoreContract('SqliteStore', async () => { const s = new SqliteStore(path); return { store: s, cleanup } })
 */
import { randomUUID } from 'node:crypto'
import { defaultSurveySettings } from '@npskit/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Store, type StoredResponse, UnknownSurveyError } from './store.ts'

export interface OpenedStore {
  store: Store
  cleanup: () => Promise<void> | void
}

const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const DAY = 86_400_000

/** A response as an import hands it to the store: defaults, with the fields given. */
export function stored(overrides: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id: randomUUID(),
    createdAt: T0,
    score: 9,
    comment: null,
    respondentId: null,
    locale: null,
    url: null,
    path: null,
    device: null,
    metadata: null,
    ...overrides,
  }
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store
    let cleanup: OpenedStore['cleanup']
    beforeEach(async () => {
      ;({ store, cleanup } = await open())
    })
    afterEach(async () => {
      await store.close()
      await cleanup()
    })

    const newSurvey = async (label = 'Checkout') =>
      (await store.createSurvey(defaultSurveySettings(label), T0)).id

    describe('surveys', () => {
      it('gives each survey an unguessable srv_ id and reads it back with its settings', async () => {
        const a = await store.createSurvey(defaultSurveySettings('A'), T0)
        const b = await store.createSurvey(defaultSurveySettings('B'), T0)
        expect(a.id).toMatch(/^srv_[A-Za-z0-9_-]{20,}$/)
        expect(a.id).not.toBe(b.id)
        expect(await store.getSurvey(a.id)).toEqual({
          id: a.id,
          settings: defaultSurveySettings('A'),
          createdAt: T0,
          updatedAt: T0,
        })
        expect(await store.getSurvey('srv_missing')).toBeUndefined()
      })

      it('lists surveys page by page, each once', async () => {
        const ids = []
        for (let i = 0; i < 5; i++)
          ids.push((await store.createSurvey(defaultSurveySettings(`S${i}`), T0 + i)).id)
        const first = await store.listSurveys(2)
        const second = await store.listSurveys(2, first.next!)
        const third = await store.listSurveys(2, second.next!)
        expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(ids)
        expect(third.next).toBeNull()
      })

      it('changes settings and keeps the creation time', async () => {
        const id = await newSurvey()
        const settings = { ...defaultSurveySettings('Renamed'), responseLifetimeDays: 30 }
        const updated = await store.updateSurvey(id, settings, T0 + DAY)
        expect(updated).toMatchObject({ settings, createdAt: T0, updatedAt: T0 + DAY })
        expect((await store.getSurvey(id))?.settings.name).toBe('Renamed')
        expect(await store.updateSurvey('srv_missing', settings, T0)).toBeUndefined()
      })

      it('deletes a survey with its responses and events', async () => {
        const id = await newSurvey()
        await store.writeResponse(id, { id: randomUUID(), score: 3, respondentId: 'r1', receivedAt: T0 })
        await store.writeEvent(id, { type: 'shown', respondentId: 'r1' }, T0)
        expect(await store.deleteSurvey(id)).toBe(true)
        expect(await store.getSurvey(id)).toBeUndefined()
        expect(await store.deleteSurvey(id)).toBe(false)
        // The survey's rows are gone: erasing its respondent finds nothing left.
        expect(await store.eraseRespondent('r1')).toEqual({ responses: 0, events: 0 })
      })
    })

    describe('API keys', () => {
      it('accepts a key by its secret and refuses any other secret', async () => {
        const key = await store.addApiKey({ name: 'ci', secret: 'npk_secret-one-abcdefgh' }, T0)
        expect(key).toMatchObject({ name: 'ci', prefix: 'npk_secr', revokedAt: null })
        expect((await store.verifyApiKey('npk_secret-one-abcdefgh'))?.id).toBe(key.id)
        expect(await store.verifyApiKey('npk_secret-one-abcdefgX')).toBeUndefined()
        expect(JSON.stringify(await store.listApiKeys())).not.toContain('secret-one')
      })

      it('refuses a revoked key and counts only active keys', async () => {
        const a = await store.addApiKey({ name: 'a', secret: 'npk_aaaaaaaaaaaaaaaa' }, T0)
        await store.addApiKey({ name: 'b', secret: 'npk_bbbbbbbbbbbbbbbb' }, T0)
        expect(await store.countActiveApiKeys()).toBe(2)
        expect((await store.revokeApiKey(a.id, T0 + 1))?.revokedAt).toBe(T0 + 1)
        expect(await store.verifyApiKey('npk_aaaaaaaaaaaaaaaa')).toBeUndefined()
        expect(await store.countActiveApiKeys()).toBe(1)
      })

      it('keeps one key when the same secret is added again', async () => {
        const a = await store.addApiKey({ name: 'env', secret: 'npk_same-secret-123' }, T0)
        const b = await store.addApiKey({ name: 'env', secret: 'npk_same-secret-123' }, T0 + 1)
        expect(b.id).toBe(a.id)
        expect(await store.listApiKeys()).toHaveLength(1)
      })
    })

    describe('the write path', () => {
      it('creates a row the first time and merges a repeat, keeping the first receipt time', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        const first = await store.writeResponse(survey, {
          id,
          score: 6,
          respondentId: 'r1',
          url: 'https://shop.example/a',
          path: '/a',
          device: 'mobile',
          metadata: { plan: 'pro' },
          receivedAt: T0,
        })
        const repeat = await store.writeResponse(survey, {
          id,
          score: 6,
          comment: 'slow checkout',
          receivedAt: T0 + 5000,
        })
        expect(first).toEqual({ created: true, category: 'detractor' })
        expect(repeat).toEqual({ created: false, category: 'detractor' })
        const { items } = await store.listResponses(survey, {}, 10)
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
            metadata: { plan: 'pro' },
          }),
        ])
      })

      it('stores one row when the same id arrives many times at once', async () => {
        const survey = await newSurvey()
        const id = randomUUID()
        const results = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            store.writeResponse(survey, { id, score: 10, receivedAt: T0 + i }),
          ),
        )
        expect(results.filter((r) => r.created)).toHaveLength(1)
        const { items } = await store.listResponses(survey, {}, 100)
        expect(items).toHaveLength(1)
        expect(items[0]?.createdAt).toBe(T0)
      })

      it('refuses a write to an unknown survey without failing the writes queued with it', async () => {
        const survey = await newSurvey()
        const good = store.writeResponse(survey, { id: randomUUID(), score: 8, receivedAt: T0 })
        const bad = store.writeResponse('srv_missing', { id: randomUUID(), score: 8, receivedAt: T0 })
        const event = store.writeEvent('srv_missing', { type: 'shown', respondentId: 'r' }, T0)
        await expect(bad).rejects.toBeInstanceOf(UnknownSurveyError)
        await expect(event).rejects.toBeInstanceOf(UnknownSurveyError)
        await expect(good).resolves.toEqual({ created: true, category: 'passive' })
        expect((await store.listResponses(survey, {}, 10)).items).toHaveLength(1)
      })

      it('imports every row or none', async () => {
        const survey = await newSurvey()
        const rows = [stored(), stored({ score: 2 })]
        expect(await store.importResponses(survey, rows, T0)).toEqual({ created: 2, updated: 0 })
        expect(await store.importResponses(survey, [stored({ ...rows[0]!, score: 0 })], T0)).toEqual({
          created: 0,
          updated: 1,
        })
        function* failing() {
          yield stored()
          throw new Error('disk on fire')
        }
        await expect(store.importResponses(survey, failing(), T0)).rejects.toThrow('disk on fire')
        const { items } = await store.listResponses(survey, {}, 10)
        expect(items.map((r) => r.score).sort()).toEqual([0, 2])
      })
    })

    describe('reading responses', () => {
      it('filters by time range (from inclusive, to exclusive) and by category', async () => {
        const survey = await newSurvey()
        await store.importResponses(
          survey,
          [
            stored({ createdAt: T0, score: 10 }),
            stored({ createdAt: T0 + DAY, score: 7 }),
            stored({ createdAt: T0 + 2 * DAY, score: 1 }),
          ],
          T0,
        )
        const scores = async (filter: Parameters<Store['listResponses']>[1]) =>
          (await store.listResponses(survey, filter, 10)).items.map((r) => r.score)
        expect(await scores({ from: T0 + DAY })).toEqual([7, 1])
        expect(await scores({ to: T0 + DAY })).toEqual([10])
        expect(await scores({ from: T0, to: T0 + 2 * DAY })).toEqual([10, 7])
        expect(await scores({ category: 'detractor' })).toEqual([1])
        expect(await scores({ category: 'passive' })).toEqual([7])
      })

      it('pages in (createdAt, id) order, every row exactly once, also among equal times', async () => {
        const survey = await newSurvey()
        const rows = Array.from({ length: 23 }, (_, i) => stored({ createdAt: T0 + (i % 4) }))
        await store.importResponses(survey, rows, T0)
        const seen: string[] = []
        let page = await store.listResponses(survey, {}, 5)
        seen.push(...page.items.map((r) => r.id))
        while (page.next) {
          page = await store.listResponses(survey, {}, 5, page.next)
          seen.push(...page.items.map((r) => r.id))
        }
        const expected = [...rows]
          .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
          .map((r) => r.id)
        expect(seen).toEqual(expected)
      })

      it('names the metadata keys present, sorted', async () => {
        const survey = await newSurvey()
        await store.importResponses(
          survey,
          [stored({ metadata: { plan: 'pro', seats: 3 } }), stored({ metadata: { beta: true } }), stored()],
          T0,
        )
        expect(await store.metadataKeys(survey, {})).toEqual(['beta', 'plan', 'seats'])
      })
    })

    describe('erasure', () => {
      it('removes one respondent’s responses and events from every survey and counts them', async () => {
        const a = await newSurvey('A')
        const b = await newSurvey('B')
        await store.writeResponse(a, { id: randomUUID(), score: 9, respondentId: 'gone', receivedAt: T0 })
        await store.writeResponse(b, { id: randomUUID(), score: 2, respondentId: 'gone', receivedAt: T0 })
        await store.writeResponse(b, { id: randomUUID(), score: 5, respondentId: 'stays', receivedAt: T0 })
        await store.writeEvent(a, { type: 'dismissed', respondentId: 'gone' }, T0)
        expect(await store.eraseRespondent('gone')).toEqual({ responses: 2, events: 1 })
        expect((await store.listResponses(a, {}, 10)).items).toEqual([])
        expect((await store.listResponses(b, {}, 10)).items.map((r) => r.respondentId)).toEqual(['stays'])
        expect(await store.eraseRespondent('gone')).toEqual({ responses: 0, events: 0 })
      })
    })

    it('finishes queued writes when closed', async () => {
      const survey = await newSurvey()
      const pending = store.writeResponse(survey, { id: randomUUID(), score: 9, receivedAt: T0 })
      await store.close()
      await expect(pending).resolves.toMatchObject({ created: true })
      ;({ store, cleanup } = await reopen(open, store, cleanup))
    })
  })
}

/** After a test closed the store itself, a fresh one keeps afterEach simple. */
async function reopen(open: () => Promise<OpenedStore>, _closed: Store, cleanup: OpenedStore['cleanup']) {
  await cleanup()
  return open()
}
