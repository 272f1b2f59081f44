/**
 * How the answers spread over 0–10: one bar per score, coloured by category and grouped under the
 * category's name (colour is the second signal, the words the first), and the three categories with
 * their counts and shares. Plain HTML: eleven bars need no chart library.
 */
import type { Summary } from '../api/client.ts'
import { formatCompactCount, formatCount, formatShare } from '../format.ts'

type Category = 'detractor' | 'passive' | 'promoter'

const categoryOf = (score: number): Category =>
  score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'

export const CATEGORIES = [
  { id: 'promoter', label: 'Promoters', scores: '9–10', count: (s: Summary) => s.promoters },
  { id: 'passive', label: 'Passives', scores: '7–8', count: (s: Summary) => s.passives },
  { id: 'detractor', label: 'Detractors', scores: '0–6', count: (s: Summary) => s.detractors },
] as const

/** The eleven bars; heights are relative to the largest count. */
export function Distribution({ summary }: { summary: Summary }) {
  const max = Math.max(1, ...summary.distribution)
  return (
    <figure class="distribution">
      <figcaption class="sr-only">Answers per score from 0 to 10</figcaption>
      <ol class="bars">
        {summary.distribution.map((count, score) => {
          const category = categoryOf(score)
          return (
            <li key={score} class={`bar bar-${category}`} data-score={score}>
              <span class="bar-count" aria-hidden="true" title={formatCount(count)}>
                {formatCompactCount(count)}
              </span>
              <span class="bar-track" aria-hidden="true">
                <span
                  class="bar-fill"
                  style={{ height: count ? `max(2px, ${(100 * count) / max}%)` : '0' }}
                />
              </span>
              <span class="bar-score">
                <span class="sr-only">score </span>
                {score}
                <span class="sr-only">
                  {' '}
                  ({category}): {formatCount(count)} answers
                </span>
              </span>
            </li>
          )
        })}
      </ol>
      <div class="bar-groups" aria-hidden="true">
        <span class="group-detractor">
          Detractors <span class="scores">0–6</span>
        </span>
        <span class="group-passive">
          Passives <span class="scores">7–8</span>
        </span>
        <span class="group-promoter">
          Promoters <span class="scores">9–10</span>
        </span>
      </div>
    </figure>
  )
}

/** Promoters, passives and detractors with counts and shares of all answers. */
export function CategoryCounts({ summary }: { summary: Summary }) {
  return (
    <dl class="categories">
      {CATEGORIES.map((c) => {
        const count = c.count(summary)
        return (
          <div key={c.id} class={`category category-${c.id}`} data-category={c.id}>
            <dt>
              {c.label} <span class="muted">({c.scores})</span>
            </dt>
            <dd>
              <span class="category-count">{formatCount(count)}</span>{' '}
              <span class="category-share">{formatShare(summary.total ? count / summary.total : null)}</span>
            </dd>
          </div>
        )
      })}
    </dl>
  )
}
