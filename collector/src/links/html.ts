/**
 * The HTML the survey links serve: the link page (`/s/:id`, the card full-page), the clear page of a
 * link that cannot be answered, and the email snippet of the 0–10 row. Everything a survey or a token
 * brings is escaped here; the page's data goes in as inert JSON (`type="application/json"`), which a
 * strict CSP lets through because it never runs.
 */
import { directionOf, type WidgetConfig } from '@npskit/shared'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!)

/** JSON safe inside a `<script>` element: no `<` can close it, no U+2028/9 can break it. */
const inertJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')

/** What the page script (widget/src/page.ts) reads from the page. */
export interface LinkPageData {
  config: WidgetConfig
  /** The personal link's token, sent back with the answer; absent on the survey's open link. */
  token?: string
  /** The score chosen in the email: shown chosen, recorded only when the visitor confirms it. */
  score?: number
  /** A personal link knows who answers: the card asks for no address. */
  identified: boolean
}

/** The page's own styles: the card's host sits in the page's flow, centred, in the card's colours. */
const PAGE_CSS = `
html{color-scheme:light dark;background:#f3f4f7;color:#1b1f2a}
html[data-mode=light]{color-scheme:light}
html[data-mode=dark]{background:#111318;color:#eef0f4;color-scheme:dark}
@media (prefers-color-scheme:dark){html[data-mode=auto]{background:#111318;color:#eef0f4}}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:flex-start;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
main{width:min(480px,calc(100vw - 24px));margin:max(24px,12vh) auto 24px}
npskit-card{position:relative!important;inset:auto!important;transform:none!important;width:100%!important;z-index:auto!important}
.npskit-note{text-align:center;margin:24px 0}
.npskit-hint{margin:16px 0 0;text-align:center;font-weight:600}
.npskit-note h1{font-size:1.25rem;font-weight:600;margin:0 0 8px}
.npskit-note button{font:inherit;color:inherit;background:none;border:1px solid currentColor;border-radius:8px;padding:8px 14px;cursor:pointer}
`

interface PageShell {
  lang: string
  dir: 'ltr' | 'rtl'
  title: string
  mode: string
  nonce: string
  body: string
}

const shell = (p: PageShell) => `<!doctype html>
<html lang="${escapeHtml(p.lang)}" dir="${p.dir}" data-mode="${escapeHtml(p.mode)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(p.title)}</title>
<style nonce="${p.nonce}">${PAGE_CSS}</style>
</head>
<body>
${p.body}
</body>
</html>
`

/**
 * The link page. Its script sits at the collector's root beside the card (`../nps-page.js` from
 * `/s/:id`, so a collector under a path prefix works too). `hint`: the line under the card saying that a
 * score chosen in the email is not sent yet (the script keeps it under the card until the visitor chooses).
 */
export function linkPage(data: LinkPageData, nonce: string, hint?: string): string {
  const { config } = data
  return shell({
    lang: config.locale,
    dir: config.dir,
    title: config.strings.question,
    mode: config.theme?.mode ?? 'auto',
    nonce,
    body: `<main id="npskit-page"><noscript><p class="npskit-note">${escapeHtml(config.strings.question)}</p></noscript>${hint ? `<p class="npskit-hint" id="npskit-hint">${escapeHtml(hint)}</p>` : ''}</main>
<script type="application/json" id="npskit-link">${inertJson(data)}</script>
<script src="../nps-page.js" defer nonce="${nonce}"></script>`,
  })
}

/** A link that cannot be answered: said plainly, in the visitor's language (a shipped locale). */
export function problemPage(title: string, text: string, nonce: string, lang = 'en'): string {
  return shell({
    lang,
    dir: directionOf(lang),
    title,
    mode: 'auto',
    nonce,
    body: `<main><div class="npskit-note"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div></main>`,
  })
}

/** Readable text on a colour (WCAG relative luminance), as the card's own. */
function onColour(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111827' : '#ffffff'
}

/**
 * The 0–10 row for an email: one table (mail clients drop flex, grid and `<style>`), inline styles only,
 * each number a link to the page with that score chosen. The row sits on its own white panel with
 * solid accent buttons, so it stays readable whether a client leaves colours alone on a dark theme or
 * inverts them. Cells share the width, so the row fits a phone's mail app.
 */
export function emailSnippet(config: WidgetConfig, scoreUrl: (score: number) => string): string {
  const s = config.strings
  const accent = /^#[0-9a-f]{6}$/i.test(config.theme?.accent ?? '') ? config.theme!.accent! : '#4f46e5'
  const ink = onColour(accent)
  const font = 'font-family:-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,sans-serif'
  const cells = Array.from({ length: 11 }, (_, n) => {
    const label = escapeHtml(
      s.scoreLabel.replace('{score}', String(n)) + (n === 0 ? `, ${s.low}` : n === 10 ? `, ${s.high}` : ''),
    )
    return `<td width="9%" style="padding:1px;width:9%"><a href="${escapeHtml(scoreUrl(n))}" title="${label}" aria-label="${label}" style="display:block;padding:10px 0;background-color:${accent};border:1px solid ${accent};border-radius:6px;color:${ink};text-decoration:none;text-align:center;font-size:16px;line-height:20px;font-weight:700;${font}">${n}</a></td>`
  }).join('')
  const dir = config.dir
  const start = dir === 'rtl' ? 'right' : 'left'
  const end = dir === 'rtl' ? 'left' : 'right'
  return `<table role="presentation" dir="${dir}" lang="${escapeHtml(config.locale)}" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:480px;border-collapse:separate;background-color:#ffffff;border:1px solid #dfe2e8;border-radius:12px">
<tr><td style="padding:16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:separate">
<tr><td colspan="11" style="padding:0 2px 12px;color:#1b1f2a;font-size:16px;line-height:22px;font-weight:600;text-align:${start};${font}">${escapeHtml(s.question)}</td></tr>
<tr>${cells}</tr>
<tr><td colspan="5" style="padding:6px 2px 0;color:#5d6473;font-size:12px;line-height:16px;text-align:${start};${font}">${escapeHtml(s.low)}</td><td colspan="1"></td><td colspan="5" style="padding:6px 2px 0;color:#5d6473;font-size:12px;line-height:16px;text-align:${end};${font}">${escapeHtml(s.high)}</td></tr>
</table>
</td></tr>
</table>
`
}
