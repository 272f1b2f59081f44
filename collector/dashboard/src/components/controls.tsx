/**
 * The global controls: period (presets or a custom range), time zone, and the answer filters. All of
 * them live in the URL, so every view and every bookmark sees the same selection.
 */
import { useState } from 'preact/hooks'
import {
  addDays,
  browserTimeZone,
  dayIn,
  describeFilters,
  filters,
  PERIODS,
  type PeriodId,
  setFilter,
  setPeriod,
} from '../filters.ts'
import { isFilterParam, query, setQuery } from '../router.ts'

const zones = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone')
  } catch {
    return ['UTC']
  }
})()

/**
 * `periodOnly`: a view whose figures the answer filters do not narrow (the cases) shows period and zone
 * only. `lifetimeDays`: the survey's, for the "current" toggle (absent on the survey list: no toggle).
 */
export function Controls({
  periodOnly = false,
  lifetimeDays,
}: {
  periodOnly?: boolean
  lifetimeDays?: number
}) {
  const f = filters.value
  const [open, setOpen] = useState(false)
  const active = describeFilters(f)
  return (
    <section class="controls" aria-label={periodOnly ? 'Period' : 'Period and filters'}>
      <div class="control">
        <label for="period">Period</label>
        <select
          id="period"
          value={f.period}
          onChange={(e) => {
            const period = e.currentTarget.value as PeriodId
            if (period !== 'custom') return setPeriod(period)
            const to = f.toDay ?? dayIn(f.tz)
            setPeriod('custom', { from: f.fromDay ?? addDays(to, -29), to })
          }}
        >
          {PERIODS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {f.period === 'custom' ? (
        <>
          <div class="control">
            <label for="from">From</label>
            <input
              id="from"
              type="date"
              value={f.fromDay ?? ''}
              max={f.toDay ?? undefined}
              onChange={(e) => setQuery({ from: e.currentTarget.value || null })}
            />
          </div>
          <div class="control">
            <label for="to">To (inclusive)</label>
            <input
              id="to"
              type="date"
              value={f.toDay ?? ''}
              min={f.fromDay ?? undefined}
              onChange={(e) => setQuery({ to: e.currentTarget.value || null })}
            />
          </div>
        </>
      ) : null}
      <div class="control">
        <label for="tz">Time zone</label>
        <select
          id="tz"
          value={f.tz}
          onChange={(e) =>
            setFilter('tz', e.currentTarget.value === browserTimeZone() ? null : e.currentTarget.value)
          }
        >
          {(zones.includes(f.tz) ? zones : [f.tz, ...zones]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      {lifetimeDays && !periodOnly ? (
        <div class="control checkbox">
          <input
            id="f-current"
            type="checkbox"
            checked={f.current}
            onChange={(e) => setFilter('current', e.currentTarget.checked ? 'true' : null)}
          />
          <label for="f-current">Current answers only (last {lifetimeDays} days)</label>
        </div>
      ) : null}
      {periodOnly ? null : (
        <button
          type="button"
          class="button ghost"
          aria-expanded={open}
          aria-controls="filters"
          onClick={() => setOpen(!open)}
        >
          Filters{active.length ? ` (${active.length})` : ''}
        </button>
      )}
      {!periodOnly && active.length ? (
        <p class="active-filters">
          {active.join(' · ')}{' '}
          <button
            type="button"
            class="link-button"
            onClick={() =>
              setQuery(
                Object.fromEntries([...query.value.keys()].filter(isFilterParam).map((k) => [k, null])),
              )
            }
          >
            Clear filters
          </button>
        </p>
      ) : null}
      {open && !periodOnly ? <FilterForm /> : null}
    </section>
  )
}

function FilterForm() {
  const f = filters.value
  const [segmentKey, setSegmentKey] = useState('')
  const [segmentValue, setSegmentValue] = useState('')
  return (
    <div id="filters" class="filter-form">
      <div class="control">
        <label for="f-locale">Locale</label>
        <input
          id="f-locale"
          value={f.locale ?? ''}
          placeholder="any, or e.g. de"
          onChange={(e) => setFilter('locale', e.currentTarget.value.trim() || null)}
        />
      </div>
      <div class="control">
        <label for="f-path">Page path</label>
        <input
          id="f-path"
          value={f.path ?? ''}
          placeholder="any, or e.g. /checkout"
          onChange={(e) => setFilter('path', e.currentTarget.value.trim() || null)}
        />
      </div>
      <div class="control">
        <label for="f-device">Device</label>
        <select
          id="f-device"
          value={f.device ?? ''}
          onChange={(e) => setFilter('device', e.currentTarget.value || null)}
        >
          <option value="">any</option>
          <option value="desktop">desktop</option>
          <option value="mobile">mobile</option>
          <option value="tablet">tablet</option>
        </select>
      </div>
      <div class="control checkbox">
        <input
          id="f-latest"
          type="checkbox"
          checked={f.latestPerRespondent}
          onChange={(e) => setFilter('latest', e.currentTarget.checked ? 'true' : null)}
        />
        <label for="f-latest">Only each respondent’s latest answer</label>
      </div>
      <form
        class="segment-form"
        onSubmit={(e) => {
          e.preventDefault()
          const key = segmentKey.trim().replace(/^metadata\./, '')
          if (!key || !segmentValue) return
          setFilter(`segment.${key}`, segmentValue)
          setSegmentKey('')
          setSegmentValue('')
        }}
      >
        <div class="control">
          <label for="f-seg-key">Metadata key</label>
          <input
            id="f-seg-key"
            value={segmentKey}
            placeholder="e.g. plan"
            onInput={(e) => setSegmentKey(e.currentTarget.value)}
          />
        </div>
        <div class="control">
          <label for="f-seg-value">equals</label>
          <input
            id="f-seg-value"
            value={segmentValue}
            placeholder="e.g. pro"
            onInput={(e) => setSegmentValue(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button">
          Add segment filter
        </button>
      </form>
      {f.segments.length ? (
        <ul class="segment-list">
          {f.segments.map(([key, value]) => (
            <li key={key}>
              {key} = {value}{' '}
              <button
                type="button"
                class="link-button"
                onClick={() => setFilter(`segment.${key}`, null)}
                aria-label={`Remove the filter ${key} = ${value}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
