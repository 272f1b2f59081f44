/** The NPS analytics API: the routes, over the Analytics part of the backend contract. */
export { analyticsRoutes } from './routes.ts'
