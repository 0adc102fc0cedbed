import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createClient, type SelectionResult } from '../../client/index.ts';
import type { JobDefinition } from '../../core/job.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { DashboardSource } from './figures.ts';

/** What the dashboard's buttons do; the same client code as the CLI, aimed at this runtime. */
export interface DashboardActions {
  pause(job: string): Promise<void>;
  resume(job: string): Promise<void>;
  /** Moves one dead letter back to its job's queue. */
  redrive(job: string, messageId: string): Promise<SelectionResult>;
  close(): void;
}

export function dashboardActions(
  source: DashboardSource,
  jobs: readonly JobDefinition[],
): DashboardActions {
  // The runtime does not check credentials; the SDK only needs some to sign with.
  const common = {
    region: LOCAL_ENVIRONMENT.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const sqs = new SQSClient({ ...common, endpoint: source.sqsEndpoint });
  const eventBridge = new EventBridgeClient({ ...common, endpoint: source.eventsEndpoint });
  const lambda = new LambdaClient({ ...common, endpoint: source.lambdaEndpoint });
  const client = createClient({ jobs, stackName: source.stackName, sqs, eventBridge, lambda });
  return {
    pause: (job) => client.pause(job),
    resume: (job) => client.resume(job),
    redrive: (job, messageId) => client.deadLetters.redrive(job, { ids: [messageId] }),
    close: () => {
      for (const sdk of [sqs, eventBridge, lambda]) sdk.destroy();
    },
  };
}
