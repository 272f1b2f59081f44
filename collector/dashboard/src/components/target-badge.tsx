import type { TargetStatus } from '../api/client.ts'
import { formatDay, formatNps } from '../format.ts'

const WORDS = { met: 'on target', below: 'below target', uncertain: 'too close to call' } as const

/** Where a survey stands against its target, in words (and colour only as a second signal). */
export function TargetBadge({ target }: { target: TargetStatus }) {
  if (!target.target) return <span class="muted">no target</span>
  const status = target.status
  return (
    <span class={`badge target-${status ?? 'none'}`}>
      {status ? WORDS[status] : 'no answers'} · {formatNps(target.target.nps)} by{' '}
      {formatDay(target.target.deadline)}
    </span>
  )
}
