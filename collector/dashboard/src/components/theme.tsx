/**
 * Light, dark, or the system's choice. The choice is a display preference kept in localStorage (never a
 * credential); the page applies it before first paint from main.tsx.
 */
import { signal } from '@preact/signals'

type Mode = 'auto' | 'light' | 'dark'
const KEY = 'npskit-dashboard-theme'

function stored(): Mode {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'light' || v === 'dark' ? v : 'auto'
  } catch {
    return 'auto'
  }
}

export const themeMode = signal<Mode>(stored())

const systemDark = window.matchMedia('(prefers-color-scheme: dark)')

/** The scheme the page shows now, the chosen one or the system's: what charts and the preview follow. */
export const scheme = signal<'light' | 'dark'>('light')

/** Sets the page's `data-theme` to light or dark: the chosen one, or the system's for "auto". */
export function applyTheme(mode: Mode = themeMode.value) {
  scheme.value = mode === 'auto' ? (systemDark.matches ? 'dark' : 'light') : mode
  document.documentElement.dataset.theme = scheme.value
}
systemDark.addEventListener('change', () => applyTheme())

const NEXT: Record<Mode, Mode> = { auto: 'light', light: 'dark', dark: 'auto' }
const LABEL: Record<Mode, string> = { auto: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' }

export function ThemeToggle() {
  const mode = themeMode.value
  return (
    <button
      type="button"
      class="button ghost"
      title="Switch between the system’s theme, light and dark"
      onClick={() => {
        const next = NEXT[mode]
        themeMode.value = next
        try {
          if (next === 'auto') localStorage.removeItem(KEY)
          else localStorage.setItem(KEY, next)
        } catch {}
        applyTheme(next)
      }}
    >
      {LABEL[mode]}
    </button>
  )
}
