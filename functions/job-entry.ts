/**
 * The Lambda entry of every job. The stack bundles it once per job, with esbuild
 * aliasing `bgjobs-job-module` to that job's file, so each bundle holds one job.
 */
import * as jobModule from 'bgjobs-job-module';
import { HANDLER_ENV } from '../core/handler-env.ts';
import { createHandler } from './create-handler.ts';
import { findJob } from './find-job.ts';

export const handler = createHandler(findJob(jobModule, process.env[HANDLER_ENV.jobName]));
