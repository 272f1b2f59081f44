/**
 * The landing page when nobody is signed in. A key (admin or read) opens a server-side session; the key
 * itself goes to the collector once and is never kept in the page.
 */
import { useState } from 'preact/hooks'
import { ApiFailure } from '../api/client.ts'
import { signIn, signInReason } from '../session.ts'

export function SignInView() {
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  return (
    <main id="main" class="sign-in">
      <h1>
        <span class="brand">npskit</span> dashboard
      </h1>
      {signInReason.value ? (
        <p class="notice" role="status">
          {signInReason.value}
        </p>
      ) : null}
      <form
        onSubmit={async (e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          try {
            await signIn(key.trim())
          } catch (failure) {
            setError(failure instanceof ApiFailure ? failure.message : String(failure))
          } finally {
            setBusy(false)
          }
        }}
      >
        <label for="key">API key</label>
        <input
          id="key"
          name="key"
          type="password"
          autocomplete="current-password"
          required
          value={key}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'key-error key-help' : 'key-help'}
          onInput={(e) => setKey(e.currentTarget.value)}
        />
        {error ? (
          <p id="key-error" class="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <p id="key-help" class="muted">
          Use the admin key <code>pnpm start</code> printed the first time (or <code>NPSKIT_ADMIN_KEY</code>),
          or a read key an admin made for you. Lost it? <code>pnpm collector key create</code> prints a new
          one.
        </p>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
