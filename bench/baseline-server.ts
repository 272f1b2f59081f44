/**
 * The ingest baseline: a bare Hono app on the same Node server stack as the collector
 * (@hono/node-server) that reads and parses the same body and answers 201, without validating or
 * storing anything. Ingest throughput is reported as a ratio to this server, measured in the same run.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const app = new Hono()

app.post('/v1/surveys/:surveyId/responses', async (c) => {
  const body = JSON.parse(await c.req.text()) as { id?: unknown }
  return c.json({ id: body.id, category: 'promoter' }, 201)
})

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.NPSKIT_PORT ?? 0) }, (info) => {
  console.log(`bare hono baseline listening on http://127.0.0.1:${info.port}`)
})
