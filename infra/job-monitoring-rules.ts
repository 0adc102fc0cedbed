import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CustomMetricGroup } from 'cdk-monitoring-constructs';
import type { JobAlarm, JobMonitoringProps } from './job-monitoring.ts';
import { MONITORING_PERIOD, type RuleReference, ruleMetric } from './monitoring-metrics.ts';
import { jobAlarmThresholds } from './monitoring-thresholds.ts';

interface JobRule extends RuleReference {
  /** How the rule starts the job; the rule name ends with it. */
  readonly kind: 'schedule' | 'events';
}

/**
 * The graphs and alarms of a job's rules: per rule its invocations and failed
 * invocations, and the rule target's dead-letter queue. None for an on-demand job.
 */
export function ruleMetricGroups(props: JobMonitoringProps, alarm: JobAlarm): CustomMetricGroup[] {
  const { job, resources, names } = props;
  const rules = resources.rules;
  if (rules === undefined) return [];
  const thresholds = jobAlarmThresholds(job.settings);
  const jobRules: JobRule[] = [];
  if (rules.scheduleRule) {
    // A schedule rule lives on the default bus.
    jobRules.push({ kind: 'schedule', ruleName: names.scheduleRuleName, eventBusName: undefined });
  }
  if (rules.eventRule) {
    jobRules.push({
      kind: 'events',
      ruleName: names.eventRuleName,
      eventBusName: props.eventBusName,
    });
  }

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
