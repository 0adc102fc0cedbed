import path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import { type AppPlan, planApp, type RemovalPolicy } from '../core/plan.ts';
import { JobStack } from './job-stack.ts';
import { MonitoringTopic } from './monitoring-topic.ts';
import { OverviewDashboard } from './overview-dashboard.ts';

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
 * overview dashboard), with a stack of its own for each job below it
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

    const stacks = new Map<string, JobStack>();
    for (const plan of this.plan.jobs) {
      const stack = new JobStack(this, plan.stackId, {
        app: this.plan,
        plan,
        jobsDir,
        env: props.env,
        dashboard: props.jobDashboards,
      });
      // It refers to the bus and the topic by name only: deploy this stack first.
      stack.addStackDependency(this);
      stacks.set(plan.name, stack);
    }
    this.jobs = stacks;
  }
}
