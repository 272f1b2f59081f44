import type { Figure } from './lib/report.ts'

export async function benchWidgetBrowser(): Promise<Figure[]> {
  throw new Error('not yet written')
}
