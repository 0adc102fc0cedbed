/**
 * An idempotent job on the local runtime, persisted as `npm start` is, with
 * the real DynamoDB API: its effects are counted in a file per test.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { fleetingJob, onceJob } from '../local/fixtures/jobs/once.ts';
import { startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

let t: TestRuntime;
const outcomes: { messageId: string; attempt: number; outcome: RecordOutcome }[] = [];

beforeAll(async () => {
  t = await startTestRuntime([onceJob, fleetingJob]);
  t.runtime.events.on('outcome', ({ messageId, attempt, outcome }) =>
    outcomes.push({ messageId, attempt, outcome }),
  );
});
afterAll(() => t?.runtime.stop());

function logFile(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-once-')), 'effects.log');
}

/** The `start` and `effect` lines the job appended, per key. */
function lines(file: string, kind: 'start' | 'effect', key: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith(`${kind} ${key} `));
}

const outcomesOf = (messageId: string) =>
  outcomes.filter((o) => o.messageId === messageId).map((o) => o.outcome.status);

/** One message per worker of the job, at once, each with a key of its own; resolves when both ran. */
async function warmWorkers(job: string, log: string): Promise<void> {
  const keys = [`warm-${job}-${Date.now()}-a`, `warm-${job}-${Date.now()}-b`];
  await t.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: t.queueUrl(job),
      Entries: keys.map((key, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify({ key, log, waitMs: 300 }),
      })),
    }),
  );
  await waitFor(
    `${job}'s workers warm`,
    () => (keys.every((key) => lines(log, 'effect', key).length > 0) ? true : undefined),
    30_000,
  );
}

async function duplicatesOnDashboard(): Promise<Record<string, number>> {
  const response = await fetch(new URL('/api/duplicates', t.runtime.dashboardUrl));
  return ((await response.json()) as { jobs: Record<string, number> }).jobs;
}

async function send(body: object, job = 'once'): Promise<string> {
  const { MessageId } = await t.sqs.send(
    new SendMessageCommand({ QueueUrl: t.queueUrl(job), MessageBody: JSON.stringify(body) }),
  );
  return MessageId ?? '';
}

async function settled(messageId: string, status: RecordOutcome['status']) {
  return waitFor(
    `${messageId} ${status}`,
    () => (outcomesOf(messageId).includes(status) ? true : undefined),
    20_000,
  );
}

describe('an idempotent job on the local runtime', () => {
  it('creates the idempotency table on its embedded DynamoDB endpoint', () => {
    expect(t.runtime.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(t.runtime.plan.idempotencyTable?.name).toBe('bgjobs--idempotency');
  });

  it('runs the handler of a key once: a later message with the same key is acknowledged unrun', async () => {
    const log = logFile();
    const first = await send({ key: 'k-seq', log });
    await settled(first, 'succeeded');
    const second = await send({ key: 'k-seq', log });
    await settled(second, 'duplicate');

    expect(lines(log, 'effect', 'k-seq')).toHaveLength(1);
    expect(lines(log, 'start', 'k-seq')).toHaveLength(1);
    expect(outcomesOf(second)).toEqual(['duplicate']);
    expect(
      t.lines.some((line) => line.includes(`${second.slice(0, 8)}  attempt 1  duplicate`)),
    ).toBe(true);
  });

  it('counts suppressed duplicates for the dashboard and bgjobs status', async () => {
    const log = logFile();
    await settled(await send({ key: 'k-count', log }), 'succeeded');
    const before = (await duplicatesOnDashboard()).once ?? 0;
    await settled(await send({ key: 'k-count', log }), 'duplicate');
    await settled(await send({ key: 'k-count', log }), 'duplicate');

    expect((await duplicatesOnDashboard()).once).toBe(before + 2);
    const client = createClient({ jobs: [onceJob, fleetingJob], sqs: t.sqs });
    process.env.BGJOBS_DASHBOARD_URL = t.runtime.dashboardUrl;
    try {
      const status = await client.status('once');
      expect(status.duplicatesSuppressed).toBe(before + 2);
      expect(status.problems.filter((p) => p.startsWith('suppressed duplicates'))).toEqual([]);
    } finally {
      delete process.env.BGJOBS_DASHBOARD_URL;
    }
    const snapshot = (await (
      await fetch(new URL('/api/snapshot', t.runtime.dashboardUrl))
    ).json()) as { jobs: { job: string; totals: { duplicates: number } }[] };
    expect(snapshot.jobs.find((j) => j.job === 'once')?.totals.duplicates).toBeGreaterThanOrEqual(
      before + 2,
    );
  });

  it('lets two invocations racing on one key run it once: the loser is retried, then suppressed', async () => {
    const log = logFile();
    // Both workers warm (batch size 1, maximum concurrency 2: one message each), so neither is slowed
    // by loading the bundle when the race is on.
    await warmWorkers('once', log);
    const winner = await send({ key: 'k-race', log, waitMs: 1500 });
    await waitFor('the winner to hold the key', () =>
      lines(log, 'start', 'k-race').length > 0 ? true : undefined,
    );
    // Sent while the winner's handler runs (it takes 1.5 s): the other worker meets the held key.
    const loser = await send({ key: 'k-race', log, waitMs: 1500 });
    await settled(loser, 'duplicate');

    expect(lines(log, 'effect', 'k-race')).toHaveLength(1);
    expect(lines(log, 'start', 'k-race')).toHaveLength(1);
    expect(outcomesOf(winner)).toEqual(['succeeded']);
    // Held up while the winner ran (retried, with backoff, as often as it took), then suppressed.
    const tries = outcomes.filter((o) => o.messageId === loser).map((o) => o.outcome);
    expect(tries.at(-1)?.status).toBe('duplicate');
    expect(tries.length).toBeGreaterThan(1);
    for (const retry of tries.slice(0, -1)) {
      expect(retry).toMatchObject({
        status: 'retry',
        reason: expect.stringMatching(
          /^IdempotencyKeyInProgressError: idempotency key "k-race" is held/,
        ),
      });
    }
  });

  it('releases the key of a handler that failed part way, so the retry runs it; then it is done once', async () => {
    const log = logFile();
    const id = await send({ key: 'k-partial', log, failAttempts: 1 });
    await settled(id, 'succeeded');
    const again = await send({ key: 'k-partial', log });
    await settled(again, 'duplicate');

    // The failed attempt's partial work happened (start), its effect did not; the retry did both.
    expect(lines(log, 'start', 'k-partial')).toHaveLength(2);
    expect(lines(log, 'effect', 'k-partial')).toHaveLength(1);
    expect(outcomesOf(id)).toEqual(['retry', 'succeeded']);
  });

  it('runs a key again once its time to live has passed', async () => {
    const log = logFile();
    // Warm: a cold worker can use up the 1 s timeout loading the bundle.
    await warmWorkers('fleeting', log);
    const first = await send({ key: 'k-ttl', log }, 'fleeting');
    await settled(first, 'succeeded');
    const during = await send({ key: 'k-ttl', log }, 'fleeting');
    await settled(during, 'duplicate');
    // ttlSeconds is 6: past it, the key is expired, whether or not a sweep has deleted it yet.
    const ttlMs = (fleetingJob.idempotency?.ttlSeconds ?? 0) * 1000;
    await new Promise((resolve) => setTimeout(resolve, ttlMs + 1100));
    const after = await send({ key: 'k-ttl', log }, 'fleeting');
    await settled(after, 'succeeded');

    expect(lines(log, 'effect', 'k-ttl')).toHaveLength(2);
  }, 30_000);
});
