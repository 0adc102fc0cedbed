import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths.ts';

/** The environment variable naming where the generated app writes its phase times (JSON). */
export const PHASES_FILE_ENV = 'BGJOBS_BENCH_PHASES_FILE';

/** Where the time of one synth went, as the generated app measured it in its own process. */
export interface AppPhases {
  /** From the process's start until every module is loaded (tsx, aws-cdk-lib, cdk-nag, the jobs). */
  readonly startupMs: number;
  /** Building the construct tree, bundling included: NodejsFunction bundles while it is built. */
  readonly constructMs: number;
  /** Time spent in `spawnSync`: NodejsFunction's bundling commands (npx, then esbuild). */
  readonly bundlingMs: number;
  readonly bundlingCommands: number;
  /** `app.synth()`: templates, assets, the validation plugins. */
  readonly synthMs: number;
  /** cdk-nag's part of `app.synth()`. */
  readonly nagMs: number;
}

/**
 * Writes an app of `count` jobs under `dir`: `jobs/<name>.ts` per job and an
 * `app.ts` that is infra/app.ts with those jobs (queue lock in `dir`, template
 * limits, cdk-nag as infra/nag.ts adds it). Jobs cycle through the four kinds
 * (on demand, scheduled, event-driven, FIFO), as a real registry mixes them.
 * Asked to (PHASES_FILE_ENV), the app writes its AppPhases: it times its own
 * steps, the bundling commands (by wrapping `child_process.spawnSync`, which
 * NodejsFunction runs them with) and cdk-nag's `validate`.
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
      "import childProcess from 'node:child_process';",
      "import { writeFileSync } from 'node:fs';",
      "import { App, type IPolicyValidationContext, Validations } from 'aws-cdk-lib';",
      "import { AwsSolutionsChecks } from 'cdk-nag';",
      `import { JobsStack } from ${infra('jobs-stack.ts')};`,
      `import { enforceQueueLock } from ${infra('queue-lock-file.ts')};`,
      `import { addTemplateLimits } from ${infra('template-limits-plugin.ts')};`,
      ...names.map((name, i) => `import { job as job${i} } from './jobs/${name}.ts';`),
      '',
      'const startupMs = performance.now();',
      'let bundlingMs = 0;',
      'let bundlingCommands = 0;',
      'const spawnSync = childProcess.spawnSync;',
      'childProcess.spawnSync = ((...args: Parameters<typeof spawnSync>) => {',
      '  const started = performance.now();',
      '  try {',
      '    return spawnSync(...args);',
      '  } finally {',
      '    bundlingMs += performance.now() - started;',
      '    bundlingCommands += 1;',
      '  }',
      '}) as typeof spawnSync;',
      '',
      'const app = new App();',
      `const stack = new JobsStack(app, 'bgjobs', {`,
      `  jobs: [${names.map((_, i) => `job${i}`).join(', ')}],`,
      `  jobsDir: ${JSON.stringify(jobsDir)},`,
      `  description: 'bgjobs synth benchmark: ${count} jobs',`,
      '});',
      `enforceQueueLock(${JSON.stringify(path.join(dir, 'bgjobs.lock.json'))}, stack.plan, []);`,
      'addTemplateLimits(app);',
      '// infra/nag.ts, with its validate timed.',
      'const nag = new AwsSolutionsChecks(app, { verbose: true });',
      'const validate = nag.validate.bind(nag);',
      'let nagMs = 0;',
      'nag.validate = (context: IPolicyValidationContext) => {',
      '  const started = performance.now();',
      '  try {',
      '    return validate(context);',
      '  } finally {',
      '    nagMs += performance.now() - started;',
      '  }',
      '};',
      'Validations.of(app).addPlugins(nag);',
      'const built = performance.now();',
      'app.synth();',
      `const file = process.env.${PHASES_FILE_ENV};`,
      'if (file) {',
      '  const synthMs = performance.now() - built;',
      '  const constructMs = built - startupMs;',
      '  const phases = { startupMs, constructMs, bundlingMs, bundlingCommands, synthMs, nagMs };',
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
