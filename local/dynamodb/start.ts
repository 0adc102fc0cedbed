import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { IdempotencyTablePlan } from '../../core/plan.ts';
import { startDynamoDbServer } from './server.ts';
import { ensureIdempotencyTable } from './table.ts';

export interface LocalDynamoDb {
  /** `http://127.0.0.1:PORT`, or the external endpoint. */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/**
 * The DynamoDB endpoint of the runtime, with the app's idempotency table as
 * the stack creates it: the embedded one on 127.0.0.1, persisted under
 * `dataDir` (in memory without one), or an external endpoint.
 */
export async function startDynamoDb(options: {
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly table: IdempotencyTablePlan;
  readonly external?: string;
  readonly onError?: (error: Error) => void;
}): Promise<LocalDynamoDb> {
  const server = options.external
    ? { endpoint: options.external, stop: async () => {} }
    : await startDynamoDbServer({
        port: options.port,
        dataDir: options.dataDir,
        onError: options.onError,
      });
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: LOCAL_ENVIRONMENT.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const stop = async () => {
    client.destroy();
    await server.stop();
  };
  try {
    await ensureIdempotencyTable(client, options.table);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: server.endpoint, client, stop };
}
