import { describeAccountsContract } from './accounts-contract.ts'
import { describeAnalyticsContract } from './analytics-contract.ts'
import { describeBreakdownRollupContract } from './breakdown-rollup-contract.ts'
import { describeChangeFeedContract } from './changes-contract.ts'
import { describeBackendContract } from './contract.ts'
import { sqliteEngine } from './engines.ts'
import { describeFollowUpContract } from './follow-up-contract.ts'
import { describeLifecycleContract } from './lifecycle-contract.ts'

describeBackendContract(sqliteEngine())
describeAnalyticsContract(sqliteEngine())
describeAccountsContract(sqliteEngine())
describeChangeFeedContract(sqliteEngine())
describeFollowUpContract(sqliteEngine())
describeBreakdownRollupContract(sqliteEngine())
describeLifecycleContract(sqliteEngine())
