import type * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { AppPlan, JobPlan } from '../core/plan.ts';
import { JobFunction } from './job-function.ts';
import { JobQueues } from './job-queues.ts';
import { JobRules } from './job-rules.ts';

export interface JobProps {
  readonly app: AppPlan;
  /** The job's plan: every name and setting of its resources. */
  readonly plan: JobPlan;
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
    const { plan } = props;
    this.queues = new JobQueues(this, 'Queues', { plan });
    this.worker = new JobFunction(this, 'Worker', {
      app: props.app,
      plan,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      jobsDir: props.jobsDir,
    });
    const ruleDeadLetterQueue = plan.ruleDeadLetterQueue;
    this.rules = ruleDeadLetterQueue
      ? new JobRules(this, 'Rules', {
          plan: { ...plan, ruleDeadLetterQueue },
          queue: this.queues.queue,
          bus: props.bus,
        })
      : undefined;
  }
}
