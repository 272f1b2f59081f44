/**
 * Creating a survey: a name, and optionally the site it runs on and its own question (everything else
 * starts from the API's defaults and can be changed in the survey's settings, where this view leads
 * with the snippet to paste). Validation is the API's, shown beside each field.
 */
import { translations } from '@npskit/shared/i18n'
import { signal } from '@preact/signals'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiFailure, api, read, type Schemas } from '../api/client.ts'
import {
  ErrorSummary,
  Field,
  type FieldErrors,
  fieldId,
  placeIssues,
  type SummaryItem,
} from '../components/field.tsx'
import { Link } from '../components/link.tsx'
import { navigate, surveyPath, withQuery } from '../router.ts'
import './new-survey.css'

/** The survey this page just created: its settings greet it with the snippet. */
export const createdSurvey = signal<string | null>(null)

const LABELS = { name: 'Name', allowedOrigins: 'Site (allowed origin)', question: 'Question' } as const
type Path = keyof typeof LABELS
const PATHS = Object.keys(LABELS) as Path[]
const id = (path: Path) => fieldId(path, 'new')

export function NewSurveyView() {
  const [name, setName] = useState('')
  const [origin, setOrigin] = useState('')
  const [question, setQuestion] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [summary, setSummary] = useState<SummaryItem[] | null>(null)
  const [busy, setBusy] = useState(false)
  const summaryRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (summary) summaryRef.current?.focus()
  }, [summary])

  const create = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    const body: Schemas['SurveyCreate'] = { name: name.trim() }
    if (origin.trim()) body.allowedOrigins = [origin.trim()]
    if (question.trim()) body.question = question.trim()
    try {
      const survey = await read(api.POST('/v1/surveys', { body }))
      createdSurvey.value = survey.id
      navigate(surveyPath(survey.id, 'settings'))
    } catch (failure) {
      const refused = failure instanceof ApiFailure ? failure : new ApiFailure(0, 'client', String(failure))
      const { byField, unplaced } = placeIssues(refused, PATHS)
      setErrors(byField)
      setSummary([
        ...PATHS.flatMap((path) =>
          (byField[path] ?? []).map((message) => ({ target: id(path), label: LABELS[path], message })),
        ),
        ...unplaced.map((message) => ({ message })),
      ])
      setBusy(false)
    }
  }

  return (
    <>
      <div class="page-head">
        <h1>New survey</h1>
      </div>
      <form class="panel new-survey" noValidate onSubmit={create}>
        {summary ? (
          <ErrorSummary title="The survey was not created" items={summary} summaryRef={summaryRef} />
        ) : null}
        <Field
          id={id('name')}
          label={LABELS.name}
          errors={errors.name}
          help="Only your team sees it, e.g. “Checkout NPS”."
        >
          {(p) => (
            <input
              {...p}
              value={name}
              required
              aria-required="true"
              autocomplete="off"
              onInput={(e) => setName(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id={id('allowedOrigins')}
          label={LABELS.allowedOrigins}
          errors={errors.allowedOrigins}
          help="Optional: the origin of the site that shows the card, such as https://shop.example. Add more in the settings."
        >
          {(p) => (
            <input
              {...p}
              value={origin}
              placeholder="https://shop.example"
              inputMode="url"
              spellcheck={false}
              autocapitalize="off"
              onInput={(e) => setOrigin(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field
          id={id('question')}
          label={LABELS.question}
          errors={errors.question}
          help="Optional: empty asks the standard NPS question in the visitor’s language."
        >
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={question}
              placeholder={translations.en!.question}
              onInput={(e) => setQuestion(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {busy ? 'Creating…' : 'Create survey'}
          </button>
          <Link class="button" href={withQuery('/dashboard/surveys')}>
            Cancel
          </Link>
        </div>
      </form>
    </>
  )
}
