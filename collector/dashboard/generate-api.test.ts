// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generatedSchema, schemaFile } from './generate-api.ts'

describe('the dashboard’s API types', () => {
  it('are what /openapi.json makes of the routes today (run `pnpm --filter @npskit/collector generate:api` after changing a route)', async () => {
    const committed = readFileSync(schemaFile, 'utf8')
    expect(committed === (await generatedSchema()), 'dashboard/src/api/schema.d.ts is stale').toBe(true)
  })
})
