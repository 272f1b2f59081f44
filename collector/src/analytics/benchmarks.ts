/**
 * Where a survey stands against published industry figures (benchmark-data.ts): each row's value
 * against our 95% interval — `above` when even the interval's lower end is over it, `below` when even
 * its upper end is under it, `within` otherwise — with the difference in points and the caveat that a
 * published figure and one's own survey are rarely measured the same way.
 *
 * @example
 * standAgainst({ nps: 30, ci95: [14.05, 44.2] }, benchmark) // { difference: -2, verdict: 'within' }
 */
import type { NpsEstimate } from '@npskit/shared'
import { BENCHMARKS, type Benchmark } from './benchmark-data.ts'

export type BenchmarkVerdict = 'above' | 'below' | 'within'

export const BENCHMARK_CAVEAT =
  'A published benchmark is measured differently from your own survey: competitive-benchmark figures ' +
  'come from panels of a market’s consumers rating brands they use, own-customer figures from the surveys ' +
  'firms send their own customers; relationship and transactional surveys score differently, and so do ' +
  'regions, years, channels and who is asked. Read the difference as context, not as a test of the same thing.'

/** The rows for an industry, in the table's order (none for an unknown id). */
export function benchmarksFor(industry: string): Benchmark[] {
  return BENCHMARKS.filter((b) => b.industry === industry)
}

/** Our figure against one benchmark value; null fields when nobody answered. */
export function standAgainst(
  ours: Pick<NpsEstimate, 'nps' | 'ci95'>,
  benchmark: Pick<Benchmark, 'value'>,
): { difference: number | null; verdict: BenchmarkVerdict | null } {
  if (ours.nps === null || ours.ci95 === null) return { difference: null, verdict: null }
  const verdict: BenchmarkVerdict =
    ours.ci95[0] > benchmark.value ? 'above' : ours.ci95[1] < benchmark.value ? 'below' : 'within'
  return { difference: ours.nps - benchmark.value, verdict }
}
