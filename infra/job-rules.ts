import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import type { JobResourceNames } from '../core/naming.ts';
import { RULE_TARGET_RETRY, ruleDeadLetterQueueSpec } from '../core/queue-spec.ts';
import { queueProps } from './job-queues.ts';

export interface JobRulesProps {
  readonly job: JobDefinition;
  readonly names: JobResourceNames;
  readonly queue: sqs.IQueue;
  /** The bus the job's event pattern listens on. */
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
    const { job, names } = props;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: names.ruleDeadLetterQueueName,
      ...queueProps(ruleDeadLetterQueueSpec()),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the rule target; a dead-letter queue needs no dead-letter queue.',
    });
    const target = new targets.SqsQueue(props.queue, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: RULE_TARGET_RETRY.retryAttempts,
      maxEventAge: Duration.seconds(RULE_TARGET_RETRY.maxEventAgeSeconds),
      messageGroupId: job.settings.fifo?.defaultGroupId,
    });

    if (job.schedule) {
      this.scheduleRule = new events.Rule(this, 'ScheduleRule', {
        ruleName: names.scheduleRuleName,
        description: `Starts the bgjobs job "${job.name}" on ${job.schedule.expression} (UTC)`,
        schedule: events.Schedule.expression(job.schedule.expression),
        targets: [target],
      });
    }
    if (job.events) {
      this.eventRule = new events.Rule(this, 'EventRule', {
        ruleName: names.eventRuleName,
        description: `Starts the bgjobs job "${job.name}" on matching events`,
        eventBus: props.bus,
        eventPattern: toCdkEventPattern(job.events),
        targets: [target],
      });
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
