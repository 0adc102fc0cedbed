import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../client/context.ts';
import { jobStatus } from '../../client/status.ts';
import { scaledClock } from '../../local/clock.ts';
import { tickJob } from '../local/fixtures/jobs/tick.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

// 60 virtual seconds per real second: rate(1 minute) fires every real second.
const clock = scaledClock(60);
let t: TestRuntime;
let dataDir: string;
const fired: string[] = [];

beforeAll(async () => {
  // Persisted, as `npm start` runs by default.
  dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-next-run-'));
  t = await startTestRuntime([tickJob], { clock, dataDir });
  t.runtime.events.on('delivered', ({ event }) => fired.push(event.time));
});
afterAll(async () => {
  await t?.runtime.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** What `bgjobs status` and the dashboard say, read at one moment of the runtime's clock. */
async function readBoth() {
  const local = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const ctx = createContext({
    jobs: [tickJob],
    sqs: t.sqs,
    eventBridge: new EventBridgeClient({ ...local, endpoint: t.runtime.eventsEndpoint }),
    lambda: new LambdaClient({ ...local, endpoint: t.runtime.lambdaEndpoint }),
  });
  const scheduler = t.runtime.nextScheduledRun('tick')?.toISOString();
  const status = await jobStatus(ctx, 'tick', async () => 0, new Date(clock.now()));
  const response = await fetch(new URL('/api/snapshot', t.runtime.dashboardUrl));
  const { jobs } = (await response.json()) as { jobs: { job: string; nextRun: string }[] };
  return {
    scheduler,
    // Unchanged after the reads: no tick fell between them.
    settled: t.runtime.nextScheduledRun('tick')?.toISOString() === scheduler,
    status: status.nextRun?.kind === 'at' ? status.nextRun.at.toISOString() : status.nextRun,
    dashboard: jobs.find((j) => j.job === 'tick')?.nextRun,
  };
}

describe('the next run of a schedule', () => {
  it('is the same in status and on the dashboard, and the rule fires at that time', async () => {
    // At 60x a tick can fall between the reads; read again until none did.
    const reading = await waitFor('a reading with no tick between its reads', async () => {
      const r = await readBoth();
      return r.settled ? r : undefined;
    });
    expect(reading.status).toBe(reading.scheduler);
    expect(reading.dashboard).toBe(reading.scheduler);

    const firstAfter = fired.length;
    const time = await waitFor('the next tick', () => fired[firstAfter], 5000);
    // Event times are to the second, as EventBridge's are.
    expect(time).toBe(`${reading.scheduler?.slice(0, 19)}Z`);
  });
});
