import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobPlan, QueuePlan, RulePlan } from '../core/plan.ts';
import { queueProps } from './job-queues.ts';

export interface JobRulesProps {
  /** The job's plan: its rules, their targets and the rule dead-letter queue. */
  readonly plan: JobPlan & { readonly ruleDeadLetterQueue: QueuePlan };
  readonly queue: sqs.IQueue;
  /** The bus event rules listen on. */
  readonly bus: events.IEventBus;
}

/**
 * The EventBridge rules that start a job: a schedule rule (default bus) and/or
 * an event pattern rule (the stack's bus). Each delivers the whole event to the
 * job's queue, retrying by an explicit policy, then into a dead-letter queue of its own.
 */
export class JobRules extends Construct {
  readonly scheduleRule: events.Rule | undefined;
  readonly eventRule: events.Rule | undefined;
  /** Events EventBridge could not deliver to the job's queue. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: JobRulesProps) {
    super(scope, id);
    const { plan } = props;
    this.deadLetterQueue = new sqs.Queue(
      this,
      'DeadLetterQueue',
      queueProps(this, plan.ruleDeadLetterQueue),
    );
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the rule target; a dead-letter queue needs no dead-letter queue.',
    });
    const target = (rule: RulePlan) =>
      new targets.SqsQueue(props.queue, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: rule.target.retryAttempts,
        maxEventAge: Duration.seconds(rule.target.maxEventAgeSeconds),
        messageGroupId: rule.target.messageGroupId,
      });

    for (const rule of plan.rules) {
      const common = {
        ruleName: rule.name,
        description: rule.description,
        targets: [target(rule)],
      };
      if (rule.kind === 'schedule' && rule.scheduleExpression) {
        this.scheduleRule = new events.Rule(this, 'ScheduleRule', {
          ...common,
          schedule: events.Schedule.expression(rule.scheduleExpression),
        });
      } else if (rule.eventPattern) {
        this.eventRule = new events.Rule(this, 'EventRule', {
          ...common,
          eventBus: props.bus,
          eventPattern: toCdkEventPattern(rule.eventPattern),
        });
      }
    }
  }
}

/** CDK spells the top-level keys in camelCase; the values pass through unchanged. */
function toCdkEventPattern(pattern: Record<string, unknown>): events.EventPattern {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    renamed[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return renamed as events.EventPattern;
}
