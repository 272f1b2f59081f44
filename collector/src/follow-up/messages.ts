/**
 * What every email says, as plain text and as simple HTML with inline styles (mail clients drop style
 * sheets). Everything that comes from an answer or a setting — comments, names, metadata, segments —
 * is escaped before it goes into the HTML, and flattened to one line before it goes into a subject.
 *
 * The functions only build emails; whether one is queued (a mailer exists, the survey asks for it) is
 * decided by their callers, which store them through the backend (enqueue or commit with the work).
 */
import type { Category } from '@npskit/shared'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import type { Case, NewEmail } from '../backend/follow-up.ts'
import { randomId } from '../backend/secrets.ts'
import type { NpsAlert } from './alerts.ts'
import type { Digest } from './digest.ts'
import { caseLink, surveyLink } from './links.ts'

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string)
}

/** One line of at most `max` characters: no line breaks or control characters (a subject is a header). */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`
}

/** What counts as an address for a case's assignee (a name otherwise): one @, no spaces. */
export function isEmailAddress(value: string | null): value is string {
  return value !== null && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(value)
}

/** `2026-03-01 12:00 UTC`: emails go to people in many zones, so the zone is said. */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** A whole-number NPS for people; the exact value stays in the figures and the webhook payload. */
export const npsText = (nps: number) => String(Math.round(nps))

/** `p = 0.003`, or `p < 0.001` below what three decimals show. */
export const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`)

const LABELS: Record<Category, string> = { detractor: 'Detractor', passive: 'Passive', promoter: 'Promoter' }

// ── layout ─────────────────────────────────────────────────────────────────────────────────────────

/** One block of an email, said once and rendered twice. */
type Block =
  | { kind: 'lead'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'facts'; rows: [label: string, value: string][] }
  | { kind: 'list'; title: string; items: string[] }
  | { kind: 'link'; label: string; href: string }
  | { kind: 'note'; text: string }

function blockText(block: Block): string {
  switch (block.kind) {
    case 'lead':
    case 'note':
      return block.text
    case 'quote':
      return block.text
        .split(/\r?\n/)
        .map((line) => `> ${line}`)
        .join('\n')
    case 'facts':
      return block.rows.map(([label, value]) => `${label}: ${value}`).join('\n')
    case 'list':
      return [block.title, ...block.items.map((item) => `- ${oneLine(item, 300)}`)].join('\n')
    case 'link':
      return `${block.label}: ${block.href}`
  }
}

const renderText = (blocks: Block[]) => `${blocks.map(blockText).join('\n\n')}\n`

const FONT = 'font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937'

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'lead':
      return `<p style="margin:0 0 16px;font-size:16px;font-weight:600">${escapeHtml(block.text)}</p>`
    case 'note':
      return `<p style="margin:0 0 16px;font-size:13px;color:#6b7280">${escapeHtml(block.text)}</p>`
    case 'quote':
      return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #d1d5db;background:#f9fafb;white-space:pre-wrap">${escapeHtml(block.text)}</blockquote>`
    case 'facts':
      return `<table style="margin:0 0 16px;border-collapse:collapse;font-size:14px">${block.rows
        .map(
          ([label, value]) =>
            `<tr><td style="padding:2px 12px 2px 0;color:#6b7280;vertical-align:top">${escapeHtml(label)}</td><td style="padding:2px 0">${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
    case 'list':
      return `<p style="margin:0 0 4px;font-weight:600">${escapeHtml(block.title)}</p><ul style="margin:0 0 16px;padding-left:20px">${block.items
        .map((item) => `<li style="margin:0 0 4px">${escapeHtml(oneLine(item, 300))}</li>`)
        .join('')}</ul>`
    case 'link':
      return `<p style="margin:0 0 16px"><a href="${escapeHtml(block.href)}" style="display:inline-block;padding:8px 14px;background:#4f46e5;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(block.label)}</a></p>`
  }
}

const renderHtml = (blocks: Block[]) =>
  `<!doctype html><html><body style="margin:0;padding:24px;${FONT}"><div style="max-width:560px">${blocks.map(blockHtml).join('')}</div></body></html>`

function email(
  fields: Pick<NewEmail, 'kind' | 'surveyId' | 'responseId' | 'to' | 'subject'>,
  blocks: Block[],
): NewEmail {
  return {
    id: randomId('eml'),
    ...fields,
    to: [...new Set(fields.to)],
    subject: oneLine(fields.subject, 200),
    text: renderText(blocks),
    html: renderHtml(blocks),
  }
}

// ── a case ─────────────────────────────────────────────────────────────────────────────────────────

/** Metadata shown in a case email at most; the case in the dashboard has them all. */
const MAX_METADATA_ROWS = 10

/**
 * The email about a new case: to its assignee when that is an address, else to the survey's
 * notification addresses; undefined when the survey sends no case emails, there is nobody to send to,
 * or the answer is gone (null: erased). `publicUrl` (config.publicUrl) makes the link to the case;
 * without it the email has none. Made when the case's `opened` entry is seen (the case has its id).
 */
export function caseEmail(
  survey: Survey,
  kase: Case,
  response: StoredResponse | null,
  publicUrl: string | undefined,
): NewEmail | undefined {
  const notifications = survey.settings.notifications
  if (!notifications?.caseEmails || !response) return undefined
  const to = isEmailAddress(kase.assignee) ? [kase.assignee] : notifications.emails
  if (to.length === 0) return undefined
  const label = LABELS[kase.category]
  const name = survey.settings.name
  const comment = response.comment?.trim() ? response.comment.trim() : null
  const subject = `${label} (${kase.score}/10) on ${oneLine(name, 80)}${comment ? `: "${oneLine(comment, 60)}"` : ''}`

  const facts: [string, string][] = [
    ['Score', `${kase.score}/10 (${kase.category})`],
    ['Received', utc(response.createdAt)],
  ]
  if (response.path ?? response.url) facts.push(['Page', (response.path ?? response.url) as string])
  if (response.respondentId) facts.push(['Respondent', response.respondentId])
  if (response.contact) {
    facts.push([
      'Contact',
      response.contact.email ? `asked to be contacted at ${response.contact.email}` : 'asked to be contacted',
    ])
  }
  for (const [key, value] of Object.entries(response.metadata ?? {}).slice(0, MAX_METADATA_ROWS)) {
    facts.push([key, String(value)])
  }
  facts.push(['Assigned to', kase.assignee ?? 'nobody yet'])
  if (kase.dueAt !== null) facts.push(['Due', utc(kase.dueAt)])
  if (kase.tags.length > 0) facts.push(['Tags', kase.tags.join(', ')])
  facts.push(['Opened by', kase.openedBy])

  const blocks: Block[] = [
    { kind: 'lead', text: `A ${kase.category} answered ${kase.score}/10 on ${name}.` },
    comment ? { kind: 'quote', text: comment } : { kind: 'note', text: 'No comment was left.' },
    { kind: 'facts', rows: facts },
  ]
  if (publicUrl)
    blocks.push({ kind: 'link', label: 'Open the case', href: caseLink(publicUrl, kase.id, survey.id) })
  blocks.push({ kind: 'note', text: `You get this because a case was opened on the survey ${name}.` })
  return email({ kind: 'case', surveyId: survey.id, responseId: response.id, to, subject }, blocks)
}

// ── the metric alert ───────────────────────────────────────────────────────────────────────────────

const segmentText = (segment: readonly [string, string]) => `${segment[0]} = ${segment[1]}`

/** `NPS fell from 41 to 33 (p = 0.003) over the last 14 days`, and ` for plan = pro` for a segment. */
export function alertSentence(alert: NpsAlert): string {
  const days = alert.windowDays === 1 ? 'day' : `${alert.windowDays} days`
  return `NPS fell from ${npsText(alert.previous.nps)} to ${npsText(alert.current.nps)} (${pText(alert.pValue)}) over the last ${days}${alert.segment ? ` for ${segmentText(alert.segment)}` : ''}`
}

const periodText = (period: NpsAlert['current']) =>
  `NPS ${npsText(period.nps)} (95% interval ${npsText(period.ci95[0])} to ${npsText(period.ci95[1])}), ${period.total} answers, ${utc(Date.parse(period.from))} – ${utc(Date.parse(period.to))}`

/** The alert's email to the survey's notification addresses; undefined when there are none. */
export function alertEmail(
  survey: Survey,
  alert: NpsAlert,
  publicUrl: string | undefined,
): NewEmail | undefined {
  const to = survey.settings.notifications?.emails ?? []
  if (to.length === 0) return undefined
  const name = survey.settings.name
  const subject = `NPS fell from ${npsText(alert.previous.nps)} to ${npsText(alert.current.nps)} on ${oneLine(name, 80)}${alert.segment ? ` (${segmentText(alert.segment)})` : ''}`
  const blocks: Block[] = [
    { kind: 'lead', text: `${alertSentence(alert)}.` },
    {
      kind: 'facts',
      rows: [
        ['Survey', name],
        ...(alert.segment ? [['Segment', segmentText(alert.segment)] as [string, string]] : []),
        ['Now', periodText(alert.current)],
        ['Before', periodText(alert.previous)],
        ['Change', `${alert.delta > 0 ? '+' : ''}${alert.delta.toFixed(1)} points`],
      ],
    },
    {
      kind: 'note',
      text: `The drop is significant at ${alert.alpha} by the two-period test of NPS. You will not get this alert again for this ${alert.segment ? 'segment' : 'survey'} for ${alert.windowDays} days.`,
    },
  ]
  if (publicUrl)
    blocks.push({
      kind: 'link',
      label: 'Open the survey',
      href: surveyLink(publicUrl, survey.id, alert.segment),
    })
  return email({ kind: 'alert', surveyId: survey.id, responseId: null, to, subject }, blocks)
}

// ── the digest ─────────────────────────────────────────────────────────────────────────────────────

/** The digest's email to the survey's notification addresses; undefined when there are none. */
export function digestEmail(
  survey: Survey,
  digest: Digest,
  publicUrl: string | undefined,
): NewEmail | undefined {
  const to = survey.settings.notifications?.emails ?? []
  if (to.length === 0) return undefined
  const name = survey.settings.name
  const { summary } = digest
  const period = digest.cadence === 'daily' ? 'day' : 'week'
  const nps = summary.nps === null ? 'no answers' : `NPS ${npsText(summary.nps)}`
  const subject = `${digest.cadence === 'daily' ? 'Daily' : 'Weekly'} NPS for ${oneLine(name, 80)}: ${nps}`
  const rows: [string, string][] = [
    ['Period', `${utc(digest.from)} – ${utc(digest.to)}`],
    [
      'NPS',
      summary.nps === null || summary.ci95 === null
        ? 'no answers'
        : `${npsText(summary.nps)} (95% interval ${npsText(summary.ci95[0])} to ${npsText(summary.ci95[1])})`,
    ],
    [
      'Answers',
      `${summary.total} (${summary.promoters} promoters, ${summary.passives} passives, ${summary.detractors} detractors)`,
    ],
  ]
  if (digest.change !== null && digest.previousNps !== null) {
    rows.push([
      'Change',
      `${digest.change > 0 ? '+' : ''}${digest.change.toFixed(1)} points since the last digest (${npsText(digest.previousNps)})`,
    ])
  }
  if (summary.lowSample && summary.total > 0) rows.push(['Note', 'few answers: the interval is wide'])
  const blocks: Block[] = [
    { kind: 'lead', text: `${name}: ${nps} over the last ${period}.` },
    { kind: 'facts', rows },
  ]
  blocks.push(
    digest.detractors.latest.length > 0
      ? {
          kind: 'list',
          title: `New detractors: ${digest.detractors.count}. The latest comments:`,
          items: digest.detractors.latest.map((d) => `${d.score}/10: "${d.comment}"`),
        }
      : { kind: 'note', text: `New detractors: ${digest.detractors.count}.` },
  )
  const overdueCount = `${digest.overdue.count}${digest.overdue.more ? '+' : ''}`
  blocks.push(
    digest.overdue.cases.length > 0
      ? {
          kind: 'list',
          title: `Overdue cases: ${overdueCount}`,
          items: digest.overdue.cases.map(
            (c) =>
              `${c.score}/10, due ${utc(c.dueAt)}, ${c.assignee ? `assigned to ${c.assignee}` : 'unassigned'}${publicUrl ? ` — ${caseLink(publicUrl, c.id, survey.id)}` : ''}`,
          ),
        }
      : { kind: 'note', text: 'No case is overdue.' },
  )
  if (publicUrl)
    blocks.push({ kind: 'link', label: 'Open the survey', href: surveyLink(publicUrl, survey.id) })
  blocks.push({
    kind: 'note',
    text: `The ${digest.cadence} digest of ${name}, sent at 08:00 UTC${digest.cadence === 'weekly' ? ' on Mondays' : ''}.`,
  })
  return email({ kind: 'digest', surveyId: survey.id, responseId: null, to, subject }, blocks)
}
