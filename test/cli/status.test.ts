import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../e2e/harness.ts';
import { type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
beforeAll(async () => {
  t = await startCliRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

async function statusOf(job: string) {
  const result = await t.bgjobs(['status', job, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout)[0];
}

describe('bgjobs jobs', () => {
  it('lists every registered job with its trigger, queues and settings', async () => {
    const result = await t.bgjobs(['jobs', '--json']);
    expect(result.code).toBe(0);
    const jobs = JSON.parse(result.stdout);
    expect(jobs.map((j: { name: string }) => j.name)).toEqual(['statistics', 'process', 'report']);
    expect(jobs[0]).toMatchObject({ trigger: 'rate(1 minute)', schedule: 'rate(1 minute)' });
    expect(jobs[1]).toMatchObject({
      trigger: 'on demand',
      queue: 'bgjobs--process',
      deadLetterQueue: 'bgjobs--process--dlq',
      settings: { timeoutSeconds: 60, maxConcurrency: 5, maxReceiveCount: 4 },
    });
    expect(jobs[2].events).toEqual({
      source: ['bgjobs.example'],
      'detail-type': ['ReportRequested'],
    });
  });
});

describe('bgjobs status', () => {
  it('reports every field for every job, with null where the source cannot tell', async () => {
    const result = await t.bgjobs(['status', '--json']);
    expect(result.code).toBe(0);
    const statuses = JSON.parse(result.stdout);
    expect(statuses.map((s: { job: string }) => s.job)).toEqual([
      'statistics',
      'process',
      'report',
    ]);
    for (const status of statuses) {
      expect(Object.keys(status).sort()).toEqual(
        [
          'deadLetters',
          'delayed',
          'inFlight',
          'job',
          'nextRun',
          'oldestAgeSeconds',
          'paused',
          'problems',
          'trigger',
          'visible',
        ].sort(),
      );
    }
    expect(statuses[0].nextRun).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(statuses[1]).toMatchObject({
      trigger: 'on demand',
      nextRun: null,
      paused: false,
      problems: [],
    });
  });

  it('prints a table for people', async () => {
    const result = await t.bgjobs(['status']);
    expect(result.stdout).toMatch(
      /^JOB +TRIGGER +VISIBLE +IN FLIGHT +DELAYED +DLQ +OLDEST +NEXT RUN +PAUSED\n/,
    );
    expect(result.stdout).toMatch(/\nprocess +on demand +0 +0 +0 +0 +- +- +no\n/);
  });
});

describe('bgjobs pause and resume', () => {
  it('changes nothing with --dry-run', async () => {
    const result = await t.bgjobs(['pause', 'statistics', '--dry-run']);
    expect(result.stdout).toBe(
      'statistics is running; pause would disable the event source mapping of bgjobs--statistics and rule bgjobs--statistics--schedule (bus default) (dry run: nothing changed)\n',
    );
    expect(t.runtime.isPaused('statistics')).toBe(false);
  });

  it('pauses a job and resumes it, as status shows', async () => {
    const paused = await t.bgjobs(['pause', 'process']);
    expect(paused).toMatchObject({
      code: 0,
      stdout: 'paused process: disabled the event source mapping of bgjobs--process\n',
    });
    expect(await statusOf('process')).toMatchObject({ paused: true });
    const sent = await t.bgjobs(['enqueue', 'process', '{"samples":10}', '--json']);
    const [messageId] = JSON.parse(sent.stdout).messageIds;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await t.count('process')).toBe(1);
    const resumed = await t.bgjobs(['resume', 'process', '--json']);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ action: 'resume', pausedBefore: true });
    expect(t.runtime.isPaused('process')).toBe(false);
    await waitFor('the waiting message to be processed', () =>
      t.outcomes.some((o) => o.messageId === messageId) ? true : undefined,
    );
  });
});

describe('bgjobs emit', () => {
  it("puts an event on the stack's bus, and the job whose pattern matches runs it", async () => {
    const detail = '{"reportId":"r-1","period":"day"}';
    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      detail,
      '--source',
      'bgjobs.example',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^put event \S+ on bgjobs--bus \(for report\)\n$/);
    await waitFor('the report job to run', () =>
      t.outcomes.some((o) => o.job === 'report' && o.outcome.status === 'succeeded')
        ? true
        : undefined,
    );
  });

  it('shows the event and the jobs it would reach with --dry-run', async () => {
    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      '{"reportId":"r-2","period":"week"}',
      '--source',
      'bgjobs.example',
      '--dry-run',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      eventId: null,
      detailType: 'ReportRequested',
      source: 'bgjobs.example',
      bus: 'bgjobs--bus',
      jobs: ['report'],
      dryRun: true,
    });
  });

  it('says so when no job would receive the event', async () => {
    const result = await t.bgjobs(['emit', 'NobodyListens']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no registered job's event pattern matches source "bgjobs.app"/);
  });
});
