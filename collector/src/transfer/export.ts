/**
 * Streaming a survey's answers out as CSV or NDJSON, a page at a time in (createdAt, id) order (or its
 * reverse, newest first). The stream is pulled: the next page is read only when the client has taken
 * the last one (the Node adapter waits for the socket to drain before it reads on), so a slow reader
 * holds the export back instead of the collector buffering it, and memory holds one page whatever the
 * survey's size. CSV's columns are the survey's metadata key registry (bounded, see
 * Backend.admitMetadataKeys), never a scan of every answer's metadata.
 *
 * @example
 * const { body, headers } = await exportResponses(backend, survey.id, filter, 'csv')
 * return c.body(body, 200, headers)
 */
import { stringify } from 'csv-stringify/sync'
import type { Cursor, ResponseFilter, ResponseOrder, Responses } from '../backend/backend.ts'
import { csvHeader, csvRecord, responseJson } from './format.ts'

export type ExportFormat = 'csv' | 'ndjson'

/** Rows read from the store per pull: with every field at its cap, a page of text stays a few MiB. */
export const EXPORT_BATCH = 500

export async function exportResponses(
  backend: Pick<Responses, 'listResponses' | 'metadataKeys'>,
  surveyId: string,
  filter: ResponseFilter,
  format: ExportFormat,
  order: ResponseOrder = 'oldest',
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
    },
  }
}
