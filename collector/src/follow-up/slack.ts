/**
 * Webhook events as Slack incoming-webhook messages: `text` (what the notification shows) and `blocks`
 * (the message: the score and its category, the comment quoted, the survey, a link into the dashboard).
 * Everything a respondent or a colleague wrote is escaped, so a comment cannot mention `@channel` or
 * forge a link, and clipped to the sizes Slack takes (3000 characters per text block).
 *
 * @example
 * const body = JSON.stringify(slackMessage({ type: 'response.created', survey, response }, publicUrl))
 */
import { classify } from '@npskit/shared'
import type { StoredResponse, Survey } from '../backend/backend.ts'
import type { CaseLogEntry } from '../backend/follow-up.ts'
import { answerLink, caseLink, surveyLink } from './links.ts'
import type { WebhookEvent } from './webhooks.ts'

type Block =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }

export interface SlackMessage {
  text: string
  blocks: Block[]
}

/** Slack's own limit for the text of a section or context element. */
const BLOCK_TEXT = 3000

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/** `text` escaped for mrkdwn and cut to at most `max` characters (never inside an escape). */
export function mrkdwn(text: string, max = BLOCK_TEXT): string {
  let out = ''
  for (const char of text) {
    const piece = ESCAPES[char] ?? char
    if (out.length + piece.length > max - 1) return `${out}…`
    out += piece
  }
  return out
}

/** The first `max` characters of a plain text, for the notification line. */
const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/** A quote block of `text`, every line marked, within Slack's size. */
const quote = (text: string) =>
  mrkdwn(text, BLOCK_TEXT - 200)
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n')

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } })
const context = (parts: string[]): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: parts.join(' · ').slice(0, BLOCK_TEXT) }],
})
/** A link in mrkdwn: its URL escaped too, the form Slack itself writes a link with a query in. */
const link = (url: string, label: string) => `<${mrkdwn(url)}|${label}>`

const scoreText = (score: number) => `${score}/10 (${classify(score)})`
const surveyName = (survey: Survey) => survey.settings.name

/** Who answered, where: the facts of an answer a colleague uses to find the person. */
function answerFacts(response: StoredResponse): string[] {
  const facts: string[] = []
  if (response.respondentId) facts.push(`respondent ${mrkdwn(short(response.respondentId, 128))}`)
  if (response.locale) facts.push(mrkdwn(response.locale))
  if (response.path) facts.push(mrkdwn(short(response.path, 200)))
  return facts
}

const iso = (ms: number) => new Date(ms).toISOString()

/** What one log entry of a case says, as mrkdwn. */
function changeText(entry: CaseLogEntry): string {
  const by = `by ${mrkdwn(short(entry.actor, 200))}`
  const text = (v: unknown) => (typeof v === 'string' ? mrkdwn(short(v, 200)) : 'nobody')
  switch (entry.kind) {
    case 'opened':
      return `opened ${by}`
    case 'note':
      return `a note ${by}`
    case 'status':
      return `now *${text(entry.to)}* (was ${text(entry.from)}) ${by}`
    case 'assignee':
      return entry.to === null ? `unassigned ${by}` : `assigned to *${text(entry.to)}* ${by}`
    case 'due':
      return typeof entry.to === 'number' ? `due ${iso(entry.to)} ${by}` : `no due time ${by}`
    case 'tags':
      return `tagged ${Array.isArray(entry.to) && entry.to.length ? mrkdwn(entry.to.join(', ')) : 'with nothing'} ${by}`
  }
}

const nps = (value: number) => (Math.round(value * 10) / 10).toString()

/** The message for `event`; `text` (the notification line) is escaped like the blocks. */
export function slackMessage(event: WebhookEvent, publicUrl: string | undefined): SlackMessage {
  const message = unescapedMessage(event, publicUrl)
  return { text: mrkdwn(message.text, 500), blocks: message.blocks }
}

function unescapedMessage(event: WebhookEvent, publicUrl: string | undefined): SlackMessage {
  switch (event.type) {
    case 'webhook.test':
      return {
        text: 'A test message from npskit',
        blocks: [section('A test message from *npskit*: this channel receives its messages.')],
      }
    case 'response.created':
    case 'response.updated': {
      const { survey, response } = event
      const what = event.type === 'response.created' ? 'New answer' : 'Answer changed'
      const blocks = [
        section(`${what} on *${mrkdwn(surveyName(survey), 400)}*: *${scoreText(response.score)}*`),
      ]
      if (response.comment) blocks.push(section(quote(response.comment)))
      const facts = answerFacts(response)
      if (publicUrl) facts.push(link(answerLink(publicUrl, survey.id, response), 'Open in npskit'))
      if (facts.length) blocks.push(context(facts))
      const comment = response.comment ? `: “${short(response.comment, 150)}”` : ''
      return {
        text: `${what} on ${short(surveyName(survey), 100)}: ${scoreText(response.score)}${comment}`,
        blocks,
      }
    }
    case 'case.opened':
    case 'case.updated': {
      const { survey, case: c, response, entry } = event
      const name = mrkdwn(surveyName(survey), 400)
      const head =
        event.type === 'case.opened'
          ? `Case opened on *${name}* for a *${scoreText(c.score)}* answer, ${c.assignee ? `assigned to *${mrkdwn(short(c.assignee, 200))}*` : 'not assigned yet'}`
          : `Case on *${name}* (${scoreText(c.score)}): ${changeText(entry)}`
      const blocks = [section(head)]
      // The note is what a case update is about; the answer's comment is what a new case is about.
      const quoted =
        entry.kind === 'note' ? entry.note : event.type === 'case.opened' ? response?.comment : null
      if (quoted) blocks.push(section(quote(quoted)))
      const facts = response ? answerFacts(response) : []
      if (c.dueAt !== null && event.type === 'case.opened') facts.push(`due ${iso(c.dueAt)}`)
      if (publicUrl) facts.push(link(caseLink(publicUrl, c.id, c.surveyId), 'Open the case'))
      if (facts.length) blocks.push(context(facts))
      const plain =
        event.type === 'case.opened'
          ? `Case opened on ${short(surveyName(survey), 100)}: ${scoreText(c.score)}`
          : `Case updated on ${short(surveyName(survey), 100)}: ${entry.kind}`
      return { text: plain, blocks }
    }
    case 'alert.nps_dropped': {
      const { survey, alert } = event
      const segment = alert.segment
        ? ` for ${mrkdwn(alert.segment[0])} = ${mrkdwn(short(alert.segment[1], 200))}`
        : ''
      const days = alert.windowDays === 1 ? 'day' : `${alert.windowDays} days`
      const blocks = [
        section(
          `The NPS of *${mrkdwn(surveyName(survey), 400)}*${segment} fell from *${nps(alert.from)}* to *${nps(alert.to)}* over the last ${days}, against the ${days} before (p = ${alert.p.toPrecision(2)})`,
        ),
      ]
      if (publicUrl)
        blocks.push(context([link(surveyLink(publicUrl, survey.id, alert.segment), 'Open in npskit')]))
      return {
        text: `NPS of ${short(surveyName(survey), 100)} fell from ${nps(alert.from)} to ${nps(alert.to)}`,
        blocks,
      }
    }
  }
}
