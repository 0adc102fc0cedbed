/** The local dashboard: live queue depths, throughput, durations and dead letters per job. */

export type { DashboardSource, JobFigures } from './figures.ts';
export { type Dashboard, type DashboardOptions, startDashboard } from './server.ts';
