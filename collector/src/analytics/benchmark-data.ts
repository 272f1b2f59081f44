/**
 * Published industry NPS figures, shipped as data. Only figures whose publisher and publication we can
 * name; a figure we know only through someone else's quote says so (`secondHand`, with `via`). Nothing
 * here is computed or estimated by npskit. Add a row only with its source.
 *
 * `method` says how the figure was measured, because it decides what a comparison can mean:
 * - `competitive-benchmark`: a panel of a market's consumers rating brands they use (double-blind or
 *   panel studies such as NPS Prism, Satmetrix, Temkin/XM Institute);
 * - `own-customer`: the surveys firms send their own customers, pooled by the vendor that runs them
 *   (SurveyMonkey, ClearlyRated) — closest to what npskit measures;
 * `survey` is `relationship` (overall, periodic), `transactional` (after an interaction) or `unknown`.
 */

export interface BenchmarkSource {
  publisher: string
  title: string
  url: string | null
  /** Quoted by another publication, not read at the publisher's own page. */
  secondHand: boolean
  /** Where the quote was read, when second-hand. */
  via: string | null
}

export interface Benchmark {
  /** Stable id of the row. */
  id: string
  /** The industry id a survey names in its `industry` setting. */
  industry: string
  /** The industry in words, as the publisher names it. */
  industryName: string
  /** The published NPS, in points. */
  value: number
  /** What the value is: the average or median of a group, or the best brand's score (a leader). */
  statistic: 'average' | 'median' | 'upper-quartile' | 'leader'
  /** The year of the data or publication; null when the source gives none. */
  year: number | null
  region: string
  method: 'competitive-benchmark' | 'own-customer'
  survey: 'relationship' | 'transactional' | 'unknown'
  source: BenchmarkSource
  note: string
}

const first = (publisher: string, title: string, url: string | null): BenchmarkSource => ({
  publisher,
  title,
  url,
  secondHand: false,
  via: null,
})

export const BENCHMARKS: readonly Benchmark[] = [
  {
    id: 'surveymonkey-global-average',
    industry: 'cross-industry',
    industryName: 'All industries',
    value: 32,
    statistic: 'average',
    year: null,
    region: 'global',
    method: 'own-customer',
    survey: 'unknown',
    source: first(
      'SurveyMonkey',
      'Net Promoter Score benchmarks for customer loyalty',
      'https://uk.surveymonkey.com/mp/net-promoter-score-benchmarks-customer-loyalty/',
    ),
    note: 'Average across more than 150,000 organisations using SurveyMonkey; the top 25% score 72 or more.',
  },
  {
    id: 'surveymonkey-global-median',
    industry: 'cross-industry',
    industryName: 'All industries',
    value: 36,
    statistic: 'median',
    year: null,
    region: 'global',
    method: 'own-customer',
    survey: 'unknown',
    source: first(
      'SurveyMonkey',
      'CX: What is NPS? (help article)',
      'https://help.surveymonkey.com/articles/en_US/kb/CX-What-is-NPS',
    ),
    note: 'Median across the respondents to surveys SurveyMonkey customers create; upper quartile +66. An older article than the average of 32.',
  },
  {
    id: 'satmetrix-2018-department-specialty-stores',
    industry: 'retail-department-specialty',
    industryName: 'Department and specialty stores',
    value: 62,
    statistic: 'average',
    year: 2018,
    region: 'US',
    method: 'competitive-benchmark',
    survey: 'relationship',
    source: {
      publisher: 'NICE Satmetrix',
      title: 'NICE Satmetrix 2018 US Consumer Net Promoter Benchmarks',
      url: null,
      secondHand: true,
      via: 'MarketingCharts / e-strategy',
    },
    note: '62,000 US consumers rating 188 brands in 23 sectors; the top sector that year.',
  },
  {
    id: 'temkin-software-us',
    industry: 'software',
    industryName: 'Software companies',
    value: 41,
    statistic: 'average',
    year: null,
    region: 'US',
    method: 'competitive-benchmark',
    survey: 'relationship',
    source: {
      publisher: 'Temkin Group (now Qualtrics XM Institute)',
      title: 'Temkin Group NPS benchmark',
      url: null,
      secondHand: true,
      via: 'Campaign Monitor',
    },
    note: 'Quoted as "the average NPS of software companies in the US is 41".',
  },
  {
    id: 'retently-2022-b2b-software-saas',
    industry: 'b2b-software-saas',
    industryName: 'B2B software and SaaS',
    value: 40,
    statistic: 'average',
    year: 2022,
    region: 'global',
    method: 'own-customer',
    survey: 'unknown',
    source: {
      publisher: 'Retently',
      title: 'NPS benchmarks 2022',
      url: null,
      secondHand: true,
      via: 'third-party quotes of Retently 2022',
    },
    note: 'Quoted as "average NPS score for B2B Software & SaaS companies is 40".',
  },
  {
    id: 'clearlyrated-2018-b2b-services',
    industry: 'b2b-services',
    industryName: 'B2B service providers',
    value: 18,
    statistic: 'average',
    year: 2018,
    region: 'US and Canada',
    method: 'own-customer',
    survey: 'relationship',
    source: first(
      'ClearlyRated (Inavero)',
      '2018 NPS Benchmarks for B2B Service Providers',
      'https://wf.clearlyrated.com/resources/2018-nps-benchmarks-b2b-service-providers',
    ),
    note: 'Clients of B2B service providers, from overall satisfaction with their provider (annual industry benchmark study).',
  },
  {
    id: 'clearlyrated-2022-it-services',
    industry: 'it-services',
    industryName: 'IT services',
    value: 44,
    statistic: 'average',
    year: 2022,
    region: 'US and Canada',
    method: 'own-customer',
    survey: 'relationship',
    source: {
      publisher: 'ClearlyRated',
      title: '2022 NPS Benchmarks for B2B Service Industries',
      url: null,
      secondHand: true,
      via: 'secondary quotes of the ClearlyRated 2022 study',
    },
    note: 'Clients of IT services firms.',
  },
  {
    id: 'clearlyrated-2022-hr-services',
    industry: 'hr-services',
    industryName: 'HR services',
    value: 37,
    statistic: 'average',
    year: 2022,
    region: 'US',
    method: 'own-customer',
    survey: 'relationship',
    source: first(
      'ClearlyRated',
      'NPS for RPOs (2022 HR Services NPS Benchmark)',
      'https://www.clearlyrated.com/solutions/rpo/nps-for-rpos/',
    ),
    note: 'Corporate clients of outsourced HR services in the US; recruitment process outsourcing (RPO) alone: 53.',
  },
  {
    id: 'nps-prism-internet-providers-leader',
    industry: 'internet-providers',
    industryName: 'Internet service providers',
    value: 30,
    statistic: 'leader',
    year: null,
    region: 'US',
    method: 'competitive-benchmark',
    survey: 'relationship',
    source: {
      publisher: 'NPS Prism (Bain & Company)',
      title: 'NPS Prism double-blind benchmarks',
      url: null,
      secondHand: true,
      via: 'Fred Reichheld on LinkedIn',
    },
    note: 'The segment leader (T-Mobile), not the average: the lowest leader score across segments.',
  },
  {
    id: 'nps-prism-automobiles-leader',
    industry: 'automobiles',
    industryName: 'Automobiles',
    value: 79,
    statistic: 'leader',
    year: null,
    region: 'US',
    method: 'competitive-benchmark',
    survey: 'relationship',
    source: {
      publisher: 'NPS Prism (Bain & Company)',
      title: 'NPS Prism double-blind benchmarks',
      url: null,
      secondHand: true,
      via: 'Fred Reichheld on LinkedIn',
    },
    note: 'The segment leader (Lexus), not the average: the highest leader score across segments.',
  },
  {
    id: 'nps-prism-life-insurance-leader',
    industry: 'life-insurance',
    industryName: 'Life insurance',
    value: 66,
    statistic: 'leader',
    year: null,
    region: 'US',
    method: 'competitive-benchmark',
    survey: 'relationship',
    source: {
      publisher: 'NPS Prism (Bain & Company)',
      title: 'NPS Prism double-blind benchmarks',
      url: null,
      secondHand: true,
      via: 'Fred Reichheld on LinkedIn',
    },
    note: 'The segment leader (USAA), not the average; a competitor in the same segment scores −7.',
  },
]

/** The industries a survey may name, in the order of the table. */
export const BENCHMARK_INDUSTRIES: readonly string[] = [...new Set(BENCHMARKS.map((b) => b.industry))]
