/** The states every view shares: loading, a failed request that says what failed, and empty. */
import type { ComponentChildren } from 'preact'
import type { ApiFailure } from '../api/client.ts'

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      {label}
    </p>
  )
}

export function Failure({ error, what, retry }: { error: ApiFailure; what: string; retry?: () => void }) {
  return (
    <div class="state failure" role="alert">
      <p>
        <strong>Could not load {what}.</strong> {error.message}
        {error.code && error.status ? (
          <span class="muted">
            {' '}
            ({error.status} {error.code})
          </span>
        ) : null}
      </p>
      {retry ? (
        <button type="button" class="button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  )
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty">
      <h2>{title}</h2>
      {children}
    </div>
  )
}
