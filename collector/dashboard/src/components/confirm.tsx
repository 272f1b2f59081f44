/**
 * The second step of a destructive action: the question, the action and Cancel. Focus moves to the
 * action when the step opens; a refusal shows the API's message and leaves the step open.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure } from '../api/client.ts'

export function ConfirmStep({
  children,
  action,
  busyLabel,
  failure,
  run,
  onCancel,
}: {
  /** The question, in words that say what will be lost. */
  children: ComponentChildren
  action: string
  busyLabel: string
  /** Leads the API's message when it refuses, e.g. "Not revoked:". */
  failure: string
  run(): Promise<void>
  onCancel(): void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => button.current?.focus(), [])
  return (
    <div class="confirm">
      {children}
      <div class="form-actions">
        <button
          ref={button}
          type="button"
          class="button danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            setError(null)
            try {
              await run()
            } catch (refused) {
              setError(refused instanceof ApiFailure ? refused.message : String(refused))
            } finally {
              setBusy(false)
            }
          }}
        >
          {busy ? busyLabel : action}
        </button>
        <button type="button" class="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {failure} {error}
        </p>
      ) : null}
    </div>
  )
}
