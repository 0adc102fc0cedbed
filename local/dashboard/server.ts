import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { JobDefinition } from '../../core/job.ts';
import { closeServer, listenLocal } from '../listen-error.ts';
import { dashboardActions } from './actions.ts';
import type { DashboardSource } from './figures.ts';
import { apiReply, snapshot } from './routes.ts';
import { Sampler } from './sampler.ts';
import { loadStaticFiles } from './static-files.ts';

export interface DashboardOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly jobs: readonly JobDefinition[];
  /** The runtime whose queues and outcomes are shown. */
  readonly source: DashboardSource;
}

export interface Dashboard {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Serves the local dashboard on 127.0.0.1: the page, `GET /api/snapshot`,
 * `GET /api/events` (Server-Sent Events, one `sample` event per second), and
 * the pause, resume and redrive actions.
 *
 * @example
 * const dashboard = await startDashboard({ port: 9327, jobs, source: runtime });
 * console.log(dashboard.url);
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const files = loadStaticFiles();
  const jobNames = options.jobs.map((job) => job.name);
  const streams = new Set<ServerResponse>();
  const sampler = new Sampler(options.source, options.jobs, () => {
    // Only the open streams read this sample; building it for none costs a tick's work.
    if (streams.size === 0) return;
    const data = `event: sample\ndata: ${JSON.stringify(latest())}\n\n`;
    for (const stream of streams) stream.write(data);
  });
  const latest = () => ({
    memory: sampler.memory(),
    jobs: jobNames.map((job) => sampler.figures(job)),
  });
  const actions = dashboardActions(options.source, options.jobs);
  let port = options.port;

  const server = createServer((request, response) => {
    if (!fromThisMachine(request, port)) {
      return send(response, 403, { error: 'requests must come from this page on 127.0.0.1' });
    }
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (pathname === '/api/events' && request.method === 'GET') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      response.write(
        `event: snapshot\ndata: ${JSON.stringify(snapshot({ jobNames, sampler }))}\n\n`,
      );
      streams.add(response);
      response.on('close', () => streams.delete(response));
      return;
    }
    const file = request.method === 'GET' ? files.get(pathname) : undefined;
    if (file) {
      response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' });
      return response.end(file.body);
    }
    apiReply(request.method ?? 'GET', pathname, { jobNames, sampler, actions }).then(
      (reply) =>
        send(response, reply?.status ?? 404, reply?.body ?? { error: `no such page: ${pathname}` }),
      (error: Error) => send(response, 500, { error: error.message }),
    );
  });
  port = await listenLocal(server, options.port, 'Dashboard');
  sampler.start();
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: async () => {
      await sampler.stop();
      for (const stream of streams) stream.end();
      actions.close();
      await closeServer(server);
    },
  };
}

/**
 * Binding to 127.0.0.1 keeps other machines out; checking Host and Origin also
 * keeps out web pages in this machine's browser (DNS rebinding, cross-site POSTs).
 */
function fromThisMachine(request: IncomingMessage, port: number): boolean {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!hosts.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || hosts.some((host) => origin === `http://${host}`);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
