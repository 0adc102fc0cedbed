/**
 * The part of the Lambda API that operators use on event source mappings
 * (`ListEventSourceMappings`, `GetEventSourceMapping`, `UpdateEventSourceMapping`
 * with `Enabled`), so `@aws-sdk/client-lambda` pauses and resumes a job locally
 * with the same calls as on AWS. Lambda's REST protocol, on 127.0.0.1 only.
 * Also `GET /_bgjobs/memory`, which is no AWS API: the runtime's memory and its
 * SQS endpoint's, for `bgjobs flood`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LOCAL_MEMORY_PATH, type LocalMemory } from '../../client/local-memory.ts';
import { arns } from '../../core/arns.ts';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import type { JobPlan } from '../../core/plan.ts';
import { closeServer, listenLocal } from '../listen-error.ts';

const PATH = '/2015-03-31/event-source-mappings';

export interface LocalMapping {
  readonly uuid: string;
  /** The job's plan: its function name and event source mapping settings. */
  readonly job: JobPlan;
  readonly eventSourceArn: string;
  isEnabled(): boolean;
  setEnabled(enabled: boolean): void;
}

export interface LambdaApiEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startLambdaApi(options: {
  port: number;
  mappings: readonly LocalMapping[];
  memory: () => Promise<LocalMemory>;
}): Promise<LambdaApiEndpoint> {
  const byUuid = new Map(options.mappings.map((m) => [m.uuid, m]));
  const server = createServer((request, response) => {
    const reply =
      request.url === LOCAL_MEMORY_PATH && request.method === 'GET'
        ? options.memory().then((memory): [number, unknown] => [200, memory])
        : handle(request, byUuid, options.mappings);
    reply.then(
      ([status, body]) => send(response, status, body),
      (error: Error) => send(response, 500, { Type: 'Service', Message: error.message }),
    );
  });
  const port = await listenLocal(server, options.port, 'Lambda endpoint');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => closeServer(server),
  };
}

async function handle(
  request: IncomingMessage,
  byUuid: Map<string, LocalMapping>,
  all: readonly LocalMapping[],
): Promise<[number, unknown]> {
  const url = new URL(request.url ?? '/', 'http://local');
  if (!url.pathname.startsWith(PATH)) return notFound(`no such resource: ${url.pathname}`);
  const uuid = decodeURIComponent(url.pathname.slice(PATH.length).replace(/^\//, ''));
  if (request.method === 'GET' && uuid === '') {
    const functionName = url.searchParams.get('FunctionName');
    const sourceArn = url.searchParams.get('EventSourceArn');
    const found = all.filter(
      (m) =>
        (!functionName ||
          functionName === m.job.function.name ||
          functionName.endsWith(`:${m.job.function.name}`)) &&
        (!sourceArn || sourceArn === m.eventSourceArn),
    );
    return [200, { EventSourceMappings: found.map(describe) }];
  }
  const mapping = byUuid.get(uuid);
  if (!mapping)
    return notFound(`The resource you requested does not exist. (Service: Lambda, UUID: ${uuid})`);
  if (request.method === 'GET') return [200, describe(mapping)];
  if (request.method === 'PUT') {
    const body = JSON.parse((await readBody(request)) || '{}') as { Enabled?: unknown };
    if (typeof body.Enabled === 'boolean') mapping.setEnabled(body.Enabled);
    return [202, describe(mapping)];
  }
  return [405, { Type: 'User', Message: `${request.method} is not supported here` }];
}

function describe(mapping: LocalMapping) {
  const settings = mapping.job.eventSourceMapping;
  return {
    UUID: mapping.uuid,
    FunctionArn: arns.function(LOCAL_ENVIRONMENT, mapping.job.function.name),
    EventSourceArn: mapping.eventSourceArn,
    State: mapping.isEnabled() ? 'Enabled' : 'Disabled',
    BatchSize: settings.batchSize,
    MaximumBatchingWindowInSeconds: settings.maxBatchingWindowSeconds,
    ScalingConfig: { MaximumConcurrency: settings.maxConcurrency },
    FunctionResponseTypes: ['ReportBatchItemFailures'],
  };
}

function notFound(message: string): [number, unknown] {
  return [404, { Type: 'User', Message: message, __type: 'ResourceNotFoundException' }];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(status >= 400
      ? { 'x-amzn-errortype': (body as { __type?: string }).__type ?? 'ServiceException' }
      : {}),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      data += chunk;
    });
    request.on('end', () => resolve(data));
    request.on('error', reject);
  });
}
