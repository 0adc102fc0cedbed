import { describe, expect, it } from 'vitest';
import type { SelectionResult } from '../../client/index.ts';
import type { DashboardActions } from '../../local/dashboard/actions.ts';
import { apiReply, type RouteDeps } from '../../local/dashboard/routes.ts';
import type { Sampler } from '../../local/dashboard/sampler.ts';

function deps(redriveResult: Partial<SelectionResult> = {}) {
  const calls: string[] = [];
  const actions: DashboardActions = {
    pause: async (job) => void calls.push(`pause ${job}`),
    resume: async (job) => void calls.push(`resume ${job}`),
    redrive: async (job, id) => {
      calls.push(`redrive ${job} ${id}`);
      return { selected: [id], notFound: [], failed: [], ...redriveResult };
    },
    close: () => {},
  };
  const sampler = { figures: (job: string) => ({ job }), series: () => ({}) } as unknown as Sampler;
  const routeDeps: RouteDeps = { jobNames: ['slow', 'picky'], sampler, actions };
  return { calls, routeDeps };
}

describe('the dashboard API', () => {
  it('pauses, resumes and redrives through the actions', async () => {
    const { calls, routeDeps } = deps();
    expect(await apiReply('POST', '/api/jobs/slow/pause', routeDeps)).toEqual({
      status: 200,
      body: { job: { job: 'slow' } },
    });
    await apiReply('POST', '/api/jobs/slow/resume', routeDeps);
    const redriven = await apiReply('POST', '/api/jobs/picky/dead-letters/m-1/redrive', routeDeps);
    expect(redriven?.status).toBe(200);
    expect(calls).toEqual(['pause slow', 'resume slow', 'redrive picky m-1']);
  });

  it('answers 404 for an unknown job, naming the jobs there are', async () => {
    const { calls, routeDeps } = deps();
    expect(await apiReply('POST', '/api/jobs/nope/pause', routeDeps)).toEqual({
      status: 404,
      body: { error: 'unknown job "nope"; jobs: slow, picky' },
    });
    expect(calls).toEqual([]);
  });

  it('answers 400 for a malformed message id and 404 for one not in the dead-letter queue', async () => {
    const bad = await apiReply(
      'POST',
      '/api/jobs/picky/dead-letters/a%20b/redrive',
      deps().routeDeps,
    );
    expect(bad).toEqual({
      status: 400,
      body: { error: '"a b" is not a message id: expected 1 to 128 letters, digits, "-" or "_"' },
    });
    const missing = await apiReply(
      'POST',
      '/api/jobs/picky/dead-letters/m-9/redrive',
      deps({ selected: [], notFound: ['m-9'] }).routeDeps,
    );
    expect(missing).toEqual({
      status: 404,
      body: { error: 'no dead letter m-9 in the dead-letter queue of picky' },
    });
  });

  it('answers 405 for the wrong method and 404 for an unknown path', async () => {
    const { routeDeps } = deps();
    expect(await apiReply('GET', '/api/jobs/slow/pause', routeDeps)).toEqual({
      status: 405,
      body: { error: 'use POST for this path' },
    });
    expect((await apiReply('POST', '/api/jobs/slow/stop', routeDeps))?.status).toBe(404);
    expect(await apiReply('GET', '/', routeDeps)).toBeUndefined();
  });

  it('turns a failed client call into a 502 that says what failed', async () => {
    const { routeDeps } = deps();
    const failing = {
      ...routeDeps,
      actions: {
        ...routeDeps.actions,
        pause: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    };
    expect(await apiReply('POST', '/api/jobs/slow/pause', failing)).toEqual({
      status: 502,
      body: { error: 'pause slow failed: connect ECONNREFUSED' },
    });
  });
});
