import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import type { JobDefinition } from '../../core/job.ts';

/** The four kinds of job a registry mixes. */
export type JobKind = 'on-demand' | 'scheduled' | 'event-driven' | 'fifo';
const KINDS: readonly JobKind[] = ['on-demand', 'scheduled', 'event-driven', 'fifo'];

const TRIGGERS: Record<JobKind, { source: string; spec: object }> = {
  'on-demand': { source: '', spec: {} },
  scheduled: { source: "schedule: 'rate(5 minutes)',", spec: { schedule: 'rate(5 minutes)' } },
  'event-driven': {
    source: "events: { source: ['generated'] },",
    spec: { events: { source: ['generated'] } },
  },
  fifo: { source: 'fifo: true,', spec: { fifo: true } },
};

/**
 * Jobs named `<prefix>-<n>`, cycling through the four kinds, each with a job
 * file in a temporary folder (the stack checks that `<name>.ts` exists; the
 * tests skip bundling, so the definition is built here from the same trigger).
 */
export function generateJobs(
  names: readonly string[],
  jobsDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-jobs-')),
) {
  mkdirSync(jobsDir, { recursive: true });
  const core = path.resolve(import.meta.dirname, '..', '..', 'core', 'index.ts');
  const jobs: JobDefinition[] = names.map((name, i) => {
    const trigger = TRIGGERS[KINDS[i % KINDS.length] as JobKind];
    writeFileSync(
      path.join(jobsDir, `${name}.ts`),
      `import * as z from 'zod';\nimport { defineJob } from '${core}';\n\nexport const job = defineJob({\n  name: '${name}',\n  schema: z.object({}),\n  handler: async () => {},\n  ${trigger.source}\n});\n`,
    );
    return defineJob({ name, schema: z.object({}), handler: async () => {}, ...trigger.spec });
  });
  return { jobs, jobsDir };
}

/** `job-001`, `job-002`...: names that sort in registry order. */
export function jobNames(count: number, prefix = 'job'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
}
