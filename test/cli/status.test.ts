import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcTime } from '../../core/time-text.ts';
import { waitFor } from '../e2e/harness.ts';
import { type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
/** Times the statistics rule (rate(1 minute)) fired, as the scheduler stamped them. */
const fired: string[] = [];
beforeAll(async () => {
  t = await startCliRuntime();
  t.runtime.events.on('delivered', ({ rule, event }) => {
    if (rule.job.name === 'statistics') fired.push(event.time);
  });
});
afterAll(async () => {
  await t?.runtime.stop();
});

/** The statistics rule's next fire time, from the scheduler. */
const due = () => t.runtime.nextScheduledRun('statistics') as Date;

/** A reading may rightly move on when the rule fires meanwhile: start well before a fire. */
async function clearOfTheNextFire(): Promise<void> {
  if (due().getTime() - Date.now() > 20_000) return;
  const count = fired.length;
  await waitFor('the statistics rule to fire', () => fired[count], 25_000);
}

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
    expect(jobs[0]).toMatchObject({
      trigger: 'rate(1 minute)',
      schedules: [{ expression: 'rate(1 minute)', timeZone: 'UTC' }],
    });
    expect(jobs[1]).toMatchObject({
      trigger: 'on demand',
      queue: 'bgjobs--process',
      deadLetterQueue: 'bgjobs--process--dlq',
      settings: { timeoutSeconds: 60, maxConcurrency: 5, maxReceiveCount: 5 },
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
          'pendingRuns',
          'problems',
          'ruleState',
          'schedules',
          'trigger',
          'visible',
        ].sort(),
      );
    }
    expect(statuses[0].nextRun).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(statuses[0].ruleState).toBe('ENABLED');
    expect(statuses[1]).toMatchObject({
      trigger: 'on demand',
      nextRun: null,
      ruleState: null,
      paused: false,
      problems: [],
    });
  });

  it("shows the scheduler's own next run of a rate, the same on every redraw and on the dashboard", async () => {
    await clearOfTheNextFire();
    const expected = due().toISOString();
    const firedBefore = fired.length;

    const live = t.startBgjobs(['status', 'statistics', '--watch', '0.3', '--json']);
    const redraws = await waitFor('three redraws', () => {
      const lines = live.stdout().split('\n').filter(Boolean);
      return lines.length >= 3 ? lines : undefined;
    });
    live.interrupt();
    const result = await live.exited;
    const snapshot = await fetch(new URL('/api/snapshot', t.runtime.dashboardUrl));
    const { jobs } = (await snapshot.json()) as { jobs: { job: string; nextRun: string }[] };

    expect(result.code).toBe(0);
    expect(fired.length).toBe(firedBefore);
    expect(redraws.map((line) => JSON.parse(line)[0].nextRun)).toEqual([
      expected,
      expected,
      expected,
    ]);
    expect(jobs.find((j) => j.job === 'statistics')?.nextRun).toBe(expected);
    expect(due().toISOString()).toBe(expected);
    // Whole minutes since the epoch: what the scheduler fires at next.
    expect(Date.parse(expected) % 60_000).toBe(0);
  });

  it('prints the next run in 24-hour UTC with the zone, and how far away it is', async () => {
    await clearOfTheNextFire();
    const time = utcTime(due()).slice(-'00:00:00 UTC'.length);
    const result = await t.bgjobs(['status', 'statistics']);
    expect(result.stdout).toMatch(
      new RegExp(`\\nstatistics +rate\\(1 minute\\) .* ${time} \\(in (\\d+ s|1 min)\\) +0 +no\\n$`),
    );
  });

  it('prints a table for people', async () => {
    const result = await t.bgjobs(['status']);
    expect(result.stdout).toMatch(
      /^JOB +TRIGGER +VISIBLE +IN FLIGHT +DELAYED +DLQ +OLDEST +NEXT RUN +PENDING +PAUSED\n/,
    );
    expect(result.stdout).toMatch(/\nprocess +on demand +0 +0 +0 +0 +- +- +0 +no\n/);
  });
});

describe('bgjobs pause and resume', () => {
  it('shows no next run while the schedule rule is disabled, in status and on the dashboard', async () => {
    await t.bgjobs(['pause', 'statistics']);
    try {
      const paused = await statusOf('statistics');
      const table = await t.bgjobs(['status', 'statistics']);
      const snapshot = await fetch(new URL('/api/snapshot', t.runtime.dashboardUrl));
      const { jobs } = (await snapshot.json()) as {
        jobs: { job: string; nextRun: string | null; nextRunText: string }[];
      };

      expect(paused).toMatchObject({ nextRun: null, ruleState: 'DISABLED', paused: true });
      expect(table.stdout).toMatch(/\nstatistics .* none: rule disabled +0 +yes\n$/);
      expect(jobs.find((j) => j.job === 'statistics')).toMatchObject({
        nextRun: null,
        nextRunText: 'none: rule disabled',
      });
    } finally {
      await t.bgjobs(['resume', 'statistics']);
    }
    expect(await statusOf('statistics')).toMatchObject({ ruleState: 'ENABLED', paused: false });
  });

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
