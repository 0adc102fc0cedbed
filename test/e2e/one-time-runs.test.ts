import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import { ScheduledRunNotFoundError } from '../../core/errors.ts';
import { FakeClock } from '../local/fake-clock.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, temporaryDataDir, waitFor } from './harness.ts';

const DAY_MS = 86_400_000;
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function clientOn(sqsEndpoint: string, schedulerEndpoint: string) {
  const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  return createClient({
    jobs: [echoJob],
    sqs: new SQSClient({ ...config, endpoint: sqsEndpoint }),
    scheduler: new SchedulerClient({ ...config, endpoint: schedulerEndpoint }),
  });
}

function handled(log: string): string[] {
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
}

describe('one-time runs on the local runtime (its Scheduler endpoint, persisted)', () => {
  it('runs enqueue({ runAt }) three days ahead once, at its time, with the body enqueue sends; cancel stops another', async () => {
    const dataDir = temporaryDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const start = Date.now();
    const clock = new FakeClock(new Date(start).toISOString());
    const t = await startTestRuntime([echoJob], { clock, dataDir });
    cleanups.push(() => t.runtime.stop());
    const client = clientOn(t.runtime.sqsEndpoint, t.runtime.schedulerEndpoint);
    const log = path.join(dataDir, 'handled.log');
    const outcomes: string[] = [];
    t.runtime.events.on('outcome', ({ outcome }) => outcomes.push(outcome.status));

    const runAt = new Date(start + 3 * DAY_MS);
    const kept = await client.enqueue('echo', { n: 1, log }, { runAt });
    const cancelled = await client.enqueue('echo', { n: 2, log }, { delay: '3d' });
    if (kept.kind !== 'scheduled' || cancelled.kind !== 'scheduled')
      throw new Error('expected runs');
    expect((await client.scheduled.list('echo')).map((r) => r.id).sort()).toEqual(
      [kept.id, cancelled.id].sort(),
    );
    await client.cancel('echo', cancelled.id);
    await expect(client.cancel('echo', cancelled.id)).rejects.toThrow(ScheduledRunNotFoundError);
    expect(t.runtime.pendingRuns('echo')).toBe(1);

    clock.advanceTo(new Date(runAt.getTime() - 1000).toISOString());
    expect(handled(log)).toEqual([]);
    clock.advanceTo(new Date(runAt.getTime() + 1000).toISOString());
    await waitFor('the run to be handled', () => (handled(log).length === 1 ? true : undefined));
    // Deleted once it ran (ActionAfterCompletion: DELETE); nothing else arrives.
    expect(await client.scheduled.list('echo')).toEqual([]);
    clock.advanceTo(new Date(start + 4 * DAY_MS).toISOString());
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled(log)).toHaveLength(1);
    // The body passed the on-demand job's schema as it is: the payload, as enqueue sends it.
    expect(outcomes).toEqual(['succeeded']);
  });

  it('keeps a one-time run through kill -9, and runs it at the next start when it came due meanwhile', async () => {
    const dataDir = temporaryDataDir();
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'runtime-process.ts'), '0', dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    const [sqsEndpoint, schedulerEndpoint] = await ready(child);
    const log = path.join(dataDir, 'handled.log');
    const client = clientOn(sqsEndpoint ?? '', schedulerEndpoint ?? '');
    const run = await client.enqueue('echo', { n: 7, log }, { delay: '20m' });
    expect(run.kind).toBe('scheduled');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Started again half an hour later: the run came due while nothing ran.
    const clock = new FakeClock(new Date(Date.now() + 30 * 60_000).toISOString());
    const t = await startTestRuntime([echoJob], { clock, dataDir });
    cleanups.push(() => t.runtime.stop());
    clock.advanceTo(new Date(clock.now()).toISOString());
    await waitFor('the missed run to be handled', () =>
      handled(log).length === 1 ? true : undefined,
    );
    expect(t.runtime.pendingRuns('echo')).toBe(0);
  });
});

function ready(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const line = chunk.toString();
      if (line.startsWith('ready ')) resolve(line.trim().split(' ').slice(1));
    });
    child.once('exit', (code) => reject(new Error(`runtime process exited with ${code}`)));
  });
}
