import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';
import { DEFAULT_EVENT_BUS } from '../core/arns.ts';
import type { JobAlarm, JobMonitoringProps } from './job-monitoring.ts';
import { MONITORING_PERIOD, type RuleReference, ruleMetric } from './monitoring-metrics.ts';

interface JobRule extends RuleReference {
  /** How the rule starts the job; the rule name ends with it. */
  readonly kind: 'schedule' | 'events';
}

/**
 * The graphs and alarms of a job's rules: per rule its invocations and failed
 * invocations, and the rule target's dead-letter queue. None for an on-demand job.
 */
export function ruleMetricGroups(props: JobMonitoringProps, alarm: JobAlarm): CustomMetricGroup[] {
  const { plan, resources } = props;
  const rules = resources.rules;
  if (rules === undefined || plan.ruleDeadLetterQueue === undefined) return [];
  const { thresholds } = plan.alarms;
  const names = {
    queueName: plan.queue.name,
    ruleDeadLetterQueueName: plan.ruleDeadLetterQueue.name,
  };
  // CloudWatch publishes a default-bus rule's metrics under RuleName alone.
  const jobRules: JobRule[] = plan.rules.map((rule) => ({
    kind: rule.kind,
    ruleName: rule.name,
    eventBusName: rule.busName === DEFAULT_EVENT_BUS ? undefined : rule.busName,
  }));

  const ruleGroups = jobRules.map(
    (rule): CustomMetricGroup => ({
      title: `Rule ${rule.ruleName}`,
      metrics: [
        ruleMetric(rule, 'Invocations'),
        {
          metric: ruleMetric(rule, 'FailedInvocations'),
          alarmFriendlyName: 'FailedInvocations',
          addAlarm: {
            FailedInvocations: {
              threshold: thresholds.ruleFailedInvocations,
              comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
              ...alarm(
                `${rule.kind}-failed-invocations`,
                `rule ${rule.ruleName} could not deliver events to ${names.queueName} after its retries; they went to ${names.ruleDeadLetterQueueName}, or were lost if that failed too.`,
              ),
            },
          },
        },
        ruleMetric(rule, 'InvocationsSentToDlq'),
        ruleMetric(rule, 'InvocationsFailedToBeSentToDlq'),
      ],
    }),
  );
  const deadLetterGroup: CustomMetricGroup = {
    title: 'Rule dead-letter queue',
    metrics: [
      {
        metric: rules.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          label: 'Visible',
          period: MONITORING_PERIOD,
        }),
        alarmFriendlyName: 'RuleDeadLetters',
        addAlarm: {
          RuleDeadLetters: {
            threshold: thresholds.ruleDeadLetters,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            ...alarm(
              'rule-dead-letters',
              `${names.ruleDeadLetterQueueName} holds events EventBridge could not deliver to ${names.queueName}: fix the cause, then send them to the job again.`,
            ),
          },
        },
      },
    ],
  };
  return [...ruleGroups, deadLetterGroup];
}
