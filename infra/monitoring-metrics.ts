import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { JOB_METRICS } from '../core/metric-names.ts';

/** The period of every graph and alarm of the stack. */
export const MONITORING_PERIOD = Duration.minutes(5);

export type JobMetricName = (typeof JOB_METRICS)[keyof typeof JOB_METRICS];

/** The EventBridge rule metrics the dashboard and alarms read. */
export type RuleMetricName =
  | 'Invocations'
  | 'FailedInvocations'
  | 'InvocationsSentToDlq'
  | 'InvocationsFailedToBeSentToDlq';

/** A rule as CloudWatch names it. */
export interface RuleReference {
  readonly ruleName: string;
  /** The rule's bus; undefined for the default bus. */
  readonly eventBusName: string | undefined;
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
  statistic: string,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: source.namespace,
    metricName,
    dimensionsMap: { service: source.jobName },
    statistic,
    label: label ?? metricName,
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
      succeeded: jobMetric(source, JOB_METRICS.succeeded, cloudwatch.Stats.SUM),
      failed: jobMetric(source, JOB_METRICS.failed, cloudwatch.Stats.SUM),
    },
    label: 'Failure rate (%)',
    period: MONITORING_PERIOD,
  });
}

/**
 * An EventBridge rule metric (`AWS/Events`, Sum). A rule on the default bus is
 * published under `RuleName` alone; a rule on a custom bus under `EventBusName`
 * and `RuleName`, and a metric with the wrong dimension set stays empty.
 */
export function ruleMetric(rule: RuleReference, metricName: RuleMetricName): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap:
      rule.eventBusName === undefined
        ? { RuleName: rule.ruleName }
        : { EventBusName: rule.eventBusName, RuleName: rule.ruleName },
    statistic: cloudwatch.Stats.SUM,
    label: metricName,
    period: MONITORING_PERIOD,
  });
}

/**
 * One time series from many: `SUM([...])` or `MAX([...])` over the metrics, for
 * the overview's totals across jobs.
 */
export function across(
  fn: 'SUM' | 'MAX',
  metrics: readonly cloudwatch.IMetric[],
  label: string,
): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric]));
  return new cloudwatch.MathExpression({
    expression: `${fn}([${Object.keys(usingMetrics).join(', ')}])`,
    usingMetrics,
    label,
    period: MONITORING_PERIOD,
  });
}
