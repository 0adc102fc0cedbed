import path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import { type AppPlan, planApp, type RemovalPolicy } from '../core/plan.ts';
import { IdempotencyTable } from './idempotency-table.ts';
import { JobStack } from './job-stack.ts';
import { MonitoringTopic } from './monitoring-topic.ts';
import { OverviewDashboard } from './overview-dashboard.ts';
import { SchedulerAccess } from './scheduler-access.ts';

export interface JobsStackProps extends StackProps {
  /** The jobs to deploy: the registry in `jobs/index.ts`. */
  readonly jobs: readonly JobDefinition[];
  /**
   * The folder holding `<job name>.ts` for each job.
   * @default - `jobs/` at the project root
   */
  readonly jobsDir?: string;
  /**
   * An address that gets every alarm and OK notification by e-mail.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * What deleting a job queue (its stack, or a replacement) does to it.
   * Dead-letter queues are always retained.
   * @default 'retain'
   */
  readonly queueRemoval?: RemovalPolicy;
  /**
   * A dashboard per job besides the overview ($3 a month each beyond three).
   * @default false
   */
  readonly jobDashboards?: boolean;
}

/**
 * The app's stack: what the jobs share (the event bus, the alarm topic, the
 * overview dashboard, the EventBridge Scheduler group and role, the
 * idempotency table when a job needs it), with a stack of its own for each job below it
 * (construct id `Job-<name>`, stack name `<stack>--<job>`, both from the plan).
 * Nothing crosses between them but names from the plan: a job's stack is
 * deployed after this one, and that is all it knows of it.
 */
export class JobsStack extends Stack {
  /** Everything derived from the jobs, once: the resources below are built from it. */
  readonly plan: AppPlan;
  readonly bus: events.EventBus;
  readonly alarmTopic: sns.Topic;
  readonly overview: OverviewDashboard;
  /** The idempotency table: only when some job has `idempotency` or `uniqueEnqueues`. */
  readonly idempotency: IdempotencyTable | undefined;
  /** The schedule group, Scheduler's role and the producers' policy for one-time runs. */
  readonly scheduler: SchedulerAccess;
  /** Each job's stack, by job name. */
  readonly jobs: ReadonlyMap<string, JobStack>;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.plan = planApp(props.jobs, {
      stackName: this.stackName,
      queueRemoval: props.queueRemoval,
    });
    for (const warning of this.plan.warnings)
      Annotations.of(this).addWarningV2('bgjobs:settings', warning);
    const jobsDir = props.jobsDir ?? path.resolve(import.meta.dirname, '..', 'jobs');

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: this.plan.eventBusName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    this.alarmTopic = new MonitoringTopic(this, 'AlarmTopic', {
      stackName: this.stackName,
      topicName: this.plan.alarmTopicName,
      alarmEmail: props.alarmEmail,
    }).topic;
    this.overview = new OverviewDashboard(this, 'Overview', { app: this.plan });
    // Every job can be enqueued to run later (a one-time schedule), so the group is always there.
    this.scheduler = new SchedulerAccess(this, 'Scheduler', { app: this.plan });
    new CfnOutput(this, 'SchedulerProducerPolicyArn', {
      description:
        'Attach to whatever enqueues runs for later (or with unique keys), cancels or lists them',
      value: this.scheduler.producerPolicy.managedPolicyArn,
    });
    this.idempotency = this.plan.idempotencyTable
      ? new IdempotencyTable(this, 'Idempotency', { plan: this.plan })
      : undefined;

    const stacks = new Map<string, JobStack>();
    for (const plan of this.plan.jobs) {
      const stack = new JobStack(this, plan.stackId, {
        app: this.plan,
        plan,
        jobsDir,
        env: props.env,
        dashboard: props.jobDashboards,
      });
      // It refers to the bus, the topic and the table by name only: deploy this stack first.
      stack.addStackDependency(this);
      stacks.set(plan.name, stack);
    }
    this.jobs = stacks;
  }
}
