import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS, LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { startSqsServer } from './server.ts';

export interface LocalSqs {
  /** `http://127.0.0.1:PORT`, or the external endpoint. */
  readonly endpoint: string;
  /** A client on that endpoint for every call (queue URLs name a host the resolver may not know). */
  readonly client: SQSClient;
  stop(): Promise<void>;
}

/**
 * The SQS endpoint of the runtime: the embedded fauxqs on 127.0.0.1,
 * persisted under `dataDir` (in memory without one), or an external endpoint.
 */
export async function startSqs(options: {
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly external?: string;
}): Promise<LocalSqs> {
  const server = options.external
    ? { endpoint: options.external, stop: async () => {} }
    : await startSqsServer({ port: options.port, dataDir: options.dataDir });
  const client = new SQSClient({
    endpoint: server.endpoint,
    region: LOCAL_ENVIRONMENT.region,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    endpoint: server.endpoint,
    client,
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}
