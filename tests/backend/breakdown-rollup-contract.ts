/**
 * The breakdown rollups (settings.breakdowns): a breakdown by a declared dimension, read from the
 * rollup's whole hours and the answers at a range's edges, equals a recount from the answers after every
 * kind of write — new answers, merges that change score or metadata, imports that replace rows, erasure,
 * declaring a dimension after data exists (counted in batches while other writes go on), removing it,
 * deleting a survey. Runs unchanged on every engine
 * (sqlite.test.ts, postgres.test.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Backend, Dimension, Group } from '@npskit/collector'
import { defaultSurveySettings, type SurveySettings } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stored } from './contract.ts'
import type { Engine } from './engines.ts'

const HOUR = 3_600_000

interface Modelled {
  survey: string
  at: number
  score: number
  respondent: string
  locale: string | null
  device: 'mobile' | 'desktop' | null
  path: string | null
  metadata: Record<string, string | number> | null
}

const DIMENSIONS: [name: string, dimension: Dimension][] = [
  ['locale', { kind: 'locale' }],
  ['device', { kind: 'device' }],
  ['path', { kind: 'path' }],
  ['metadata.plan', { kind: 'metadata', key: 'plan' }],
  ['metadata.seats', { kind: 'metadata', key: 'seats' }],
]

/** Groups in one order, whatever order an engine answers them in. */
const sorted = (groups: Group[]) =>
  [...groups].sort((a, b) => String(a.value ?? '\u0000').localeCompare(String(b.value ?? '\u0000')))

export function describeBreakdownRollupContract(engine: Engine): void {
  describe(`the ${engine.name} backend (breakdown rollups)`, () => {
    let backend: Backend
    beforeEach(async () => {
      backend = await engine.open()
    })
    afterEach(async () => {
      await backend.close()
    })
    afterAll(() => engine.cleanup())

    const declaring = (name: string, breakdowns: string[]): SurveySettings => ({
      ...defaultSurveySettings(name),
      ...(breakdowns.length > 0 ? { breakdowns } : {}),
    })

    it('equal a recount from the answers after writes, merges, imports, erasure, declaring and deletion', async () => {
      const base = Date.parse('2026-03-28T00:00:00Z')
      const declared = (await backend.createSurvey(declaring('A', ['locale', 'metadata.plan']), base)).id
      const later = (await backend.createSurvey(declaring('B', []), base)).id
      const surveys = [declared, later]
      const answers = new Map<string, Modelled>()
      let seed = 11
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
        return seed / 2_147_483_648
      }
      const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!
      const someTime = () => base + Math.floor(random() * 72 * HOUR)
      const someMetadata = () =>
        pick<Record<string, string | number> | null>([
          null,
          { plan: 'free' },
          { plan: 'pro', seats: 12 },
          { seats: 3 },
          { plan: 'enterprise', seats: 4.5 },
        ])

      const writes: Promise<unknown>[] = []
      for (let i = 0; i < 150; i++) {
        const id = randomUUID()
        const answer: Modelled = {
          survey: pick(surveys),
          at: someTime(),
          score: Math.floor(random() * 11),
          respondent: `r${i % 9}`,
          locale: pick([null, 'en', 'de', 'fr-CA']),
          device: pick([null, 'mobile', 'desktop'] as const),
          path: pick([null, '/', '/checkout', '/pricing']),
          metadata: someMetadata(),
        }
        answers.set(id, answer)
        writes.push(
          backend.writeResponse(answer.survey, {
            id,
            score: answer.score,
            respondentId: answer.respondent,
            receivedAt: answer.at,
            ...(answer.locale ? { locale: answer.locale } : {}),
            ...(answer.device ? { device: answer.device } : {}),
            ...(answer.path ? { path: answer.path } : {}),
            ...(answer.metadata ? { metadata: answer.metadata } : {}),
          }),
        )
      }
      await Promise.all(writes)

      const windows = [
        {},
        { from: base, to: base + 24 * HOUR },
        { from: base + 90 * 60_000, to: base + 30 * HOUR + 17 },
        { from: base + 5 * HOUR + 1, to: base + 5 * HOUR + 59 * 60_000 },
        { to: base + 40 * HOUR + 1 },
      ]
      const groupOf = (a: Modelled, name: string): string | null => {
        if (name === 'locale' || name === 'device' || name === 'path') return a[name]
        const v = a.metadata?.[name.slice('metadata.'.length)]
        return v === undefined ? null : String(v)
      }
      const expectBreakdowns = async () => {
        for (const survey of surveys) {
          for (const window of windows) {
            for (const [name, dimension] of DIMENSIONS) {
              const groups = new Map<string | null, number[]>()
              for (const a of answers.values()) {
                if (a.survey !== survey) continue
                if (window.from !== undefined && a.at < window.from) continue
                if (window.to !== undefined && a.at >= window.to) continue
                const value = groupOf(a, name)
                if (!groups.has(value)) groups.set(value, new Array<number>(11).fill(0))
                groups.get(value)![a.score]!++
              }
              const expected = [...groups].map(([value, distribution]) => ({ value, distribution }))
              expect(sorted(await backend.breakdown(survey, window, dimension)), `${survey} ${name}`).toEqual(
                sorted(expected),
              )
            }
          }
        }
      }
      await expectBreakdowns()

      // Merges: a follow-up comment (nothing counted changes), new scores, new metadata, a new locale.
      const ids = [...answers.keys()]
      for (const [i, id] of ids.slice(0, 24).entries()) {
        const answer = answers.get(id)!
        const score = i % 3 === 0 ? answer.score : (answer.score + 4) % 11
        const metadata = i % 2 === 0 ? { plan: pick(['free', 'pro', 'team']) } : undefined
        const locale = i % 5 === 0 ? 'pt-BR' : undefined
        await backend.writeResponse(answer.survey, {
          id,
          score,
          comment: 'later',
          receivedAt: answer.at + 999,
          ...(metadata ? { metadata } : {}),
          ...(locale ? { locale } : {}),
        })
        answer.score = score
        if (metadata) answer.metadata = metadata
        if (locale) answer.locale = locale
      }
      await expectBreakdowns()

      // An import that replaces answers (new scores, hours and values) and adds new ones.
      const replaced = ids.slice(24, 60).filter((id) => answers.get(id)!.survey === declared)
      const imported = [...replaced, ...Array.from({ length: 12 }, () => randomUUID())].map((id) => ({
        id,
        at: someTime(),
        score: Math.floor(random() * 11),
        locale: pick(['en', 'it']),
      }))
      await backend.importResponses(
        declared,
        imported.map((r) =>
          stored({
            id: r.id,
            createdAt: r.at,
            score: r.score,
            respondentId: 'imported',
            locale: r.locale,
            metadata: { plan: 'imported' },
          }),
        ),
        base,
      )
      for (const r of imported) {
        answers.set(r.id, {
          survey: declared,
          at: r.at,
          score: r.score,
          respondent: 'imported',
          locale: r.locale,
          device: null,
          path: null,
          metadata: { plan: 'imported' },
        })
      }
      await expectBreakdowns()

      // Erasure of one respondent.
      expect((await backend.eraseRespondent('r4')).responses).toBeGreaterThan(0)
      for (const [id, answer] of answers) if (answer.respondent === 'r4') answers.delete(id)
      await expectBreakdowns()

      // Declared after data exists: counted from the answers so far, then kept by later writes.
      await backend.updateSurvey(
        later,
        declaring('B', ['device', 'path', 'metadata.plan', 'metadata.seats']),
        base + HOUR,
      )
      await backend.fillBreakdowns()
      await expectBreakdowns()
      for (const id of ids.filter((id) => answers.get(id)?.survey === later).slice(0, 8)) {
        const answer = answers.get(id)!
        await backend.writeResponse(later, {
          id,
          score: 10 - answer.score,
          receivedAt: answer.at,
          metadata: { seats: 7 },
        })
        answer.score = 10 - answer.score
        answer.metadata = { seats: 7 }
      }
      await expectBreakdowns()

      // Removed, then declared again: the rollup is rebuilt, not left stale.
      await backend.updateSurvey(declared, declaring('A', ['metadata.plan']), base + HOUR)
      await backend.updateSurvey(declared, declaring('A', ['locale', 'metadata.plan']), base + HOUR)
      await backend.fillBreakdowns()
      await expectBreakdowns()

      // A deleted survey takes its rollups with it; the other's stay exact.
      await backend.deleteSurvey(later)
      for (const [id, answer] of answers) if (answer.survey === later) answers.delete(id)
      surveys.pop()
      await expectBreakdowns()
    })

    it('count a dimension declared on a survey with answers in batches that take turns with other writes', async () => {
      // Batches of five answers, so the writes below land between batches, before and after the mark.
      const batched = await engine.open({ breakdownBatch: 5 })
      try {
        const base = Date.parse('2026-05-04T00:00:00Z')
        const survey = (await batched.createSurvey(declaring('C', []), base)).id
        const answers = new Map<string, { at: number; score: number; respondent: string; locale: string }>()
        const answer = (i: number, at: number) => {
          const a = { at, score: (i * 7) % 11, respondent: `r${i % 6}`, locale: ['en', 'de', 'fr'][i % 3]! }
          answers.set(randomUUID(), a)
          return a
        }
        const write = (id: string) => {
          const a = answers.get(id)!
          return batched.writeResponse(survey, {
            id,
            score: a.score,
            respondentId: a.respondent,
            locale: a.locale,
            receivedAt: a.at,
          })
        }
        for (let i = 0; i < 60; i++) answer(i, base + i * 17 * 60_000)
        for (const id of answers.keys()) await write(id)

        await batched.updateSurvey(survey, declaring('C', ['locale']), base)
        // While the batches run: new answers, merges that move answers between groups and hours, an
        // import of old answers, an erasure.
        const ids = [...answers.keys()]
        const concurrent: Promise<unknown>[] = []
        for (let i = 60; i < 90; i++) {
          answer(i, base + ((i * 37) % 60) * 17 * 60_000 + 11)
          concurrent.push(write([...answers.keys()].at(-1)!))
        }
        for (const id of ids.slice(0, 20)) {
          const a = answers.get(id)!
          a.score = 10 - a.score
          a.locale = a.locale === 'en' ? 'de' : 'en'
          concurrent.push(write(id))
        }
        const imported = Array.from({ length: 15 }, (_, i) => ({
          id: randomUUID(),
          at: base + i * 53 * 60_000 + 7,
          score: i % 11,
          respondent: 'imported',
          locale: 'it',
        }))
        for (const r of imported) answers.set(r.id, r)
        concurrent.push(
          batched.importResponses(
            survey,
            imported.map((r) =>
              stored({
                id: r.id,
                createdAt: r.at,
                score: r.score,
                respondentId: r.respondent,
                locale: r.locale,
              }),
            ),
            base,
          ),
        )
        concurrent.push(batched.eraseRespondent('r3'))
        await Promise.all(concurrent)
        for (const [id, a] of answers) if (a.respondent === 'r3') answers.delete(id)
        await batched.fillBreakdowns()

        const windows: { from?: number; to?: number }[] = [
          {},
          { from: base + 90 * 60_000, to: base + 9 * HOUR + 1 },
        ]
        for (const window of windows) {
          const groups = new Map<string, number[]>()
          for (const a of answers.values()) {
            if (a.at < (window.from ?? a.at) || a.at >= (window.to ?? a.at + 1)) continue
            if (!groups.has(a.locale)) groups.set(a.locale, new Array<number>(11).fill(0))
            groups.get(a.locale)![a.score]!++
          }
          const expected = [...groups].map(([value, distribution]) => ({ value, distribution }))
          expect(sorted(await batched.breakdown(survey, window, { kind: 'locale' }))).toEqual(
            sorted(expected),
          )
        }
      } finally {
        await batched.close()
      }
    })

    it('reads a declared dimension as a scan would when other filters narrow it', async () => {
      const at = Date.parse('2026-03-28T10:30:00Z')
      const survey = (await backend.createSurvey(declaring('A', ['locale']), at)).id
      for (const [i, locale] of ['en', 'en', 'de', 'en'].entries()) {
        await backend.writeResponse(survey, {
          id: randomUUID(),
          score: 6 + i,
          respondentId: 'same',
          locale,
          device: i === 0 ? 'mobile' : 'desktop',
          receivedAt: at + i * HOUR,
        })
      }
      expect(sorted(await backend.breakdown(survey, { device: 'desktop' }, { kind: 'locale' }))).toEqual([
        { value: 'de', distribution: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0] },
        { value: 'en', distribution: [0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0] },
      ])
      expect(await backend.breakdown(survey, { latestPerRespondent: true }, { kind: 'locale' })).toEqual([
        { value: 'en', distribution: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0] },
      ])
    })
  })
}
