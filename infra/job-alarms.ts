import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type AlarmPlan, FAILURE_RATE_MIN_ATTEMPTS } from '../core/job-alarms.ts';
import { JOB_METRICS } from '../core/metric-names.ts';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import {
  failureRatePercent,
  functionMetric,
  jobMetric,
  MONITORING_PERIOD,
  queueMetric,
  ruleMetric,
} from './monitoring-metrics.ts';

export interface JobAlarmsProps {
  readonly app: AppPlan;
  /** The job's plan: its alarms, and the names of what they watch. */
  readonly plan: JobPlan;
  /** Notified on ALARM and on OK. */
  readonly topic: sns.ITopic;
}

/**
 * A job's alarms, one per concern in the plan, each notifying the app's topic
 * on ALARM and on OK. Missing data is not breaching: SQS stops publishing for
 * an idle queue, and EventBridge and the handler publish only what is not zero.
 */
export class JobAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: JobAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    this.alarms = props.plan.alarms.map((plan) => {
      const alarm = new cloudwatch.Alarm(this, plan.concern, {
        alarmName: plan.name,
        alarmDescription: plan.description,
        metric: alarmMetric(props.app, props.plan, plan),
        threshold: plan.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: plan.evaluationPeriods,
        datapointsToAlarm: plan.datapointsToAlarm,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
  }
}

/** What an alarm watches, by concern; docs/monitoring.md says what each catches and misses. */
export function alarmMetric(app: AppPlan, job: JobPlan, alarm: AlarmPlan): cloudwatch.IMetric {
  const source = { namespace: app.metricsNamespace, jobName: job.name };
  const math = (expression: string, usingMetrics: Record<string, cloudwatch.IMetric>) =>
    new cloudwatch.MathExpression({
      expression,
      usingMetrics,
      label: alarm.concern,
      period: MONITORING_PERIOD,
    });
  switch (alarm.concern) {
    case 'dead-letters': {
      // New dead letters: the depth's rise since the previous period (FILL makes a queue
      // that was idle, and so unpublished, count from 0), or what the handler sent itself.
      const rise = 'DIFF(FILL(depth, 0))';
      return math(`IF(${rise} > FILL(sent, 0), ${rise}, FILL(sent, 0))`, {
        depth: queueMetric(job.deadLetterQueue.name, 'ApproximateNumberOfMessagesVisible'),
        sent: jobMetric(source, JOB_METRICS.deadLettered, { statistic: cloudwatch.Stats.SUM }),
      });
    }
    case 'oldest-message-age':
      return queueMetric(job.queue.name, 'ApproximateAgeOfOldestMessage');
    case 'failure-rate':
      return failureRatePercent(source, FAILURE_RATE_MIN_ATTEMPTS);
    case 'function':
      // Arithmetic counts a missing value as 0.
      return math('errors + throttles', {
        errors: functionMetric(job.function.name, 'Errors', { statistic: cloudwatch.Stats.SUM }),
        throttles: functionMetric(job.function.name, 'Throttles', {
          statistic: cloudwatch.Stats.SUM,
        }),
      });
    case 'rules': {
      const failed = Object.fromEntries(
        job.rules.map((rule) => [`${rule.kind}`, ruleMetric(rule, 'FailedInvocations')]),
      );
      return math(Object.keys(failed).join(' + '), failed);
    }
  }
}
