import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.ts';

/**
 * Writes an app of `count` jobs under `dir`: `jobs/<name>.ts` per job and an
 * `app.ts` that is infra/app.ts with those jobs. Jobs cycle through the three
 * kinds (on demand, scheduled, event-driven), as a real registry mixes them.
 * Returns the app file.
 */
export function generateApp(dir: string, count: number): string {
  const jobsDir = path.join(dir, 'jobs');
  mkdirSync(jobsDir, { recursive: true });
  const root = (from: string, to: string) =>
    path.relative(from, path.join(PROJECT_ROOT, to)).split(path.sep).join('/');
  const names = Array.from(
    { length: count },
    (_, i) => `bench-job-${String(i + 1).padStart(2, '0')}`,
  );
  names.forEach((name, i) => {
    writeFileSync(
      path.join(jobsDir, `${name}.ts`),
      jobSource(name, i, root(jobsDir, 'core/index.ts')),
    );
  });
  const app = path.join(dir, 'app.ts');
  writeFileSync(
    app,
    [
      "import { App } from 'aws-cdk-lib';",
      `import { JobsStack } from '${root(dir, 'infra/jobs-stack.ts')}';`,
      `import { addNagChecks } from '${root(dir, 'infra/nag.ts')}';`,
      ...names.map((name, i) => `import { job as job${i} } from './jobs/${name}.ts';`),
      '',
      'const app = new App();',
      `new JobsStack(app, 'bgjobs', {`,
      `  jobs: [${names.map((_, i) => `job${i}`).join(', ')}],`,
      `  jobsDir: ${JSON.stringify(jobsDir)},`,
      `  description: 'bgjobs synth benchmark: ${count} jobs',`,
      '});',
      'addNagChecks(app);',
      'app.synth();',
      '',
    ].join('\n'),
  );
  return app;
}

function jobSource(name: string, index: number, core: string): string {
  const trigger = [
    { schema: 'z.object({ id: z.string(), n: z.number().int() })', extra: '' },
    { schema: 'z.object({})', extra: "\n  schedule: 'rate(5 minutes)'," },
    {
      schema: 'z.object({ id: z.string() })',
      extra: `\n  events: { source: ['bench.synth'], 'detail-type': ['Job${index}Requested'] },`,
    },
  ][index % 3] as { schema: string; extra: string };
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
