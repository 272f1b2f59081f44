/**
 * Who is signed in. The session itself is a server-side row behind an HttpOnly cookie: the page never
 * sees a key or a token, it only asks the collector who it is (`GET /v1/sessions/current`).
 */
import { computed, signal } from '@preact/signals'
import { api, read, type Session, whenSignedOut } from './api/client.ts'

/** undefined while asking; null when signed out. */
export const session = signal<Session | null | undefined>(undefined)
export const isAdmin = computed(() => session.value?.scope === 'admin')
/** Why the sign-in page shows (an expired session says so). */
export const signInReason = signal<string | null>(null)

whenSignedOut(() => {
  if (session.value) signInReason.value = 'Your session has ended. Sign in again to go on.'
  session.value = null
})

export async function loadSession() {
  try {
    session.value = await read(api.GET('/v1/sessions/current'))
  } catch {
    session.value = null
  }
}

export async function signIn(key: string) {
  session.value = await read(api.POST('/v1/sessions', { body: { key } }))
  signInReason.value = null
}

export async function signOut() {
  try {
    await read(api.DELETE('/v1/sessions/current'))
  } finally {
    session.value = null
    signInReason.value = 'You have signed out.'
  }
}
