import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobDefinition } from '../../core/job.ts';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { metricId } from '../../infra/overview-dashboard.ts';
import { testApp } from './build.ts';
import { generateJobs } from './generated-jobs.ts';

interface Synthesized {
  /** The app's template, parsed. */
  readonly parent: Template;
  /** Per job: its stack's name, template file and template text as written. */
  readonly jobs: Map<string, { stackName: string; file: string; text: string }>;
}

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  [section: string]: unknown;
}

/** A real synth into a cloud assembly: the templates as `cdk deploy` would upload them. */
function synthesize(jobs: readonly JobDefinition[], jobsDir: string): Synthesized {
  const app = testApp();
  const stack = new JobsStack(app, 'bgjobs', { jobs, jobsDir });
  const outdir = app.synth().directory;
  const read = (file: string) => readFileSync(path.join(outdir, file), 'utf8');
  const parent = JSON.parse(read(stack.templateFile)) as Template;
  const jobStacks = new Map(
    [...stack.jobs].map(([name, job]) => [
      name,
      {
        stackName: job.stackName,
        file: job.templateFile,
        text: read(job.templateFile),
      },
    ]),
  );
  return { parent, jobs: jobStacks };
}

/** The app's stack without the given jobs' metrics on the overview. */
function withoutJobs(synth: Synthesized, names: readonly string[]): Template {
  const template = structuredClone(synth.parent);
  const ids = new Set(names.map(metricId));
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::CloudWatch::Dashboard') continue;
    const [sep, parts] = (resource.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })[
      'Fn::Join'
    ];
    const tokens: unknown[] = [];
    const text = parts
      .map((part) => (typeof part === 'string' ? part : `@@${tokens.push(part) - 1}@@`))
      .join(sep);
    const body = JSON.parse(text) as { widgets: { properties: { metrics?: unknown[][] } }[] };
    for (const widget of body.widgets) {
      widget.properties.metrics = widget.properties.metrics?.filter(
        (line) =>
          !line.some((x) => typeof x === 'object' && ids.has((x as { id?: string }).id ?? '')),
      );
    }
    resource.Properties.DashboardBody = { body, tokens };
  }
  return template;
}

/** Asserts that going from `before` to `after` changed the app's stacks only by `removed` and `added` jobs. */
function expectOnlyChanged(
  before: Synthesized,
  after: Synthesized,
  removed: readonly string[],
  added: readonly string[],
) {
  const kept = [...before.jobs.keys()].filter((name) => !removed.includes(name));
  expect(kept.length).toBeGreaterThan(0);
  for (const name of kept) {
    // The same stack, template file and byte-identical template: the deploy skips it.
    expect(after.jobs.get(name)).toEqual(before.jobs.get(name));
  }
  expect([...after.jobs.keys()].filter((name) => !before.jobs.has(name))).toEqual(added);
  expect(withoutJobs(after, added)).toEqual(withoutJobs(before, removed));
}

let all: JobDefinition[];
let jobsDir: string;
const pick = (...names: string[]) =>
  names.map((name) => {
    const job = all.find((j) => j.name === name);
    if (!job) throw new Error(`no job ${name}`);
    return job;
  });

beforeAll(() => {
  // Two of each kind (on demand, scheduled, event-driven, FIFO), a new one, and a rename.
  ({ jobs: all, jobsDir } = generateJobs([
    'mail',
    'tick',
    'order-placed',
    'ledger',
    'invoice',
    'nightly',
    'refund',
    'payout',
    'audit',
    'invoice-v2',
  ]));
});

describe('adding, removing or renaming a job', () => {
  const registry = [
    'mail',
    'tick',
    'order-placed',
    'ledger',
    'invoice',
    'nightly',
    'refund',
    'payout',
  ];

  it("adds one stack and the job's overview metrics, and leaves every other job's template byte-identical", () => {
    const before = synthesize(pick(...registry), jobsDir);
    const middle = [...registry.slice(0, 4), 'audit', ...registry.slice(4)];
    const after = synthesize(pick(...middle), jobsDir);
    expectOnlyChanged(before, after, [], ['audit']);
    expect(after.jobs.get('audit')?.stackName).toBe('bgjobs--audit');
  });

  it('removes one stack and its overview metrics, and nothing else', () => {
    const before = synthesize(pick(...registry), jobsDir);
    const after = synthesize(pick(...registry.filter((name) => name !== 'ledger')), jobsDir);
    expectOnlyChanged(before, after, ['ledger'], []);
  });

  it('renames: one stack goes, one comes, the others stay as they were', () => {
    const before = synthesize(pick(...registry), jobsDir);
    const renamed = registry.map((name) => (name === 'invoice' ? 'invoice-v2' : name));
    const after = synthesize(pick(...renamed), jobsDir);
    expectOnlyChanged(before, after, ['invoice'], ['invoice-v2']);
  });
});
