/**
 * The environment of a local execution environment: what Lambda's Node.js 24
 * runtime defines (its documented "defined runtime environment variables"),
 * the function's own variables (`functionEnvironment`, as the stack sets
 * them), and the SQS and DynamoDB endpoints, through the variables every AWS SDK reads.
 * Nothing else of the runtime's own environment reaches a job.
 */
import { randomBytes } from 'node:crypto';

export interface LocalFunction {
  readonly functionName: string;
  readonly memoryMB: number;
  readonly region: string;
  /** The folder of the bundle (`index.mjs`): Lambda's `/var/task`. */
  readonly codeDir: string;
  /** What the stack sets on the function: `functionEnvironment(...)` of core/plan.ts. */
  readonly variables: Readonly<Record<string, string>>;
  /** `http://127.0.0.1:PORT` of the SQS endpoint the function's SDK client must call. */
  readonly sqsEndpoint: string;
  /** The DynamoDB endpoint of the idempotency table, when the app has one. */
  readonly dynamodbEndpoint?: string;
}

/** Lambda's defined variables for `fn`, then the function's own, then the local endpoints. */
export function lambdaEnvironment(
  fn: LocalFunction,
  logStreamName: string,
): Record<string, string> {
  return {
    _HANDLER: 'index.handler',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMB),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // What makes Powertools report cold_start: true on an environment's first invocation.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_REGION: fn.region,
    AWS_DEFAULT_REGION: fn.region,
    // Lambda sets the execution role's credentials; the embedded SQS takes any.
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: 'local',
    LAMBDA_TASK_ROOT: fn.codeDir,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    // Lambda's PATH names its own folders; a job that runs a program finds this machine's.
    PATH: process.env.PATH ?? '',
    ...fn.variables,
    AWS_ENDPOINT_URL_SQS: fn.sqsEndpoint,
    ...(fn.dynamodbEndpoint && { AWS_ENDPOINT_URL_DYNAMODB: fn.dynamodbEndpoint }),
  };
}

/** A log stream name as Lambda makes them: `2026/12/01/[$LATEST]` and 32 hex digits. */
export function logStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/**
 * A queue URL on the endpoint's origin. fauxqs names its queues
 * `http://sqs.<region>.localhost:PORT/...`; an SDK client configured by
 * `AWS_ENDPOINT_URL_SQS` alone sends each call to the queue URL's host, which
 * not every resolver knows, so the function gets the URL it can reach.
 */
export function queueUrlOnEndpoint(queueUrl: string, sqsEndpoint: string): string {
  return new URL(new URL(queueUrl).pathname, sqsEndpoint).href;
}
