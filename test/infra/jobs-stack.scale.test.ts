import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { TEMPLATE_LIMITS } from '../../infra/template-limits.ts';
import { addTemplateLimits } from '../../infra/template-limits-plugin.ts';
import { testApp } from './build.ts';
import { generateJobs, jobNames } from './generated-jobs.ts';

const JOB_COUNT = 200;

interface Written {
  readonly name: string;
  readonly bytes: number;
  readonly resources: { Type: string; Properties: Record<string, unknown> }[];
}

let parent: Written;
let jobStacks: Written[];

beforeAll(() => {
  const { jobs, jobsDir } = generateJobs(jobNames(JOB_COUNT));
  const app = testApp();
  const stack = new JobsStack(app, 'bgjobs', { jobs, jobsDir });
  addTemplateLimits(app);
  const outdir = app.synth().directory;
  const read = (name: string, file: string): Written => {
    const text = readFileSync(path.join(outdir, file), 'utf8');
    return {
      name,
      bytes: Buffer.byteLength(text),
      resources: Object.values(JSON.parse(text).Resources),
    };
  };
  parent = read('bgjobs', stack.templateFile);
  jobStacks = [...stack.jobs].map(([name, job]) => read(name, job.templateFile));
}, 240_000);

describe(`an app of ${JOB_COUNT} jobs (on demand, scheduled, event-driven, FIFO)`, () => {
  it('synthesizes with the template limits checked, a stack per job', () => {
    expect(jobStacks).toHaveLength(JOB_COUNT);
    expect(new Set(jobStacks.map((job) => job.name)).size).toBe(JOB_COUNT);
  });

  it("keeps every template far under 500 resources and 1,000,000 bytes, the app's stack at the same 4 resources", () => {
    expect(parent.resources.map((r) => r.Type).sort()).toEqual([
      'AWS::CloudWatch::Dashboard',
      'AWS::Events::EventBus',
      'AWS::SNS::Topic',
      'AWS::SNS::TopicPolicy',
    ]);
    expect(parent.bytes).toBeLessThan(TEMPLATE_LIMITS.templateBytes / 2);
    for (const job of jobStacks) {
      expect(job.resources.length).toBeLessThanOrEqual(20);
      expect(job.bytes).toBeLessThan(40_000);
    }
  });

  it('keeps the overview at 7 widgets, each graph at one metric per job plus its two expressions', () => {
    const dashboards = parent.resources.filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const dashboardBody = dashboards.map((d) => d.Properties.DashboardBody)[0] as {
      'Fn::Join': [string, unknown[]];
    };
    const [sep, parts] = dashboardBody['Fn::Join'];
    const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'T')).join(sep)) as {
      widgets: { properties: { metrics?: unknown[] } }[];
    };
    const metrics = body.widgets.map((w) => w.properties.metrics?.length ?? 0);
    // text; backlog, oldest, dead letters; rule dead letters (the 100 jobs with rules); failed; errors
    expect(metrics).toEqual([0, 202, 202, 202, 102, 202, 202]);
    expect(metrics.reduce((a, b) => a + b)).toBeLessThan(TEMPLATE_LIMITS.dashboardMetrics);
  });
});
