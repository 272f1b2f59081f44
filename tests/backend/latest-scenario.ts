/**
 * A seeded run of every kind of write that changes whose answer is a respondent's latest — new answers
 * (some at the same moment), merges that change the score or the respondent, an import that replaces
 * answers (new times, other or no respondents) and adds some, deletion by id, erasure of a respondent
 * and anonymisation — kept in a model beside the backend, so a test can hold the backend's
 * latest-per-respondent figures (and, per engine, what it keeps to count them) against a straight
 * recount after each step.
 *
 * @example
 * await latestScenario(backend, async (model) => expect(await counted(model)).toEqual(recount(model)))
 */
import { randomUUID } from 'node:crypto'
import type { Backend, Window } from '@npskit/collector'
import { defaultSurveySettings } from '@npskit/shared'
import { stored } from './contract.ts'

const HOUR = 3_600_000
export const SCENARIO_BASE = Date.parse('2026-03-28T00:00:00Z')

export interface ModelAnswer {
  survey: string
  at: number
  score: number
  respondent: string | null
}

export interface LatestModel {
  surveys: string[]
  answers: Map<string, ModelAnswer>
}

/**
 * Each window's score counts of each respondent's latest answer in it (greatest time, then greatest
 * id), answers without a respondent each counted.
 */
export function recountLatest(model: LatestModel, survey: string, windows: readonly Window[]): number[][] {
  return windows.map(({ start, end }) => {
    const latest = new Map<string, { at: number; id: string; score: number }>()
    const counts = new Array<number>(11).fill(0)
    for (const [id, a] of model.answers) {
      if (a.survey !== survey || a.at < start || a.at >= end) continue
      if (a.respondent === null) {
        counts[a.score]!++
        continue
      }
      const seen = latest.get(a.respondent)
      if (!seen || a.at > seen.at || (a.at === seen.at && id > seen.id)) {
        latest.set(a.respondent, { at: a.at, id, score: a.score })
      }
    }
    for (const { score } of latest.values()) counts[score]!++
    return counts
  })
}

/** Windows on and off the hour, a rolling run (ordered by start and end) and an unordered list. */
export function latestWindows(): { single: Window[]; rolling: Window[]; unordered: Window[] } {
  const b = SCENARIO_BASE
  const single = [
    { start: -8.64e15, end: 8.64e15 },
    { start: b, end: b + 24 * HOUR },
    { start: b + 90 * 60_000, end: b + 30 * HOUR + 17 },
    { start: b + 5 * HOUR + 1, end: b + 5 * HOUR + 59 * 60_000 },
    { start: b + 10 * HOUR, end: b + 50 * HOUR },
  ]
  const rolling = Array.from({ length: 12 }, (_, i) => ({
    start: b + i * 6 * HOUR - 7_000,
    end: b + i * 6 * HOUR + 20 * HOUR + 123,
  }))
  const unordered = [single[4]!, single[1]!, single[3]!, rolling[7]!]
  return { single, rolling, unordered }
}

/** Runs the writes, calling `check` with the model after each kind of change. */
export async function latestScenario(
  backend: Backend,
  check: (model: LatestModel, step: string) => Promise<void>,
): Promise<void> {
  const surveys = [
    (await backend.createSurvey(defaultSurveySettings('A'), SCENARIO_BASE)).id,
    (await backend.createSurvey(defaultSurveySettings('B'), SCENARIO_BASE)).id,
  ]
  const model: LatestModel = { surveys, answers: new Map() }
  let seed = 11
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }
  const someTime = () => SCENARIO_BASE + Math.floor(random() * 72 * HOUR)
  const someRespondent = () => (random() < 0.15 ? null : `r${Math.floor(random() * 10)}`)

  // New answers, several at once (one batch), some at the very same moment as another.
  const writes: Promise<unknown>[] = []
  let previous = SCENARIO_BASE
  for (let i = 0; i < 160; i++) {
    const id = randomUUID()
    const answer: ModelAnswer = {
      survey: surveys[i % 3 === 0 ? 1 : 0]!,
      at: i % 7 === 3 ? previous : someTime(),
      score: Math.floor(random() * 11),
      respondent: someRespondent(),
    }
    previous = answer.at
    model.answers.set(id, answer)
    writes.push(
      backend.writeResponse(answer.survey, {
        id,
        score: answer.score,
        ...(answer.respondent === null ? {} : { respondentId: answer.respondent }),
        receivedAt: answer.at,
      }),
    )
  }
  await Promise.all(writes)
  await check(model, 'new answers')

  // Merges: new scores; some name another respondent (the answer moves to that one's chain), some
  // name one for an answer that had none.
  const ids = [...model.answers.keys()]
  await Promise.all(
    ids.slice(0, 30).map(async (id, i) => {
      const answer = model.answers.get(id)!
      answer.score = (answer.score + 3) % 11
      const respondent = i % 3 === 0 ? `r${(i + 5) % 10}` : undefined
      if (respondent) answer.respondent = respondent
      await backend.writeResponse(answer.survey, {
        id,
        score: answer.score,
        comment: 'later',
        ...(respondent ? { respondentId: respondent } : {}),
        receivedAt: answer.at + 999,
      })
    }),
  )
  await check(model, 'merges')

  // An import that replaces answers of survey A (other times, other or no respondents) and adds some.
  const replaced = ids.slice(30, 70).filter((id) => model.answers.get(id)!.survey === surveys[0])
  const imported = [
    ...replaced.map((id) => ({
      id,
      at: someTime(),
      score: Math.floor(random() * 11),
      respondent: someRespondent(),
    })),
    ...Array.from({ length: 25 }, () => ({
      id: randomUUID(),
      at: someTime(),
      score: Math.floor(random() * 11),
      respondent: someRespondent(),
    })),
  ]
  await backend.importResponses(
    surveys[0]!,
    imported.map((r) => stored({ id: r.id, createdAt: r.at, score: r.score, respondentId: r.respondent })),
    SCENARIO_BASE,
  )
  for (const r of imported) {
    model.answers.set(r.id, { survey: surveys[0]!, at: r.at, score: r.score, respondent: r.respondent })
  }
  await check(model, 'import')

  // Deletion by id: some answers of each survey, respondents' latest ones among them.
  for (const survey of surveys) {
    const gone = [...model.answers].filter(([, a]) => a.survey === survey).filter((_, i) => i % 9 === 2)
    await backend.deleteResponses(
      survey,
      gone.map(([id]) => id),
      SCENARIO_BASE,
    )
    for (const [id] of gone) model.answers.delete(id)
  }
  await check(model, 'deletion')

  // Erasure of a respondent, in every survey.
  await backend.eraseRespondent('r3', SCENARIO_BASE)
  for (const [id, a] of model.answers) if (a.respondent === 'r3') model.answers.delete(id)
  await check(model, 'erasure')

  // Anonymisation of survey A's first day: those answers lose their respondent and count each.
  const before = SCENARIO_BASE + 30 * HOUR
  await backend.anonymiseResponses(surveys[0]!, before, [], 1000, SCENARIO_BASE)
  for (const a of model.answers.values()) if (a.survey === surveys[0] && a.at < before) a.respondent = null
  await check(model, 'anonymisation')

  // New answers after all that, for respondents with older ones.
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => {
      const id = randomUUID()
      const answer: ModelAnswer = {
        survey: surveys[i % 2]!,
        at: someTime(),
        score: Math.floor(random() * 11),
        respondent: `r${i % 10}`,
      }
      model.answers.set(id, answer)
      return backend.writeResponse(answer.survey, {
        id,
        score: answer.score,
        respondentId: answer.respondent!,
        receivedAt: answer.at,
      })
    }),
  )
  await check(model, 'more answers')
}
