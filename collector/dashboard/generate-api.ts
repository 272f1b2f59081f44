/**
 * Writes src/api/schema.d.ts, the dashboard's types of every route, from the collector's own
 * `/openapi.json` (generated from the routes' schemas). A test regenerates it and fails when the
 * committed file is stale, so the dashboard cannot call a path, parameter or field the API does not have.
 * Run: pnpm --filter @npskit/collector generate:api
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { fixture } from '../src/testing.ts'

export const schemaFile = fileURLToPath(new URL('./src/api/schema.d.ts', import.meta.url))

const HEADER = '// Generated from /openapi.json by dashboard/generate-api.ts: do not edit by hand.\n'

/** The types file as the collector's current routes would make it. */
export async function generatedSchema(): Promise<string> {
  const f = await fixture()
  try {
    const doc = await (await f.app.request('/openapi.json')).json()
    // The server URL is the fixture's; the types do not depend on it.
    return HEADER + astToString(await openapiTS(doc, { alphabetize: true }))
  } finally {
    await f.close()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(schemaFile, await generatedSchema())
  console.log(`wrote ${schemaFile}`)
}
