/**
 * Streaming a survey's answers out as CSV or NDJSON, a page at a time in (createdAt, id) order (or its
 * reverse, newest first). The stream is pulled: the next page is read only when the client has taken
 * the last one (the Node adapter waits for the socket to drain before it reads on), so a slow reader
 * holds the export back instead of the collector buffering it, and memory holds one page whatever the
 * survey's size. CSV's columns are the survey's metadata key registry (bounded, see
 * Backend.admitMetadataKeys), never a scan of every answer's metadata.
 *
 * Every export says which retention policy its data was under in a `NPSKit-Retention` header
 * ({@link retentionHeader}), so the CSV itself stays importable as it is.
 *
 * @example
 * const { body, headers } = await exportResponses(backend, survey.id, filter, 'csv')
 * return c.body(body, 200, headers)
 */
import type { RetentionSettings } from '@npskit/shared'
import { stringify } from 'csv-stringify/sync'
import type { Cursor, ResponseFilter, ResponseOrder, Responses } from '../backend/backend.ts'
import { csvHeader, csvRecord, responseJson } from './format.ts'

export type ExportFormat = 'csv' | 'ndjson'

/** Rows read from the store per pull: with every field at its cap, a page of text stays a few MiB. */
export const EXPORT_BATCH = 500

/** The header every export carries: the retention policy its data was under. */
export const RETENTION_HEADER = 'NPSKit-Retention'

/**
 * `forever`, or `days=365; action=anonymise; keep-metadata=plan,seats`: answers older than `days`
 * were deleted or anonymised when the export was made (as of the survey's last retention run).
 */
export function retentionHeader(policy: RetentionSettings | undefined): string {
  if (!policy) return 'forever'
  const keep =
    policy.action === 'anonymise' && policy.keepMetadata?.length
      ? `; keep-metadata=${policy.keepMetadata.join(',')}`
      : ''
  return `days=${policy.days}; action=${policy.action}${keep}`
}

export async function exportResponses(
  backend: Pick<Responses, 'listResponses' | 'metadataKeys'>,
  surveyId: string,
  filter: ResponseFilter,
  format: ExportFormat,
  order: ResponseOrder = 'oldest',
  retention?: RetentionSettings,
): Promise<{ body: ReadableStream<Uint8Array>; headers: Record<string, string> }> {
  // Read before the answer starts, so a failure here is still an error answer, not a cut stream.
  const keys = format === 'csv' ? await backend.metadataKeys(surveyId) : []
  const encoder = new TextEncoder()
  let cursor: Cursor | undefined
  let started = false
  let done = false
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // One page per pull, and at least one chunk per pull, so each read asks for exactly one page.
        while (!done) {
          const page = await backend.listResponses(surveyId, filter, EXPORT_BATCH, cursor, order)
          if (done) return // cancelled meanwhile
          if (page.next) cursor = page.next
          else done = true
          let text: string
          if (format === 'csv') {
            const records = page.items.map((r) => csvRecord(r, keys))
            if (!started) records.unshift(csvHeader(keys))
            text = records.length ? stringify(records) : ''
          } else {
            text = page.items.map((r) => `${JSON.stringify(responseJson(r))}\n`).join('')
          }
          started = true
          if (text) {
            controller.enqueue(encoder.encode(text))
            break
          }
        }
        if (done) controller.close()
      },
      cancel() {
        done = true
      },
    },
    // One page waiting at most: nothing is read ahead of the client.
    { highWaterMark: 0 },
  )
  return {
    body,
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="${surveyId}-responses.${format}"`,
      [RETENTION_HEADER]: retentionHeader(retention),
    },
  }
}
