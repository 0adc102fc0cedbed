import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render, toJson } from '../../cli/commands/status.ts';
import { createContext } from '../../client/context.ts';
import { createClient } from '../../client/index.ts';
import { jobStatus } from '../../client/status.ts';
import { welcomeText } from '../../local/welcome.ts';
import { FakeClock } from '../local/fake-clock.ts';
import { lettersJob } from '../local/fixtures/jobs/letters.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime } from './harness.ts';

// Sunday 3 January 2027, noon UTC: the next weekday 09:00 in Berlin is Monday's, 08:00 UTC.
const clock = new FakeClock('2027-01-03T12:00:00Z');
let t: TestRuntime;
let ctx: ReturnType<typeof createContext>;

beforeAll(async () => {
  t = await startTestRuntime([lettersJob], { clock });
  const local = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const clients = {
    sqs: t.sqs,
    eventBridge: new EventBridgeClient({ ...local, endpoint: t.runtime.eventsEndpoint }),
    lambda: new LambdaClient({ ...local, endpoint: t.runtime.lambdaEndpoint }),
    scheduler: new SchedulerClient({ ...local, endpoint: t.runtime.schedulerEndpoint }),
  };
  ctx = createContext({ jobs: [lettersJob], ...clients });
  await createClient({ jobs: [lettersJob], ...clients }).enqueue(
    'letters',
    {},
    { runAt: new Date(Date.now() + 3 * 86_400_000) },
  );
});
afterAll(() => t?.runtime.stop());

async function snapshot() {
  const response = await fetch(new URL('/api/snapshot', t.runtime.dashboardUrl));
  const { jobs } = (await response.json()) as {
    jobs: {
      job: string;
      nextRunText: string;
      pendingRuns: number;
      schedules: { nextRunText: string }[];
    }[];
  };
  return jobs[0];
}

describe("a schedule's next run in its own zone and in UTC, and pending one-time runs", () => {
  it('is the same in status, on the dashboard and on the first screen', async () => {
    const now = new Date(clock.now());
    const status = await jobStatus(ctx, 'letters', async () => 0, now);
    expect(status.problems).toEqual([]);
    expect(status.schedules?.[0]).toMatchObject({
      name: 'letters--schedule',
      service: 'scheduler',
      timeZone: 'Europe/Berlin',
      state: 'ENABLED',
      nextRun: { kind: 'at', at: new Date('2027-01-04T08:00:00Z') },
    });
    expect(status.pendingRuns).toBe(1);
    expect(toJson(status)).toMatchObject({ nextRun: '2027-01-04T08:00:00.000Z', pendingRuns: 1 });
    const zoned = /2027-01-04 09:00:00 Europe\/Berlin \(2027-01-04 08:00:00 UTC, in .+\)/;
    expect(render([status], now)).toMatch(zoned);
    expect(render([status], now)).toMatch(/\nletters +cron\(0 9 \? \* MON-FRI \*\) .* {2}1 +no\n/);

    const card = await snapshot();
    expect(card?.nextRunText).toMatch(zoned);
    expect(card?.schedules[0]?.nextRunText).toMatch(zoned);
    expect(card?.pendingRuns).toBe(1);

    const welcome = welcomeText(t.runtime, [lettersJob], now);
    expect(welcome).toMatch(
      /Scheduler endpoint {4}http:\/\/127\.0\.0\.1:\d+ {2}\(group bgjobs--schedules\)/,
    );
    expect(welcome).toMatch(
      new RegExp(`cron\\(0 9 \\? \\* MON-FRI \\*\\) Europe/Berlin: next ${zoned.source}`),
    );
    expect(welcome).toContain('1 one-time run pending (bgjobs --local scheduled list letters)');
  });

  it('shows no next run while the job is paused (its schedule disabled), and one again once resumed', async () => {
    const client = createClient({
      jobs: [lettersJob],
      sqs: ctx.sqs,
      eventBridge: ctx.eventBridge,
      lambda: ctx.lambda,
      scheduler: ctx.scheduler,
    });
    await client.pause('letters');
    const paused = await jobStatus(ctx, 'letters', async () => 0, new Date(clock.now()));
    expect(paused.schedules?.[0]).toMatchObject({
      state: 'DISABLED',
      nextRun: { kind: 'disabled' },
    });
    expect(t.runtime.schedules('letters')[0]).toMatchObject({
      state: 'DISABLED',
      nextRun: undefined,
    });
    expect((await snapshot())?.nextRunText).toBe('none: rule disabled');
    await client.resume('letters');
    expect(t.runtime.schedules('letters')[0]?.nextRun?.toISOString()).toBe(
      '2027-01-04T08:00:00.000Z',
    );
  });
});
