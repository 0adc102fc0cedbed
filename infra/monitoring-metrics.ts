import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { DEFAULT_EVENT_BUS } from '../core/arns.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { RulePlan } from '../core/plan.ts';

/**
 * Every metric the alarms and dashboards read, built from the names in the
 * plan: no construct reference, so the overview in the app's stack can graph
 * the queues of every job's stack without an export.
 */

/** The period of every graph and alarm. */
export const MONITORING_PERIOD = Duration.minutes(5);

export type JobMetricName = (typeof JOB_METRICS)[keyof typeof JOB_METRICS];

export type QueueMetricName =
  | 'ApproximateNumberOfMessagesVisible'
  | 'ApproximateNumberOfMessagesNotVisible'
  | 'ApproximateAgeOfOldestMessage'
  | 'NumberOfMessagesSent'
  | 'NumberOfMessagesDeleted';

export type FunctionMetricName =
  | 'Invocations'
  | 'Errors'
  | 'Throttles'
  | 'Duration'
  | 'ConcurrentExecutions';

/** The EventBridge rule metrics the dashboards and alarms read. */
export type RuleMetricName =
  | 'Invocations'
  | 'FailedInvocations'
  | 'InvocationsSentToDlq'
  | 'InvocationsFailedToBeSentToDlq';

interface MetricOptions {
  readonly statistic: string;
  readonly label?: string;
}

/** An SQS queue metric (`AWS/SQS`, dimension `QueueName`). SQS publishes gauges each minute; Maximum is the default. */
export function queueMetric(
  queueName: string,
  metricName: QueueMetricName,
  options: Partial<MetricOptions> = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/SQS',
    metricName,
    dimensionsMap: { QueueName: queueName },
    statistic: options.statistic ?? cloudwatch.Stats.MAXIMUM,
    label: options.label ?? metricName,
    period: MONITORING_PERIOD,
  });
}

/** A Lambda function metric (`AWS/Lambda`, dimension `FunctionName`). */
export function functionMetric(
  functionName: string,
  metricName: FunctionMetricName,
  options: MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: functionName },
    statistic: options.statistic,
    label: options.label ?? metricName,
    period: MONITORING_PERIOD,
  });
}

/** Where a job's own metrics are: the app's namespace, and the job as the `service` dimension. */
export interface JobMetricSource {
  readonly namespace: string;
  readonly jobName: string;
}

/**
 * One of the metrics a job's handler writes as EMF (Powertools): the app's
 * namespace (`bgjobs/<stack>`), dimension `service` = the job name.
 */
export function jobMetric(
  source: JobMetricSource,
  metricName: JobMetricName,
  options: MetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: source.namespace,
    metricName,
    dimensionsMap: { service: source.jobName },
    statistic: options.statistic,
    label: options.label ?? metricName,
    period: MONITORING_PERIOD,
  });
}

/**
 * An EventBridge rule metric (`AWS/Events`, Sum). A rule on the default bus is
 * published under `RuleName` alone; a rule on a custom bus under `EventBusName`
 * and `RuleName`, and a metric with the wrong dimension set stays empty.
 */
export function ruleMetric(
  rule: Pick<RulePlan, 'name' | 'busName'>,
  metricName: RuleMetricName,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap:
      rule.busName === DEFAULT_EVENT_BUS
        ? { RuleName: rule.name }
        : { EventBusName: rule.busName, RuleName: rule.name },
    statistic: cloudwatch.Stats.SUM,
    label: metricName,
    period: MONITORING_PERIOD,
  });
}

/**
 * The share of a period's attempts that failed, in percent: `Failed / (Succeeded + Failed)`.
 * A period with fewer than `minAttempts` attempts yields 0. FILL counts a period without
 * a `Succeeded` (or `Failed`) value as 0: the handler writes a metric only when it adds to it.
 */
export function failureRatePercent(
  source: JobMetricSource,
  minAttempts: number,
): cloudwatch.MathExpression {
  const attempts = 'FILL(succeeded, 0) + FILL(failed, 0)';
  return new cloudwatch.MathExpression({
    expression: `IF(${attempts} >= ${minAttempts}, 100 * FILL(failed, 0) / (${attempts}), 0)`,
    usingMetrics: {
      succeeded: jobMetric(source, JOB_METRICS.succeeded, { statistic: cloudwatch.Stats.SUM }),
      failed: jobMetric(source, JOB_METRICS.failed, { statistic: cloudwatch.Stats.SUM }),
    },
    label: 'Failure rate (%)',
    period: MONITORING_PERIOD,
  });
}
