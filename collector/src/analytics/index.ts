/** The NPS analytics API: the read-side store contract, its SQLite implementation and the routes. */
export { type AnalyticsDeps, type AnalyticsSurvey, analyticsRoutes } from './routes.ts'
export {
  type AnalyticsFilter,
  type AnalyticsStore,
  type Dimension,
  type EventCounts,
  SqliteAnalytics,
} from './store.ts'
