import { describe } from 'vitest'
import { requirePostgres } from '../harness/postgres.ts'
import { describeAccountsContract } from './accounts-contract.ts'
import { describeAnalyticsContract } from './analytics-contract.ts'
import { describeBreakdownRollupContract } from './breakdown-rollup-contract.ts'
import { describeChangeFeedContract } from './changes-contract.ts'
import { describeBackendContract } from './contract.ts'
import { postgresEngine } from './engines.ts'
import { describeFollowUpContract } from './follow-up-contract.ts'
import { describeLifecycleContract } from './lifecycle-contract.ts'

const postgresFound = await requirePostgres()

describe.skipIf(!postgresFound)('PostgreSQL', () => {
  describeBackendContract(postgresEngine())
  describeAnalyticsContract(postgresEngine())
  describeBreakdownRollupContract(postgresEngine())
  describeAccountsContract(postgresEngine())
  describeChangeFeedContract(postgresEngine())
  describeFollowUpContract(postgresEngine())
  describeLifecycleContract(postgresEngine())
})
