/**
 * API keys (admins only): every key with its scope, the last characters of its secret and when it was
 * made or revoked; making one (its secret is shown here once, the collector keeps only a hash); revoking
 * one after a confirm step. The API refuses to revoke the last active admin key and says so here.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure, type ApiKey, api, read, type Schemas } from '../api/client.ts'
import { ConfirmStep } from '../components/confirm.tsx'
import { CopyButton } from '../components/copy-button.tsx'
import { ErrorSummary, Field, type FieldErrors, fieldId, placeIssues } from '../components/field.tsx'
import { Failure, Loading } from '../components/states.tsx'
import { filters } from '../filters.ts'
import { formatDate } from '../format.ts'
import { useApi } from '../use-api.ts'
import './keys.css'

type Scope = ApiKey['scope']
const SCOPES: Record<Scope, { label: string; help: string }> = {
  read: { label: 'Read', help: 'figures, responses, comments and exports; changes nothing' },
  admin: { label: 'Admin', help: 'everything: settings, keys, imports and erasure too' },
}

export function KeysView() {
  const keys = useApi(() => read(api.GET('/v1/keys')), [])
  const [made, setMade] = useState<Schemas['ApiKeyCreated'] | null>(null)
  const [notice, setNotice] = useState('')
  return (
    <>
      <div class="page-head">
        <h1>API keys</h1>
      </div>
      <p class="muted keys-intro">
        A key signs in to this dashboard or calls the API (<code>Authorization: Bearer …</code>). Give each
        person or script its own, so you can revoke one without the others.
      </p>
      {made ? <NewSecret made={made} onDone={() => setMade(null)} /> : null}
      <CreateKey
        onCreated={(key) => {
          setMade(key)
          setNotice('')
          keys.reload()
        }}
      />
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">Keys</h2>
        <p class="status-ok" role="status">
          {notice}
        </p>
        {keys.error ? (
          <Failure error={keys.error} what="the keys" retry={keys.reload} />
        ) : !keys.data ? (
          <Loading />
        ) : (
          <KeyTable
            keys={keys.data.items}
            onRevoked={(name) => {
              setNotice(`Revoked “${name}”: it opens nothing any more.`)
              keys.reload()
            }}
          />
        )}
      </section>
    </>
  )
}

/** The secret of the key just made, once: nothing can show it again. */
function NewSecret({ made, onDone }: { made: Schemas['ApiKeyCreated']; onDone(): void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [made.id])
  return (
    <section class="panel new-secret" aria-labelledby="secret-title">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>
        Key “{made.name}” created ({made.scope})
      </h2>
      <p>
        <strong>Copy the secret now: you will not see it again.</strong> The collector keeps only its hash; if
        it is lost, revoke the key and make another.
      </p>
      <div class="snippet">
        <pre>
          <code class="secret">{made.key}</code>
        </pre>
        <CopyButton text={made.key} label="Copy key" />
      </div>
      <button type="button" class="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  )
}

function CreateKey({ onCreated }: { onCreated(key: Schemas['ApiKeyCreated']): void }) {
  const [name, setName] = useState('')
  const [scope, setScope] = useState<Scope>('read')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [other, setOther] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  return (
    <form
      class="panel create-key"
      noValidate
      aria-labelledby="create-key-title"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        try {
          const key = await read(api.POST('/v1/keys', { body: { name: name.trim(), scope } }))
          setName('')
          setErrors({})
          setOther([])
          onCreated(key)
        } catch (failure) {
          const refused =
            failure instanceof ApiFailure ? failure : new ApiFailure(0, 'client', String(failure))
          const { byField, unplaced } = placeIssues(refused, ['name', 'scope'])
          setErrors(byField)
          setOther(unplaced)
        } finally {
          setBusy(false)
        }
      }}
    >
      <h2 id="create-key-title">New key</h2>
      {other.length ? (
        <ErrorSummary title="The key was not created" items={other.map((message) => ({ message }))} />
      ) : null}
      <div class="create-key-fields">
        <Field
          id={fieldId('name', 'key')}
          label="Name"
          errors={errors.name}
          help="Who or what uses it, e.g. “CS team”."
        >
          {(p) => (
            <input
              {...p}
              value={name}
              required
              aria-required="true"
              autocomplete="off"
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <fieldset
          class="scope"
          aria-invalid={errors.scope ? true : undefined}
          aria-describedby={errors.scope ? 'key-scope-error' : undefined}
        >
          <legend>Scope</legend>
          {(['read', 'admin'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="scope"
                value={value}
                checked={scope === value}
                onChange={() => setScope(value)}
              />
              <span>
                <strong>{SCOPES[value].label}</strong>: {SCOPES[value].help}
              </span>
            </label>
          ))}
          {errors.scope ? (
            <p id="key-scope-error" class="field-error">
              {errors.scope.join(' ')}
            </p>
          ) : null}
        </fieldset>
      </div>
      <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? 'Creating…' : 'Create key'}
      </button>
    </form>
  )
}

function KeyTable({ keys, onRevoked }: { keys: ApiKey[]; onRevoked(name: string): void }) {
  const tz = filters.value.tz
  // Active keys first, newest first within each group: what an admin looks for.
  const sorted = [...keys].sort(
    (a, b) =>
      Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt),
  )
  return (
    <div class="table-wrap">
      <table class="keys">
        <caption class="sr-only">API keys, active ones first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Secret ends in</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((key) => (
            <KeyRow key={key.id} apiKey={key} tz={tz} onRevoked={onRevoked} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function KeyRow({
  apiKey: key,
  tz,
  onRevoked,
}: {
  apiKey: ApiKey
  tz: string
  onRevoked(name: string): void
}) {
  const [confirming, setConfirming] = useState(false)
  const revokeButton = useRef<HTMLButtonElement>(null)
  const wasConfirming = useRef(false)
  // Cancel puts focus back where it was: on the row's Revoke button.
  useEffect(() => {
    if (!confirming && wasConfirming.current) revokeButton.current?.focus()
    wasConfirming.current = confirming
  }, [confirming])
  return (
    <tr class={key.revokedAt ? 'revoked' : undefined}>
      <th scope="row">{key.name}</th>
      <td data-label="Scope">
        <span class={`badge scope-${key.scope}`}>{key.scope}</span>
      </td>
      <td data-label="Secret ends in">
        <code>{key.last4 ? `…${key.last4}` : '—'}</code>
      </td>
      <td data-label="Created">{formatDate(key.createdAt, tz, true)}</td>
      <td data-label="Status">
        {key.revokedAt ? `Revoked ${formatDate(key.revokedAt, tz, true)}` : 'Active'}
      </td>
      <td class="action">
        {key.revokedAt ? null : confirming ? (
          <ConfirmStep
            action="Revoke key"
            busyLabel="Revoking…"
            failure="Not revoked:"
            run={async () => {
              await read(api.DELETE('/v1/keys/{id}', { params: { path: { id: key.id } } }))
              onRevoked(key.name)
            }}
            onCancel={() => setConfirming(false)}
          >
            <p>
              Revoke “{key.name}”? Whatever uses it stops working at once, and its dashboard sessions end
              (yours too, if you signed in with it).
            </p>
          </ConfirmStep>
        ) : (
          <button
            ref={revokeButton}
            type="button"
            class="button danger"
            aria-label={`Revoke ${key.name}`}
            onClick={() => setConfirming(true)}
          >
            Revoke…
          </button>
        )}
      </td>
    </tr>
  )
}
