import { rmSync } from 'node:fs';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flakyJob } from '../local/fixtures/jobs/flaky.ts';
import { laggardJob } from '../local/fixtures/jobs/laggard.ts';
import { reboundJob } from '../local/fixtures/jobs/rebound.ts';
import { drain, startTestRuntime, type TestRuntime, temporaryDataDir, waitFor } from './harness.ts';

/*
 * A message whose visibility is set to 0 is handed back to the queue: a retry
 * whose backoff is 0 s, a record not started. On the default, persisted runtime
 * with fauxqs 2.4.1 unpatched, each such change failed and stranded the message
 * until a restart (see test/local/sqs/persistence.test.ts); these tests fail there.
 */

interface Seen {
  readonly messageId: string;
  readonly attempt: number;
  readonly status: string;
  readonly at: number;
}

/** Every record outcome the runtime reports, per job. */
function recordOutcomes(t: TestRuntime): Map<string, Seen[]> {
  const byJob = new Map<string, Seen[]>();
  t.runtime.events.on('outcome', ({ job, messageId, attempt, outcome }) => {
    const seen = byJob.get(job) ?? [];
    seen.push({ messageId, attempt, status: outcome.status, at: Date.now() });
    byJob.set(job, seen);
  });
  return byJob;
}

async function sendAll(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  body: (i: number) => unknown = (n) => ({ n }),
): Promise<string[]> {
  const ids: string[] = [];
  for (let first = 0; first < count; first += 10) {
    const { Successful = [], Failed = [] } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: Math.min(10, count - first) }, (_, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify(body(first + i)),
        })),
      }),
    );
    expect(Failed).toEqual([]);
    ids.push(...Successful.map((entry) => entry.MessageId ?? ''));
  }
  return ids;
}

/** Waits until the queue holds no message: the last batch's deletes follow its outcomes. */
async function emptied(sqs: SQSClient, queueUrl: string): Promise<void> {
  await waitFor('the queue to empty', async () =>
    (await depth(sqs, queueUrl)) === 0 ? true : undefined,
  );
}

/** Visible, in flight and delayed: every message the queue holds. */
async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed)
  );
}

const succeeded = (seen: Seen[] | undefined) =>
  (seen ?? []).filter((s) => s.status === 'succeeded');

// Persisted is what `npm start` runs; --in-memory stays covered.
describe.each([
  ['persisted', undefined],
  ['in memory', false],
] as const)('records handed back on a runtime %s', (_mode, dataDir) => {
  let t: TestRuntime;
  let outcomes: Map<string, Seen[]>;
  beforeAll(async () => {
    t = await startTestRuntime([reboundJob, laggardJob], { dataDir });
    outcomes = recordOutcomes(t);
  });
  afterAll(() => t?.runtime.stop());

  it('retries a failure whose backoff is 0 s at once, not after the visibility timeout', async () => {
    const ids = await sendAll(t.sqs, t.queueUrl('rebound'), 30);
    // The visibility timeout is 60 s: a stranded retry would miss this.
    await waitFor(
      '30 successes',
      () => (succeeded(outcomes.get('rebound')).length >= 30 ? true : undefined),
      40_000,
    );
    const seen = outcomes.get('rebound') ?? [];
    for (const id of ids) {
      const mine = seen.filter((s) => s.messageId === id);
      expect(mine.map((s) => [s.attempt, s.status])).toEqual([
        [1, 'retry'],
        [2, 'succeeded'],
      ]);
      expect((mine[1]?.at ?? 0) - (mine[0]?.at ?? 0)).toBeLessThan(30_000);
    }
    expect(seen).toHaveLength(60);
    await emptied(t.sqs, t.queueUrl('rebound'));
    expect(await depth(t.sqs, t.deadLetterQueueUrl('rebound'))).toBe(0);
  });

  it('runs records not started near the timeout again at once', async () => {
    const ids = await sendAll(t.sqs, t.queueUrl('laggard'), 10);
    await waitFor(
      '10 successes',
      () => (succeeded(outcomes.get('laggard')).length >= 10 ? true : undefined),
      40_000,
    );
    const seen = outcomes.get('laggard') ?? [];
    // The first record of a batch is cut short at the stop margin; the rest are not started.
    const handedBack = seen.filter((s) => s.status !== 'succeeded');
    expect(handedBack.filter((s) => s.status === 'not-started').length).toBeGreaterThan(0);
    expect(new Set(handedBack.map((s) => s.status))).toEqual(new Set(['retry', 'not-started']));
    for (const id of ids) {
      expect(succeeded(seen).filter((s) => s.messageId === id)).toHaveLength(1);
    }
    for (const back of handedBack) {
      const ran = succeeded(seen).find((s) => s.messageId === back.messageId);
      // The visibility timeout is 120 s.
      expect((ran?.at ?? Number.POSITIVE_INFINITY) - back.at).toBeLessThan(30_000);
    }
    expect(seen).toHaveLength(10 + handedBack.length);
    await emptied(t.sqs, t.queueUrl('laggard'));
    expect(await depth(t.sqs, t.deadLetterQueueUrl('laggard'))).toBe(0);
  });
});

describe('a restart of a persisted runtime', () => {
  it('keeps receive counts: the attempts go on where they were, up to maxReceiveCount', async () => {
    const dataDir = temporaryDataDir();
    try {
      // flaky fails every attempt, retried after 1 s, then 2 s; maxReceiveCount is 3.
      let t = await startTestRuntime([flakyJob], { dataDir });
      let outcomes = recordOutcomes(t);
      const [id] = await sendAll(t.sqs, t.queueUrl('flaky'), 1, () => ({ id: 'one' }));
      await waitFor('the first attempt', () => outcomes.get('flaky')?.[0]);
      await t.runtime.stop();
      expect(outcomes.get('flaky')?.map((s) => [s.attempt, s.status])).toEqual([[1, 'retry']]);

      t = await startTestRuntime([flakyJob], { dataDir });
      outcomes = recordOutcomes(t);
      try {
        const letters = await waitFor(
          'the dead letter',
          async () => {
            const found = await drain(t.sqs, t.deadLetterQueueUrl('flaky'));
            return found.length > 0 ? found : undefined;
          },
          15_000,
        );
        expect(outcomes.get('flaky')?.map((s) => [s.messageId, s.attempt, s.status])).toEqual([
          [id, 2, 'retry'],
          [id, 3, 'retry'],
        ]);
        expect(letters.map((m) => m.MessageId)).toEqual([id]);
        expect(await depth(t.sqs, t.queueUrl('flaky'))).toBe(0);
      } finally {
        await t.runtime.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
