/**
 * One case, where the collector's emails and Slack messages link: the answer it follows up (score,
 * comment, what it was stored with, and the respondent's consent to be contacted), where it stands, and
 * its append-only log (who changed what, when). An admin changes the status with one click, sets the
 * assignee, due time and tags in a small form (saved as one PATCH of what changed, the API's messages
 * beside the fields), and adds notes. A read key sees the same case with no control that changes it.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import {
  ApiFailure,
  api,
  type CaseLogEntry,
  type CaseWithLog,
  read,
  type StoredResponse,
  type Survey,
} from '../api/client.ts'
import { ErrorSummary, Field, type FieldErrors, fieldId, placeIssues } from '../components/field.tsx'
import { Link } from '../components/link.tsx'
import { Failure, Loading } from '../components/states.tsx'
import { filters } from '../filters.ts'
import { formatDate, instantOf, wallTime } from '../format.ts'
import { casePath, navigate, surveyPath, withQuery } from '../router.ts'
import { isAdmin } from '../session.ts'
import { useApi } from '../use-api.ts'
import { CATEGORY_WORDS, type CaseStatus, inboxOf, STATUS_WORDS, STATUSES } from './case-words.ts'
import { Detail } from './responses.tsx'
import './case.css'

/** A case route's answer, with the answer's type as the route sends it (see CaseWithLog). */
const readCase = (request: Promise<{ data?: unknown; error?: unknown; response: Response }>) =>
  read(request) as Promise<CaseWithLog>

const loadCase = (caseId: string) => readCase(api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } }))

const failureOf = (error: unknown) =>
  error instanceof ApiFailure ? error : new ApiFailure(0, 'client', String(error))

/** A case link that lost its `?survey=`: the case names its survey, so the page finds its place. */
export function CaseLocator({ caseId }: { caseId: string }) {
  const found = useApi(() => loadCase(caseId), [caseId])
  useEffect(() => {
    if (found.data) navigate(withQuery(casePath(found.data.id, found.data.surveyId)), { replace: true })
  }, [found.data])
  return found.error ? (
    <Failure error={found.error} what="the case" retry={found.reload} />
  ) : (
    <Loading label="Opening the case…" />
  )
}

export function CaseView({ survey, caseId }: { survey: Survey; caseId: string }) {
  const loaded = useApi(() => loadCase(caseId), [caseId])
  // The case as the last change answered it (each change answers the whole case with its log).
  const [changed, setChanged] = useState<CaseWithLog | null>(null)
  const shown = changed ?? loaded.data
  const back = (
    <p class="back">
      <Link href={inboxOf(survey.id) ?? withQuery(surveyPath(survey.id, 'cases'))}>← All cases</Link>
    </p>
  )
  if (loaded.error) {
    return (
      <>
        {back}
        <Failure error={loaded.error} what="the case" retry={loaded.reload} />
      </>
    )
  }
  if (!shown) return <Loading label="Loading the case…" />
  if (shown.surveyId !== survey.id) {
    return (
      <>
        {back}
        <div class="state empty">
          <h2>This case belongs to another survey</h2>
          <p>
            <Link href={casePath(shown.id, shown.surveyId)}>Open it with its own survey</Link>
          </p>
        </div>
      </>
    )
  }
  const tz = filters.value.tz
  return (
    <>
      {back}
      <div class="case-head">
        <h2>
          Case <span class={`badge status-${shown.status}`}>{STATUS_WORDS[shown.status]}</span>
          {shown.overdue ? <span class="badge overdue-badge">overdue</span> : null}
        </h2>
        <p class="muted">
          Opened {formatDate(shown.openedAt, tz, true)} by {shown.openedBy} · <code>{shown.id}</code>
        </p>
      </div>
      <div class="case-layout">
        <div class="case-main">
          <Answer response={shown.response} score={shown.score} category={shown.category} tz={tz} />
          <Log log={shown.log} tz={tz} />
        </div>
        <div class="case-side">
          {isAdmin.value ? (
            <>
              <StatusButtons current={shown} onChanged={setChanged} />
              <CaseForm current={shown} tz={tz} onChanged={setChanged} />
              <NoteForm caseId={shown.id} onAdded={setChanged} />
            </>
          ) : (
            <CaseFacts current={shown} tz={tz} />
          )}
        </div>
      </div>
    </>
  )
}

function Answer({
  response: r,
  score,
  category,
  tz,
}: {
  response: StoredResponse | null
  score: number
  category: CaseWithLog['category']
  tz: string
}) {
  const contact = r?.contact
  return (
    <section class="panel answer" aria-labelledby="answer-title">
      <div class="response-head">
        <h3 id="answer-title">The answer</h3>
        <span class={`score ${category}`}>
          <span class="value">{score}</span>
          <span class="words">{CATEGORY_WORDS[category]}</span>
        </span>
      </div>
      {!r ? (
        <p class="muted">The answer is no longer stored.</p>
      ) : (
        <>
          {r.comment ? <p class="comment">{r.comment}</p> : <p class="comment muted">No comment</p>}
          {contact ? (
            <p class="contact">
              <strong>Asked to be contacted</strong>
              {contact.email ? (
                <>
                  {' '}
                  at <a href={`mailto:${contact.email}`}>{contact.email}</a>
                </>
              ) : r.respondentId ? (
                <> as respondent {r.respondentId}</>
              ) : null}
            </p>
          ) : null}
          <dl class="details">
            <Detail term="Answered" value={formatDate(r.createdAt, tz, true)} />
            <Detail term="Locale" value={r.locale} />
            <Detail term="Device" value={r.device} />
            <Detail term="Page" value={r.path} />
            {r.url && r.url !== r.path ? <Detail term="URL" value={r.url} /> : null}
            <Detail term="Respondent" value={r.respondentId} />
            {Object.entries(r.metadata ?? {}).map(([k, v]) => (
              <Detail key={k} term={k} value={String(v)} />
            ))}
            <Detail term="Answer id" value={r.id} kind="id" />
          </dl>
        </>
      )}
    </section>
  )
}

/** Where the case stands, for a read key: the same values as the form, as text. */
function CaseFacts({ current: c, tz }: { current: CaseWithLog; tz: string }) {
  return (
    <section class="panel" aria-labelledby="facts-title">
      <h3 id="facts-title">Follow-up</h3>
      <dl class="details facts">
        <Detail term="Status" value={STATUS_WORDS[c.status]} />
        <Detail term="Assignee" value={c.assignee} />
        <Detail term="Due" value={c.dueAt ? formatDate(c.dueAt, tz, true) : null} />
        <Detail term="Tags" value={c.tags.length ? c.tags.join(', ') : null} />
        <Detail
          term="First contact"
          value={c.firstContactAt ? formatDate(c.firstContactAt, tz, true) : null}
        />
        <Detail term="Closed" value={c.closedAt ? formatDate(c.closedAt, tz, true) : null} />
      </dl>
      <p class="muted hint">Your key can read cases; an admin key changes them.</p>
    </section>
  )
}

const STATUS_ACTIONS: Record<CaseStatus, string> = {
  open: 'Reopen',
  contacted: 'Mark contacted',
  resolved: 'Mark resolved',
  dismissed: 'Dismiss',
}

/** The step a case usually takes next, which its button stands out for. */
const NEXT: Partial<Record<CaseStatus, CaseStatus>> = { open: 'contacted', contacted: 'resolved' }

/** One click per status change: each is its own entry in the log. */
function StatusButtons({ current, onChanged }: { current: CaseWithLog; onChanged(c: CaseWithLog): void }) {
  const [busy, setBusy] = useState<CaseStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState('')
  const change = async (status: CaseStatus) => {
    setBusy(status)
    setError(null)
    setDone('')
    try {
      onChanged(
        await readCase(
          api.PATCH('/v1/cases/{caseId}', { params: { path: { caseId: current.id } }, body: { status } }),
        ),
      )
      setDone(`Status changed to ${STATUS_WORDS[status]}.`)
    } catch (failure) {
      setError(failureOf(failure).message)
    } finally {
      setBusy(null)
    }
  }
  return (
    <section class="panel status-panel" aria-labelledby="status-title">
      <h3 id="status-title">
        Status: <span class={`badge status-${current.status}`}>{STATUS_WORDS[current.status]}</span>
      </h3>
      <div class="status-actions">
        {STATUSES.filter((s) => s !== current.status).map((s) => (
          <button
            key={s}
            type="button"
            class={NEXT[current.status] === s ? 'button primary' : 'button'}
            disabled={busy !== null}
            onClick={() => change(s)}
          >
            {busy === s ? 'Saving…' : STATUS_ACTIONS[s]}
          </button>
        ))}
      </div>
      {error ? (
        <p class="field-error" role="alert">
          Not changed: {error}
        </p>
      ) : null}
      <p class="status-ok" role="status">
        {done}
      </p>
    </section>
  )
}

const CASE_FIELDS = ['assignee', 'dueAt', 'tags'] as const
const LABELS: Record<(typeof CASE_FIELDS)[number], string> = {
  assignee: 'Assignee',
  dueAt: 'Due',
  tags: 'Tags',
}

/** Tags as typed: comma-separated, trimmed, each once. */
const tagsOf = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  ),
]

/** What the form shows for a case: the due time as wall-clock time in the chosen zone. */
const formOfCase = (c: CaseWithLog, tz: string) => ({
  assignee: c.assignee ?? '',
  due: c.dueAt ? wallTime(c.dueAt, tz) : '',
  tags: c.tags.join(', '),
})

/** Assignee, due time and tags: one Save, one PATCH of what changed. */
function CaseForm({
  current,
  tz,
  onChanged,
}: {
  current: CaseWithLog
  tz: string
  onChanged(c: CaseWithLog): void
}) {
  const initial = () => formOfCase(current, tz)
  const [form, setForm] = useState(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [other, setOther] = useState<string[]>([])
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)
  // A change elsewhere (a status click) answers a newer case: a form with nothing typed follows it,
  // one being typed in keeps what was typed.
  const shown = useRef(form)
  useEffect(() => {
    const next = initial()
    setForm((f) => (JSON.stringify(f) === JSON.stringify(shown.current) ? next : f))
    shown.current = next
  }, [current.updatedAt])

  const save = async (e: Event) => {
    e.preventDefault()
    setStatus('')
    const was = initial()
    const body: { assignee?: string | null; dueAt?: string | null; tags?: string[] } = {}
    if (form.assignee.trim() !== was.assignee) body.assignee = form.assignee.trim() || null
    if (form.due !== was.due) {
      const at = form.due ? instantOf(form.due, tz) : null
      if (form.due && !at) {
        setErrors({ dueAt: ['Give a date and a time, or leave it empty for no due time.'] })
        return
      }
      body.dueAt = at
    }
    const tags = tagsOf(form.tags)
    if (tags.join(',') !== current.tags.join(',')) body.tags = tags
    if (Object.keys(body).length === 0) {
      setErrors({})
      setOther([])
      setStatus('Nothing to save: nothing has changed.')
      return
    }
    setBusy(true)
    try {
      const saved = await readCase(
        api.PATCH('/v1/cases/{caseId}', { params: { path: { caseId: current.id } }, body }),
      )
      setErrors({})
      setOther([])
      // What the API stored, as it stored it (tags once each, the assignee trimmed).
      setForm(formOfCase(saved, tz))
      onChanged(saved)
      setStatus(
        `Saved: ${Object.keys(body)
          .map((k) => LABELS[k as keyof typeof LABELS].toLowerCase())
          .join(', ')}.`,
      )
    } catch (failure) {
      const { byField, unplaced } = placeIssues(failureOf(failure), CASE_FIELDS)
      setErrors(byField)
      setOther(unplaced)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="panel case-form" noValidate onSubmit={save} aria-labelledby="case-form-title">
      <h3 id="case-form-title">Who and when</h3>
      {other.length ? <ErrorSummary title="Not saved" items={other.map((message) => ({ message }))} /> : null}
      <Field
        id={fieldId('assignee', 'case')}
        label="Assignee"
        errors={errors.assignee}
        help="A name or an email address; empty: nobody."
      >
        {(p) => (
          <input
            {...p}
            value={form.assignee}
            autocomplete="off"
            onInput={(e) => setForm((f) => ({ ...f, assignee: e.currentTarget.value }))}
          />
        )}
      </Field>
      <Field
        id={fieldId('dueAt', 'case')}
        label="Due"
        errors={errors.dueAt}
        help={`In ${tz}; empty: no due time.`}
      >
        {(p) => (
          <input
            {...p}
            type="datetime-local"
            value={form.due}
            onInput={(e) => setForm((f) => ({ ...f, due: e.currentTarget.value }))}
          />
        )}
      </Field>
      <Field
        id={fieldId('tags', 'case')}
        label="Tags"
        errors={errors.tags}
        help="Comma-separated, e.g. billing, refund."
      >
        {(p) => (
          <input
            {...p}
            value={form.tags}
            autocomplete="off"
            onInput={(e) => setForm((f) => ({ ...f, tags: e.currentTarget.value }))}
          />
        )}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <span class="status-ok" role="status">
          {status}
        </span>
      </div>
    </form>
  )
}

function NoteForm({ caseId, onAdded }: { caseId: string; onAdded(c: CaseWithLog): void }) {
  const [text, setText] = useState('')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [other, setOther] = useState<string[]>([])
  const [status, setStatus] = useState('')
  const [busy, setBusy] = useState(false)
  return (
    <form
      class="panel note-form"
      noValidate
      aria-labelledby="note-title"
      onSubmit={async (e) => {
        e.preventDefault()
        setStatus('')
        setBusy(true)
        try {
          const saved = await readCase(
            api.POST('/v1/cases/{caseId}/notes', { params: { path: { caseId } }, body: { text } }),
          )
          setText('')
          setErrors({})
          setOther([])
          onAdded(saved)
          setStatus('Note added to the log.')
        } catch (failure) {
          const { byField, unplaced } = placeIssues(failureOf(failure), ['text'])
          setErrors(byField)
          setOther(unplaced)
        } finally {
          setBusy(false)
        }
      }}
    >
      <h3 id="note-title">Add a note</h3>
      {other.length ? (
        <ErrorSummary title="The note was not added" items={other.map((message) => ({ message }))} />
      ) : null}
      <Field
        id={fieldId('text', 'note')}
        label="Note"
        errors={errors.text}
        help="What you did or learnt; notes cannot be changed later."
      >
        {(p) => <textarea {...p} rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />}
      </Field>
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy} aria-busy={busy ? 'true' : undefined}>
          {busy ? 'Adding…' : 'Add note'}
        </button>
        <span class="status-ok" role="status">
          {status}
        </span>
      </div>
    </form>
  )
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null)
const list = (value: unknown) => (Array.isArray(value) && value.length ? value.join(', ') : 'none')

/** A log entry in words: "changed the status from Open to Contacted". */
export function describeEntry(e: CaseLogEntry, tz: string): string {
  switch (e.kind) {
    case 'opened':
      return 'opened the case'
    case 'note':
      return 'added a note'
    case 'status': {
      const from = STATUS_WORDS[e.from as CaseStatus] ?? String(e.from)
      const to = STATUS_WORDS[e.to as CaseStatus] ?? String(e.to)
      return `changed the status from ${from} to ${to}`
    }
    case 'assignee': {
      const from = text(e.from)
      const to = text(e.to)
      if (!to) return `unassigned ${from ?? 'the case'}`
      return from ? `reassigned the case from ${from} to ${to}` : `assigned the case to ${to}`
    }
    case 'due': {
      const to = text(e.to)
      const from = text(e.from)
      if (!to) return 'removed the due time'
      const when = formatDate(to, tz, true)
      return from
        ? `moved the due time to ${when} (was ${formatDate(from, tz, true)})`
        : `set the due time to ${when}`
    }
    case 'tags':
      return `changed the tags from ${list(e.from)} to ${list(e.to)}`
  }
}

function Log({ log, tz }: { log: CaseLogEntry[]; tz: string }) {
  return (
    <section class="panel" aria-labelledby="log-title">
      <h3 id="log-title">Log</h3>
      <p class="muted hint">Every change, oldest first; nothing in it is ever changed or removed.</p>
      <ol class="case-log">
        {log.map((e, i) => (
          <li key={i} class={`log-${e.kind}`}>
            <time dateTime={e.at}>{formatDate(e.at, tz, true)}</time>
            <span class="log-what">
              <strong class="actor">{e.actor}</strong> {describeEntry(e, tz)}
            </span>
            {e.kind === 'note' && e.note ? <blockquote class="note">{e.note}</blockquote> : null}
          </li>
        ))}
      </ol>
    </section>
  )
}
