import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
beforeAll(async () => {
  t = await startCliRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('bgjobs enqueue --at / --in, and bgjobs scheduled', () => {
  it('schedules a run for an instant with its zone, lists it, and cancels it', async () => {
    const result = await t.bgjobs([
      'enqueue',
      'process',
      '{"samples":5}',
      '--at',
      '2099-01-04T09:00+01:00',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [, id] =
      /^scheduled run ([a-z0-9]{16}) of process for 2099-01-04 08:00:00 UTC \(schedule process--run-\1\); cancel it with: bgjobs scheduled cancel process \1$/.exec(
        result.stdout.trim(),
      ) ?? [];
    expect(id).toBeDefined();
    expect(t.runtime.pendingRuns('process')).toBe(1);

    const listed = await t.bgjobs(['scheduled', 'list', 'process', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([
      {
        id,
        scheduleName: `process--run-${id}`,
        runAt: '2099-01-04T08:00:00.000Z',
        state: 'ENABLED',
      },
    ]);
    const human = await t.bgjobs(['scheduled', 'list', 'process']);
    expect(human.stdout).toContain(`${id}  2099-01-04 08:00:00 UTC  process--run-${id}`);

    const dry = await t.bgjobs(['scheduled', 'cancel', 'process', id ?? '', '--dry-run']);
    expect(dry.stdout.trim()).toBe(
      `would delete schedule process--run-${id} in group bgjobs--schedules (dry run: nothing changed)`,
    );
    expect(t.runtime.pendingRuns('process')).toBe(1);
    const cancelled = await t.bgjobs(['scheduled', 'cancel', 'process', id ?? '']);
    expect(cancelled).toMatchObject({ code: 0 });
    expect(t.runtime.pendingRuns('process')).toBe(0);

    const again = await t.bgjobs(['scheduled', 'cancel', 'process', id ?? '']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`bgjobs: job "process" has no pending one-time run "${id}"`);
  });

  it('shows with --dry-run the one-time schedule --in 3d would create, and creates nothing', async () => {
    const result = await t.bgjobs([
      'enqueue',
      'process',
      '{"samples":5}',
      '--in',
      '3d',
      '--dry-run',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const { schedule } = JSON.parse(result.stdout);
    expect(schedule).toMatchObject({
      GroupName: 'bgjobs--schedules',
      ScheduleExpression: expect.stringMatching(/^at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)$/),
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: 'arn:aws:sqs:us-east-1:<account>:bgjobs--process', Input: '{"samples":5}' },
    });
    expect(t.runtime.pendingRuns('process')).toBe(0);
  });

  it('sends with SQS delay what is due within 15 minutes', async () => {
    const result = await t.bgjobs([
      'enqueue',
      'process',
      '{"samples":5}',
      '--in',
      '90s',
      '--dry-run',
      '--json',
    ]);
    expect(JSON.parse(result.stdout).message).toMatchObject({ DelaySeconds: 90 });
  });

  it('refuses a time without a zone, a past time and a bad duration with exit 2, sending nothing', async () => {
    const noZone = await t.bgjobs(['enqueue', 'process', '{}', '--at', '2099-01-04T09:00']);
    expect(noZone.code).toBe(2);
    expect(noZone.stderr).toContain('is not an instant with its zone');
    const past = await t.bgjobs(['enqueue', 'process', '{}', '--at', '2020-01-01T00:00Z']);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/runAt is 2020-01-01T00:00:00.000Z, in the past/);
    const bad = await t.bgjobs(['enqueue', 'process', '{}', '--in', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('delay is "soon"; allowed:');
    const counted = await t.bgjobs(['enqueue', 'process', '{}', '--in', '3d', '--count', '2']);
    expect(counted.code).toBe(2);
    expect(t.runtime.pendingRuns('process')).toBe(0);
    expect(await t.count('process')).toBe(0);
  });
});
