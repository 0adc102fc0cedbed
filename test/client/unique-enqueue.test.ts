import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../client/index.ts';
import { uniqueKeys } from '../../client/unique-enqueue.ts';
import { IdempotencyStoreError, InvalidEnqueueOptionsError } from '../../core/errors.ts';
import { LOCAL_CREDENTIALS, startTestRuntime, type TestRuntime } from '../e2e/harness.ts';
import { digestJob } from '../local/fixtures/jobs/digest.ts';
import { digestFifoJob } from '../local/fixtures/jobs/digest-fifo.ts';

const jobs = [digestJob, digestFifoJob] as const;
let t: TestRuntime;
let dynamodb: DynamoDBClient;
let client: ReturnType<typeof createClient<typeof jobs>>;

beforeAll(async () => {
  t = await startTestRuntime(jobs);
  // Paused: nothing is received, so a queue's count is what was sent.
  t.runtime.pause('digest');
  t.runtime.pause('digest-fifo');
  dynamodb = new DynamoDBClient({
    endpoint: t.runtime.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  client = createClient({ jobs, sqs: t.sqs, dynamodb });
});
afterAll(async () => {
  dynamodb?.destroy();
  await t?.runtime.stop();
});

async function queued(job: string): Promise<number> {
  const { Attributes = {} } = await t.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: t.queueUrl(job),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

describe('unique enqueues on the local runtime (real DynamoDB API)', () => {
  for (const job of ['digest', 'digest-fifo'] as const) {
    it(`${job}: sends one message per key within the window, and gives later callers its id`, async () => {
      const before = await queued(job);
      const fifo = job === 'digest-fifo' ? { deduplicationId: 'd-1' } : {};
      const options = { uniqueKey: `${job}/ann`, uniqueForSeconds: 60, ...fifo };
      const first = await client.enqueue(job, { user: 'ann' }, options);
      const second = await client.enqueue(job, { user: 'ann' }, options);
      expect(first.kind).toBe('sent');
      expect(second).toEqual({ kind: 'duplicate', messageId: first.messageId });
      const other = await client.enqueue(
        job,
        { user: 'bob' },
        {
          ...options,
          uniqueKey: `${job}/bob`,
          ...(fifo.deduplicationId ? { deduplicationId: 'd-2' } : {}),
        },
      );
      expect(other.kind).toBe('sent');
      expect(await queued(job)).toBe(before + 2);
    });
  }

  it('lets exactly one of many concurrent enqueues of a key send; all get its message id', async () => {
    const before = await queued('digest');
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        client.enqueue('digest', { user: 'cy' }, { uniqueKey: 'race', uniqueForSeconds: 60 }),
      ),
    );
    expect(results.filter((r) => r.kind === 'sent')).toHaveLength(1);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(await queued('digest')).toBe(before + 1);
  });

  it('sends again once the window has passed', async () => {
    // The window is the client's clock against the item's expiry: move the clock, not wait.
    let clock = Date.now();
    const clocked = createClient({ jobs, sqs: t.sqs, dynamodb, now: () => clock });
    const options = { uniqueKey: 'short', uniqueForSeconds: 1 };
    const first = await clocked.enqueue('digest', { user: 'di' }, options);
    clock += 999;
    expect(await clocked.enqueue('digest', { user: 'di' }, options)).toMatchObject({
      kind: 'duplicate',
      messageId: first.messageId,
    });
    clock += 1001;
    const again = await clocked.enqueue('digest', { user: 'di' }, options);
    expect(again.kind).toBe('sent');
    expect(again.messageId).not.toBe(first.messageId);
  });

  it('releases the key when the send fails, so the next enqueue sends', async () => {
    const unreachable = createClient({
      jobs,
      dynamodb,
      sqs: new SQSClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
    });
    const options = { uniqueKey: 'failed-send', uniqueForSeconds: 60 };
    await expect(unreachable.enqueue('digest', { user: 'ed' }, options)).rejects.toThrow();
    const sent = await client.enqueue('digest', { user: 'ed' }, options);
    expect(sent.kind).toBe('sent');
  });

  it('takes over a reservation whose producer died before sending, once it lapses', async () => {
    let now = Date.now();
    const space = t.runtime.plan.job('digest').uniqueEnqueues;
    if (!space) throw new Error('digest has unique enqueues');
    const keys = uniqueKeys(
      space,
      async () => dynamodb,
      () => now,
    );
    const dead = await keys.reserve('crash', 60);
    expect(dead.kind).toBe('reserved');
    // 31 s later (past the 30 s a reservation holds), another producer gets the key.
    now += 31_000;
    const taken = await keys.reserve('crash', 60);
    expect(taken.kind).toBe('reserved');
    // The dead producer's late release does not free the new holder's key.
    if (dead.kind === 'reserved') await keys.release('crash', dead.token);
    if (taken.kind === 'reserved') await keys.confirm('crash', taken.token, 'm-after-crash');
    expect(await keys.reserve('crash', 60)).toMatchObject({
      kind: 'sent',
      messageId: 'm-after-crash',
    });
  });

  it('refuses a unique key in enqueueMany, which would give every payload the same key', async () => {
    await expect(
      client.enqueueMany('digest', [{ user: 'fy' }], { uniqueKey: 'k', uniqueForSeconds: 60 }),
    ).rejects.toThrow(InvalidEnqueueOptionsError);
  });

  it('sends nothing and says why when the table cannot be reached', async () => {
    const before = await queued('digest');
    const noTable = createClient({
      jobs,
      sqs: t.sqs,
      dynamodb: new DynamoDBClient({
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 1,
      }),
    });
    const refused = noTable.enqueue(
      'digest',
      { user: 'gi' },
      { uniqueKey: 'k', uniqueForSeconds: 60 },
    );
    await expect(refused).rejects.toBeInstanceOf(IdempotencyStoreError);
    await expect(refused).rejects.toThrow(
      /^could not reserve the unique key "k" in bgjobs--idempotency: /,
    );
    expect(await queued('digest')).toBe(before);
  });
});
