/**
 * The registry: every job the stack deploys and the local runtime runs.
 * A job lives in `jobs/<name>.ts` (the file is named after the job) and is listed here.
 */
import { processJob } from './process.ts';
import { reportJob } from './report.ts';
import { statisticsJob } from './statistics.ts';

export const jobs = [statisticsJob, processJob, reportJob] as const;

export { processJob, reportJob, statisticsJob };
