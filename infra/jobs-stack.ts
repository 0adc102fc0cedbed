import path from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { BgjobsError } from '../core/errors.ts';
import type { JobDefinition } from '../core/job.ts';
import { assertValidStackName, eventBusName } from '../core/naming.ts';
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
  readonly bus: events.EventBus;
  /** The jobs' constructs by job name. */
  readonly jobs: ReadonlyMap<string, Job>;
  /** The dashboard, the alarms and their topic. */
  readonly monitoring: StackMonitoring;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);
    assertValidStackName(this.stackName);
    assertUniqueNames(props.jobs);
    const jobsDir = props.jobsDir ?? path.resolve(import.meta.dirname, '..', 'jobs');

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: eventBusName(this.stackName) });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });

    const constructs = new Map<string, Job>();
    for (const job of props.jobs) {
      const id = constructId(job.name);
      const construct = new Job(this, id, {
        job,
        stackName: this.stackName,
        bus: this.bus,
        jobsDir,
      });
      constructs.set(job.name, construct);
      new CfnOutput(this, `${id}QueueUrl`, { value: construct.queues.queue.queueUrl });
      new CfnOutput(this, `${id}DeadLetterQueueUrl`, {
        value: construct.queues.deadLetterQueue.queueUrl,
      });
    }
    this.jobs = constructs;
    this.monitoring = new StackMonitoring(this, 'Monitoring', {
      jobs: props.jobs,
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

function assertUniqueNames(jobs: readonly JobDefinition[]): void {
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.name))
      throw new BgjobsError(`two jobs are named "${job.name}"; job names must be unique`);
    seen.add(job.name);
    ids.add(constructId(job.name));
  }
  if (ids.size !== seen.size) {
    throw new BgjobsError('two job names differ only in hyphens and case; rename one of them');
  }
}
