/**
 * Form fields that show the API's own validation message beside the field it names (aria-invalid and
 * aria-describedby point at it), and a summary of every message at the top of the form whose links move
 * focus to the field. The API's zod issues carry a path (`theme.accent`, `allowedOrigins.1`); a form
 * places each under the longest field path it starts with.
 */
import type { ComponentChildren, JSX, Ref } from 'preact'
import type { ApiFailure } from '../api/client.ts'
import './field.css'

/** Messages per field path (`theme.accent`). */
export type FieldErrors = Record<string, string[]>

/** The HTML id of the control for a field path. */
export const fieldId = (path: string, prefix = 'f') => `${prefix}-${path.replace(/\./g, '-')}`

/**
 * The API's issues by the field they name: an issue goes to the longest of `fields` its path equals or
 * starts with (`allowedOrigins.1` → `allowedOrigins`); the rest are `unplaced` (shown in the summary).
 * A refusal without issues (a 409, a network failure) is unplaced as a whole.
 */
export function placeIssues(failure: ApiFailure, fields: readonly string[]) {
  const byField: FieldErrors = {}
  const unplaced: string[] = []
  if (failure.issues.length === 0) unplaced.push(failure.message)
  for (const issue of failure.issues) {
    const path = issue.path ?? ''
    const field = fields
      .filter((f) => path === f || path.startsWith(`${f}.`))
      .sort((a, b) => b.length - a.length)[0]
    if (field) byField[field] = [...(byField[field] ?? []), issue.message]
    else unplaced.push(path ? `${path}: ${issue.message}` : issue.message)
  }
  return { byField, unplaced }
}

export interface ControlProps {
  id: string
  'aria-invalid'?: true
  'aria-describedby'?: string
}

/** A labelled control with its help and, after a refused save, the API's message under it. */
export function Field({
  id,
  label,
  help,
  errors,
  class: className,
  children,
}: {
  id: string
  label: ComponentChildren
  help?: ComponentChildren
  errors?: string[] | undefined
  class?: string
  children(props: ControlProps): JSX.Element
}) {
  const helpId = help ? `${id}-help` : undefined
  const errorId = errors?.length ? `${id}-error` : undefined
  const describedBy = [errorId, helpId].filter(Boolean).join(' ')
  return (
    <div class={`field${errorId ? ' invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>{label}</label>
      {children({
        id,
        ...(errorId ? { 'aria-invalid': true as const } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      })}
      {errorId ? (
        <p id={errorId} class="field-error">
          <span class="sr-only">Error: </span>
          {errors!.join(' ')}
        </p>
      ) : null}
      {help ? (
        <p id={helpId} class="help">
          {help}
        </p>
      ) : null}
    </div>
  )
}

export interface SummaryItem {
  /** The control's id: the item links to it. */
  target?: string | undefined
  label?: string | undefined
  message: string
}

/** Every reason a submit was refused, at the top of the form; each links to its field. */
export function ErrorSummary({
  title,
  items,
  summaryRef,
}: {
  title: string
  items: SummaryItem[]
  summaryRef?: Ref<HTMLDivElement>
}) {
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
      <h2>{title}</h2>
      <ul>
        {items.map((item, i) => (
          <li key={i}>
            {item.target ? (
              <a
                href={`#${item.target}`}
                onClick={(e) => {
                  // Focus, not a hash change: the router would take a new history entry for a new view.
                  e.preventDefault()
                  const control = document.getElementById(item.target!)
                  control?.focus()
                  control?.scrollIntoView({ block: 'center' })
                }}
              >
                {item.label ? `${item.label}: ` : ''}
                {item.message}
              </a>
            ) : (
              item.message
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
