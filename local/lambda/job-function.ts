import path from 'node:path';
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { type AppPlan, functionEnvironment, type JobPlan } from '../../core/plan.ts';
import type { JobQueueSet } from '../sqs/queues.ts';
import { bundleDir, jobBundle } from './job-bundle.ts';
import { lambdaEnvironment, logStreamName, queueUrlOnEndpoint } from './lambda-environment.ts';
import type { WorkerConfig } from './worker-protocol.ts';

export interface LocalJobFunction {
  readonly config: WorkerConfig;
  /** A fresh environment per execution environment (each has its own log stream). */
  readonly environment: () => Record<string, string>;
}

/**
 * A job's function as the local runtime runs it: the bundle `cdk deploy`
 * ships (built or taken from the cache), the plan's function name and
 * configuration, and the environment Lambda and the stack give it, pointed at
 * the local queues.
 */
export async function localJobFunction(options: {
  app: AppPlan;
  job: JobPlan;
  jobsDir: string;
  queues: JobQueueSet;
  sqsEndpoint: string;
}): Promise<LocalJobFunction> {
  const { app, job, queues, sqsEndpoint } = options;
  const jobFile = path.join(options.jobsDir, `${job.name}.ts`);
  const dir = bundleDir(jobFile);
  const bundle = await jobBundle({ job: job.definition, jobFile, dir });
  const fn = {
    functionName: job.function.name,
    memoryMB: job.function.memoryMB,
    region: LOCAL_ENVIRONMENT.region,
    codeDir: dir,
    sqsEndpoint,
    variables: functionEnvironment(app, job, {
      queueUrl: queueUrlOnEndpoint(queues.queue.url, sqsEndpoint),
      deadLetterQueueUrl: queueUrlOnEndpoint(queues.deadLetterQueue.url, sqsEndpoint),
    }),
  };
  return {
    config: {
      jobName: job.name,
      bundleFile: bundle.file,
      functionArn: arns.function(LOCAL_ENVIRONMENT, job.function.name),
    },
    environment: () => lambdaEnvironment(fn, logStreamName(new Date())),
  };
}
