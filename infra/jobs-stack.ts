import path from 'node:path';
import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import { type AppPlan, planApp } from '../core/plan.ts';
import { Job } from './job.ts';
import { StackMonitoring } from './stack-monitoring.ts';

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
}

/** One stack for all jobs: an event bus, and per job its queues, function and rules. */
export class JobsStack extends Stack {
  /** Everything derived from the jobs, once: the resources below are built from it. */
  readonly plan: AppPlan;
  readonly bus: events.EventBus;
  /** The jobs' constructs by job name. */
  readonly jobs: ReadonlyMap<string, Job>;
  /** The dashboard, the alarms and their topic. */
  readonly monitoring: StackMonitoring;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    this.plan = planApp(props.jobs, { stackName: this.stackName });
    for (const warning of this.plan.warnings)
      Annotations.of(this).addWarningV2('bgjobs:settings', warning);
    const jobsDir = props.jobsDir ?? path.resolve(import.meta.dirname, '..', 'jobs');

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: this.plan.eventBusName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });

    const constructs = new Map<string, Job>();
    for (const plan of this.plan.jobs) {
      const id = constructId(plan.name);
      const construct = new Job(this, id, { app: this.plan, plan, bus: this.bus, jobsDir });
      constructs.set(plan.name, construct);
      new CfnOutput(this, `${id}QueueUrl`, { value: construct.queues.queue.queueUrl });
      new CfnOutput(this, `${id}DeadLetterQueueUrl`, {
        value: construct.queues.deadLetterQueue.queueUrl,
      });
    }
    this.jobs = constructs;
    this.monitoring = new StackMonitoring(this, 'Monitoring', {
      plan: this.plan,
      resources: constructs,
      alarmEmail: props.alarmEmail,
    });
  }
}

/** `send-email` becomes `SendEmail`: construct ids are a contract, derived from the job name only. */
export function constructId(jobName: string): string {
  return jobName
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
