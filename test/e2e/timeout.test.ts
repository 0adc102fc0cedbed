import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { hogJob } from '../local/fixtures/jobs/hog.ts';
import { startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime([hogJob, echoJob]);
});
afterAll(() => t?.runtime.stop());

describe('the function timeout on the local runtime', () => {
  it('stops a handler that runs past its timeout, retries its whole batch, and keeps serving', async () => {
    const batches: { reason: string | undefined; size: number }[] = [];
    const succeeded: string[] = [];
    t.runtime.events.on('batch', (b) => {
      if (b.job === 'hog') batches.push({ reason: b.settlement.wholeBatchReason, size: b.size });
    });
    t.runtime.events.on('outcome', (o) => {
      if (o.job === 'hog' && o.outcome.status === 'succeeded') succeeded.push(o.messageId);
    });

    // hog: timeoutSeconds 1 (visibility 6 s); the first attempt blocks its thread for 5 s.
    const { MessageId = '' } = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: t.queueUrl('hog'), MessageBody: '{"blockMs":5000}' }),
    );
    const timedOut = await waitFor(
      'the timed-out batch',
      () => batches.find((b) => b.reason),
      5000,
    );
    expect(timedOut.reason).toBe('the function timed out after 1000 ms');
    expect(
      t.lines.some((line) =>
        line.includes('batch of 1 failed: the function timed out after 1000 ms'),
      ),
    ).toBe(true);

    // The worker pool keeps serving other messages while the first waits out its visibility timeout.
    const { MessageId: other = '' } = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: t.queueUrl('hog'), MessageBody: '{"blockMs":0}' }),
    );
    await waitFor('the second message', () => (succeeded.includes(other) ? true : undefined), 5000);

    // The timed-out message comes back after the visibility timeout and succeeds on attempt 2.
    await waitFor(
      'the retried message',
      () => (succeeded.includes(MessageId) ? true : undefined),
      12_000,
    );
  });
});
