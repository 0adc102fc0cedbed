import { toError } from '../../core/errors.ts';
import type { DashboardActions } from './actions.ts';
import {
  DUPLICATES_WINDOW_SECONDS,
  DURATION_WINDOW_SECONDS,
  HISTORY_SECONDS,
  SAMPLE_INTERVAL_MS,
  type Sampler,
} from './sampler.ts';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export interface RouteDeps {
  readonly jobNames: readonly string[];
  readonly sampler: Sampler;
  readonly actions: DashboardActions;
}

const JOB_ACTION = /^\/api\/jobs\/([^/]+)\/(pause|resume)$/;
const REDRIVE = /^\/api\/jobs\/([^/]+)\/dead-letters\/([^/]+)\/redrive$/;
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Every job's figures and its last 10 minutes of samples: what the page draws on load. */
export function snapshot({ jobNames, sampler }: Pick<RouteDeps, 'jobNames' | 'sampler'>) {
  return {
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    historySeconds: HISTORY_SECONDS,
    durationWindowSeconds: DURATION_WINDOW_SECONDS,
    memory: { latest: sampler.memory(), series: sampler.memorySeries() },
    jobs: jobNames.map((job) => ({ ...sampler.figures(job), series: sampler.series(job) })),
  };
}

/** Suppressed duplicates per job over the last day: what `bgjobs status --local` reads. */
export function duplicates({ jobNames, sampler }: Pick<RouteDeps, 'jobNames' | 'sampler'>) {
  return {
    windowSeconds: DUPLICATES_WINDOW_SECONDS,
    jobs: Object.fromEntries(jobNames.map((job) => [job, sampler.duplicatesSuppressed(job)])),
  };
}

/** The JSON API: a reply for `/api/...` paths, undefined for anything else. */
export async function apiReply(
  method: string,
  pathname: string,
  deps: RouteDeps,
): Promise<Reply | undefined> {
  if (!pathname.startsWith('/api/')) return undefined;
  if (pathname === '/api/snapshot') {
    return method === 'GET' ? { status: 200, body: snapshot(deps) } : onlyMethod('GET');
  }
  if (pathname === '/api/duplicates') {
    return method === 'GET' ? { status: 200, body: duplicates(deps) } : onlyMethod('GET');
  }
  const action = JOB_ACTION.exec(pathname);
  const redrive = REDRIVE.exec(pathname);
  if (!action && !redrive) return problem(404, `no such API path: ${pathname}`);
  if (method !== 'POST') return onlyMethod('POST');
  const job = decoded((action ?? redrive)?.[1]);
  if (job === undefined || !deps.jobNames.includes(job)) {
    return problem(
      404,
      `unknown job "${job ?? (action ?? redrive)?.[1]}"; jobs: ${deps.jobNames.join(', ')}`,
    );
  }
  if (action) {
    const verb = action[2] as 'pause' | 'resume';
    return attempt(`${verb} ${job}`, async () => {
      await deps.actions[verb](job);
      return { status: 200, body: { job: deps.sampler.figures(job) } };
    });
  }
  const messageId = decoded(redrive?.[2]);
  if (messageId === undefined || !MESSAGE_ID.test(messageId)) {
    return problem(
      400,
      `"${messageId ?? redrive?.[2]}" is not a message id: expected 1 to 128 letters, digits, "-" or "_"`,
    );
  }
  return attempt(`redrive ${messageId} of ${job}`, async () => {
    const result = await deps.actions.redrive(job, messageId);
    if (result.notFound.length > 0) {
      return problem(404, `no dead letter ${messageId} in the dead-letter queue of ${job}`);
    }
    const failure = result.failed[0];
    if (failure) return problem(502, `could not redrive ${messageId}: ${failure.error}`);
    return { status: 200, body: { redriven: result.selected, job: deps.sampler.figures(job) } };
  });
}

async function attempt(what: string, work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await work();
  } catch (error) {
    return problem(502, `${what} failed: ${toError(error).message}`);
  }
}

function decoded(segment: string | undefined): string | undefined {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    // A malformed %-escape names no job and no message: the caller answers 404 or 400.
    return undefined;
  }
}

function onlyMethod(method: string): Reply {
  return problem(405, `use ${method} for this path`);
}

function problem(status: number, error: string): Reply {
  return { status, body: { error } };
}
