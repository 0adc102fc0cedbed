import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type {
  CustomAlarmThreshold,
  CustomMetricGroup,
  MonitoringFacade,
} from 'cdk-monitoring-constructs';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import type { Job } from './job.ts';
import { ruleMetricGroups } from './job-monitoring-rules.ts';
import {
  failureRatePercent,
  type JobMetricName,
  jobMetric,
  MONITORING_PERIOD,
} from './monitoring-metrics.ts';

export interface JobMonitoringProps {
  readonly app: AppPlan;
  /** The job's plan: names, rules and alarm thresholds. */
  readonly plan: JobPlan;
  /** The job's queues, function and rules. */
  readonly resources: Job;
}

/** Props every alarm of a job shares: a name of its own, a description saying what to do. */
export type JobAlarm = (what: string, description: string) => CustomAlarmThreshold;

/**
 * Adds one job's section to the stack dashboard, with its alarms: the queue and
 * its dead-letter queue, the function, the job's own EMF metrics and its rules.
 * Alarms are named `<stack>-<job>-<what>`; no data means nothing to report.
 */
export function monitorJob(facade: MonitoringFacade, props: JobMonitoringProps): void {
  const { plan, resources } = props;
  const job = plan.definition;
  const { thresholds } = plan.alarms;
  const names = {
    queueName: plan.queue.name,
    deadLetterQueueName: plan.deadLetterQueue.name,
    functionName: plan.function.name,
  };
  const alarm: JobAlarm = (what, description) => ({
    alarmNameOverride: `${plan.alarms.namePrefix}--${what}`,
    alarmDescriptionOverride: `bgjobs job "${job.name}": ${description}`,
    treatMissingDataOverride: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  facade.addLargeHeader(`Job ${job.name}`);
  facade.monitorSqsQueueWithDlq({
    queue: resources.queues.queue,
    deadLetterQueue: resources.queues.deadLetterQueue,
    // The titles fall back to the queue names: a humanReadableName would title the DLQ too.
    alarmFriendlyName: job.name,
    addQueueMaxMessageAgeAlarm: {
      Backlog: {
        maxAgeInSeconds: thresholds.oldestMessageAgeSeconds,
        ...alarm(
          'oldest-message-age',
          `the oldest message of ${names.queueName} has waited more than maxAgeSeconds (${thresholds.oldestMessageAgeSeconds} s): the function is behind or not consuming.`,
        ),
      },
    },
    addDeadLetterQueueMaxSizeAlarm: {
      DeadLetters: {
        maxMessageCount: thresholds.deadLetters,
        ...alarm(
          'dead-letters',
          `${names.deadLetterQueueName} holds dead letters: read their bgjobs.* attributes, fix the cause, then redrive or purge them.`,
        ),
      },
    },
  });
  facade.monitorLambdaFunction({
    lambdaFunction: resources.worker.function,
    alarmFriendlyName: job.name,
    humanReadableName: names.functionName,
    isIterator: false,
    addFaultCountAlarm: {
      Errors: {
        maxErrorCount: thresholds.functionErrors,
        ...alarm(
          'errors',
          `${names.functionName} reported Errors: a timeout, a crash or an init failure (failed records are not errors); the whole batch comes back.`,
        ),
      },
    },
    addThrottlesCountAlarm: {
      Throttles: {
        maxErrorCount: thresholds.functionThrottles,
        ...alarm(
          'throttles',
          `${names.functionName} was throttled: the account's or the function's concurrency is below maxConcurrency (${job.settings.maxConcurrency}).`,
        ),
      },
    },
  });
  facade.monitorCustom({
    alarmFriendlyName: job.name,
    humanReadableName: `${job.name}: records and rules`,
    metricGroups: [...recordGroups(props, alarm), ...ruleMetricGroups(props, alarm)],
  });
}

/** The job's own view of its records: in flight, outcomes, failure rate, waiting and handler time. */
function recordGroups(props: JobMonitoringProps, alarm: JobAlarm): CustomMetricGroup[] {
  const { app, plan, resources } = props;
  const { thresholds } = plan.alarms;
  const metric = { namespace: app.metricsNamespace, jobName: plan.name };
  const sum = (name: JobMetricName) => jobMetric(metric, name, cloudwatch.Stats.SUM);
  const percentiles = (name: JobMetricName) =>
    [50, 99].map((p) => jobMetric(metric, name, cloudwatch.Stats.percentile(p), `${name} p${p}`));
  return [
    {
      title: 'In flight',
      metrics: [
        resources.queues.queue.metricApproximateNumberOfMessagesNotVisible({
          label: 'In flight',
          period: MONITORING_PERIOD,
        }),
      ],
    },
    {
      title: 'Records',
      metrics: [
        sum(JOB_METRICS.succeeded),
        sum(JOB_METRICS.failed),
        sum(JOB_METRICS.retried),
        sum(JOB_METRICS.deadLettered),
        // Idempotent jobs: records acknowledged without running (a key already completed).
        sum(JOB_METRICS.duplicatesSuppressed),
      ],
    },
    {
      title: 'Failure rate (%)',
      metrics: [
        {
          metric: failureRatePercent(metric, thresholds.failureRateMinAttempts),
          alarmFriendlyName: 'FailureRate',
          addAlarm: {
            FailureRate: {
              threshold: thresholds.failureRatePercent,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
              ...alarm(
                'failure-rate',
                `more than ${thresholds.failureRatePercent}% of the attempts in 5 minutes failed (at least ${thresholds.failureRateMinAttempts} attempts): look at the handler's errors in its logs.`,
              ),
            },
          },
        },
      ],
    },
    { title: 'Age at start (ms)', metrics: percentiles(JOB_METRICS.ageAtStart) },
    { title: 'Handler duration (ms)', metrics: percentiles(JOB_METRICS.duration) },
  ];
}
