import { Aws } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { FAILURE_RATE_MIN_ATTEMPTS } from '../core/job-alarms.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import {
  failureRatePercent,
  functionMetric,
  type JobMetricName,
  jobMetric,
  queueMetric,
  ruleMetric,
} from './monitoring-metrics.ts';

export interface JobDashboardProps {
  readonly app: AppPlan;
  readonly plan: JobPlan;
  /** The job's alarms, shown with their state. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const { SUM, MAXIMUM } = cloudwatch.Stats;

/**
 * A job's own dashboard (opt-in: each dashboard beyond three costs $3 a month):
 * its queue and dead-letter queue, function, records, rules and alarms.
 * Named `<stack>--<job>--<region>`: dashboard names are global to the account.
 */
export class JobDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: JobDashboardProps) {
    super(scope, id);
    const { app, plan } = props;
    const source = { namespace: app.metricsNamespace, jobName: plan.name };
    const emf = (name: JobMetricName, statistic: string, label?: string) =>
      jobMetric(source, name, { statistic, label });
    const fn = plan.function.name;
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const percentiles = (name: JobMetricName) =>
      [50, 99].map((p) => emf(name, cloudwatch.Stats.percentile(p), `${name} p${p}`));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: plan.dashboardName(Aws.REGION),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Job ${plan.name}\n${plan.definition.schedules.map((s) => `Schedule \`${s.expression}\` (${s.timeZone}). `).join('')}Queue \`${plan.queue.name}\`, dead-letter queue \`${plan.deadLetterQueue.name}\`, function \`${fn}\`.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Queue: messages', [
        queueMetric(plan.queue.name, 'ApproximateNumberOfMessagesVisible', { label: 'Visible' }),
        queueMetric(plan.queue.name, 'ApproximateNumberOfMessagesNotVisible', {
          label: 'In flight',
        }),
      ]),
      graph('Queue: oldest message (s)', [
        queueMetric(plan.queue.name, 'ApproximateAgeOfOldestMessage'),
      ]),
      graph('Dead letters', [
        queueMetric(plan.deadLetterQueue.name, 'ApproximateNumberOfMessagesVisible', {
          label: 'Visible',
        }),
        emf(JOB_METRICS.deadLettered, SUM, 'Sent by the handler'),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Function: invocations, errors, throttles', [
        functionMetric(fn, 'Invocations', { statistic: SUM }),
        functionMetric(fn, 'Errors', { statistic: SUM }),
        functionMetric(fn, 'Throttles', { statistic: SUM }),
      ]),
      graph('Function: duration (ms)', [
        functionMetric(fn, 'Duration', { statistic: 'p50', label: 'p50' }),
        functionMetric(fn, 'Duration', { statistic: 'p99', label: 'p99' }),
      ]),
      graph('Function: concurrent executions', [
        functionMetric(fn, 'ConcurrentExecutions', { statistic: MAXIMUM }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Records', [
        emf(JOB_METRICS.succeeded, SUM),
        emf(JOB_METRICS.failed, SUM),
        emf(JOB_METRICS.retried, SUM),
        emf(JOB_METRICS.deadLettered, SUM),
      ]),
      graph('Failure rate (%)', [failureRatePercent(source, FAILURE_RATE_MIN_ATTEMPTS)]),
      graph('Age at start and handler duration (ms)', [
        ...percentiles(JOB_METRICS.ageAtStart),
        ...percentiles(JOB_METRICS.duration),
      ]),
    );
    if (plan.ruleDeadLetterQueue) {
      this.dashboard.addWidgets(
        ...plan.rules.map((rule) =>
          graph(
            `Rule ${rule.name}`,
            [
              ruleMetric(rule, 'Invocations'),
              ruleMetric(rule, 'FailedInvocations'),
              ruleMetric(rule, 'InvocationsSentToDlq'),
              ruleMetric(rule, 'InvocationsFailedToBeSentToDlq'),
            ],
            24 / (plan.rules.length + 1),
          ),
        ),
        graph(
          'Rule dead-letter queue',
          [
            queueMetric(plan.ruleDeadLetterQueue.name, 'ApproximateNumberOfMessagesVisible', {
              label: 'Visible',
            }),
          ],
          24 / (plan.rules.length + 1),
        ),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...props.alarms],
        width: 24,
        height: 3,
      }),
    );
  }
}
