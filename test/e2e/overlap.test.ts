import {
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../local/clock.ts';
import { overlappingJob } from '../local/fixtures/jobs/overlapping.ts';
import { serialJob } from '../local/fixtures/jobs/serial.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

let t: TestRuntime | undefined;
afterAll(() => t?.runtime.stop());

/** Each run's [start, end] as the handler logged it, in ms. */
function runsOf(lines: readonly string[], job: string): [number, number][] {
  return lines.flatMap((line) => {
    const match = new RegExp(`^\\S+ +${job} +INFO +ran +startedAt=(\\d+) +endedAt=(\\d+)$`).exec(
      line,
    );
    return match ? [[Number(match[1]), Number(match[2])] as [number, number]] : [];
  });
}

/** Disables a schedule through the Scheduler API; its job keeps receiving what was sent. */
async function disable(endpoint: string, name: string): Promise<void> {
  const scheduler = new SchedulerClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  const current = await scheduler.send(
    new GetScheduleCommand({ Name: name, GroupName: 'bgjobs--schedules' }),
  );
  await scheduler.send(
    new UpdateScheduleCommand({
      Name: name,
      GroupName: 'bgjobs--schedules',
      ScheduleExpression: current.ScheduleExpression,
      ScheduleExpressionTimezone: current.ScheduleExpressionTimezone,
      FlexibleTimeWindow: current.FlexibleTimeWindow,
      Target: current.Target,
      State: 'DISABLED',
    }),
  );
}

/** How many pairs of runs were going at the same time. */
function overlaps(runs: readonly [number, number][]): number {
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  return sorted.filter((run, i) => i > 0 && run[0] < (sorted[i - 1]?.[1] ?? 0)).length;
}

describe("overlap: 'wait'", () => {
  it('runs a handler slower than its period one run at a time, and loses none', async () => {
    // 60 virtual seconds per real second: rate(1 minute) fires every real second, each run takes 1.5 s.
    const runtime = await startTestRuntime([serialJob, overlappingJob], { clock: scaledClock(60) });
    t = runtime;
    const fired = { serial: 0, overlapping: 0 };
    runtime.runtime.events.on('scheduleRun', (report) => {
      if (report.outcome !== 'delivered') return;
      const job = report.source.record.Name.split('--')[0] as keyof typeof fired;
      fired[job] += 1;
    });
    await waitFor('8 serial runs to be sent', () => (fired.serial >= 8 ? true : undefined), 20_000);
    await disable(runtime.runtime.schedulerEndpoint, 'serial--schedule');
    await disable(runtime.runtime.schedulerEndpoint, 'overlapping--schedule');
    // A run being sent as the schedule was disabled still counts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = { ...fired };
    await waitFor(
      'every serial run sent to be handled',
      () => (runsOf(runtime.lines, 'serial').length >= sent.serial ? true : undefined),
      30_000,
    );
    // Nothing more arrives: no run was sent twice.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const serial = runsOf(runtime.lines, 'serial');
    const overlapping = runsOf(runtime.lines, 'overlapping');
    expect(serial).toHaveLength(sent.serial);
    expect(overlaps(serial)).toBe(0);
    // The same handler without 'wait' does overlap: the measurement can see it.
    expect(overlapping.length).toBeGreaterThan(2);
    expect(overlaps(overlapping)).toBeGreaterThan(0);
  }, 60_000);
});
