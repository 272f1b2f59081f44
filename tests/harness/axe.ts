/**
 * axe-core in real Chromium, for the card's and the dashboard's accessibility tests. The engine is
 * evaluated through the DevTools protocol rather than added as a script tag, so a page's
 * Content-Security-Policy (the dashboard's refuses inline scripts) cannot keep it out; it goes into every
 * frame of the page, so a check of the page reaches what its frames show (the card preview).
 *
 * @example
 * const { violations, checkedNodes } = await axeCheck(page, 'npskit-card')
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: unknown; failureSummary?: string }[]
}

/**
 * axe's verdict on `selector`'s element (default: the whole document), with only the rules of `tags`
 * when given: its violations, and how many nodes the rules did check (a check of nothing passes too).
 */
export async function axeCheck(
  page: Page,
  selector?: string,
  tags?: string[],
): Promise<{ violations: AxeViolation[]; checkedNodes: number }> {
  for (const frame of page.frames()) {
    if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axeSource)
  }
  return page.evaluate(
    async ({ selector, tags }) => {
      const context = selector ? document.querySelector(selector) : document
      if (!context) throw new Error(`no ${selector} on the page`)
      const axe = (
        window as unknown as { axe: { run: (ctx: unknown, options: unknown) => Promise<unknown> } }
      ).axe
      const result = (await axe.run(context, tags ? { runOnly: { type: 'tag', values: tags } } : {})) as {
        violations: AxeViolation[]
        passes: AxeViolation[]
      }
      return {
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
        })),
        checkedNodes: result.passes.reduce((sum, p) => sum + p.nodes.length, 0),
      }
    },
    { selector, tags },
  )
}
