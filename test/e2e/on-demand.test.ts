import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { flakyJob } from '../local/fixtures/jobs/flaky.ts';
import { CLI_ENV, drain, run, startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

let t: TestRuntime;
const outcomes: { job: string; messageId: string; attempt: number; status: string; at: number }[] =
  [];

beforeAll(async () => {
  t = await startTestRuntime([echoJob, flakyJob]);
  t.runtime.events.on('outcome', (o) =>
    outcomes.push({
      job: o.job,
      messageId: o.messageId,
      attempt: o.attempt,
      status: o.outcome.status,
      at: Date.now(),
    }),
  );
});
afterAll(() => t?.runtime.stop());

const outcomesOf = (messageId: string) => outcomes.filter((o) => o.messageId === messageId);

describe('on-demand jobs on the local runtime', () => {
  it('processes a message sent with the SDK', async () => {
    const { MessageId } = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: t.queueUrl('echo'), MessageBody: '{"n":1}' }),
    );
    const [done] = await waitFor('the outcome', () => {
      const found = outcomesOf(MessageId ?? '');
      return found.length > 0 ? found : undefined;
    });
    expect(done).toMatchObject({ job: 'echo', attempt: 1, status: 'succeeded' });
    expect(
      t.lines.some((line) => line.includes(`${MessageId?.slice(0, 8)}  attempt 1  succeeded`)),
    ).toBe(true);
  });

  it('processes a message sent with the AWS CLI', async () => {
    const { stdout } = await run(
      'aws',
      [
        'sqs',
        'send-message',
        '--endpoint-url',
        t.runtime.sqsEndpoint,
        '--queue-url',
        t.queueUrl('echo'),
        '--message-body',
        '{"n":2}',
      ],
      { env: CLI_ENV },
    );
    const { MessageId } = JSON.parse(stdout) as { MessageId: string };
    const found = await waitFor('the outcome', () => outcomesOf(MessageId)[0]);
    expect(found.status).toBe('succeeded');
  });

  it('dead-letters a payload that fails the schema at once, with its reason', async () => {
    const { MessageId } = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: t.queueUrl('echo'), MessageBody: '{"n":"one"}' }),
    );
    await waitFor('the outcome', () => outcomesOf(MessageId ?? '')[0]);
    expect(outcomesOf(MessageId ?? '')).toEqual([
      expect.objectContaining({ attempt: 1, status: 'dead-lettered' }),
    ]);
    const [letter] = await waitFor('the dead letter', async () => {
      const found = await drain(t.sqs, t.deadLetterQueueUrl('echo'));
      return found.length > 0 ? found : undefined;
    });
    expect(letter?.Body).toBe('{"n":"one"}');
    const attributes = letter?.MessageAttributes ?? {};
    expect(attributes['bgjobs.error']?.StringValue).toBe('PayloadValidationError');
    expect(attributes['bgjobs.reason']?.StringValue).toMatch(
      /^payload does not match the schema of job "echo": n: /,
    );
    expect(attributes['bgjobs.message-id']?.StringValue).toBe(MessageId);
    expect(attributes['bgjobs.attempt']?.StringValue).toBe('1');
  });

  it('retries a failing job with its backoff delays and dead-letters it after exactly maxReceiveCount receives', async () => {
    const { MessageId = '' } = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: t.queueUrl('flaky'), MessageBody: '{"id":"x"}' }),
    );
    const [letter] = await waitFor(
      'the dead letter',
      async () => {
        const found = await drain(t.sqs, t.deadLetterQueueUrl('flaky'));
        return found.length > 0 ? found : undefined;
      },
      20_000,
    );
    const attempts = outcomesOf(MessageId);
    // flaky: maxReceiveCount 3, backoff 1 s doubling, no jitter; the last attempt gets no delay.
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'retry'],
    ]);
    const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
    // Stated tolerance: 700 ms around each delay (long-poll wake-up plus the handler run).
    const toleranceMs = 700;
    expect(Math.abs(second - first - 1000)).toBeLessThan(toleranceMs);
    expect(Math.abs(third - second - 2000)).toBeLessThan(toleranceMs);
    expect(letter?.MessageId).toBe(MessageId);
    expect(letter?.Body).toBe('{"id":"x"}');
    expect(
      t.lines.some((line) => line.includes('retry in 1 s: Error: flaky failure on attempt 1')),
    ).toBe(true);
  });
});
