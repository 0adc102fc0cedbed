import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { JobDefinition } from '../core/job.ts';
import { type AppPlan, type JobPlan, planApp } from '../core/plan.ts';

export interface ClientOptions {
  /** The registered jobs (`jobs/index.ts`): names, schemas and settings come from them. */
  readonly jobs: readonly JobDefinition[];
  /** @default - `BGJOBS_STACK`, else 'bgjobs' */
  readonly stackName?: string;
  /** @default - a client from the standard AWS environment (region, credentials, `AWS_ENDPOINT_URL_SQS`) */
  readonly sqs?: SQSClient;
  /** @default - from the standard AWS environment (`AWS_ENDPOINT_URL_EVENTBRIDGE`) */
  readonly eventBridge?: EventBridgeClient;
  /** @default - from the standard AWS environment (`AWS_ENDPOINT_URL_LAMBDA`) */
  readonly lambda?: LambdaClient;
  /** For unique enqueues. @default - from the standard AWS environment (`AWS_ENDPOINT_URL_DYNAMODB`), made on first use */
  readonly dynamodb?: DynamoDBClient;
  /** One-time runs and schedules. @default - from the standard AWS environment (`AWS_ENDPOINT_URL_SCHEDULER`) */
  readonly scheduler?: SchedulerClient;
  /** Source of events sent with `emit`. @default 'bgjobs.app' */
  readonly eventSource?: string;
  /** The clock of unique enqueues' windows, in ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** What every client operation shares: the jobs, the SDK clients and the resolved queue URLs. */
export interface ClientContext {
  readonly stackName: string;
  readonly busName: string;
  readonly eventSource: string;
  /** The clock of unique enqueues' windows. */
  readonly now: () => number;
  readonly sqs: SQSClient;
  readonly eventBridge: EventBridgeClient;
  readonly lambda: LambdaClient;
  /** The DynamoDB client of unique enqueues, loaded and made on first use. */
  dynamodb(): Promise<DynamoDBClient>;
  readonly scheduler: SchedulerClient;
  /** The app's plan: every name, queue and rule, derived once from the jobs. */
  readonly app: AppPlan;
  /** The definition of a registered job; throws UnknownJobError otherwise. */
  job(name: string): JobDefinition;
  /** The plan of a registered job; throws UnknownJobError otherwise. */
  plan(name: string): JobPlan;
  jobNames(): string[];
  /** The URL of a queue by name, looked up once (no URL is copied by hand). */
  queueUrl(queueName: string): Promise<string>;
}

export function createContext(options: ClientOptions): ClientContext {
  const app = planApp(options.jobs, {
    stackName: options.stackName ?? process.env.BGJOBS_STACK,
  });
  const sqs = options.sqs ?? sqsFromEnvironment(process.env);
  const urls = new Map<string, Promise<string>>();
  let dynamodb: Promise<DynamoDBClient> | undefined;
  return {
    stackName: app.stackName,
    busName: app.eventBusName,
    eventSource: options.eventSource ?? 'bgjobs.app',
    now: options.now ?? Date.now,
    sqs,
    eventBridge: options.eventBridge ?? new EventBridgeClient({}),
    lambda: options.lambda ?? new LambdaClient({}),
    dynamodb: () => {
      dynamodb ??= options.dynamodb
        ? Promise.resolve(options.dynamodb)
        : import('@aws-sdk/client-dynamodb').then((sdk) => new sdk.DynamoDBClient({}));
      return dynamodb;
    },
    scheduler: options.scheduler ?? new SchedulerClient({}),
    app,
    job: (name) => app.job(name).definition,
    plan: (name) => app.job(name),
    jobNames: () => app.jobs.map((job) => job.name),
    queueUrl: (queueName) => {
      let url = urls.get(queueName);
      if (!url) {
        url = sqs
          .send(new GetQueueUrlCommand({ QueueName: queueName }))
          .then((r) => r.QueueUrl ?? '');
        // A failed lookup is not cached: the next call tries again.
        url.catch(() => urls.delete(queueName));
        urls.set(queueName, url);
      }
      return url;
    },
  };
}

/**
 * An SQS client from the standard environment. With an endpoint set there
 * (`AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL`), the SDK would still send each
 * call to the host in the queue URL (fauxqs answers `sqs.<region>.localhost`,
 * which not every resolver knows); set as `endpoint`, it is used for every call.
 */
function sqsFromEnvironment(env: NodeJS.ProcessEnv): SQSClient {
  const endpoint = env.AWS_ENDPOINT_URL_SQS ?? env.AWS_ENDPOINT_URL;
  return new SQSClient(endpoint ? { endpoint } : {});
}
