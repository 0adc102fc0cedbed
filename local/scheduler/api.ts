/**
 * The local EventBridge Scheduler endpoint, on 127.0.0.1: `@aws-sdk/client-scheduler` and
 * `aws scheduler ... --endpoint-url` talk to it as to Scheduler. Schedules and schedule
 * groups only (no tags); any other path is a `ResourceNotFoundException` naming what is served.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { closeServer, listenLocal } from '../listen-error.ts';
import {
  createGroup,
  createSchedule,
  deleteGroup,
  deleteSchedule,
  getGroup,
  getSchedule,
  listGroups,
  listSchedules,
  type OperationDeps,
  updateSchedule,
} from './operations.ts';
import { readJsonBody, SchedulerApiError, sendError, sendResult } from './protocol.ts';

const HOST = '127.0.0.1';

export interface SchedulerEndpoint {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * @example
 * const api = await startSchedulerApi({ port: 9328, deps });
 * // aws scheduler list-schedules --endpoint-url http://127.0.0.1:9328
 */
export async function startSchedulerApi(options: {
  readonly port: number;
  readonly deps: OperationDeps;
}): Promise<SchedulerEndpoint> {
  const { deps } = options;
  const server = createServer((request, response) => {
    answer(deps, request).then(
      (result) => sendResult(response, result),
      (error: unknown) => sendError(response, error),
    );
  });
  const boundPort = await listenLocal(server, options.port, 'scheduler endpoint');
  return {
    endpoint: `http://${HOST}:${boundPort}`,
    port: boundPort,
    stop: () => closeServer(server),
  };
}

async function answer(deps: OperationDeps, request: IncomingMessage): Promise<unknown> {
  const url = new URL(request.url ?? '/', `http://${HOST}`);
  const [collection, encodedName, extra] = url.pathname.split('/').filter(Boolean);
  const name = encodedName === undefined ? undefined : decodeURIComponent(encodedName);
  const method = request.method ?? 'GET';
  const body = method === 'POST' || method === 'PUT' ? await readJsonBody(request) : {};
  if (method === 'GET' || method === 'DELETE') request.resume();
  const query = url.searchParams;
  if (extra === undefined && collection === 'schedules') {
    if (name === undefined && method === 'GET') return listSchedules(deps, query);
    if (name !== undefined && method === 'POST') return createSchedule(deps, name, body);
    if (name !== undefined && method === 'GET') return getSchedule(deps, name, query);
    if (name !== undefined && method === 'PUT') return updateSchedule(deps, name, body);
    if (name !== undefined && method === 'DELETE') return deleteSchedule(deps, name, query);
  }
  if (extra === undefined && collection === 'schedule-groups') {
    if (name === undefined && method === 'GET') return listGroups(deps, query);
    if (name !== undefined && method === 'POST') return createGroup(deps, name);
    if (name !== undefined && method === 'GET') return getGroup(deps, name);
    if (name !== undefined && method === 'DELETE') return deleteGroup(deps, name);
  }
  throw new SchedulerApiError(
    'ResourceNotFoundException',
    `${method} ${url.pathname} is not served here; this endpoint serves /schedules and /schedule-groups (Create, Get, List, Update, Delete)`,
  );
}
