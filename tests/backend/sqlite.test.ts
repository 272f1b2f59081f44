import { describeAnalyticsContract } from './analytics-contract.ts'
import { describeChangeFeedContract } from './changes-contract.ts'
import { describeBackendContract } from './contract.ts'
import { sqliteEngine } from './engines.ts'

describeBackendContract(sqliteEngine())
describeAnalyticsContract(sqliteEngine())
describeChangeFeedContract(sqliteEngine())
