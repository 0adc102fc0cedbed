import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  type Message,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ENVIRONMENT } from '../../core/local-environment.ts';
import { planApp } from '../../core/plan.ts';
import { toQueueAttributes } from '../../core/queue-attributes.ts';
import type { LocalRuntime } from '../../local/runtime.ts';
import { CLI_ENV, drain, run, waitFor } from '../e2e/harness.ts';
import { hangJob } from './fixtures/jobs/hang.ts';
import { strictJob } from './fixtures/jobs/strict.ts';
import { weirdJob } from './fixtures/jobs/weird.ts';
import { startFaultRuntime } from './harness.ts';

let runtime: LocalRuntime;
let sqs: Awaited<ReturnType<typeof startFaultRuntime>>['sqs'];
const outcomes: { job: string; messageId: string; status: string; reason?: string }[] = [];

beforeAll(async () => {
  ({ runtime, sqs } = await startFaultRuntime([hangJob, weirdJob, strictJob]));
  runtime.events.on('outcome', (o) =>
    outcomes.push({
      job: o.job,
      messageId: o.messageId,
      status: o.outcome.status,
      reason: 'reason' in o.outcome ? String(o.outcome.reason) : undefined,
    }),
  );
});
afterAll(() => runtime?.stop());

const urls = (job: string) => {
  const set = runtime.queues.get(job);
  if (!set) throw new Error(`no job ${job}`);
  return { queue: set.queue.url, dlq: set.deadLetterQueue.url };
};

/** Drains a dead-letter queue until it holds `count` messages in all. */
async function deadLettersOf(job: string, count: number, timeoutMs = 15_000): Promise<Message[]> {
  const all: Message[] = [];
  return waitFor(
    `${count} dead letters of ${job}`,
    async () => {
      all.push(...(await drain(sqs, urls(job).dlq)));
      return all.length >= count ? all : undefined;
    },
    timeoutMs,
  );
}

const send = async (job: string, body: string) =>
  (await sqs.send(new SendMessageCommand({ QueueUrl: urls(job).queue, MessageBody: body })))
    .MessageId ?? '';

describe('poison and misbehaving handlers', () => {
  it('stops a handler that never resolves, retries it, and dead-letters it after maxReceiveCount', async () => {
    const id = await send('hang', '{}');
    const [letter] = await deadLettersOf('hang', 1);
    expect(letter?.MessageId).toBe(id);
    const attempts = outcomes.filter((o) => o.messageId === id);
    expect(attempts.map((a) => a.status)).toEqual(['retry', 'retry']);
    expect(attempts[0]?.reason).toBe(
      'JobTimeoutError: handler was still running when the function was about to time out',
    );
  });

  it('retries handlers that throw non-Error values, with the value in the reason, then dead-letters them', async () => {
    const kinds = ['string', 'object', 'null', 'number'] as const;
    const ids = await Promise.all(kinds.map((kind) => send('weird', JSON.stringify({ kind }))));
    const letters = await deadLettersOf('weird', kinds.length);
    expect(new Set(letters.map((m) => m.MessageId))).toEqual(new Set(ids));
    const reasons = ids.map((id) => outcomes.find((o) => o.messageId === id)?.reason);
    expect(reasons).toEqual([
      'BgjobsError: non-Error value thrown: plain string',
      'BgjobsError: non-Error value thrown: {"code":42}',
      'BgjobsError: non-Error value thrown: null',
      'BgjobsError: non-Error value thrown: 7',
    ]);
  });

  it('keeps permanent failures while the dead-letter queue is unreachable, and dead-letters them once it is back', async () => {
    const { dlq } = urls('strict');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlq }));
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send('strict', JSON.stringify({ id: `o-${i}`, reject: true })),
      ),
    );
    await waitFor('failed dead-letter sends', () =>
      outcomes.filter((o) => ids.includes(o.messageId) && o.status === 'retry').length >= 40
        ? true
        : undefined,
    );
    expect(outcomes.find((o) => ids.includes(o.messageId))?.reason).toMatch(
      /sending it to the dead-letter queue failed/,
    );
    await sqs.send(
      new CreateQueueCommand({
        QueueName: dlq.split('/').pop(),
        Attributes: toQueueAttributes(
          planApp([strictJob]).job('strict').deadLetterQueue,
          LOCAL_ENVIRONMENT,
        ),
      }),
    );
    const letters = await deadLettersOf('strict', 40);
    expect(
      new Set(letters.map((m) => m.MessageAttributes?.['bgjobs.message-id']?.StringValue)),
    ).toEqual(new Set(ids));
    for (const letter of letters) {
      expect(letter.MessageAttributes?.['bgjobs.reason']?.StringValue).toMatch(
        /^order o-\d+ cannot be processed$/,
      );
    }
  });
});

describe('malformed bodies sent with the AWS CLI', () => {
  const cli = (body: string) =>
    run(
      'aws',
      [
        'sqs',
        'send-message',
        '--endpoint-url',
        runtime.sqsEndpoint,
        '--queue-url',
        urls('strict').queue,
        '--message-body',
        body,
      ],
      { env: CLI_ENV, maxBuffer: 8 * 1024 * 1024 },
    );

  it('dead-letters each with its reason', async () => {
    const bodies = {
      'not JSON': ['{"id": ', 'MalformedMessageError', /^body is not JSON/],
      whitespace: ['   ', 'MalformedMessageError', /^body is not JSON/],
      'wrong schema': [
        '{"id": 5, "extra": true}',
        'PayloadValidationError',
        /^payload does not match the schema of job "strict": id: .*; \(payload\): /,
      ],
      'EventBridge-shaped': [
        '{"version":"0","id":"e","detail-type":"X","source":"s","account":"1","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"id":"a"}}',
        'PayloadValidationError',
        /^payload does not match the schema of job "strict"/,
      ],
    } as const;
    const sent = new Map<string, (typeof bodies)[keyof typeof bodies]>();
    for (const expected of Object.values(bodies)) {
      const { stdout } = await cli(expected[0]);
      sent.set((JSON.parse(stdout) as { MessageId: string }).MessageId, expected);
    }
    const letters = await deadLettersOf('strict', sent.size);
    expect(letters).toHaveLength(sent.size);
    for (const letter of letters) {
      const [body, error, reason] =
        sent.get(letter.MessageAttributes?.['bgjobs.message-id']?.StringValue ?? '') ?? [];
      expect(letter.Body).toBe(body);
      expect(letter.MessageAttributes?.['bgjobs.error']?.StringValue).toBe(error);
      expect(letter.MessageAttributes?.['bgjobs.reason']?.StringValue).toMatch(reason as RegExp);
    }
  });

  it('refuses an empty and an oversize body at the queue, so nothing is enqueued', async () => {
    await expect(cli('')).rejects.toThrow(/MessageBody|empty|InvalidParameterValue|must be/i);
    // Over the shell's argument limit, so the CLI reads it from a file.
    const big = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-big-')), 'body.txt');
    writeFileSync(big, 'x'.repeat(1_048_577));
    await expect(cli(`file://${big}`)).rejects.toThrow(
      /too long|size|exceed|InvalidParameterValue/i,
    );
    expect(await drain(sqs, urls('strict').queue)).toEqual([]);
  });
});
