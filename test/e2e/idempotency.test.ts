/**
 * An idempotent job on the local runtime, persisted as `npm start` is, with
 * the real DynamoDB API: its effects are counted in a file per test.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('lets two invocations racing on one key run it once: the loser is retried, then suppressed', async () => {
    const log = logFile();
    // Two workers take one message each at once (batch size 1, maximum concurrency 2).
    const { Successful = [] } = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: t.queueUrl('once'),
        Entries: ['a', 'b'].map((id) => ({
          Id: id,
          MessageBody: JSON.stringify({ key: 'k-race', log, waitMs: 1500 }),
        })),
      }),
    );
    const ids = Successful.map((entry) => entry.MessageId ?? '');
    await waitFor(
      'one success and one suppressed duplicate',
      () => {
        const all = ids.map(outcomesOf);
        return all.some((o) => o.includes('succeeded')) && all.some((o) => o.includes('duplicate'))
          ? true
          : undefined;
      },
      20_000,
    );

    expect(lines(log, 'effect', 'k-race')).toHaveLength(1);
    expect(lines(log, 'start', 'k-race')).toHaveLength(1);
    const loser = ids.find((id) => outcomesOf(id).includes('duplicate')) ?? '';
    // It was held up by the winner, not merely late: retried first, while the key was in progress.
    expect(outcomesOf(loser)).toEqual(['retry', 'duplicate']);
    const retry = outcomes.find((o) => o.messageId === loser)?.outcome;
    expect(retry).toMatchObject({
      status: 'retry',
      reason: expect.stringMatching(
        /^IdempotencyKeyInProgressError: idempotency key "k-race" is held/,
      ),
    });
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
