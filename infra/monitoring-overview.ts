import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { MonitoringFacade } from 'cdk-monitoring-constructs';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { AppPlan } from '../core/plan.ts';
import type { Job } from './job.ts';
import { across, jobMetric, MONITORING_PERIOD } from './monitoring-metrics.ts';

/** A job as the overview sees it. */
export interface OverviewJob {
  readonly name: string;
  readonly resources: Job;
}

/**
 * The top of the stack dashboard: the whole stack in four graphs, each one time
 * series summed (or maxed) over the jobs. No alarms: each job has its own.
 */
export function monitorOverview(
  facade: MonitoringFacade,
  app: AppPlan,
  jobs: readonly OverviewJob[],
): void {
  const period = MONITORING_PERIOD;
  const queues = jobs.map((job) => job.resources.queues);
  const deadLetterQueues = [
    ...queues.map((q) => q.deadLetterQueue),
    ...jobs.flatMap((job) => (job.resources.rules ? [job.resources.rules.deadLetterQueue] : [])),
  ];
  facade.monitorCustom({
    alarmFriendlyName: 'Overview',
    humanReadableName: `${app.stackName}: all jobs`,
    description: `Backlog, oldest message, dead letters and failures of the ${jobs.length} jobs of ${app.stackName}; a section per job follows.`,
    metricGroups: [
      {
        title: 'Backlog (visible messages)',
        metrics: [
          across(
            'SUM',
            queues.map((q) => q.queue.metricApproximateNumberOfMessagesVisible({ period })),
            'Visible, all job queues',
          ),
        ],
      },
      {
        title: 'Oldest message age (s)',
        metrics: [
          across(
            'MAX',
            queues.map((q) => q.queue.metricApproximateAgeOfOldestMessage({ period })),
            'Oldest, any job queue',
          ),
        ],
      },
      {
        title: 'Dead letters',
        metrics: [
          across(
            'SUM',
            deadLetterQueues.map((q) => q.metricApproximateNumberOfMessagesVisible({ period })),
            'Visible, all dead-letter queues',
          ),
        ],
      },
      {
        title: 'Failed attempts',
        metrics: [
          across(
            'SUM',
            jobs.map((job) =>
              jobMetric(
                { namespace: app.metricsNamespace, jobName: job.name },
                JOB_METRICS.failed,
                cloudwatch.Stats.SUM,
              ),
            ),
            'Failed, all jobs',
          ),
        ],
      },
    ],
  });
}
