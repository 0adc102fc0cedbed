import { BgjobsError } from '../core/errors.ts';
import type { RunnableJob } from '../core/job.ts';

/** Picks the job named `name` among a job module's exports. */
export function findJob(
  moduleExports: Record<string, unknown>,
  name: string | undefined,
): RunnableJob {
  const jobs = Object.values(moduleExports).filter(isRunnableJob);
  const job = jobs.find((candidate) => candidate.name === name);
  if (!job) {
    const found = jobs.map((j) => `"${j.name}"`).join(', ') || 'none';
    throw new BgjobsError(
      `the job module does not export a job named "${name}" (found: ${found}); jobs/<name>.ts must export defineJob({ name: '<name>', ... })`,
    );
  }
  return job;
}

export function isRunnableJob(value: unknown): value is RunnableJob {
  const v = value as Partial<RunnableJob> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    typeof v.handler === 'function' &&
    typeof v.settings === 'object'
  );
}
