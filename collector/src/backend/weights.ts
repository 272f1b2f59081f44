/**
 * Respondent weights for Analytics.accounts (`weight: 'respondent'`): each respondent weighs 1, shared
 * evenly by their k answers in the account, so an answer weighs 1/k. The database counts the answers per
 * (account, k, score); this adds count/k in one fixed order (k, then score), so every engine answers the
 * same bits — a sum of fractions in the database's own order would differ in the last digits.
 */
export interface WeightCount {
  account: string
  /** How many answers the respondent has in the account (1 for an answer without a respondent). */
  k: number
  score: number
  count: number
}

/** Per account, the 11 score weights. */
export function respondentWeights(rows: readonly WeightCount[]): Map<string, number[]> {
  const sorted = [...rows].sort((a, b) => a.k - b.k || a.score - b.score)
  const weights = new Map<string, number[]>()
  for (const row of sorted) {
    let distribution = weights.get(row.account)
    if (!distribution) {
      distribution = Array.from({ length: 11 }, () => 0)
      weights.set(row.account, distribution)
    }
    distribution[row.score]! += row.count / row.k
  }
  return weights
}
