/**
 * The wire schemas: what crosses HTTP between the widget, the collector and product teams. Every string
 * has a maximum length and every list a maximum count, so no field can grow a row or a request without
 * bound (the collector also caps whole bodies). The TypeScript types are inferred from these schemas.
 *
 * The widget must not import this module: it would pull zod into the bundle. It imports types only.
 */
import { z } from 'zod'
import { translations } from './i18n.ts'
import { checkAllowedOrigin } from './origins.ts'

export const LIMITS = {
  id: 128,
  comment: 2000,
  url: 2048,
  metadataKeys: 20,
  /** Distinct metadata keys one survey collects, over all its answers (see `metadataKeys` in settings). */
  surveyMetadataKeys: 50,
  metadataKey: 64,
  metadataValue: 256,
  locale: 35,
  name: 200,
  text: 500,
  origins: 50,
  urlRules: 50,
  urlRule: 512,
  /** Metadata segments one filter or alert names. */
  segments: 5,
  tag: 40,
  /** Tags of one case or rule. */
  tags: 10,
  caseRules: 20,
  email: 254,
  /** Addresses one survey notifies. */
  emails: 20,
  note: 2000,
  /** Breakdown dimensions one survey declares (each adds work to every write of its answers). */
  breakdowns: 5,
} as const

/** A UTF-16 code unit of half a pair without its other half (`\ud800` in a JSON string). */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Text a database can store: no U+0000 and no half of a surrogate pair. No person types either, and
 * PostgreSQL refuses both in text, so every string the API takes refuses them (400) rather than reach a
 * database that would fail on them.
 */
function storable<T extends z.ZodString | z.ZodURL>(schema: T): T {
  // refine() answers the same schema type, with the checks added.
  return schema
    .refine((value) => !value.includes('\u0000'), 'must not contain the NUL character (U+0000)')
    .refine(
      (value) => !LONE_SURROGATE.test(value),
      'must be Unicode text (it holds half of a surrogate pair)',
    ) as T
}

/** Storable text of `min` to `max` characters. */
export function textOf(max: number, min = 0) {
  return storable(
    z
      .string()
      .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
      .max(max, `must be at most ${max} characters`),
  )
}

/**
 * A URL of any scheme, at most LIMITS.url characters, as storable text: the page an answer came from
 * (an app's `capacitor://` page included), kept as data and shown as text, never as a link. A URL a
 * visitor is sent to is a `linkUrlSchema`.
 */
export const urlSchema = storable(
  z
    .url('must be a URL such as https://acme.example/page')
    .max(LIMITS.url, `must be at most ${LIMITS.url} characters`),
)

/** A URL's scheme (`javascript:`), shortened for a message; undefined when it is no URL at all. */
const schemeOf = (value: unknown) => {
  try {
    return new URL(String(value)).protocol.slice(0, 32)
  } catch {
    return undefined
  }
}

/**
 * A URL a visitor follows (the card's thank-you and review links): http: or https: only, so a survey can
 * never put `javascript:`, `data:` or any other scheme behind a link in front of a visitor. The refusal
 * names the scheme it met.
 */
export const linkUrlSchema = urlSchema.refine(
  (value) => {
    const scheme = schemeOf(value)
    return scheme === undefined || scheme === 'https:' || scheme === 'http:'
  },
  { error: (issue) => `must be an http: or https: URL, not ${schemeOf(issue.input)}` },
)

const SURVEY_ID = /^srv_[A-Za-z0-9_-]+$/

/** Survey ids are `srv_` and random characters, never guessable from another survey's id. */
export const surveyIdSchema = z.string().max(LIMITS.id).regex(SURVEY_ID, 'survey id must look like srv_…')

/** Whether a route's `:id` can name a survey at all: anything else is unknown without asking storage. */
export function isSurveyId(id: string): boolean {
  return id.length <= LIMITS.id && SURVEY_ID.test(id)
}

/** A BCP 47 language tag such as `de`, `pt-BR` or `zh-Hant-TW`. */
export const localeSchema = z
  .string()
  .max(LIMITS.locale)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'locale must be a language tag such as en or pt-BR')

export const scoreSchema = z
  .number({ error: 'score must be a number' })
  .int('score must be an integer 0–10')
  .min(0, 'score must be an integer 0–10')
  .max(10, 'score must be an integer 0–10')

export const metadataValueSchema = z.union([
  textOf(LIMITS.metadataValue),
  z.number().refine(Number.isFinite, 'metadata numbers must be finite'),
  z.boolean(),
])

/**
 * A metadata key. (zod drops a `__proto__` key from a record before its key schema sees it, so the
 * collector refuses that key as it parses a body or a CSV header, by its parsed value.)
 */
export const metadataKeySchema = z
  .string()
  .min(1)
  .max(LIMITS.metadataKey)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'metadata keys use letters, digits and _ . : -')
  .refine((key) => key !== '__proto__', 'metadata key __proto__ is not allowed')

export const metadataSchema = z
  .record(metadataKeySchema, metadataValueSchema)
  .refine((m) => Object.keys(m).length <= LIMITS.metadataKeys, {
    message: `metadata has at most ${LIMITS.metadataKeys} keys`,
  })

/**
 * Any respondent id storage may hold, `.` and `..` included (taken before they were refused): what
 * erasure accepts, so every id ever stored can be erased.
 */
export const storedRespondentIdSchema = textOf(LIMITS.id, 1)

/**
 * A respondent id as answers and events take it. `.` and `..` cannot travel as a URL path
 * segment (URL normalisation removes them, even as `%2e`), so `DELETE /v1/respondents/:respondentId`
 * could never erase them; every other id can, percent-encoded.
 */
export const respondentIdSchema = storedRespondentIdSchema.refine(
  (id) => id !== '.' && id !== '..',
  'must not be . or .. (they cannot be a URL path segment, so could not be erased by one)',
)

export const commentSchema = textOf(LIMITS.comment)

/** Domains ignore case; the part before the @ is the mail server's to read, so it is kept as typed. */
const lowerDomain = (address: string) => {
  const at = address.lastIndexOf('@')
  return address.slice(0, at) + address.slice(at).toLowerCase()
}

/**
 * The address a visitor gives with their consent to be contacted: trimmed, at most LIMITS.email
 * characters, and a "valid e-mail address" as the HTML standard defines it — exactly what the card's
 * `<input type="email">` lets through, so the card never sends an address the collector would refuse
 * (and lose the follow-up with it). Its domain is stored in lower case.
 */
export const contactEmailSchema = z
  .string()
  .trim()
  .max(LIMITS.email, `must be at most ${LIMITS.email} characters`)
  .regex(z.regexes.html5Email, 'must be an email address')
  .overwrite(lowerDomain)

/**
 * Consent to be contacted about this answer: present means yes. `email` only when the site has not
 * identified the visitor (their respondentId tells the site who they are otherwise).
 */
export const contactSubmissionSchema = z.strictObject({ email: contactEmailSchema.optional() })

/** One answer as the widget (or any client) sends it; a repeat with the same `id` merges. */
export const responseSubmissionSchema = z.strictObject({
  id: z.uuid('id must be a UUID'),
  score: scoreSchema,
  comment: commentSchema.optional(),
  respondentId: respondentIdSchema.optional(),
  locale: localeSchema.optional(),
  url: urlSchema.optional(),
  metadata: metadataSchema.optional(),
  contact: contactSubmissionSchema.optional(),
  /**
   * The widget's card says `widget`; any other client leaves it out (or says `api`). Only the widget's
   * answers count towards the response rate (answers per card shown). Kept from the first receipt.
   */
  source: z.enum(['widget', 'api']).optional(),
})
export type ResponseSubmission = z.infer<typeof responseSubmissionSchema>

/**
 * The answer schema compiled (z.compile) for the collector's hot path: zod generates a validator that
 * accepts a valid body in a fraction of the time of its general parser, and hands anything it refuses
 * to that parser, so refusals carry the same issues. On ingest the general parser cost more than the
 * rest of the request.
 */
export const compiledResponseSubmissionSchema = z.compile(responseSubmissionSchema)

export const eventTypeSchema = z.enum(['shown', 'dismissed'])
export type EventType = z.infer<typeof eventTypeSchema>

/** A card was shown or dismissed: the denominators of the response rate. */
export const eventSubmissionSchema = z.strictObject({
  type: eventTypeSchema,
  respondentId: respondentIdSchema,
  responseId: z.uuid().optional(),
})
export type EventSubmission = z.infer<typeof eventSubmissionSchema>

/** The event schema compiled, as compiledResponseSubmissionSchema. */
export const compiledEventSubmissionSchema = z.compile(eventSubmissionSchema)

const text = textOf(LIMITS.text, 1)

/** The follow-up prompt per category; null keeps the default prompt in the visitor's language. */
export const followUpSchema = z.strictObject({
  promoter: text.nullable(),
  passive: text.nullable(),
  detractor: text.nullable(),
})

const followUpTextsSchema = z.strictObject({ promoter: text, passive: text, detractor: text })

/** Per-locale texts a survey sets over the card's defaults; every string is optional, and falls back on its own. */
const localeTextsSchema = z.strictObject({
  question: text.optional(),
  low: text.optional(),
  high: text.optional(),
  followUp: followUpTextsSchema.partial().optional(),
  placeholder: text.optional(),
  send: text.optional(),
  skip: text.optional(),
  thanks: text.optional(),
  close: text.optional(),
  scoreLabel: text.optional(),
  contact: text.optional(),
  email: text.optional(),
  review: text.optional(),
  reviewLink: text.optional(),
})
export type LocaleTexts = z.infer<typeof localeTextsSchema>

/** Texts per shipped locale (`fr`, `pt`, … as GET /v1/surveys/:id/widget resolves them). */
export const textsSchema = z.record(localeSchema, localeTextsSchema).superRefine((t, ctx) => {
  const unknown = Object.keys(t).filter((locale) => !translations[locale])
  if (unknown.length) {
    ctx.addIssue({
      code: 'custom',
      message: `texts: ${unknown.join(', ')} is not a shipped locale (${Object.keys(translations).join(', ')})`,
    })
  }
})

/** A URL rule: a path pattern where `*` matches anything, e.g. `/checkout/*` (see url-rules.ts). */
export const urlRuleSchema = textOf(LIMITS.urlRule, 1)

export const displaySchema = z.strictObject({
  /** Seconds after page load before the card may appear. */
  delaySeconds: z.number().min(0).max(3600),
  /** After an answer, the visitor is not asked again for this many days. */
  resurveyAfterDays: z.number().int().min(0).max(3650),
  /** After a dismissal, the visitor is not asked again for this many days. */
  dismissBackoffDays: z.number().int().min(0).max(3650),
  /** Share of visitors ever asked, 0–1, sticky per visitor. */
  sampleRate: z.number().min(0).max(1),
  /** The card appears from this page view on. */
  minPageViews: z.number().int().min(1).max(1000),
  urlInclude: z.array(urlRuleSchema).max(LIMITS.urlRules),
  urlExclude: z.array(urlRuleSchema).max(LIMITS.urlRules),
})
export type DisplayRules = z.infer<typeof displaySchema>

export const themeSchema = z.strictObject({
  accent: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'accent must be a colour like #4f46e5'),
  position: z.enum(['bottom-right', 'bottom-left', 'top-right', 'top-left', 'center']),
  mode: z.enum(['auto', 'light', 'dark']),
  /** The card's corner radius in px (the scores' corners follow it); absent: 16. */
  radius: z.number().int().min(0).max(28).optional(),
  /** `inherit`: the host page's font family; absent or `system`: the system UI font. */
  font: z.enum(['system', 'inherit']).optional(),
})
export type Theme = z.infer<typeof themeSchema>

/**
 * What the thank-you step offers after the answer: nothing (`none`, as absent), a link for everyone
 * (`link`, its text in `label`), or to promoters only a review or referral link (`review`: "Would you tell
 * others on {site}?"). A step with a link stays until the visitor closes it or follows the link.
 */
export const thanksSettingsSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('none') }),
  z.strictObject({ action: z.literal('link'), url: linkUrlSchema, label: text }),
  z.strictObject({ action: z.literal('review'), url: linkUrlSchema, site: textOf(LIMITS.name, 1) }),
])
export type ThanksSettings = z.infer<typeof thanksSettingsSchema>

const isoDate = z.iso.date('deadline must be a date such as 2027-06-30')

export const targetSchema = z.strictObject({
  nps: z.number().min(-100).max(100),
  deadline: isoDate,
})
export type Target = z.infer<typeof targetSchema>

/**
 * An allowedOrigins entry: `*`, `scheme://host[:port]` or `scheme://*.domain[:port]` (origins.ts), saved
 * in the form a browser sends (`HTTPS://SHOP.EXAMPLE:443` → `https://shop.example`).
 */
const originSchema = z
  .string()
  .max(LIMITS.url)
  .superRefine((value, ctx) => {
    const check = checkAllowedOrigin(value)
    if (!check.ok) ctx.addIssue({ code: 'custom', message: `${value} ${check.message}` })
  })
  .overwrite((value) => {
    const check = checkAllowedOrigin(value)
    return check.ok ? check.origin : value
  })

/** A survey's declared metadata keys: distinct, at most LIMITS.surveyMetadataKeys. */
export const metadataKeysSchema = z
  .array(metadataKeySchema)
  .max(LIMITS.surveyMetadataKeys, `metadataKeys lists at most ${LIMITS.surveyMetadataKeys} keys`)
  .refine((keys) => new Set(keys).size === keys.length, 'metadataKeys lists each key once')

/**
 * A breakdown dimension a survey declares: `locale`, `device`, `path` or `metadata.<key>`. The
 * collector keeps per-hour score counts for each, so a breakdown by it reads the rollup, not every answer.
 */
export const breakdownDimensionSchema = z
  .string()
  .max(LIMITS.metadataKey + 'metadata.'.length)
  .refine(
    (dim) =>
      dim === 'locale' ||
      dim === 'device' ||
      dim === 'path' ||
      (dim.startsWith('metadata.') && metadataKeySchema.safeParse(dim.slice('metadata.'.length)).success),
    'a breakdown dimension is locale, device, path or metadata.<key>',
  )
export type BreakdownDimension = z.infer<typeof breakdownDimensionSchema>

/** A survey's declared breakdown dimensions: distinct, at most LIMITS.breakdowns (each costs every write). */
export const breakdownsSchema = z
  .array(breakdownDimensionSchema)
  .max(LIMITS.breakdowns, `breakdowns lists at most ${LIMITS.breakdowns} dimensions`)
  .refine((dims) => new Set(dims).size === dims.length, 'breakdowns lists each dimension once')

export const categorySchema = z.enum(['promoter', 'passive', 'detractor'])

/** A metadata segment as filters take it: [key, value], the value compared as text. */
export const segmentSchema = z.tuple([metadataKeySchema, textOf(LIMITS.metadataValue)])

/** A case tag: a short label such as `billing`. */
export const tagSchema = textOf(LIMITS.tag, 1)

/** A case assignee: a name or an email address. */
export const assigneeSchema = textOf(LIMITS.name, 1)

/**
 * A rule that opens a follow-up case for a new answer. Every condition given must hold; a rule with
 * none matches every answer. The first matching rule of a survey opens the case.
 */
export const caseRuleSchema = z.strictObject({
  name: textOf(LIMITS.name, 1),
  when: z.strictObject({
    categories: z.array(categorySchema).min(1).max(3).optional(),
    /** Scores up to this one, inclusive. */
    maxScore: scoreSchema.optional(),
    segments: z.array(segmentSchema).max(LIMITS.segments).optional(),
    /** Only answers whose respondent asked to be contacted. */
    contactRequested: z.literal(true).optional(),
  }),
  /** Who the case goes to; `assigneeFrom` wins when the answer has that metadata. */
  assignee: assigneeSchema.nullable().optional(),
  /** A metadata key whose value names the assignee, e.g. `accountManager`. */
  assigneeFrom: metadataKeySchema.optional(),
  /** Hours from opening until the case is due; absent: no due time. */
  dueHours: z.number().int().min(1).max(8760).optional(),
  tags: z.array(tagSchema).max(LIMITS.tags).optional(),
})
export type CaseRule = z.infer<typeof caseRuleSchema>

export const caseSettingsSchema = z.strictObject({
  rules: z.array(caseRuleSchema).max(LIMITS.caseRules),
})

/** Whether the card asks "May we contact you about this?" on its follow-up step. */
export const contactSettingsSchema = z.strictObject({ ask: z.boolean() })

/** The metric alert: a drop of the rolling NPS against the window before it, by the two-period test. */
export const metricAlertSchema = z.strictObject({
  /** The rolling window, compared with the window of the same length before it. */
  windowDays: z.number().int().min(1).max(365),
  /** The p-value below which a drop counts as real. */
  alpha: z.number().min(0.0001).max(0.2),
  /** Each segment is tested on its own too, besides the survey as a whole. */
  segments: z.array(segmentSchema).max(LIMITS.segments),
})

/** Bounds of a survey's theme dictionary: themes, spellings per theme, characters per name or spelling. */
export const THEME_DICTIONARY_LIMITS = { themes: 50, terms: 20, length: 64 } as const

const themeWord = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(THEME_DICTIONARY_LIMITS.length)
  .refine((word) => word.split(/\s+/).length <= 2, 'must be a word or a two-word phrase')

/**
 * Comment themes a survey names itself: each theme counts a comment that contains any of its spellings
 * (a word or a two-word phrase, matched after the same normalisation as discovered terms), so one theme
 * can count across languages: `{ dictionary: { billing: ['billing', 'invoice', 'rechnung'] } }`.
 */
export const themeSettingsSchema = z.strictObject({
  dictionary: z
    .record(
      z.string().trim().min(1).max(THEME_DICTIONARY_LIMITS.length),
      z.array(themeWord).min(1).max(THEME_DICTIONARY_LIMITS.terms),
    )
    .refine((d) => Object.keys(d).length <= THEME_DICTIONARY_LIMITS.themes, {
      message: `at most ${THEME_DICTIONARY_LIMITS.themes} themes`,
    }),
})
export type ThemeSettings = z.infer<typeof themeSettingsSchema>

export const notificationSettingsSchema = z.strictObject({
  /** Who gets alerts and digests (and case emails whose assignee is not an email address). */
  emails: z.array(z.email('must be an email address').max(LIMITS.email)).max(LIMITS.emails),
  /** Email each new case to its assignee (when an address) or else to `emails`. */
  caseEmails: z.boolean(),
  digest: z.enum(['off', 'daily', 'weekly']),
  /** null: no metric alert. */
  alert: metricAlertSchema.nullable(),
})
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>

/**
 * The industries the collector's benchmark table (collector/src/analytics/benchmark-data.ts) has rows
 * for; a survey's `industry` names one. Kept here so a setting is validated where every setting is; a
 * test holds the two lists equal.
 */
export const BENCHMARK_INDUSTRIES = [
  'cross-industry',
  'retail-department-specialty',
  'software',
  'b2b-software-saas',
  'b2b-services',
  'it-services',
  'hr-services',
  'internet-providers',
  'automobiles',
  'life-insurance',
] as const
export const industrySchema = z.enum(BENCHMARK_INDUSTRIES, {
  error: `industry must be one of ${BENCHMARK_INDUSTRIES.join(', ')} (GET /v1/benchmarks lists them)`,
})
/** The account key of a survey (GET /v1/surveys/:id/accounts). */
export const accountSettingsSchema = z.strictObject({ key: metadataKeySchema })
export type AccountSettings = z.infer<typeof accountSettingsSchema>

/**
 * How long answers are kept (absent: forever). After `days` days the retention job either deletes an
 * answer (`delete`) or anonymises it (`anonymise`): the score, time, locale, device and source stay, so
 * trends and hourly counts stay exact; the comment, respondent id, URL (and its path), contact consent
 * and metadata go, but for the metadata keys named in `keepMetadata` (such as `plan`).
 */
export const retentionSettingsSchema = z.strictObject({
  days: z.number().int().min(1).max(36500),
  action: z.enum(['delete', 'anonymise']),
  keepMetadata: z.array(metadataKeySchema).max(LIMITS.metadataKeys).optional(),
})
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>

/** Every setting of a survey, as stored and as answered by the admin API. */
export const surveySettingsSchema = z.strictObject({
  name: textOf(LIMITS.name, 1),
  /** null asks the default question in the visitor's language; a text is asked in every language. */
  question: text.nullable(),
  followUp: followUpSchema,
  defaultLocale: localeSchema,
  allowedOrigins: z.array(originSchema).max(LIMITS.origins),
  display: displaySchema,
  theme: themeSchema,
  target: targetSchema.nullable(),
  /** Answers older than this many days no longer count toward the current NPS. */
  responseLifetimeDays: z.number().int().min(1).max(3650),
  /**
   * true: the analytics reads count current answers (those of the last responseLifetimeDays days) unless
   * a request says `current=false`; absent: every answer of the period unless it says `current=true`.
   */
  countCurrentOnly: z.literal(true).optional(),
  /**
   * The only metadata keys answers may carry. Without it the survey learns keys as answers bring them,
   * up to LIMITS.surveyMetadataKeys distinct keys.
   */
  metadataKeys: metadataKeysSchema.optional(),
  /** Dimensions whose breakdowns are kept as hourly rollups (absent: none; every breakdown scans). */
  breakdowns: breakdownsSchema.optional(),
  /** Rules that open follow-up cases; absent (surveys made before cases): none. */
  cases: caseSettingsSchema.optional(),
  /** Absent: the card does not ask for contact consent. */
  contact: contactSettingsSchema.optional(),
  /** The thank-you step's link; absent: the thank-you line alone, closing by itself. */
  thanks: thanksSettingsSchema.optional(),
  /**
   * The survey's own wording per locale, string by string over the defaults (and over `question` and
   * `followUp`, which apply in every language); absent: the defaults.
   */
  texts: textsSchema.optional(),
  /** Absent: no emails and no metric alert. */
  notifications: notificationSettingsSchema.optional(),
  /** Absent: themes are only the terms discovered in the comments. */
  themes: themeSettingsSchema.optional(),
  /** The benchmark industry the survey is compared with; absent: none. */
  industry: industrySchema.optional(),
  /**
   * Which metadata key names the business account an answer belongs to (`{ key: 'accountId' }` reads
   * metadata.accountId, compared as text as segments are); absent: the survey has no accounts.
   */
  accounts: accountSettingsSchema.optional(),
  /** How long answers are kept, then deleted or anonymised; absent: forever. */
  retention: retentionSettingsSchema.optional(),
})
export type SurveySettings = z.infer<typeof surveySettingsSchema>

/** The defaults a survey gets for whatever its creator leaves out. */
export function defaultSurveySettings(name: string): SurveySettings {
  return {
    name,
    question: null,
    followUp: { promoter: null, passive: null, detractor: null },
    defaultLocale: 'en',
    allowedOrigins: [],
    display: {
      delaySeconds: 5,
      resurveyAfterDays: 90,
      dismissBackoffDays: 14,
      sampleRate: 1,
      minPageViews: 1,
      urlInclude: [],
      urlExclude: [],
    },
    theme: { accent: '#4f46e5', position: 'bottom-right', mode: 'auto' },
    target: null,
    responseLifetimeDays: 90,
    cases: { rules: [{ name: 'Every detractor', when: { categories: ['detractor'] }, dueHours: 72 }] },
    contact: { ask: false },
    notifications: {
      emails: [],
      caseEmails: true,
      digest: 'weekly',
      alert: { windowDays: 14, alpha: 0.05, segments: [] },
    },
  }
}

/** POST /v1/surveys: only the name is required; nested objects may be given in part. */
export const surveyCreateSchema = z.strictObject({
  name: surveySettingsSchema.shape.name,
  question: text.nullable().optional(),
  followUp: followUpSchema.partial().optional(),
  defaultLocale: localeSchema.optional(),
  allowedOrigins: surveySettingsSchema.shape.allowedOrigins.optional(),
  display: displaySchema.partial().optional(),
  theme: themeSchema.partial().optional(),
  target: targetSchema.nullable().optional(),
  responseLifetimeDays: surveySettingsSchema.shape.responseLifetimeDays.optional(),
  /** true: analytics count current answers by default; false removes it. */
  countCurrentOnly: z.boolean().optional(),
  /** null removes the declaration: the survey learns its keys again (up to the cap). */
  metadataKeys: metadataKeysSchema.nullable().optional(),
  /** [] or null removes every declared dimension (and its rollup). */
  breakdowns: breakdownsSchema.nullable().optional(),
  cases: caseSettingsSchema.optional(),
  contact: contactSettingsSchema.optional(),
  /** null removes the link (as `{ action: 'none' }`). */
  thanks: thanksSettingsSchema.nullable().optional(),
  /** Replaces all per-locale texts; null removes them. */
  texts: textsSchema.nullable().optional(),
  notifications: notificationSettingsSchema.partial().optional(),
  /** Replaces the whole dictionary (no key-by-key merge: a theme left out is removed). */
  themes: themeSettingsSchema.optional(),
  /** null removes the industry. */
  industry: industrySchema.nullable().optional(),
  /** null removes the account key. */
  accounts: accountSettingsSchema.nullable().optional(),
  /** null keeps answers forever again. */
  retention: retentionSettingsSchema.nullable().optional(),
})
export type SurveyCreate = z.infer<typeof surveyCreateSchema>

/** PATCH /v1/surveys/:id: any field, nested objects merged key by key. */
export const surveyPatchSchema = surveyCreateSchema.partial()
export type SurveyPatch = z.infer<typeof surveyPatchSchema>

/** Applies a create or patch body on top of settings; nested objects merge key by key. */
export function mergeSurveySettings(base: SurveySettings, change: SurveyPatch): SurveySettings {
  return {
    name: change.name ?? base.name,
    question: change.question === undefined ? base.question : change.question,
    followUp: { ...base.followUp, ...change.followUp },
    defaultLocale: change.defaultLocale ?? base.defaultLocale,
    allowedOrigins: change.allowedOrigins ?? base.allowedOrigins,
    display: { ...base.display, ...change.display },
    theme: { ...base.theme, ...change.theme },
    target: change.target === undefined ? base.target : change.target,
    responseLifetimeDays: change.responseLifetimeDays ?? base.responseLifetimeDays,
    // Stored only when true: a survey without it counts every answer, as surveys always have.
    ...optional('countCurrentOnly', (change.countCurrentOnly ?? base.countCurrentOnly) || undefined),
    ...metadataKeysOf(change.metadataKeys === undefined ? base.metadataKeys : change.metadataKeys),
    ...breakdownsOf(change.breakdowns === undefined ? base.breakdowns : change.breakdowns),
    ...optional('cases', change.cases ?? base.cases),
    ...optional('contact', change.contact ?? base.contact),
    ...optional('thanks', change.thanks === undefined ? base.thanks : (change.thanks ?? undefined)),
    ...optional('texts', change.texts === undefined ? base.texts : (change.texts ?? undefined)),
    ...optional('themes', change.themes ?? base.themes),
    ...optional(
      'notifications',
      change.notifications || base.notifications
        ? { ...NO_NOTIFICATIONS, ...base.notifications, ...change.notifications }
        : undefined,
    ),
    ...optional('industry', change.industry === undefined ? base.industry : (change.industry ?? undefined)),
    ...optional('accounts', change.accounts === undefined ? base.accounts : (change.accounts ?? undefined)),
    ...optional(
      'retention',
      change.retention === undefined ? base.retention : (change.retention ?? undefined),
    ),
  }
}

/** What a survey made before notifications existed has: nothing is sent. */
const NO_NOTIFICATIONS: NotificationSettings = { emails: [], caseEmails: false, digest: 'off', alert: null }

/** `{ [key]: value }` only when there is a value, so settings without it have no such field. */
const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>

/** The settings field only when keys are declared, so an undeclared survey's JSON has no such field. */
const metadataKeysOf = (keys: string[] | null | undefined) => (keys ? { metadataKeys: keys } : {})

/** The settings field only when dimensions are declared. */
const breakdownsOf = (dims: BreakdownDimension[] | null | undefined) =>
  dims && dims.length > 0 ? { breakdowns: dims } : {}

/** The aggregate shape of every read endpoint; mirrors `Summary` in nps.ts. */
export const summarySchema = z.object({
  total: z.number().int(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  distribution: z.array(z.number().int()).length(11),
  nps: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  marginOfError: z.number().nullable(),
  lowSample: z.boolean(),
  dismissed: z.number().int().optional(),
  shown: z.number().int().optional(),
  responseRate: z.number().nullable().optional(),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
})

/** The UI strings of the card in one language. */
export const uiStringsSchema = z.object({
  question: z.string(),
  low: z.string(),
  high: z.string(),
  followUp: followUpTextsSchema,
  placeholder: z.string(),
  send: z.string(),
  skip: z.string(),
  thanks: z.string(),
  close: z.string(),
  scoreLabel: z.string(),
  /** The consent checkbox on the follow-up step, when the survey asks for contact. */
  contact: z.string(),
  /** The email field's placeholder and name, shown when the site has not identified the visitor. */
  email: z.string(),
  /** The thank-you's question to promoters when the survey has a review link; `{site}` is its name. */
  review: z.string(),
  /** The review link's text. */
  reviewLink: z.string(),
})
export type UiStrings = z.infer<typeof uiStringsSchema>

/** GET /v1/surveys/:id/widget: everything the card needs, in the visitor's language. */
export const widgetConfigSchema = z.object({
  surveyId: surveyIdSchema,
  locale: z.string(),
  dir: z.enum(['ltr', 'rtl']),
  strings: uiStringsSchema,
  theme: themeSchema,
  display: displaySchema,
  /** Whether the follow-up step asks for consent to be contacted. */
  contact: contactSettingsSchema,
  /** The thank-you step's link; absent (and from older collectors): none. */
  thanks: thanksSettingsSchema.optional(),
})
export type WidgetConfig = z.infer<typeof widgetConfigSchema>

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.unknown()).optional(),
  }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>
