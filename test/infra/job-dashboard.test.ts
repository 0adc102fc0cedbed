import { beforeAll, describe, expect, it } from 'vitest';
import { appContext } from '../../infra/app-context.ts';
import { jobs } from '../../jobs/index.ts';
import { dashboardWidgets, synthStack, testApp } from './build.ts';

type Synth = ReturnType<typeof synthStack>;
let withDashboards: Synth;

beforeAll(() => {
  withDashboards = synthStack(jobs, { jobDashboards: true });
});

describe("a job's own dashboard", () => {
  it('is not created unless asked for: each dashboard beyond three costs $3 a month', () => {
    const plain = synthStack(jobs);
    for (const job of jobs) plain.job(job.name).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(appContext(testApp().node).jobDashboards).toBe(false);
    expect(appContext(testApp({ jobDashboards: 'true' }).node).jobDashboards).toBe(true);
  });

  it('is named after the stack, the job and the region, in the job’s own stack', () => {
    for (const job of jobs) {
      const { name } = dashboardWidgets(withDashboards.job(job.name));
      expect(name).toEqual({
        'Fn::Join': ['', [`bgjobs--${job.name}--`, { Ref: 'AWS::Region' }]],
      });
    }
  });

  it('graphs the queue, dead letters, function, records and rules, and shows the job’s alarms', () => {
    const titles = (name: string) =>
      dashboardWidgets(withDashboards.job(name)).widgets.map((w) => w.properties.title ?? 'text');
    const common = [
      'text',
      'Queue: messages',
      'Queue: oldest message (s)',
      'Dead letters',
      'Function: invocations, errors, throttles',
      'Function: duration (ms)',
      'Function: concurrent executions',
      'Records',
      'Failure rate (%)',
      'Age at start and handler duration (ms)',
    ];
    expect(titles('process')).toEqual([...common, 'Alarms']);
    expect(titles('report')).toEqual([
      ...common,
      'Rule bgjobs--report--events',
      'Rule dead-letter queue',
      'Alarms',
    ]);
    const alarms = dashboardWidgets(withDashboards.job('report')).widgets.at(-1);
    expect(alarms?.properties.alarms).toHaveLength(5);
  });
});
