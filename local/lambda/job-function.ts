import path from 'node:path';
import type { JobDefinition } from '../../core/job.ts';
import { jobResourceNames } from '../../core/naming.ts';
import { functionEnvironment } from '../../functions/env.ts';
import { LOCAL_ACCOUNT } from '../eventbridge/rules.ts';
import type { JobQueueSet } from '../sqs/queues.ts';
import { bundleDir, jobBundle } from './job-bundle.ts';
import { lambdaEnvironment, logStreamName, queueUrlOnEndpoint } from './lambda-environment.ts';
import type { WorkerConfig } from './worker-protocol.ts';

export interface LocalJobFunction {
  /** The stack's name for the function, as the Lambda API and `bgjobs run` say it. */
  readonly functionName: string;
  readonly config: WorkerConfig;
  /** A fresh environment per execution environment (each has its own log stream). */
  readonly environment: () => Record<string, string>;
}

/**
 * A job's function as the local runtime runs it: the bundle `cdk deploy`
 * ships (built or taken from the cache), the stack's function name, and the
 * environment Lambda and the stack give it, pointed at the local queues.
 */
export async function localJobFunction(options: {
  job: JobDefinition;
  jobsDir: string;
  stackName: string;
  region: string;
  queues: JobQueueSet;
  sqsEndpoint: string;
}): Promise<LocalJobFunction> {
  const { job, queues, sqsEndpoint } = options;
  const jobFile = path.join(options.jobsDir, `${job.name}.ts`);
  const dir = bundleDir(jobFile);
  const bundle = await jobBundle({ jobName: job.name, jobFile, dir });
  const { functionName } = jobResourceNames(
    options.stackName,
    job.name,
    job.settings.fifo !== undefined,
  );
  const fn = {
    functionName,
    memoryMB: job.settings.memoryMB,
    region: options.region,
    codeDir: dir,
    sqsEndpoint,
    variables: functionEnvironment(job.name, {
      queueUrl: queueUrlOnEndpoint(queues.queue.url, sqsEndpoint),
      deadLetterQueueUrl: queueUrlOnEndpoint(queues.deadLetterQueue.url, sqsEndpoint),
    }),
  };
  return {
    functionName,
    config: {
      jobName: job.name,
      bundleFile: bundle.file,
      functionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT}:function:${functionName}`,
    },
    environment: () => lambdaEnvironment(fn, logStreamName(new Date())),
  };
}
