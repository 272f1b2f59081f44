/**
 * Example answers with effects planted in them, for the demo's "Example: support team" survey and for
 * the tests that hold the analytics to finding those effects without client code.
 *
 * Two years of a B2B product's support survey: 30 support agents, 800 business accounts on four plans,
 * about eight people per account who answer every few months, comments in English and German. What is
 * planted (EXAMPLE_PLANTED names it):
 * - two agents clearly better than the rest and two clearly worse; one new agent with a handful of
 *   answers and a high but imprecise score;
 * - six accounts whose people were promoters and turned detractors in the last four months;
 * - a theme that costs points: answers that mention billing errors (in English and German, spelled
 *   several ways) are mostly detractors.
 * Everything else is drawn from one profile, so any other "effect" an analysis finds is noise.
 *
 * The generator is deterministic (a seeded mulberry32): the same options give the
 * same rows, so a failing test can be replayed.
 *
 * @example
 * const rows = [...exampleAnswers({ now: Date.now(), count: 20_000 })]
 * // POST them as NDJSON to /v1/surveys/:id/responses/import
 */

export interface ExampleRow {
  id: string
  score: number
  comment: string | null
  respondentId: string
  createdAt: string
  locale: string
  url: string
  device: 'desktop' | 'mobile' | 'tablet'
  metadata: { agent: string; accountId: string; plan: string }
}

export interface ExampleOptions {
  /** The end of the two years, ms since the epoch. */
  now: number
  /** How many answers, spread evenly over the two years (default 60,000). */
  count?: number
  seed?: number
}

const DAY = 86_400_000
const SPAN_DAYS = 730
const AGENTS = 30
const ACCOUNTS = 800
const PEOPLE_PER_ACCOUNT = 8

const agentName = (i: number) => `agent-${String(i).padStart(2, '0')}`
const accountName = (i: number) => `acct-${String(i).padStart(3, '0')}`
const atRiskNumbers = [13, 77, 150, 333, 501, 720]

/** What the example data holds on purpose; see the module comment. */
export const EXAMPLE_PLANTED = {
  betterAgents: [agentName(7), agentName(19)],
  worseAgents: [agentName(11), agentName(24)],
  /** Joined a month ago: a few answers, a high score, an interval too wide to rank. */
  newAgent: agentName(31),
  newAgentAnswers: 9,
  atRiskAccounts: atRiskNumbers.map(accountName),
  /** The at-risk accounts turned this many days before `now`. */
  turnedDaysAgo: 120,
  costlyTheme: 'billing',
  /** Every spelling the billing comments use, English and German. */
  costlyThemeWords: ['billing', 'invoice', 'invoices', 'rechnung', 'rechnungen', 'abrechnung'],
  share: { billing: 0.06 },
  agentKey: 'agent',
  accountKey: 'accountId',
  planKey: 'plan',
} as const

/**
 * The example survey's settings: the metadata it carries, the agent leaderboard and the plans as
 * declared breakdowns (read from rollups), the account key, the benchmark industry and the billing theme.
 */
export const EXAMPLE_SURVEY = {
  name: 'Example: support team (seeded)',
  metadataKeys: [EXAMPLE_PLANTED.agentKey, EXAMPLE_PLANTED.accountKey, EXAMPLE_PLANTED.planKey],
  breakdowns: [`metadata.${EXAMPLE_PLANTED.agentKey}`, `metadata.${EXAMPLE_PLANTED.planKey}`, 'locale'],
  accounts: { key: EXAMPLE_PLANTED.accountKey },
  industry: 'b2b-software-saas' as const,
  themes: { dictionary: { [EXAMPLE_PLANTED.costlyTheme]: [...EXAMPLE_PLANTED.costlyThemeWords] } },
  responseLifetimeDays: 180,
}

/** Chances of promoter, passive and detractor. */
type Profile = readonly [promoter: number, passive: number, detractor: number]

const PROFILES = {
  base: [0.5, 0.3, 0.2],
  better: [0.72, 0.2, 0.08],
  worse: [0.3, 0.28, 0.42],
  turned: [0.02, 0.13, 0.85],
  billing: [0.06, 0.2, 0.74],
} satisfies Record<string, Profile>

const PLANS = [
  'free',
  'free',
  'free',
  'free',
  'starter',
  'starter',
  'starter',
  'business',
  'business',
  'enterprise',
]
const DEVICES = ['desktop', 'desktop', 'desktop', 'mobile', 'tablet'] as const
const PATHS = ['/app', '/app/projects', '/app/reports', '/app/settings', '/help']

/** Comments by category and language; the billing ones are the planted theme. */
const COMMENTS = {
  en: {
    promoter: [
      'Fast support, very helpful team',
      'Easy to use and reliable',
      'The support team solved my problem in minutes',
      'Great reports, we use them every week',
    ],
    passive: [
      'Good overall but the export is missing options',
      'Okay, but pages load slowly on big projects',
      'Does the job, the mobile app could be better',
    ],
    detractor: [
      'Pages load slowly and the app crashes on big projects',
      'Support took days to answer',
      'The export is missing and we need it',
      'Too expensive for what it does',
    ],
    billing: [
      'Billing errors again, the invoice was wrong',
      'We were charged twice, billing errors every month',
      'The invoice never matches our plan',
      'Billing errors on every invoice, please fix billing',
    ],
  },
  de: {
    promoter: [
      'Schneller Support, sehr hilfreich',
      'Einfach zu bedienen und zuverlässig',
      'Tolle Berichte, wir nutzen sie jede Woche',
    ],
    passive: ['Gut, aber beim Export fehlen Optionen', 'In Ordnung, aber große Projekte laden langsam'],
    detractor: [
      'Die Seiten laden langsam und die App stürzt ab',
      'Der Support hat Tage gebraucht',
      'Zu teuer für das, was es kann',
    ],
    billing: [
      'Die Rechnung war schon wieder falsch',
      'Fehler in jeder Rechnung, bitte die Abrechnung prüfen',
      'Doppelt abgebucht, die Rechnungen stimmen nie',
    ],
  },
} as const

/** A small deterministic generator in [0, 1): mulberry32, whose draws are not visibly correlated. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function scoreFrom(profile: Profile, next: () => number): number {
  const draw = next()
  if (draw < profile[0]) return next() < 0.55 ? 10 : 9
  if (draw < profile[0] + profile[1]) return next() < 0.5 ? 8 : 7
  // Detractors lean to the upper half of 0–6, as real ones do.
  return [6, 6, 5, 5, 4, 3, 2, 1, 0][Math.floor(next() * 9)]!
}

const categoryOf = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor')

/** The example answers, oldest first; see the module comment. */
export function* exampleAnswers({ now, count = 60_000, seed = 16 }: ExampleOptions): Generator<ExampleRow> {
  const next = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!
  const atRisk = new Set<string>(EXAMPLE_PLANTED.atRiskAccounts)
  const turnedAt = now - EXAMPLE_PLANTED.turnedDaysAgo * DAY
  const start = now - SPAN_DAYS * DAY
  const step = (SPAN_DAYS * DAY) / count
  // The new agent's answers are spread over the last month.
  const newAgentEvery = Math.max(1, Math.floor(count / 24 / EXAMPLE_PLANTED.newAgentAnswers))
  const newAgentFrom = count - newAgentEvery * EXAMPLE_PLANTED.newAgentAnswers

  for (let i = 0; i < count; i++) {
    const at = Math.floor(start + i * step + next() * step)
    // The accounts that turn are large ones: they answer about as often as eight others each.
    const account =
      next() < 0.06
        ? atRiskNumbers[Math.floor(next() * atRiskNumbers.length)]!
        : 1 + Math.floor(next() * ACCOUNTS)
    const accountId = accountName(account)
    // An account's language and plan are its own, fixed by its number.
    const german = account % 5 === 0
    const plan = PLANS[account % PLANS.length]!
    const person = Math.floor(next() * PEOPLE_PER_ACCOUNT)
    const newAgent = i >= newAgentFrom && (i - newAgentFrom) % newAgentEvery === 0
    const agent = newAgent ? EXAMPLE_PLANTED.newAgent : agentName(1 + Math.floor(next() * AGENTS))

    const billing = next() < EXAMPLE_PLANTED.share.billing
    const profile: Profile = billing
      ? PROFILES.billing
      : atRisk.has(accountId) && at >= turnedAt
        ? PROFILES.turned
        : atRisk.has(accountId)
          ? PROFILES.better
          : newAgent
            ? [0.65, 0.25, 0.1]
            : (EXAMPLE_PLANTED.betterAgents as readonly string[]).includes(agent)
              ? PROFILES.better
              : (EXAMPLE_PLANTED.worseAgents as readonly string[]).includes(agent)
                ? PROFILES.worse
                : PROFILES.base
    const score = scoreFrom(profile, next)
    const language = german ? 'de' : 'en'
    const texts = COMMENTS[language]
    const comment = billing ? pick(texts.billing) : next() < 0.55 ? pick(texts[categoryOf(score)]) : null

    yield {
      id: `ex_${String(i).padStart(6, '0')}`,
      score,
      comment,
      respondentId: `${accountId}-u${person}`,
      createdAt: new Date(at).toISOString(),
      locale: german ? 'de-DE' : account % 7 === 0 ? 'en-GB' : 'en-US',
      url: `https://app.example.com${pick(PATHS)}`,
      device: pick(DEVICES),
      metadata: { agent, accountId, plan },
    }
  }
}
