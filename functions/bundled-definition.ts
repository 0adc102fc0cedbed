/**
 * `defineJob` as a job's Lambda bundle has it: functions/bundling.ts aliases
 * `#job-definition` (core/package.json) to this module. The checks of
 * core/define-job.ts (the settings schema, cron parsing, event patterns, the
 * example and schedule payloads) already ran on the same file at synth and in
 * the local runtime, so the bundle neither carries nor re-runs them: the
 * settings they resolved are written into the bundle as `BGJOBS_BUNDLED_JOB`.
 */
import type { JobSpec, RunnableJob } from '../core/job.ts';
import type { PayloadSchema } from '../core/payload-schema.ts';
import type { BundledJob } from './bundling.ts';

/** Replaced by esbuild's `define` with the bundled job's name and resolved settings. */
declare const BGJOBS_BUNDLED_JOB: BundledJob;

/**
 * The job as its handler runs it. Only the job the bundle was built for gets
 * settings; another job defined in the same file is not runnable here (the
 * entry runs the one named by `BGJOBS_JOB_NAME`).
 */
export function defineJob<Schema extends PayloadSchema, const Name extends string>(
  spec: JobSpec<Schema, Name>,
): RunnableJob<Schema> {
  const bundled = BGJOBS_BUNDLED_JOB;
  return Object.freeze({
    name: spec.name,
    schema: spec.schema,
    handler: spec.handler,
    hasRule: spec.schedule !== undefined || spec.events !== undefined,
    settings: (spec.name === bundled.name
      ? bundled.settings
      : undefined) as RunnableJob['settings'],
  });
}
