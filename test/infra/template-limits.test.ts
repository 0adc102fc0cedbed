import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type App, CfnOutput, CfnWaitConditionHandle, Duration, type Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { JobsStack } from '../../infra/jobs-stack.ts';
import { TEMPLATE_LIMITS } from '../../infra/template-limits.ts';
import { addTemplateLimits } from '../../infra/template-limits-plugin.ts';
import { jobs } from '../../jobs/index.ts';
import { testApp } from './build.ts';

/** The real app, plus whatever breaks a limit, with the limits checked at synth. */
function appWith(breakIt: (stack: JobsStack) => void = () => {}): App {
  const app = testApp();
  const stack = new JobsStack(app, 'bgjobs', { jobs });
  breakIt(stack);
  addTemplateLimits(app);
  return app;
}

/** What synth refused: the limits plugin's report, or the construct validation's message. */
function refusals(app: App): string[] {
  try {
    app.synth();
  } catch (error) {
    const message = (error as Error).message;
    if (!message.includes('validation-report.json')) return [message];
    const report = JSON.parse(
      readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'),
    ) as { pluginReports: { pluginName: string; violations: { description: string }[] }[] };
    return report.pluginReports
      .filter((r) => r.pluginName === 'bgjobs-template-limits')
      .flatMap((r) => r.violations.map((v) => v.description));
  }
  return [];
}

const jobStack = (stack: JobsStack, name: string): Stack => {
  const found = stack.jobs.get(name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

const handles = (scope: Stack, count: number) => {
  for (let i = 0; i < count; i++) new CfnWaitConditionHandle(scope, `Careless${i}`);
};

const graph = (title: string, metrics: number) =>
  new cloudwatch.GraphWidget({
    title,
    left: Array.from(
      { length: metrics },
      (_, i) =>
        new cloudwatch.Metric({
          namespace: 'Careless',
          metricName: `M${i}`,
          period: Duration.minutes(5),
        }),
    ),
  });

describe('the template limits at synth', () => {
  it('pass the real app', () => {
    expect(refusals(appWith())).toEqual([]);
  });

  it("refuse more than 500 resources in a job's stack, naming the stack and the job", () => {
    const [refusal] = refusals(appWith((stack) => handles(jobStack(stack, 'process'), 490)));
    expect(refusal).toMatch(
      /stack bgjobs\/Job-process \(job "process"\): 50\d resources; CloudFormation takes at most 500 per template/,
    );
  });

  it("refuse more than 500 resources in the app's stack, before CDK's own check", () => {
    const [refusal] = refusals(appWith((stack) => handles(stack, 497)));
    expect(refusal).toMatch(
      /\[bgjobs\] stack bgjobs: 501 resources; CloudFormation takes at most 500 per template\.$/,
    );
  });

  it('refuse a template over 1,000,000 bytes', () => {
    const refused = refusals(appWith((stack) => stack.addMetadata('blob', 'x'.repeat(1_000_000))));
    expect(refused).toEqual([
      expect.stringMatching(
        /^stack bgjobs: the template is 1,0\d\d,\d{3} bytes; CloudFormation takes at most 1,000,000: deploy some of the jobs as another stack/,
      ),
    ]);
  });

  it('refuse more than 200 outputs', () => {
    const refused = refusals(
      appWith((stack) => {
        const report = jobStack(stack, 'report');
        for (let i = 0; i < 200; i++) new CfnOutput(report, `Careless${i}`, { value: 'x' });
      }),
    );
    expect(refused).toEqual([
      'stack bgjobs/Job-report (job "report"): 202 outputs; CloudFormation takes at most 200 per template.',
    ]);
  });

  it('refuse a dashboard of more than 500 widgets', () => {
    const refused = refusals(
      appWith((stack) =>
        stack.overview.dashboard.addWidgets(
          ...Array.from({ length: 494 }, () => new cloudwatch.TextWidget({ markdown: 'x' })),
        ),
      ),
    );
    expect(refused).toEqual([
      expect.stringMatching(
        /^stack bgjobs: dashboard OverviewDashboard\w+ has 501 widgets; CloudWatch takes at most 500\.$/,
      ),
    ]);
  });

  it('refuse a graph of more than 500 metrics, and a dashboard of more than 2,500', () => {
    const refused = refusals(
      appWith((stack) => {
        stack.overview.dashboard.addWidgets(graph('Careless', 501));
        for (let i = 0; i < 5; i++) stack.overview.dashboard.addWidgets(graph(`Also ${i}`, 420));
      }),
    );
    expect(refused).toEqual([
      expect.stringMatching(
        /dashboard OverviewDashboard\w+, graph "Careless" has 501 metrics and expressions; CloudWatch takes at most 500 per graph\.$/,
      ),
      expect.stringMatching(
        /dashboard OverviewDashboard\w+ has 2,6\d\d metrics and expressions; CloudWatch takes at most 2,500 per dashboard/,
      ),
    ]);
  });

  it('are the limits AWS documents', () => {
    expect(TEMPLATE_LIMITS).toEqual({
      resources: 500,
      templateBytes: 1_000_000,
      outputs: 200,
      dashboardWidgets: 500,
      widgetMetrics: 500,
      dashboardMetrics: 2_500,
    });
  });
});
