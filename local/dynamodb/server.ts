import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { BgjobsError } from '../../core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { closeServer, listenLocal } from '../listen-error.ts';
import { returnItemOnConditionCheckFailure } from './condition-check-item.ts';
import { DEFAULT_EXPIRY_SWEEP_MS, type ExpirySweeper, startExpirySweeper } from './expiry.ts';
import { describeTable } from './table.ts';
import { TimeToLiveSettings, timeToLiveReply } from './time-to-live.ts';

export interface DynamoDbServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Folder for the tables (LevelDB); undefined keeps everything in memory. */
  readonly dataDir: string | undefined;
  /** How often expired items are deleted. @default 60_000 */
  readonly expirySweepMs?: number;
  readonly onError?: (error: Error) => void;
}

export interface DynamoDbServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  /** Deletes the expired items now (tests); resolves with how many. */
  sweepExpired(): Promise<number>;
  stop(): Promise<void>;
}

const TTL_OPERATIONS = new Set(['UpdateTimeToLive', 'DescribeTimeToLive']);

/**
 * DynamoDB on 127.0.0.1: dynalite (DynamoDB's API on LevelDB), plus what it
 * lacks and bgjobs uses: the item that failed a condition
 * (`ReturnValuesOnConditionCheckFailure`), the TTL settings, and the deletion
 * of expired items.
 */
export async function startDynamoDbServer(options: DynamoDbServerOptions): Promise<DynamoDbServer> {
  returnItemOnConditionCheckFailure();
  const tablesDir = options.dataDir && path.join(options.dataDir, 'dynamodb');
  if (tablesDir) assertWritable(tablesDir);
  const server = dynalite({
    path: tablesDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const settings = new TimeToLiveSettings(tablesDir);
  let client: DynamoDBClient | undefined;
  // The client is made once the server listens, before any request can arrive.
  const tableExists = async (table: string) =>
    (await describeTable(client as DynamoDBClient, table)) !== undefined;
  const [dynaliteHandler] = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (!TTL_OPERATIONS.has(operation)) return dynaliteHandler?.(request, response);
    readJson(request)
      .then((body) => timeToLiveReply(operation as 'UpdateTimeToLive', body, settings, tableExists))
      .then(
        (reply) => send(response, reply.status, reply.body),
        (error: Error) =>
          send(response, 500, {
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: error.message,
          }),
      );
  });

  const port = await listenLocal(server, options.port, 'DynamoDB endpoint').catch(
    async (error: unknown) => {
      // dynalite's close also closes LevelDB, which it opened already.
      await closeServer(server);
      throw error;
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  client = new DynamoDBClient({
    endpoint,
    region: LOCAL_ENVIRONMENT.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const sweeper: ExpirySweeper = startExpirySweeper({
    client,
    settings,
    intervalMs: options.expirySweepMs ?? DEFAULT_EXPIRY_SWEEP_MS,
    onError: options.onError,
  });
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    port,
    sweepExpired: () => sweeper.sweep(),
    stop: () => {
      stopped ??= (async () => {
        await sweeper.stop();
        client?.destroy();
        // dynalite's close also closes LevelDB, once the requests in flight are answered.
        await closeServer(server);
      })();
      return stopped;
    },
  };
}

function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', reject);
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function assertWritable(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new BgjobsError(`data folder ${dir} is not writable: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
