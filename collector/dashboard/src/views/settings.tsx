/**
 * A survey's settings: one form over every setting, saved with a PATCH of what changed; the API's
 * validation messages beside the fields they name; the real card (the widget's own build, in a framed
 * preview page) showing the form as it is now, in a language and colour scheme the user picks; the embed
 * snippet; deleting the survey. Unsaved changes survive a visit to another tab of the dashboard (kept in
 * memory only) and a reload asks first.
 */

import { directionOf, localize, translations } from '@npskit/shared/i18n'
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure, api, read, type Survey } from '../api/client.ts'
import { ConfirmStep } from '../components/confirm.tsx'
import {
  ErrorSummary,
  Field,
  type FieldErrors,
  fieldId,
  placeIssues,
  type SummaryItem,
} from '../components/field.tsx'
import { Link } from '../components/link.tsx'
import { Snippet } from '../components/snippet.tsx'
import { scheme as pageScheme } from '../components/theme.tsx'
import { formatShare } from '../format.ts'
import { navigate, surveyPath } from '../router.ts'
import { useApi } from '../use-api.ts'
import { createdSurvey } from './new-survey.tsx'
import {
  DEFAULT_RADIUS,
  FIELD_PATHS,
  FIELDS,
  type FieldPath,
  type Font,
  formOf,
  type Mode,
  numberOf,
  type Position,
  patchOf,
  previewConfigOf,
  type SettingsForm,
  sameForm,
  TEXT_KEYS,
  TEXT_LABELS,
  type TextKey,
  type ThanksAction,
  textPath,
} from './settings-form.ts'
import './settings.css'

/** Unsaved forms by survey, for as long as the page lives, with the version of the survey they started from. */
const drafts = new Map<string, { updatedAt: string; form: SettingsForm }>()

const POSITIONS: Record<Position, string> = {
  'bottom-right': 'Bottom right',
  'bottom-left': 'Bottom left',
  'top-right': 'Top right',
  'top-left': 'Top left',
  center: 'Centre of the page',
}
const MODES: Record<Mode, string> = {
  auto: 'Follow the visitor’s system',
  light: 'Always light',
  dark: 'Always dark',
}
const FONTS: Record<Font, string> = {
  system: 'The system’s interface font',
  inherit: 'The host page’s font',
}
const THANKS: Record<ThanksAction, string> = {
  none: 'Only a thank-you, which closes by itself',
  link: 'A thank-you with a link, for everyone',
  review: 'For promoters, a review or referral link',
}

/** A language by its own name: "Deutsch (de)". */
function languageName(code: string): string {
  try {
    const own = new Intl.DisplayNames([code], { type: 'language' }).of(code)
    return own && own !== code ? `${own[0]!.toLocaleUpperCase(code)}${own.slice(1)} (${code})` : code
  } catch {
    return code
  }
}
const SHIPPED = Object.keys(translations)
/** Every per-language text's path, where the API's messages about texts may point. */
const TEXT_PATHS = SHIPPED.flatMap((locale) => TEXT_KEYS.map((key) => textPath(locale, key)))
const textLabel = (path: string) => {
  const [, locale = '', ...key] = path.split('.')
  return `${locale}: ${TEXT_LABELS[key.join('.') as TextKey]}`
}

function LanguageOptions({ extra }: { extra?: string }) {
  const codes = extra && !SHIPPED.includes(extra) ? [...SHIPPED, extra] : SHIPPED
  return (
    <>
      {codes.map((code) => (
        <option key={code} value={code} lang={code}>
          {languageName(code)}
        </option>
      ))}
    </>
  )
}

const isColour = (value: string) => /^#[0-9a-f]{6}$/i.test(value.trim())

export function SettingsView({ survey, onSaved }: { survey: Survey; onSaved(): void }) {
  const [base, setBase] = useState(survey)
  const [form, setForm] = useState<SettingsForm>(() => {
    const draft = drafts.get(survey.id)
    return draft && draft.updatedAt === survey.updatedAt ? draft.form : formOf(survey)
  })
  const [errors, setErrors] = useState<FieldErrors>({})
  const [summary, setSummary] = useState<SummaryItem[] | null>(null)
  const [status, setStatus] = useState('')
  const [saving, setSaving] = useState(false)
  const [justCreated] = useState(() => createdSurvey.peek() === survey.id)
  const [textsLocale, setTextsLocale] = useState(survey.defaultLocale)
  const summaryRef = useRef<HTMLDivElement>(null)
  const dirty = !sameForm(form, formOf(base))
  // The industries the collector has published figures for, in its table's order, once per view.
  const table = useApi(() => read(api.GET('/v1/benchmarks')), [])
  const industries = [
    ...new Map((table.data?.items ?? []).map((b) => [b.industry, b.industryName] as const)).entries(),
  ]
  if (form.industry && !industries.some(([id]) => id === form.industry))
    industries.push([form.industry, form.industry])

  useEffect(() => {
    if (createdSurvey.peek() === survey.id) createdSurvey.value = null
  }, [])
  // A newer survey from the shell (after a save, or a reload) replaces a form that holds nothing unsaved.
  useEffect(() => {
    if (survey.updatedAt !== base.updatedAt && !dirty) {
      setBase(survey)
      setForm(formOf(survey))
    }
  }, [survey.updatedAt])
  useEffect(() => {
    if (dirty) drafts.set(survey.id, { updatedAt: base.updatedAt, form })
    else drafts.delete(survey.id)
    if (!dirty) return
    const ask = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', ask)
    return () => window.removeEventListener('beforeunload', ask)
  }, [dirty, form])
  useEffect(() => {
    if (summary) summaryRef.current?.focus()
  }, [summary])

  const set =
    <K extends keyof SettingsForm>(key: K) =>
    (value: SettingsForm[K]) => {
      setForm((f) => ({ ...f, [key]: value }))
      setStatus('')
    }
  const text = (key: keyof SettingsForm) => (e: { currentTarget: { value: string } }) =>
    set(key)(e.currentTarget.value as never)

  const refuse = (byField: FieldErrors, unplaced: string[]) => {
    setErrors(byField)
    // A refused text shows beside its field: the language picker turns to the first such language.
    const refusedText = TEXT_PATHS.find((path) => byField[path])
    if (refusedText) setTextsLocale(refusedText.split('.')[1]!)
    setSummary([
      ...FIELD_PATHS.flatMap((path) =>
        (byField[path] ?? []).map((message) => ({ target: fieldId(path), label: FIELDS[path], message })),
      ),
      ...TEXT_PATHS.flatMap((path) =>
        (byField[path] ?? []).map((message) => ({ target: fieldId(path), label: textLabel(path), message })),
      ),
      ...unplaced.map((message) => ({ message })),
    ])
  }

  const save = async (e: Event) => {
    e.preventDefault()
    setStatus('')
    const { patch, changed, errors: local } = patchOf(base, form)
    if (Object.keys(local).length) return refuse(local, [])
    setErrors({})
    setSummary(null)
    if (changed.length === 0) {
      setStatus('Nothing to save: no setting has changed.')
      return
    }
    setSaving(true)
    try {
      const saved = await read(
        api.PATCH('/v1/surveys/{id}', { params: { path: { id: survey.id } }, body: patch }),
      )
      setBase(saved)
      setForm(formOf(saved))
      setStatus(`Saved: ${[...new Set(changed.map((path) => FIELDS[path]))].join(', ')}.`)
      onSaved()
    } catch (failure) {
      const refused = failure instanceof ApiFailure ? failure : new ApiFailure(0, 'client', String(failure))
      const { byField, unplaced } = placeIssues(refused, [...FIELD_PATHS, ...TEXT_PATHS])
      refuse(byField, unplaced)
    } finally {
      setSaving(false)
    }
  }

  const discard = () => {
    setForm(formOf(base))
    setErrors({})
    setSummary(null)
    setStatus('Discarded the unsaved changes.')
  }

  /** A field of the form by its path in the API's body. */
  const field = (
    path: FieldPath,
    control: Parameters<typeof Field>[0]['children'],
    help?: ComponentChildren,
    wide = false,
  ) => (
    <Field
      id={fieldId(path)}
      label={FIELDS[path]}
      help={help}
      errors={errors[path]}
      class={wide ? 'wide' : undefined}
    >
      {control}
    </Field>
  )
  /** A number field (whole numbers unless `decimal`); the API checks the range and says what is wrong. */
  const numberField = (
    path: FieldPath,
    key: keyof SettingsForm,
    limits: { min?: number; max?: number; step?: number; decimal?: boolean },
    help?: ComponentChildren,
  ) =>
    field(
      path,
      (p) => (
        <input
          {...p}
          type="number"
          inputMode={limits.decimal ? 'decimal' : 'numeric'}
          min={limits.min}
          max={limits.max}
          step={limits.step}
          value={form[key] as string}
          onInput={text(key)}
        />
      ),
      help,
    )
  const defaults = translations[form.defaultLocale] ?? translations.en!
  // What the card says in the picked language without its own wording there: the survey's question and
  // prompts (asked in every language) over the built-in texts.
  const builtIn = localize(textsLocale, {
    question: form.question.trim() || null,
    followUp: {
      promoter: form.promoter.trim() || null,
      passive: form.passive.trim() || null,
      detractor: form.detractor.trim() || null,
    },
  })
  const own = form.texts[textsLocale] ?? {}
  const setText = (key: TextKey) => (e: { currentTarget: { value: string } }) =>
    set('texts')({ ...form.texts, [textsLocale]: { ...own, [key]: e.currentTarget.value } })
  const wordedIn = SHIPPED.filter((code) => Object.values(form.texts[code] ?? {}).some((v) => v.trim()))
  const sampleRate = numberOf(form.sampleRate)

  return (
    <>
      {justCreated ? (
        <section class="panel created" aria-labelledby="created-title">
          <h2 id="created-title">Survey created</h2>
          <p>
            Paste this snippet on your site, before the closing &lt;/body&gt; tag, to start collecting
            answers:
          </p>
          <Snippet surveyId={survey.id} />
          <p class="muted">
            The card only runs on the sites listed under <strong>Allowed origins</strong> below.
          </p>
        </section>
      ) : null}
      <div class="settings">
        <form class="settings-form" noValidate onSubmit={save} aria-labelledby="settings-title">
          <h2 id="settings-title" class="sr-only">
            Settings
          </h2>
          {summary ? (
            <ErrorSummary
              title="The collector refused these settings; nothing was saved"
              items={summary}
              summaryRef={summaryRef}
            />
          ) : null}

          <fieldset class="panel">
            <legend>Questions</legend>
            {field(
              'name',
              (p) => (
                <input {...p} value={form.name} onInput={text('name')} autocomplete="off" />
              ),
              'Only your team sees it.',
            )}
            {field(
              'defaultLocale',
              (p) => (
                <select {...p} value={form.defaultLocale} onChange={text('defaultLocale')}>
                  <LanguageOptions extra={form.defaultLocale} />
                </select>
              ),
              'For visitors whose browser asks for none of the languages the card speaks.',
            )}
            {field(
              'question',
              (p) => (
                <textarea
                  {...p}
                  rows={2}
                  value={form.question}
                  onInput={text('question')}
                  placeholder={defaults.question}
                />
              ),
              'Empty: the default question in the visitor’s language (greyed out here), as for the prompts below.',
              true,
            )}
            <div class="followups">
              {(['promoter', 'passive', 'detractor'] as const).map((category) =>
                field(
                  `followUp.${category}`,
                  (p) => (
                    <textarea
                      {...p}
                      rows={2}
                      value={form[category]}
                      onInput={text(category)}
                      placeholder={defaults.followUp[category]}
                    />
                  ),
                  'Empty: the default prompt.',
                ),
              )}
            </div>
          </fieldset>

          <fieldset class="panel">
            <legend>Where it runs</legend>
            {field(
              'allowedOrigins',
              (p) => (
                <textarea
                  {...p}
                  rows={3}
                  value={form.allowedOrigins}
                  onInput={text('allowedOrigins')}
                  placeholder="https://shop.example"
                  spellcheck={false}
                  autocapitalize="off"
                />
              ),
              'One per line, such as https://shop.example or https://*.example.com. The card works only on these sites; * allows any site.',
              true,
            )}
            {field(
              'display.urlInclude',
              (p) => (
                <textarea
                  {...p}
                  rows={2}
                  value={form.urlInclude}
                  onInput={text('urlInclude')}
                  placeholder="/checkout/*"
                  spellcheck={false}
                />
              ),
              'One path per line; * matches anything. Empty: every page.',
            )}
            {field(
              'display.urlExclude',
              (p) => (
                <textarea
                  {...p}
                  rows={2}
                  value={form.urlExclude}
                  onInput={text('urlExclude')}
                  placeholder="/admin/*"
                  spellcheck={false}
                />
              ),
              'One path per line; wins over “Only on these paths”.',
            )}
          </fieldset>

          <fieldset class="panel">
            <legend>When it shows</legend>
            {numberField(
              'display.delaySeconds',
              'delaySeconds',
              { min: 0, max: 3600, decimal: true },
              'After the page has loaded.',
            )}
            {numberField(
              'display.minPageViews',
              'minPageViews',
              { min: 1 },
              '1: on the first page a visitor opens.',
            )}
            {numberField(
              'display.sampleRate',
              'sampleRate',
              { min: 0, max: 1, step: 0.01, decimal: true },
              sampleRate !== undefined && sampleRate >= 0 && sampleRate <= 1
                ? `${formatShare(sampleRate, 1)} of visitors are ever asked; a visitor stays in or out.`
                : 'From 0 (nobody) to 1 (everybody).',
            )}
            {numberField(
              'display.resurveyAfterDays',
              'resurveyAfterDays',
              { min: 0 },
              'A visitor who answered is not asked again for this long.',
            )}
            {numberField(
              'display.dismissBackoffDays',
              'dismissBackoffDays',
              { min: 0 },
              'A visitor who closed the card without answering.',
            )}
          </fieldset>

          <fieldset class="panel">
            <legend>Look</legend>
            {field(
              'theme.accent',
              (p) => (
                <div class="accent">
                  <input
                    type="color"
                    value={
                      isColour(form.accent)
                        ? form.accent.trim().toLowerCase()
                        : base.theme.accent.toLowerCase()
                    }
                    onInput={text('accent')}
                    aria-label="Pick the accent colour"
                  />
                  <input
                    {...p}
                    value={form.accent}
                    onInput={text('accent')}
                    spellcheck={false}
                    autocomplete="off"
                  />
                </div>
              ),
              'A colour like #4f46e5. The card picks dark or white text on it for contrast.',
            )}
            {field('theme.position', (p) => (
              <select {...p} value={form.position} onChange={text('position')}>
                {Object.entries(POSITIONS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            ))}
            {field('theme.mode', (p) => (
              <select {...p} value={form.mode} onChange={text('mode')}>
                {Object.entries(MODES).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            ))}
            {field(
              'theme.radius',
              (p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={28}
                  value={form.radius}
                  onInput={text('radius')}
                  placeholder={String(DEFAULT_RADIUS)}
                />
              ),
              `From 0 (square) to 28. Empty: ${DEFAULT_RADIUS}. The scores’ corners follow it.`,
            )}
            {field('theme.font', (p) => (
              <select {...p} value={form.font} onChange={text('font')}>
                {Object.entries(FONTS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            ))}
          </fieldset>

          <fieldset class="panel">
            <legend>Thank-you step</legend>
            {field(
              'thanks',
              (p) => (
                <select {...p} value={form.thanksAction} onChange={text('thanksAction')}>
                  {Object.entries(THANKS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              ),
              form.thanksAction === 'review'
                ? `Promoters (9–10) are asked “${defaults.review.replace('{site}', form.thanksSite.trim() || '…')}”; everyone else gets the plain thank-you.`
                : 'A thank-you with a link stays until the visitor closes it or follows the link.',
              true,
            )}
            {form.thanksAction === 'none' ? null : (
              <>
                {field(
                  'thanks.url',
                  (p) => (
                    <input
                      {...p}
                      type="url"
                      value={form.thanksUrl}
                      onInput={text('thanksUrl')}
                      placeholder={
                        form.thanksAction === 'review'
                          ? 'https://www.g2.com/products/acme/reviews'
                          : 'https://acme.example/whats-new'
                      }
                      spellcheck={false}
                      autocapitalize="off"
                    />
                  ),
                  'An https:// or http:// address; it opens in a new tab.',
                )}
                {form.thanksAction === 'link'
                  ? field('thanks.label', (p) => (
                      <input
                        {...p}
                        value={form.thanksLabel}
                        onInput={text('thanksLabel')}
                        autocomplete="off"
                      />
                    ))
                  : field(
                      'thanks.site',
                      (p) => (
                        <input
                          {...p}
                          value={form.thanksSite}
                          onInput={text('thanksSite')}
                          placeholder="G2"
                          autocomplete="off"
                        />
                      ),
                      `The link reads “${defaults.reviewLink}” (or its translation).`,
                    )}
              </>
            )}
          </fieldset>

          <fieldset class="panel texts">
            <legend>Texts per language</legend>
            <div class="field wide">
              <label for="texts-locale">Language</label>
              <select
                id="texts-locale"
                value={textsLocale}
                onChange={(e) => setTextsLocale(e.currentTarget.value)}
                aria-describedby={`texts-locale-help${errors.texts ? ` ${fieldId('texts')}-error` : ''}`}
              >
                <LanguageOptions />
              </select>
              {errors.texts ? (
                <p id={`${fieldId('texts')}-error`} class="field-error">
                  <span class="sr-only">Error: </span>
                  {errors.texts.join(' ')}
                </p>
              ) : null}
              <p id="texts-locale-help" class="help">
                Word any of the card’s texts your own way in this language; an empty field keeps the text
                shown greyed out.{' '}
                {wordedIn.length ? `Worded here: ${wordedIn.join(', ')}.` : 'No language is worded here yet.'}
              </p>
            </div>
            {TEXT_KEYS.map((key) => {
              const path = textPath(textsLocale, key)
              const [head, sub] = key.split('.') as [keyof typeof builtIn, 'promoter' | undefined]
              const placeholder = sub
                ? builtIn.followUp[sub]
                : (builtIn[head as Exclude<typeof head, 'followUp'>] as string)
              return (
                <Field
                  key={path}
                  id={fieldId(path)}
                  label={TEXT_LABELS[key]}
                  errors={errors[path]}
                  class={key === 'question' || sub ? 'wide' : undefined}
                >
                  {(p) => (
                    <input
                      {...p}
                      lang={textsLocale}
                      dir={directionOf(textsLocale)}
                      value={own[key] ?? ''}
                      onInput={setText(key)}
                      placeholder={placeholder}
                      autocomplete="off"
                    />
                  )}
                </Field>
              )
            })}
          </fieldset>

          <fieldset class="panel">
            <legend>Target and data</legend>
            <div class={`field wide checkbox-field${errors.target ? ' invalid' : ''}`}>
              <div class="checkbox-row">
                <input
                  id={fieldId('target')}
                  type="checkbox"
                  checked={form.hasTarget}
                  onChange={(e) => set('hasTarget')(e.currentTarget.checked)}
                  aria-invalid={errors.target ? true : undefined}
                  aria-describedby={errors.target ? `${fieldId('target')}-error` : undefined}
                />
                <label for={fieldId('target')}>This survey has a target NPS to reach by a deadline</label>
              </div>
              {errors.target ? (
                <p id={`${fieldId('target')}-error`} class="field-error">
                  <span class="sr-only">Error: </span>
                  {errors.target.join(' ')}
                </p>
              ) : null}
            </div>
            {form.hasTarget ? (
              <>
                {numberField('target.nps', 'targetNps', { min: -100, max: 100 }, 'From −100 to 100.')}
                {field('target.deadline', (p) => (
                  <input {...p} type="date" value={form.targetDeadline} onInput={text('targetDeadline')} />
                ))}
              </>
            ) : null}
            {numberField(
              'responseLifetimeDays',
              'responseLifetimeDays',
              { min: 1 },
              'Older answers stay stored but no longer count toward the current NPS.',
            )}
            {field(
              'metadataKeys',
              (p) => (
                <textarea
                  {...p}
                  rows={2}
                  value={form.metadataKeys}
                  onInput={text('metadataKeys')}
                  placeholder="plan"
                  spellcheck={false}
                  autocapitalize="off"
                />
              ),
              'One key per line. Listed: answers may carry only these keys. Empty: the survey takes keys as answers bring them, up to 50.',
            )}
            {field(
              'industry',
              (p) => (
                <select {...p} value={form.industry} onChange={text('industry')}>
                  <option value="">none</option>
                  {industries.map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              ),
              'The overview shows where the survey stands against published figures for this industry.',
            )}
          </fieldset>

          <div class="form-actions">
            <button
              type="submit"
              class="button primary"
              disabled={saving}
              aria-busy={saving ? 'true' : undefined}
            >
              {saving ? 'Saving…' : 'Save changes'}
            </button>
            <button type="button" class="button" onClick={discard} disabled={!dirty || saving}>
              Discard changes
            </button>
            <span class="unsaved" aria-live="polite">
              {dirty ? 'Unsaved changes' : ''}
            </span>
          </div>
          <p class="status-ok" role="status">
            {status}
          </p>
        </form>
        <CardPreview survey={survey} form={form} language={textsLocale} />
      </div>

      {justCreated ? null : (
        <section class="panel" aria-labelledby="snippet-title">
          <h2 id="snippet-title">Embed snippet</h2>
          <p>Paste it on your site, before the closing &lt;/body&gt; tag.</p>
          <Snippet surveyId={survey.id} />
        </section>
      )}
      <DeleteSurvey survey={base} />
    </>
  )
}

/**
 * The card as a visitor would get it with the form as it is now, mounted by the widget's own build in a
 * preview page framed here (same origin: the dashboard's CSP allows it, nobody else may frame it).
 */
function CardPreview({ survey, form, language }: { survey: Survey; form: SettingsForm; language: string }) {
  const frame = useRef<HTMLIFrameElement>(null)
  const [wanted, setWanted] = useState<string | null>(null)
  // Picking a language to word its texts shows the card in it.
  const picked = useRef(language)
  useEffect(() => {
    if (language !== picked.current) setWanted(language)
    picked.current = language
  }, [language])
  const [scheme, setScheme] = useState(() => pageScheme.value)
  const [ready, setReady] = useState(false)
  const [failed, setFailed] = useState(false)
  const locale = wanted ?? form.defaultLocale
  const config = previewConfigOf(survey, form, locale, scheme)
  const message = JSON.stringify({ type: 'npskit-preview', config, scheme })
  const latest = useRef(message)
  latest.current = message
  const shown = useRef(false)

  const send = () =>
    frame.current?.contentWindow?.postMessage(JSON.parse(latest.current), window.location.origin)

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.source !== frame.current?.contentWindow) return
      if ((event.data as { type?: string })?.type === 'npskit-preview-ready') setReady(true)
    }
    window.addEventListener('message', onMessage)
    return () => window.removeEventListener('message', onMessage)
  }, [])
  // Live, but not on every keystroke: each config mounts the card afresh (with its entrance animation).
  useEffect(() => {
    if (!ready) return
    const first = !shown.current
    shown.current = true
    const timer = setTimeout(send, first ? 0 : 150)
    return () => clearTimeout(timer)
  }, [message, ready])

  return (
    <aside
      class="preview-pane panel"
      aria-labelledby="preview-title"
      aria-busy={ready || failed ? undefined : 'true'}
    >
      <h2 id="preview-title">Preview</h2>
      <p class="muted preview-note">
        The real card with the settings as they are in the form, saved or not. Answers here go nowhere.
      </p>
      <div class="preview-controls">
        <div class="field">
          <label for="preview-locale">Preview language</label>
          <select id="preview-locale" value={locale} onChange={(e) => setWanted(e.currentTarget.value)}>
            <LanguageOptions extra={form.defaultLocale} />
          </select>
        </div>
        <fieldset class="scheme">
          <legend>Visitor’s colour scheme</legend>
          {(['light', 'dark'] as const).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="preview-scheme"
                value={value}
                checked={scheme === value}
                onChange={() => setScheme(value)}
              />{' '}
              {value === 'light' ? 'Light' : 'Dark'}
            </label>
          ))}
        </fieldset>
      </div>
      {failed ? (
        <p class="field-error" role="alert">
          The card could not load: the widget is not built. Run <code>pnpm build</code> and reload.
        </p>
      ) : null}
      <iframe
        ref={frame}
        class="preview-frame"
        src="/dashboard/preview"
        title="Preview of the survey card"
        onLoad={() => {
          // The page says whether the widget's build loaded (data-ready), also if its message was missed.
          const state = frame.current?.contentDocument?.body?.dataset.ready
          if (state === 'true') setReady(true)
          if (state === 'false') setFailed(true)
        }}
      />
      <button type="button" class="button ghost" onClick={send} disabled={!ready}>
        Show the card again
      </button>
    </aside>
  )
}

function DeleteSurvey({ survey }: { survey: Survey }) {
  const [confirming, setConfirming] = useState(false)
  return (
    <section class="panel danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete this survey</h2>
      {!confirming ? (
        <>
          <p>
            Deleting removes the survey with every answer and event it collected, and cannot be undone. To
            keep the answers, export them from{' '}
            <Link href={surveyPath(survey.id, 'responses')}>Responses</Link> first.
          </p>
          <button type="button" class="button danger" onClick={() => setConfirming(true)}>
            Delete survey…
          </button>
        </>
      ) : (
        <ConfirmStep
          action="Delete the survey and every answer"
          busyLabel="Deleting…"
          failure="Could not delete the survey:"
          run={async () => {
            await read(api.DELETE('/v1/surveys/{id}', { params: { path: { id: survey.id } } }))
            drafts.delete(survey.id)
            navigate('/dashboard/surveys')
          }}
          onCancel={() => setConfirming(false)}
        >
          <p id="delete-question">
            <strong>Delete “{survey.name}” and every answer it has collected?</strong> The snippet on your
            sites stops showing the card. This cannot be undone.
          </p>
        </ConfirmStep>
      )}
    </section>
  )
}
