import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.ts';

/** The environment variable naming where the generated app writes its phase times (JSON). */
export const PHASES_FILE_ENV = 'BGJOBS_BENCH_PHASES_FILE';
/** Set to `0` to leave cdk-nag out of the generated app, to measure what it costs. */
export const NAG_ENV = 'BGJOBS_BENCH_NAG';

/**
 * Writes an app of `count` jobs under `dir`: `jobs/<name>.ts` per job and an
 * `app.ts` that is infra/app.ts with those jobs (queue lock in `dir`, template
 * limits, cdk-nag). Jobs cycle through the four kinds (on demand, scheduled,
 * event-driven, FIFO), as a real registry mixes them. The app records how long
 * building the construct tree and `app.synth()` took, when asked.
 * Returns the app file.
 */
export function generateApp(dir: string, count: number): string {
  const jobsDir = path.join(dir, 'jobs');
  mkdirSync(jobsDir, { recursive: true });
  const root = (from: string, to: string) =>
    path.relative(from, path.join(PROJECT_ROOT, to)).split(path.sep).join('/');
  const names = Array.from(
    { length: count },
    (_, i) => `bench-job-${String(i + 1).padStart(3, '0')}`,
  );
  names.forEach((name, i) => {
    writeFileSync(
      path.join(jobsDir, `${name}.ts`),
      jobSource(name, i, root(jobsDir, 'core/index.ts')),
    );
  });
  const app = path.join(dir, 'app.ts');
  const infra = (file: string) => `'${root(dir, `infra/${file}`)}'`;
  writeFileSync(
    app,
    [
      "import { writeFileSync } from 'node:fs';",
      "import { App } from 'aws-cdk-lib';",
      `import { JobsStack } from ${infra('jobs-stack.ts')};`,
      `import { addNagChecks } from ${infra('nag.ts')};`,
      `import { enforceQueueLock } from ${infra('queue-lock-file.ts')};`,
      `import { addTemplateLimits } from ${infra('template-limits-plugin.ts')};`,
      ...names.map((name, i) => `import { job as job${i} } from './jobs/${name}.ts';`),
      '',
      'const loaded = performance.now();',
      'const app = new App();',
      `const stack = new JobsStack(app, 'bgjobs', {`,
      `  jobs: [${names.map((_, i) => `job${i}`).join(', ')}],`,
      `  jobsDir: ${JSON.stringify(jobsDir)},`,
      `  description: 'bgjobs synth benchmark: ${count} jobs',`,
      '});',
      `enforceQueueLock(${JSON.stringify(path.join(dir, 'bgjobs.lock.json'))}, stack.plan, []);`,
      'addTemplateLimits(app);',
      `if (process.env.${NAG_ENV} !== '0') addNagChecks(app);`,
      'const built = performance.now();',
      'app.synth();',
      `const file = process.env.${PHASES_FILE_ENV};`,
      'if (file) {',
      '  const phases = { constructMs: built - loaded, synthMs: performance.now() - built };',
      '  writeFileSync(file, JSON.stringify(phases));',
      '}',
      '',
    ].join('\n'),
  );
  return app;
}

/** The kinds the generated jobs cycle through. */
export const JOB_KINDS = ['on demand', 'scheduled', 'event-driven', 'FIFO'] as const;

function jobSource(name: string, index: number, core: string): string {
  const trigger = [
    { schema: 'z.object({ id: z.string(), n: z.number().int() })', extra: '' },
    { schema: 'z.object({})', extra: "\n  schedule: 'rate(5 minutes)'," },
    {
      schema: 'z.object({ id: z.string() })',
      extra: `\n  events: { source: ['bench.synth'], 'detail-type': ['Job${index}Requested'] },`,
    },
    {
      schema: 'z.object({ account: z.string() })',
      extra: "\n  fifo: { groupIdField: 'account' },",
    },
  ][index % JOB_KINDS.length] as { schema: string; extra: string };
  return `import * as z from 'zod';
import { defineJob } from '${core}';

export const job = defineJob({
  name: '${name}',
  schema: ${trigger.schema},
  handler: async () => {},${trigger.extra}
  timeoutSeconds: ${10 + (index % 5) * 10},
});
`;
}
