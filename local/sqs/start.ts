import { SQSClient } from '@aws-sdk/client-sqs';
import type { ProcessMemory } from '../../client/local-memory.ts';
import type { BgjobsError } from '../../core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { startSqsProcess } from './sqs-process.ts';

export interface LocalSqs {
  /** `http://127.0.0.1:PORT`, or the external endpoint. */
  readonly endpoint: string;
  /** A client on that endpoint for every call (queue URLs name a host the resolver may not know). */
  readonly client: SQSClient;
  /** The embedded endpoint's process id; undefined for an external endpoint. */
  readonly pid: number | undefined;
  /** The embedded endpoint's own memory; undefined for an external endpoint or once it ended. */
  memory(): Promise<ProcessMemory | undefined>;
  stop(): Promise<void>;
}

/**
 * The SQS endpoint of the runtime: the embedded fauxqs on 127.0.0.1 in a
 * process of its own, persisted under `dataDir` (in memory without one), or
 * an external endpoint. `onExit` hears of the embedded endpoint ending by itself.
 */
export async function startSqs(options: {
  readonly port: number;
  readonly dataDir: string | undefined;
  readonly external?: string;
  readonly onExit: (error: BgjobsError) => void;
}): Promise<LocalSqs> {
  const server = options.external
    ? {
        endpoint: options.external,
        pid: undefined,
        memory: async () => undefined,
        stop: async () => {},
      }
    : await startSqsProcess({
        port: options.port,
        dataDir: options.dataDir,
        onExit: options.onExit,
      });
  const client = new SQSClient({
    endpoint: server.endpoint,
    region: LOCAL_ENVIRONMENT.region,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    endpoint: server.endpoint,
    client,
    pid: server.pid,
    memory: () => server.memory(),
    stop: async () => {
      client.destroy();
      await server.stop();
    },
  };
}
