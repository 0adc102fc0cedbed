import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { JobDefinition } from '../core/job.ts';
import { hasRule } from '../core/job.ts';
import { jobResourceNames } from '../core/naming.ts';
import { JobFunction } from './job-function.ts';
import { JobQueues } from './job-queues.ts';
import { JobRules } from './job-rules.ts';

export interface JobProps {
  readonly job: JobDefinition;
  /** Prefix of every resource name; a client finds the job's queue from it and the job name. */
  readonly stackName: string;
  readonly bus: events.IEventBus;
  /** The folder holding `<job name>.ts` for each job. */
  readonly jobsDir: string;
}

/** Everything one job needs on AWS: queues, function, event source mapping and rules. */
export class Job extends Construct {
  readonly queues: JobQueues;
  readonly worker: JobFunction;
  readonly rules: JobRules | undefined;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(scope, id);
    const { job } = props;
    const names = jobResourceNames(props.stackName, job.name, job.settings.fifo !== undefined);
    this.queues = new JobQueues(this, 'Queues', { job, names });
    this.worker = new JobFunction(this, 'Worker', {
      job,
      names,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      jobsDir: props.jobsDir,
    });
    this.rules = hasRule(job)
      ? new JobRules(this, 'Rules', { job, names, queue: this.queues.queue, bus: props.bus })
      : undefined;
  }
}
