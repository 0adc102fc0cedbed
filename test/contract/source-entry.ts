/**
 * `functions/job-entry.ts` without the bundler: the job named by
 * `BGJOBS_JOB_NAME`, imported from `jobs/<name>.ts` source, through the same
 * `createHandler`. The contract test runs it next to the bundle.
 */
import path from 'node:path';
import { HANDLER_ENV } from '../../core/handler-env.ts';
import { PROJECT_ROOT } from '../../functions/bundling.ts';
import { createHandler } from '../../functions/create-handler.ts';
import { findJob } from '../../functions/find-job.ts';

const name = process.env[HANDLER_ENV.jobName];
const jobModule = (await import(path.join(PROJECT_ROOT, 'jobs', `${name}.ts`))) as Record<
  string,
  unknown
>;
export const handler = createHandler(findJob(jobModule, name));
