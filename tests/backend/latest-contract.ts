/**
 * latestPerRespondent counted fast (each answer knows its respondent's next answer, and the hourly
 * counts know the superseded ones) equals a ranking of the stored answers themselves, for one window and
 * for rolling and unordered windows, after every kind of write: new answers, merges that change the score
 * or the respondent, imports that move an answer in time or to another respondent, deletion, erasure and
 * anonymisation. The expected figures are counted here from the answers the backend lists. Runs
 * unchanged on every engine (sqlite.test.ts, postgres.test.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Backend, StoredResponse, Window } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stored } from './contract.ts'
import type { Engine } from './engines.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Every answer of a survey, as the backend lists them. */
async function everyAnswer(backend: Backend, survey: string): Promise<StoredResponse[]> {
  const rows: StoredResponse[] = []
  let after: { createdAt: number; id: string } | undefined
  for (;;) {
    const page = await backend.listResponses(survey, {}, 500, after)
    rows.push(...page.items)
    if (!page.next) return rows
    after = page.next
  }
}

/** Per window, the score counts of each respondent's latest answer in it and of every anonymous one. */
function ranked(answers: readonly StoredResponse[], window: Window): number[] {
  const counts = new Array<number>(11).fill(0)
  const latest = new Map<string, StoredResponse>()
  for (const a of answers) {
    if (a.createdAt < window.start || a.createdAt >= window.end) continue
    if (a.respondentId === null) counts[a.score]! += 1
    else {
      const seen = latest.get(a.respondentId)
      if (!seen || a.createdAt > seen.createdAt || (a.createdAt === seen.createdAt && a.id > seen.id)) {
        latest.set(a.respondentId, a)
      }
    }
  }
  for (const a of latest.values()) counts[a.score]! += 1
  return counts
}

export function describeLatestContract(engine: Engine): void {
  describe(`the ${engine.name} backend (each respondent's latest answer)`, () => {
    let backend: Backend
    beforeEach(async () => {
      backend = await engine.open()
    })
    afterEach(async () => {
      await backend.close()
    })
    afterAll(() => engine.cleanup())

    it('counts the latest answers as a ranking of the stored answers does, after every kind of write', async () => {
      const base = Date.parse('2026-05-03T00:00:00Z')
      const surveys = [
        (await backend.createSurvey(defaultSurveySettings('A'), base)).id,
        (await backend.createSurvey(defaultSurveySettings('B'), base)).id,
      ]
      let seed = 7
      const random = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
        return seed / 2_147_483_648
      }
      const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!
      // Ten days; some answers at one of ten instants on an hour, so that ties go by id.
      const someTime = () =>
        random() < 0.15
          ? base + Math.floor(random() * 10) * DAY + HOUR
          : base + Math.floor(random() * 10 * DAY)
      const respondents = [null, null, 'ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus']
      const ids: { survey: string; id: string }[] = []

      const windows: Window[][] = [
        [{ start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER }],
        [{ start: base + 90 * 60_000, end: base + 4 * DAY + 17 }],
        [{ start: base + 2 * HOUR + 1, end: base + 2 * HOUR + 59 * 60_000 }],
        // A daily trend of 3-day rolling windows, the first reaching before any answer.
        Array.from({ length: 11 }, (_, i) => ({ start: base + (i - 3) * DAY, end: base + i * DAY })),
        // Windows not ordered by start and end alike, counted each on its own.
        [
          { start: base, end: base + 8 * DAY },
          { start: base + DAY, end: base + 2 * DAY + 5 },
        ],
      ]
      const expectLatest = async (step: string) => {
        for (const survey of surveys) {
          const answers = await everyAnswer(backend, survey)
          for (const set of windows) {
            const expected = set.map((w) => ranked(answers, w))
            expect(await backend.distributions(survey, { latestPerRespondent: true }, set), step).toEqual(
              expected,
            )
            const [only] = set
            const filter = { latestPerRespondent: true, from: only!.start, to: only!.end }
            expect(await backend.distribution(survey, filter), step).toEqual(expected[0])
          }
        }
      }

      const writes: Promise<unknown>[] = []
      for (let i = 0; i < 160; i++) {
        const survey = pick(surveys)
        const id = randomUUID()
        ids.push({ survey, id })
        const respondent = pick(respondents)
        writes.push(
          backend.writeResponse(survey, {
            id,
            score: Math.floor(random() * 11),
            receivedAt: someTime(),
            ...(respondent ? { respondentId: respondent } : {}),
          }),
        )
      }
      await Promise.all(writes)
      await expectLatest('new answers')

      // Merges: a new score (the follow-up's change), a respondent where there was none or another one.
      for (const [i, { survey, id }] of ids.slice(0, 30).entries()) {
        await backend.writeResponse(survey, {
          id,
          score: (i * 7) % 11,
          receivedAt: base,
          ...(i % 3 === 0 ? { respondentId: pick(respondents.slice(2)) } : {}),
        })
      }
      await expectLatest('merges')

      // Imports: rows replaced at another time and by another respondent, and new rows.
      const [first] = surveys
      const replaced = ids.filter((a) => a.survey === first).slice(0, 10)
      await backend.importResponses(
        first!,
        [
          ...replaced.map(({ id }, i) =>
            stored({ id, score: i, createdAt: someTime(), respondentId: pick(respondents) }),
          ),
          ...Array.from({ length: 20 }, (_, i) =>
            stored({
              id: randomUUID(),
              score: i % 11,
              createdAt: someTime(),
              respondentId: pick(respondents),
            }),
          ),
        ],
        base,
      )
      await expectLatest('imports')

      // Deletion of single answers, erasure of a respondent everywhere, anonymisation of the oldest.
      await backend.deleteResponses(
        first!,
        ids
          .filter((a) => a.survey === first)
          .slice(10, 25)
          .map((a) => a.id),
        base,
      )
      await expectLatest('deletion')
      await backend.eraseRespondent('bob', base)
      await expectLatest('erasure')
      for (const survey of surveys) await backend.anonymiseResponses(survey, base + 5 * DAY, [], 40, base)
      await expectLatest('anonymisation')
    })
  })
}
