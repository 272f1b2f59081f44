/**
 * The card's mount contract, as the widget's build exposes it on `window.npskit.card`. Written here rather
 * than imported: the collector never depends on the widget package, it only serves its files.
 */
import type { WidgetConfig } from '@npskit/shared/schemas'

export type { WidgetConfig }

export type MountCard = (options: {
  config: WidgetConfig
  onScore(score: number): void
  onFollowUp(answer: { comment?: string; contact?: { email?: string } }): void
  onDismiss(): void
  onClose(): void
}) => { close(): void }

declare global {
  interface Window {
    npskit?: ((...args: unknown[]) => void) & { card?: MountCard }
  }
}
