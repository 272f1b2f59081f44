/**
 * The seam between the loader and the card. The loader owns state and transport; the card only renders
 * and reports what the visitor did, so the card stays small and the loader can be tested without Preact.
 */
import type { WidgetConfig } from '@npskit/shared/schemas'

export type { WidgetConfig }
export type Category = 'promoter' | 'passive' | 'detractor'
export type ThemeMode = 'auto' | 'light' | 'dark'

/**
 * What the follow-up step adds to the answer: the comment, and consent to be contacted (`email` only
 * when the card asked for one, because the site had not identified the visitor).
 */
export interface FollowUp {
  comment?: string
  contact?: { email?: string }
}

export interface CardOptions {
  config: WidgetConfig
  /** The site identified the visitor (`identify`): their respondentId says who they are, no address is asked. */
  identified?: boolean | undefined
  /** Overrides of the survey's theme from the script tag. */
  mode?: ThemeMode | undefined
  position?: string | undefined
  nonce?: string | undefined
  onScore(score: number): void
  /** The follow-up was sent with a comment, consent, or both (a skip with neither sends nothing). */
  onFollowUp(answer: FollowUp): void
  /** Closed without a score: the visitor said no. */
  onDismiss(): void
  /** The card is gone, for whatever reason. */
  onClose(): void
}

export interface CardHandle {
  close(): void
}

export type MountCard = (options: CardOptions) => CardHandle

export function categoryOf(score: number): Category {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'
}

/** `window.npskit`: the command function, the only global the widget creates. */
export interface NpskitGlobal {
  (...args: unknown[]): void
  /** Commands called before the loader ran (the queue stub). */
  q?: ArrayLike<unknown>[]
  /** Set by nps-card.js when it has loaded. */
  card?: MountCard
  /** A loader is running. */
  v?: 1
}

declare global {
  interface Window {
    npskit?: NpskitGlobal
  }
}
