import { Aws } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import { functionMetric, jobMetric, MONITORING_PERIOD, queueMetric } from './monitoring-metrics.ts';

export interface OverviewDashboardProps {
  readonly app: AppPlan;
}

/** How many jobs each graph names: the worst ones of the period shown. */
export const WORST_JOBS = 5;

interface Concern {
  readonly title: string;
  /** `SUM` for amounts, `MAX` for ages. */
  readonly total: 'SUM' | 'MAX';
  readonly metric: (job: JobPlan) => cloudwatch.IMetric | undefined;
}

/**
 * The app's one dashboard, in its own stack: per concern one graph with the
 * total over all jobs and the few worst jobs, `SUM`/`MAX` and `SORT` over the
 * jobs' metrics, found by name. Six graphs whatever the job count; each job
 * adds one metric to each graph (the template guard checks CloudWatch's 500
 * per graph and 2,500 per dashboard). Named `<stack>--<region>`.
 */
export class OverviewDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    const { app } = props;
    const emf = (job: JobPlan) => ({ namespace: app.metricsNamespace, jobName: job.name });
    const label = (job: JobPlan) => ({ label: job.name });
    const concerns: Concern[] = [
      {
        title: 'Backlog (visible messages)',
        total: 'SUM',
        metric: (job) =>
          queueMetric(job.queue.name, 'ApproximateNumberOfMessagesVisible', label(job)),
      },
      {
        title: 'Oldest message (s)',
        total: 'MAX',
        metric: (job) => queueMetric(job.queue.name, 'ApproximateAgeOfOldestMessage', label(job)),
      },
      {
        title: 'Dead letters (visible)',
        total: 'SUM',
        metric: (job) =>
          queueMetric(job.deadLetterQueue.name, 'ApproximateNumberOfMessagesVisible', label(job)),
      },
      {
        title: 'Events not delivered (rule dead letters)',
        total: 'SUM',
        metric: (job) =>
          job.ruleDeadLetterQueue &&
          queueMetric(
            job.ruleDeadLetterQueue.name,
            'ApproximateNumberOfMessagesVisible',
            label(job),
          ),
      },
      {
        title: 'Failed attempts',
        total: 'SUM',
        metric: (job) =>
          jobMetric(emf(job), JOB_METRICS.failed, {
            statistic: cloudwatch.Stats.SUM,
            label: job.name,
          }),
      },
      {
        title: 'Function errors',
        total: 'SUM',
        metric: (job) =>
          functionMetric(job.function.name, 'Errors', {
            statistic: cloudwatch.Stats.SUM,
            label: job.name,
          }),
      },
    ];

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: app.overviewDashboardName(Aws.REGION),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: [
          `# ${app.stackName}: all jobs`,
          `Each graph: the total over all jobs, and the ${WORST_JOBS} worst jobs of the period shown. Alarms: [\`${app.stackName}--*\`](https://console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#alarmsV2:?search=${app.stackName}--). Per-job dashboards (when deployed with \`-c jobDashboards=true\`): \`${app.stackName}--<job>--${Aws.REGION}\`.`,
        ].join('\n\n'),
        width: 24,
        height: 3,
      }),
    );
    const widgets = concerns.flatMap((concern) => {
      const graph = concernGraph(app.jobs, concern);
      return graph ? [graph] : [];
    });
    this.dashboard.addWidgets(...widgets);
  }
}

/** One graph: the total and the worst jobs, over one metric per job; none when no job has it. */
function concernGraph(
  jobs: readonly JobPlan[],
  concern: Concern,
): cloudwatch.GraphWidget | undefined {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const job of jobs) {
    const metric = concern.metric(job);
    if (metric) usingMetrics[metricId(job.name)] = metric;
  }
  if (Object.keys(usingMetrics).length === 0) return undefined;
  const expression = (text: string, label: string) =>
    new cloudwatch.MathExpression({
      expression: text,
      usingMetrics,
      label,
      period: MONITORING_PERIOD,
    });
  return new cloudwatch.GraphWidget({
    title: concern.title,
    left: [
      expression(`${concern.total}(METRICS())`, concern.total === 'SUM' ? 'All jobs' : 'Any job'),
      expression(`SORT(METRICS(), MAX, DESC, ${WORST_JOBS})`, ''),
    ],
    width: 8,
    height: 6,
  });
}

/** A metric id from a job name: ids take letters, digits and underscores, and job names have no underscore. */
export function metricId(jobName: string): string {
  return `j_${jobName.replaceAll('-', '_')}`;
}
