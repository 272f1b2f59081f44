/**
 * A survey's webhook endpoints: where the collector POSTs its events, each signed with the endpoint's
 * secret. An admin makes one (URL, Standard Webhooks JSON or a Slack message, which events, which
 * answers) and sees its secret once, sends a test ping, disables, re-enables or deletes it. Every
 * endpoint has its delivery log (status, event, attempts, the receiver's last answer and how long it
 * took) and each delivery its attempts and the exact payload, with Redeliver. A read key sees the
 * endpoints and logs with no control that changes them.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import {
  ApiFailure,
  api,
  type WebhookEndpointCreated as Created,
  type WebhookDelivery as Delivery,
  type WebhookDeliveryDetail as DeliveryDetail,
  type WebhookEndpoint as Endpoint,
  read,
  type Survey,
} from '../api/client.ts'
import { ConfirmStep } from '../components/confirm.tsx'
import { CopyButton } from '../components/copy-button.tsx'
import { ErrorSummary, Field, type FieldErrors, fieldId, placeIssues } from '../components/field.tsx'
import { Empty, Failure, Loading } from '../components/states.tsx'
import { filters } from '../filters.ts'
import { formatCount, formatDate, formatMs } from '../format.ts'
import { isAdmin } from '../session.ts'
import { useApi } from '../use-api.ts'
import { CATEGORY_WORDS, type Category } from './case-words.ts'
import './webhooks.css'

type EventType = Endpoint['events'][number]
type Format = Endpoint['format']

const EVENTS: { id: EventType; label: string }[] = [
  { id: 'response.created', label: 'A new answer' },
  { id: 'response.updated', label: 'An answer changed (a comment added later)' },
  { id: 'case.opened', label: 'A case opened' },
  { id: 'case.updated', label: 'A case changed (status, assignee, due time, tags, a note)' },
  { id: 'alert.nps_dropped', label: 'The NPS dropped (the survey’s alert)' },
]
const FORMATS: Record<Format, { label: string; help: string }> = {
  standard: {
    label: 'Standard Webhooks JSON',
    help: 'for your own receiver, signed per standardwebhooks.com',
  },
  slack: { label: 'Slack message', help: 'for a Slack incoming-webhook URL' },
}
const CATEGORIES = ['detractor', 'passive', 'promoter'] as const satisfies readonly Category[]
const DELIVERY_WORDS: Record<Delivery['status'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
}
const PAGE_SIZE = 20
/** How soon a log with deliveries still on their way asks again. */
const PENDING_REFRESH_MS = 3000

const failureOf = (error: unknown) =>
  error instanceof ApiFailure ? error : new ApiFailure(0, 'client', String(error))

export function WebhooksView({ survey }: { survey: Survey }) {
  const endpoints = useApi(
    () => read(api.GET('/v1/webhooks', { params: { query: { surveyId: survey.id } } })),
    [survey.id],
  )
  const [made, setMade] = useState<Created | null>(null)
  const [notice, setNotice] = useState('')
  return (
    <>
      <p class="muted hooks-intro">
        The collector sends each event of this survey to these URLs as an HTTP POST, signed with the
        endpoint’s secret, and retries for a day when the receiver does not answer 2xx.
      </p>
      {made ? <NewSecret made={made} onDone={() => setMade(null)} /> : null}
      {isAdmin.value ? (
        <CreateEndpoint
          surveyId={survey.id}
          onCreated={(created) => {
            setMade(created)
            setNotice('')
            endpoints.reload()
          }}
        />
      ) : null}
      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Endpoints</h2>
        <p class="status-ok" role="status">
          {notice}
        </p>
        {endpoints.error ? (
          <Failure error={endpoints.error} what="the endpoints" retry={endpoints.reload} />
        ) : !endpoints.data ? (
          <Loading label="Loading endpoints…" />
        ) : endpoints.data.items.length === 0 ? (
          <Empty title="No endpoints yet">
            <p>
              {isAdmin.value
                ? 'Add one above: a URL of your own service, or a Slack incoming-webhook URL.'
                : 'An admin key adds them.'}
            </p>
          </Empty>
        ) : (
          <ul class="endpoints">
            {endpoints.data.items.map((e) => (
              <EndpointItem
                key={e.id}
                endpoint={e}
                onChanged={(message) => {
                  setNotice(message)
                  endpoints.reload()
                }}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

/** The secret of the endpoint just made, once: the API never shows it again. */
function NewSecret({ made, onDone }: { made: Created; onDone(): void }) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [made.id])
  return (
    <section class="panel new-secret" aria-labelledby="secret-title">
      <h2 id="secret-title" tabIndex={-1} ref={heading}>
        Endpoint created
      </h2>
      <p>
        <strong>Copy the signing secret now: you will not see it again.</strong> Your receiver checks each
        request’s <code>webhook-signature</code> with it. If it is lost, delete the endpoint and add it again.
      </p>
      <div class="snippet">
        <pre>
          <code class="secret">{made.secret}</code>
        </pre>
        <CopyButton text={made.secret} label="Copy secret" />
      </div>
      <button type="button" class="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  )
}

const FILTER_FIELDS = [
  'url',
  'description',
  'format',
  'events',
  'filter.categories',
  'filter.minScore',
  'filter.maxScore',
  'filter',
] as const
const FIELD_LABELS: Record<(typeof FILTER_FIELDS)[number], string> = {
  url: 'URL',
  description: 'Description',
  format: 'Format',
  events: 'Events',
  'filter.categories': 'Categories',
  'filter.minScore': 'Lowest score',
  'filter.maxScore': 'Highest score',
  filter: 'Answers',
}

function CreateEndpoint({ surveyId, onCreated }: { surveyId: string; onCreated(c: Created): void }) {
  const empty = () => ({
    url: '',
    description: '',
    format: 'standard' as Format,
    events: ['response.created', 'case.opened', 'case.updated'] as EventType[],
    categories: [] as Category[],
    minScore: '',
    maxScore: '',
  })
  const [form, setForm] = useState(empty)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [other, setOther] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const set = (change: Partial<ReturnType<typeof empty>>) => setForm((f) => ({ ...f, ...change }))
  const toggle = <T,>(items: T[], item: T, on: boolean) =>
    on ? [...items.filter((i) => i !== item), item] : items.filter((i) => i !== item)

  const submit = async (e: Event) => {
    e.preventDefault()
    const filter: { categories?: Category[]; minScore?: number; maxScore?: number } = {}
    if (form.categories.length) filter.categories = CATEGORIES.filter((c) => form.categories.includes(c))
    if (form.minScore !== '') filter.minScore = Number(form.minScore)
    if (form.maxScore !== '') filter.maxScore = Number(form.maxScore)
    setBusy(true)
    try {
      const created = await read(
        api.POST('/v1/webhooks', {
          body: {
            url: form.url.trim(),
            surveyId,
            format: form.format,
            events: EVENTS.map((ev) => ev.id).filter((id) => form.events.includes(id)),
            filter,
            description: form.description.trim() || null,
          },
        }),
      )
      setForm(empty())
      setErrors({})
      setOther([])
      onCreated(created)
    } catch (failure) {
      const { byField, unplaced } = placeIssues(failureOf(failure), FILTER_FIELDS)
      setErrors(byField)
      setOther(unplaced)
    } finally {
      setBusy(false)
    }
  }

  const summary = [
    ...FILTER_FIELDS.flatMap((path) =>
      (errors[path] ?? []).map((message) => ({
        target: fieldId(path, 'hook'),
        label: FIELD_LABELS[path],
        message,
      })),
    ),
    ...other.map((message) => ({ message })),
  ]
  const group = (path: 'format' | 'events' | 'filter.categories') =>
    errors[path]
      ? { 'aria-invalid': true as const, 'aria-describedby': `${fieldId(path, 'hook')}-error` }
      : {}
  const groupError = (path: 'format' | 'events' | 'filter.categories') =>
    errors[path] ? (
      <p id={`${fieldId(path, 'hook')}-error`} class="field-error">
        {errors[path]!.join(' ')}
      </p>
    ) : null

  return (
    <form class="panel create-hook" noValidate onSubmit={submit} aria-labelledby="create-hook-title">
      <h2 id="create-hook-title">New endpoint</h2>
      {summary.length ? <ErrorSummary title="The endpoint was not created" items={summary} /> : null}
      <div class="hook-fields">
        <Field
          id={fieldId('url', 'hook')}
          label="URL"
          errors={errors.url}
          help="https://…; the collector refuses addresses on private networks."
          class="wide"
        >
          {(p) => (
            <input
              {...p}
              type="url"
              value={form.url}
              required
              aria-required="true"
              spellcheck={false}
              autocomplete="off"
              placeholder="https://hooks.example.com/npskit"
              onInput={(e) => set({ url: e.currentTarget.value })}
            />
          )}
        </Field>
        <Field
          id={fieldId('description', 'hook')}
          label="Description"
          errors={errors.description}
          help="Optional: what listens there."
          class="wide"
        >
          {(p) => (
            <input
              {...p}
              value={form.description}
              autocomplete="off"
              onInput={(e) => set({ description: e.currentTarget.value })}
            />
          )}
        </Field>
        <fieldset class="choices" id={fieldId('format', 'hook')} tabIndex={-1} {...group('format')}>
          <legend>Format</legend>
          {(Object.keys(FORMATS) as Format[]).map((f) => (
            <label key={f}>
              <input
                type="radio"
                name="hook-format"
                value={f}
                checked={form.format === f}
                onChange={() => set({ format: f })}
              />
              <span>
                <strong>{FORMATS[f].label}</strong>: {FORMATS[f].help}
              </span>
            </label>
          ))}
          {groupError('format')}
        </fieldset>
        <fieldset class="choices" id={fieldId('events', 'hook')} tabIndex={-1} {...group('events')}>
          <legend>Events</legend>
          {EVENTS.map((ev) => (
            <label key={ev.id}>
              <input
                type="checkbox"
                checked={form.events.includes(ev.id)}
                onChange={(e) => set({ events: toggle(form.events, ev.id, e.currentTarget.checked) })}
              />
              <span>
                {ev.label} <code>{ev.id}</code>
              </span>
            </label>
          ))}
          {groupError('events')}
        </fieldset>
        <fieldset class="choices answers-filter">
          <legend>Which answers</legend>
          <p class="help">Answer and case events only; none ticked and no scores: every answer.</p>
          <fieldset
            class="inline-choices"
            id={fieldId('filter.categories', 'hook')}
            tabIndex={-1}
            {...group('filter.categories')}
          >
            <legend>Categories</legend>
            {CATEGORIES.map((c) => (
              <label key={c}>
                <input
                  type="checkbox"
                  checked={form.categories.includes(c)}
                  onChange={(e) => set({ categories: toggle(form.categories, c, e.currentTarget.checked) })}
                />
                {CATEGORY_WORDS[c]}s
              </label>
            ))}
          </fieldset>
          {groupError('filter.categories')}
          <div class="score-range">
            <Field
              id={fieldId('filter.minScore', 'hook')}
              label="Lowest score"
              errors={errors['filter.minScore']}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={10}
                  value={form.minScore}
                  onInput={(e) => set({ minScore: e.currentTarget.value })}
                />
              )}
            </Field>
            <Field
              id={fieldId('filter.maxScore', 'hook')}
              label="Highest score"
              errors={errors['filter.maxScore']}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={10}
                  value={form.maxScore}
                  onInput={(e) => set({ maxScore: e.currentTarget.value })}
                />
              )}
            </Field>
          </div>
        </fieldset>
      </div>
      <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
        {busy ? 'Creating…' : 'Create endpoint'}
      </button>
    </form>
  )
}

/** An endpoint's filter in words: "Detractors, scores 0–4". */
function filterWords(filter: Endpoint['filter']): string {
  const words: string[] = []
  if (filter.categories?.length) words.push(filter.categories.map((c) => `${CATEGORY_WORDS[c]}s`).join(', '))
  if (filter.minScore !== undefined || filter.maxScore !== undefined) {
    words.push(`scores ${filter.minScore ?? 0}–${filter.maxScore ?? 10}`)
  }
  for (const [key, value] of filter.segments ?? []) words.push(`${key} = ${value}`)
  return words.length ? words.join('; ') : 'every answer'
}

function EndpointItem({ endpoint: e, onChanged }: { endpoint: Endpoint; onChanged(message: string): void }) {
  const tz = filters.value.tz
  const [open, setOpen] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState<'ping' | 'toggle' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState('')
  // A ping or redelivery adds to the log: it reloads when this changes.
  const [logRound, setLogRound] = useState(0)
  const label = e.description || e.url
  const headingId = `hook-${e.id}`

  const ping = async () => {
    setBusy('ping')
    setError(null)
    setSaid('')
    try {
      await read(api.POST('/v1/webhooks/{endpointId}/test', { params: { path: { endpointId: e.id } } }))
      setSaid('Test ping queued: it shows in the delivery log below.')
      setOpen(true)
      setLogRound((r) => r + 1)
    } catch (failure) {
      setError(`No ping sent: ${failureOf(failure).message}`)
    } finally {
      setBusy(null)
    }
  }
  const toggle = async () => {
    setBusy('toggle')
    setError(null)
    try {
      await read(
        api.PATCH('/v1/webhooks/{endpointId}', {
          params: { path: { endpointId: e.id } },
          body: { enabled: !e.enabled },
        }),
      )
      onChanged(e.enabled ? `Disabled “${label}”: nothing is sent to it.` : `Enabled “${label}” again.`)
    } catch (failure) {
      setError(`Not changed: ${failureOf(failure).message}`)
    } finally {
      setBusy(null)
    }
  }

  return (
    <li class={`panel endpoint${e.enabled ? '' : ' disabled'}`} aria-labelledby={headingId}>
      <div class="endpoint-head">
        <h3 id={headingId}>
          <code class="url">{e.url}</code>
        </h3>
        <span class={`badge ${e.enabled ? 'enabled' : 'disabled-badge'}`}>
          {e.enabled ? 'Enabled' : 'Disabled'}
        </span>
        <span class="badge">{FORMATS[e.format].label}</span>
        {e.surveyId === null ? <span class="badge">every survey</span> : null}
      </div>
      {e.description ? <p class="description">{e.description}</p> : null}
      <dl class="details">
        <div class="detail">
          <dt>Events</dt>
          <dd>{e.events.join(', ')}</dd>
        </div>
        <div class="detail">
          <dt>Answers</dt>
          <dd>{filterWords(e.filter)}</dd>
        </div>
        <div class="detail">
          <dt>Created</dt>
          <dd>{formatDate(e.createdAt, tz, true)}</dd>
        </div>
        {e.failingSince ? (
          <div class="detail failing">
            <dt>Failing since</dt>
            <dd>{formatDate(e.failingSince, tz, true)}</dd>
          </div>
        ) : null}
        {!e.enabled && e.disabledReason ? (
          <div class="detail">
            <dt>Why disabled</dt>
            <dd>{e.disabledReason}</dd>
          </div>
        ) : null}
      </dl>
      <div class="form-actions endpoint-actions">
        <button
          type="button"
          class="button"
          aria-expanded={open ? 'true' : 'false'}
          aria-controls={`log-${e.id}`}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? 'Hide deliveries' : 'Show deliveries'}
        </button>
        {isAdmin.value ? (
          <>
            <button type="button" class="button" disabled={busy !== null || !e.enabled} onClick={ping}>
              {busy === 'ping' ? 'Sending…' : 'Send test ping'}
            </button>
            <button type="button" class="button" disabled={busy !== null} onClick={toggle}>
              {busy === 'toggle' ? 'Saving…' : e.enabled ? 'Disable' : 'Enable'}
            </button>
            {confirming ? null : (
              <button type="button" class="button danger" onClick={() => setConfirming(true)}>
                Delete…
              </button>
            )}
          </>
        ) : null}
      </div>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="status-ok" role="status">
        {said}
      </p>
      {confirming ? (
        <ConfirmStep
          action="Delete endpoint"
          busyLabel="Deleting…"
          failure="Not deleted:"
          onCancel={() => setConfirming(false)}
          run={async () => {
            await read(api.DELETE('/v1/webhooks/{endpointId}', { params: { path: { endpointId: e.id } } }))
            onChanged(`Deleted “${label}” and its delivery log.`)
          }}
        >
          <p>
            Delete <strong>{e.url}</strong>? Nothing more is sent to it, and its delivery log goes with it.
            {e.surveyId === null ? ' It serves every survey, not only this one.' : ''}
          </p>
        </ConfirmStep>
      ) : null}
      {open ? <DeliveryLog endpointId={e.id} round={logRound} /> : null}
    </li>
  )
}

function DeliveryLog({ endpointId, round }: { endpointId: string; round: number }) {
  const [tick, setTick] = useState(0)
  const first = useApi(
    () =>
      read(
        api.GET('/v1/webhooks/{endpointId}/deliveries', {
          params: { path: { endpointId }, query: { limit: String(PAGE_SIZE) } },
        }),
      ),
    [endpointId, round, tick],
  )
  const [more, setMore] = useState<{ items: Delivery[]; next: string | null } | null>(null)
  const [opened, setOpened] = useState<string | null>(null)
  const tz = filters.value.tz
  const items = first.data ? [...first.data.items, ...(more?.items ?? [])] : []
  const next = more ? more.next : (first.data?.nextCursor ?? null)
  const pending = items.some((d) => d.status === 'pending')
  // Deliveries on their way settle within seconds: the log follows them without a click.
  useEffect(() => {
    if (!pending || first.loading) return
    const timer = setTimeout(() => setTick((t) => t + 1), PENDING_REFRESH_MS)
    return () => clearTimeout(timer)
  }, [pending, first.loading, first.data])
  useEffect(() => setMore(null), [round, tick])

  const loadMore = async () => {
    if (!next) return
    const got = await read(
      api.GET('/v1/webhooks/{endpointId}/deliveries', {
        params: { path: { endpointId }, query: { limit: String(PAGE_SIZE), cursor: next } },
      }),
    )
    setMore({ items: [...(more?.items ?? []), ...got.items], next: got.nextCursor })
  }

  return (
    <section class="delivery-log" id={`log-${endpointId}`} aria-label="Delivery log">
      <div class="section-head center">
        <h4>Deliveries</h4>
        <button type="button" class="button" onClick={() => setTick((t) => t + 1)}>
          Refresh
        </button>
      </div>
      {first.error ? (
        <Failure error={first.error} what="the deliveries" retry={first.reload} />
      ) : !first.data ? (
        <Loading label="Loading deliveries…" />
      ) : items.length === 0 ? (
        <p class="muted">Nothing sent yet. A test ping shows here within seconds.</p>
      ) : (
        <div class="table-wrap">
          <table class="deliveries">
            <caption class="sr-only">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col" class="num">
                  Last answer
                </th>
                <th scope="col" class="num">
                  Latency
                </th>
                <th scope="col">
                  <span class="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <DeliveryRow
                  key={d.id}
                  endpointId={endpointId}
                  delivery={d}
                  tz={tz}
                  open={opened === d.id}
                  round={round + tick}
                  onToggle={() => setOpened((o) => (o === d.id ? null : d.id))}
                  onRedelivered={() => setTick((t) => t + 1)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next ? (
        <button type="button" class="button load-more" onClick={loadMore}>
          Load older deliveries
        </button>
      ) : null}
    </section>
  )
}

function DeliveryRow({
  endpointId,
  delivery: d,
  tz,
  open,
  round,
  onToggle,
  onRedelivered,
}: {
  endpointId: string
  delivery: Delivery
  tz: string
  open: boolean
  /** Changes when the log reloads: an open detail reloads with it. */
  round: number
  onToggle(): void
  onRedelivered(): void
}) {
  return (
    <>
      <tr class={`delivery delivery-${d.status}`}>
        <td data-label="Time">
          {/* Deliveries follow each other within seconds: the seconds tell them apart. */}
          <time dateTime={d.createdAt}>{formatDate(d.createdAt, tz, 'seconds')}</time>
        </td>
        <td data-label="Event">
          <code>{d.eventType}</code>
        </td>
        <td data-label="Status">
          <span class={`badge delivery-status ${d.status}`}>{DELIVERY_WORDS[d.status]}</span>
        </td>
        <td class="num" data-label="Attempts">
          {formatCount(d.attempts)}
        </td>
        <td class="num" data-label="Last answer">
          {d.lastStatusCode ?? (d.lastError ? <span title={d.lastError}>no answer</span> : '—')}
        </td>
        <td class="num" data-label="Latency">
          {formatMs(d.lastLatencyMs)}
        </td>
        <td class="action">
          <button
            type="button"
            class="link-button"
            aria-expanded={open ? 'true' : 'false'}
            aria-label={`${open ? 'Hide' : 'Show'} the details of delivery ${d.id}`}
            onClick={onToggle}
          >
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr class="delivery-detail-row">
          <td colSpan={7}>
            <DeliveryDetails
              endpointId={endpointId}
              deliveryId={d.id}
              tz={tz}
              round={round}
              onRedelivered={onRedelivered}
            />
          </td>
        </tr>
      ) : null}
    </>
  )
}

/** The payload as sent, indented when it is JSON. */
function pretty(payload: unknown): string {
  if (typeof payload !== 'string') return JSON.stringify(payload, null, 2)
  try {
    return JSON.stringify(JSON.parse(payload), null, 2)
  } catch {
    return payload
  }
}

function DeliveryDetails({
  endpointId,
  deliveryId,
  tz,
  round,
  onRedelivered,
}: {
  endpointId: string
  deliveryId: string
  tz: string
  round: number
  onRedelivered(): void
}) {
  const detail = useApi<DeliveryDetail>(
    () =>
      read(
        api.GET('/v1/webhooks/{endpointId}/deliveries/{deliveryId}', {
          params: { path: { endpointId, deliveryId } },
        }),
      ),
    [endpointId, deliveryId, round],
  )
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [said, setSaid] = useState('')
  if (detail.error) return <Failure error={detail.error} what="the delivery" retry={detail.reload} />
  if (!detail.data) return <Loading label="Loading the delivery…" />
  const d = detail.data
  return (
    <div class="delivery-detail">
      <p class="muted">
        <code>{d.id}</code> (the <code>webhook-id</code> header, the same on every attempt)
        {d.nextAttemptAt ? <> · next attempt {formatDate(d.nextAttemptAt, tz, 'seconds')}</> : null}
      </p>
      <h5>Attempts</h5>
      {d.history.length === 0 ? (
        <p class="muted">Not tried yet.</p>
      ) : (
        <ol class="attempts">
          {d.history.map((a, i) => (
            <li key={i}>
              <time dateTime={a.at}>{formatDate(a.at, tz, 'seconds')}</time>:{' '}
              {a.statusCode !== null ? <strong>HTTP {a.statusCode}</strong> : <strong>no answer</strong>}
              {a.error ? <> — {a.error}</> : null} <span class="muted">({formatMs(a.latencyMs)})</span>
            </li>
          ))}
        </ol>
      )}
      <h5>Payload</h5>
      <pre class="payload">
        <code>{pretty(d.payload)}</code>
      </pre>
      {isAdmin.value ? (
        <div class="form-actions">
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={async () => {
              setBusy(true)
              setError(null)
              setSaid('')
              try {
                await read(
                  api.POST('/v1/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver', {
                    params: { path: { endpointId, deliveryId } },
                  }),
                )
                setSaid('Queued to be sent again.')
                onRedelivered()
              } catch (failure) {
                setError(`Not redelivered: ${failureOf(failure).message}`)
              } finally {
                setBusy(false)
              }
            }}
          >
            {busy ? 'Queueing…' : 'Redeliver'}
          </button>
          <span class="status-ok" role="status">
            {said}
          </span>
        </div>
      ) : null}
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
