/**
 * The settings form as data: a survey's settings as the text its fields hold, the PATCH body of what
 * changed (and only that: nested objects merge key by key on the API's side), and the card config the
 * preview shows for the form as it is now, saved or not — built as the collector's public config route
 * builds it (collector/src/routes/public.ts), so the preview is what a visitor would get.
 *
 * Validation is the API's: the only checks here are the ones a JSON body cannot carry (a number field
 * that holds no number).
 */
import { directionOf, localize, resolveLocale } from '@npskit/shared/i18n'
import type { Schemas, Survey } from '../api/client.ts'
import type { FieldErrors } from '../components/field.tsx'
import type { WidgetConfig } from '../preview/types.ts'

export type SurveyPatch = Schemas['SurveyPatch']
export type Position = Survey['theme']['position']
export type Mode = Survey['theme']['mode']
export type Font = NonNullable<Survey['theme']['font']>
export type ThanksAction = NonNullable<Survey['thanks']>['action']
type LocaleTexts = NonNullable<Survey['texts']>[string]

/** The card's strings a survey may word per language, by their path in a locale's texts. */
export const TEXT_LABELS = {
  question: 'Question in this language',
  low: 'Under 0',
  high: 'Under 10',
  'followUp.promoter': 'Follow-up for promoters',
  'followUp.passive': 'Follow-up for passives',
  'followUp.detractor': 'Follow-up for detractors',
  placeholder: 'Comment box hint',
  send: 'Send button',
  skip: 'Skip button',
  thanks: 'Thank-you',
  close: 'Close button (read aloud)',
  scoreLabel: 'A score, read aloud ({score} is the number)',
  contact: 'Asking consent to contact',
  email: 'Email field',
  review: 'Review question ({site} is the site)',
  reviewLink: 'Review link text',
} as const
export type TextKey = keyof typeof TEXT_LABELS
export const TEXT_KEYS = Object.keys(TEXT_LABELS) as TextKey[]
/** A per-language text's path in the API's body: `texts.de.followUp.promoter`. */
export const textPath = (locale: string, key: TextKey) => `texts.${locale}.${key}`

export interface SettingsForm {
  name: string
  question: string
  promoter: string
  passive: string
  detractor: string
  defaultLocale: string
  allowedOrigins: string
  delaySeconds: string
  resurveyAfterDays: string
  dismissBackoffDays: string
  sampleRate: string
  minPageViews: string
  urlInclude: string
  urlExclude: string
  accent: string
  position: Position
  mode: Mode
  /** Corner radius in px, '' for the card's default. */
  radius: string
  font: Font
  thanksAction: ThanksAction
  thanksUrl: string
  /** The link's text (`link`). */
  thanksLabel: string
  /** The review site's name (`review`). */
  thanksSite: string
  /** The survey's own wording per language, by text key; an empty string is the built-in text. */
  texts: Record<string, Partial<Record<TextKey, string>>>
  hasTarget: boolean
  targetNps: string
  targetDeadline: string
  responseLifetimeDays: string
  metadataKeys: string
  /** A benchmark industry id, or '' for none. */
  industry: string
}

/** Every field by its path in the API's body, with the label the form and the error summary show. */
export const FIELDS = {
  name: 'Name',
  question: 'Question',
  'followUp.promoter': 'Follow-up for promoters (9–10)',
  'followUp.passive': 'Follow-up for passives (7–8)',
  'followUp.detractor': 'Follow-up for detractors (0–6)',
  defaultLocale: 'Default language',
  allowedOrigins: 'Allowed origins',
  'display.delaySeconds': 'Delay before the card shows (seconds)',
  'display.resurveyAfterDays': 'Ask again after an answer (days)',
  'display.dismissBackoffDays': 'Ask again after a dismissal (days)',
  'display.sampleRate': 'Share of visitors asked (0 to 1)',
  'display.minPageViews': 'Show from page view number',
  'display.urlInclude': 'Only on these paths',
  'display.urlExclude': 'Never on these paths',
  'theme.accent': 'Accent colour',
  'theme.position': 'Position',
  'theme.mode': 'Colour mode',
  'theme.radius': 'Corner radius (px)',
  'theme.font': 'Font',
  thanks: 'After the answer',
  'thanks.url': 'Link address',
  'thanks.label': 'Link text',
  'thanks.site': 'Review site',
  texts: 'Texts per language',
  target: 'Target',
  'target.nps': 'Target NPS',
  'target.deadline': 'Deadline',
  responseLifetimeDays: 'Answers count for (days)',
  metadataKeys: 'Declared metadata keys',
  industry: 'Industry benchmark',
} as const
export type FieldPath = keyof typeof FIELDS
export const FIELD_PATHS = Object.keys(FIELDS) as FieldPath[]

/** The card's corners when a survey sets none (widget/src/card/card.css). */
export const DEFAULT_RADIUS = 16

const lines = (list: readonly string[]) => list.join('\n')
const listOf = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

export function formOf(survey: Survey): SettingsForm {
  const { display, theme, target } = survey
  return {
    name: survey.name,
    question: survey.question ?? '',
    promoter: survey.followUp.promoter ?? '',
    passive: survey.followUp.passive ?? '',
    detractor: survey.followUp.detractor ?? '',
    defaultLocale: survey.defaultLocale,
    allowedOrigins: lines(survey.allowedOrigins),
    delaySeconds: String(display.delaySeconds),
    resurveyAfterDays: String(display.resurveyAfterDays),
    dismissBackoffDays: String(display.dismissBackoffDays),
    sampleRate: String(display.sampleRate),
    minPageViews: String(display.minPageViews),
    urlInclude: lines(display.urlInclude),
    urlExclude: lines(display.urlExclude),
    accent: theme.accent,
    position: theme.position,
    mode: theme.mode,
    radius: theme.radius === undefined ? '' : String(theme.radius),
    font: theme.font ?? 'system',
    thanksAction: survey.thanks?.action ?? 'none',
    thanksUrl: survey.thanks && 'url' in survey.thanks ? survey.thanks.url : '',
    thanksLabel: survey.thanks?.action === 'link' ? survey.thanks.label : '',
    thanksSite: survey.thanks?.action === 'review' ? survey.thanks.site : '',
    texts: textsFormOf(survey.texts),
    hasTarget: target !== null,
    targetNps: target ? String(target.nps) : '',
    targetDeadline: target?.deadline ?? '',
    responseLifetimeDays: String(survey.responseLifetimeDays),
    metadataKeys: lines(survey.metadataKeys ?? []),
    industry: survey.industry ?? '',
  }
}

/** A survey's texts as the form's fields hold them: one string per locale and key. */
function textsFormOf(texts: Survey['texts']): SettingsForm['texts'] {
  const form: SettingsForm['texts'] = {}
  for (const [locale, own] of Object.entries(texts ?? {})) {
    const fields: Partial<Record<TextKey, string>> = {}
    for (const key of TEXT_KEYS) {
      const [head, sub] = key.split('.') as [keyof LocaleTexts, 'promoter' | undefined]
      const value = sub ? (own.followUp as Record<string, string> | undefined)?.[sub] : own[head]
      if (typeof value === 'string') fields[key] = value
    }
    form[locale] = fields
  }
  return form
}

/** The form's texts as the API takes them: only the strings typed, only the locales with one; null for none. */
export function textsOf(form: SettingsForm['texts']): Survey['texts'] | null {
  const texts: NonNullable<Survey['texts']> = {}
  for (const [locale, fields] of Object.entries(form)) {
    const own: Record<string, unknown> = {}
    for (const key of TEXT_KEYS) {
      const value = fields[key]?.trim()
      if (!value) continue
      const [head, sub] = key.split('.') as [string, string | undefined]
      if (sub) own[head] = { ...(own[head] as object), [sub]: value }
      else own[head] = value
    }
    if (Object.keys(own).length) texts[locale] = own as LocaleTexts
  }
  return Object.keys(texts).length ? texts : null
}

/** The thank-you step the form describes, as the API takes it; null for none. */
export function thanksOf(form: SettingsForm): Survey['thanks'] | null {
  const url = form.thanksUrl.trim()
  if (form.thanksAction === 'link') return { action: 'link', url, label: form.thanksLabel.trim() }
  if (form.thanksAction === 'review') return { action: 'review', url, site: form.thanksSite.trim() }
  return null
}

export const sameForm = (a: SettingsForm, b: SettingsForm) => JSON.stringify(a) === JSON.stringify(b)

/** A number field's value; undefined when it holds no number (the form says so beside it). */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  const n = Number(trimmed)
  return Number.isFinite(n) ? n : undefined
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i])

/**
 * The PATCH body of what the form changed from `base`, the paths it changed, and the fields that cannot
 * be sent as they are (a number field without a number). Empty texts mean "the default": null.
 */
export function patchOf(
  base: Survey,
  form: SettingsForm,
): { patch: SurveyPatch; changed: FieldPath[]; errors: FieldErrors } {
  const patch: SurveyPatch = {}
  const changed: FieldPath[] = []
  const errors: FieldErrors = {}
  const number = (path: FieldPath, text: string): number | undefined => {
    const n = numberOf(text)
    if (n === undefined) errors[path] = ['Enter a number.']
    return n
  }

  const name = form.name.trim()
  if (name !== base.name) {
    patch.name = name
    changed.push('name')
  }
  const question = form.question.trim() || null
  if (question !== base.question) {
    patch.question = question
    changed.push('question')
  }
  for (const category of ['promoter', 'passive', 'detractor'] as const) {
    const prompt = form[category].trim() || null
    if (prompt !== base.followUp[category]) {
      patch.followUp = { ...patch.followUp, [category]: prompt }
      changed.push(`followUp.${category}`)
    }
  }
  if (form.defaultLocale !== base.defaultLocale) {
    patch.defaultLocale = form.defaultLocale
    changed.push('defaultLocale')
  }
  const origins = listOf(form.allowedOrigins)
  if (!sameList(origins, base.allowedOrigins)) {
    patch.allowedOrigins = origins
    changed.push('allowedOrigins')
  }

  const display: NonNullable<SurveyPatch['display']> = {}
  for (const key of [
    'delaySeconds',
    'resurveyAfterDays',
    'dismissBackoffDays',
    'sampleRate',
    'minPageViews',
  ] as const) {
    const n = number(`display.${key}`, form[key])
    if (n !== undefined && n !== base.display[key]) {
      display[key] = n
      changed.push(`display.${key}`)
    }
  }
  for (const key of ['urlInclude', 'urlExclude'] as const) {
    const rules = listOf(form[key])
    if (!sameList(rules, base.display[key])) {
      display[key] = rules
      changed.push(`display.${key}`)
    }
  }
  if (Object.keys(display).length) patch.display = display

  const theme: NonNullable<SurveyPatch['theme']> = {}
  const accent = form.accent.trim()
  if (accent !== base.theme.accent) theme.accent = accent
  if (form.position !== base.theme.position) theme.position = form.position
  if (form.mode !== base.theme.mode) theme.mode = form.mode
  if (form.radius.trim() === '') {
    // Emptied: back to the card's default corners (a theme's keys merge, so none can be removed).
    if (base.theme.radius !== undefined && base.theme.radius !== DEFAULT_RADIUS) theme.radius = DEFAULT_RADIUS
  } else {
    const radius = number('theme.radius', form.radius)
    if (radius !== undefined && radius !== base.theme.radius) theme.radius = radius
  }
  if (form.font !== (base.theme.font ?? 'system')) theme.font = form.font
  for (const key of Object.keys(theme) as (keyof typeof theme)[]) changed.push(`theme.${key}`)
  if (Object.keys(theme).length) patch.theme = theme

  // The thank-you step and the texts are each one value: sent whole, or null to remove them.
  const thanks = thanksOf(form)
  if (
    JSON.stringify(thanks) !== JSON.stringify(base.thanks?.action === 'none' ? null : (base.thanks ?? null))
  ) {
    patch.thanks = thanks
    changed.push('thanks')
  }
  const texts = textsOf(form.texts)
  if (JSON.stringify(texts) !== JSON.stringify(textsOf(textsFormOf(base.texts)))) {
    patch.texts = texts
    changed.push('texts')
  }

  if (!form.hasTarget) {
    if (base.target !== null) {
      patch.target = null
      changed.push('target')
    }
  } else {
    const nps = number('target.nps', form.targetNps)
    const deadline = form.targetDeadline.trim()
    if (nps !== undefined && (nps !== base.target?.nps || deadline !== base.target?.deadline)) {
      // A target is one value: both parts go together.
      patch.target = { nps, deadline }
      changed.push('target')
    }
  }

  const lifetime = number('responseLifetimeDays', form.responseLifetimeDays)
  if (lifetime !== undefined && lifetime !== base.responseLifetimeDays) {
    patch.responseLifetimeDays = lifetime
    changed.push('responseLifetimeDays')
  }
  // Keys cannot hold spaces or commas, so either separates them.
  const keys = form.metadataKeys.split(/[\s,]+/).filter(Boolean)
  if (!sameList(keys, base.metadataKeys ?? [])) {
    patch.metadataKeys = keys.length ? keys : null
    changed.push('metadataKeys')
  }
  if (form.industry !== (base.industry ?? '')) {
    patch.industry = (form.industry || null) as SurveyPatch['industry']
    changed.push('industry')
  }
  return { patch, changed, errors }
}

/**
 * The config the card gets for the form as it is now, in `wanted` (a shipped locale) and with the
 * visitor's colour scheme: an `auto` card follows it, a light or dark card does not.
 */
export function previewConfigOf(
  survey: Survey,
  form: SettingsForm,
  wanted: string,
  scheme: 'light' | 'dark',
): WidgetConfig {
  const locale = resolveLocale(wanted, form.defaultLocale)
  const thanks = thanksOf(form)
  const n = (text: string, fallback: number) => numberOf(text) ?? fallback
  return {
    surveyId: survey.id,
    locale,
    dir: directionOf(locale),
    strings: localize(locale, {
      question: form.question.trim() || null,
      followUp: {
        promoter: form.promoter.trim() || null,
        passive: form.passive.trim() || null,
        detractor: form.detractor.trim() || null,
      },
      texts: textsOf(form.texts) ?? undefined,
    }),
    theme: {
      ...survey.theme,
      accent: form.accent.trim(),
      position: form.position,
      mode: form.mode === 'auto' ? scheme : form.mode,
      ...(numberOf(form.radius) === undefined ? {} : { radius: numberOf(form.radius) }),
      font: form.font,
    },
    display: {
      delaySeconds: n(form.delaySeconds, survey.display.delaySeconds),
      resurveyAfterDays: n(form.resurveyAfterDays, survey.display.resurveyAfterDays),
      dismissBackoffDays: n(form.dismissBackoffDays, survey.display.dismissBackoffDays),
      sampleRate: n(form.sampleRate, survey.display.sampleRate),
      minPageViews: n(form.minPageViews, survey.display.minPageViews),
      urlInclude: listOf(form.urlInclude),
      urlExclude: listOf(form.urlExclude),
    },
    // The form has no contact field: the preview asks as the saved survey does.
    contact: { ask: survey.contact?.ask === true },
    ...(thanks ? { thanks } : {}),
  }
}
