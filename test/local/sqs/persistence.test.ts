import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../local/sqs/server.ts';

/*
 * Regression tests for fauxqs 2.4.1's SQLite persistence, fixed by
 * patches/fauxqs+2.4.1.patch. Unpatched, `updateMessageReady` (a visibility
 * change to 0) writes NULL into the NOT NULL column approximate_receive_count:
 * the request fails with ERR_SQLITE_ERROR after the message has left "in
 * flight", so it is neither visible nor in flight until the next restart. Each
 * test below fails on unpatched fauxqs.
 */

let dataDir: string;
let server: SqsServer;
let sqs: SQSClient;
let queueUrl: string;

const clientOf = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    // A retried request would hide the first one's failure.
    maxAttempts: 1,
  });

async function start(): Promise<void> {
  server = await startSqsServer({ port: 0, dataDir });
  sqs = clientOf(server.endpoint);
  queueUrl =
    (
      await sqs.send(
        new CreateQueueCommand({ QueueName: 'kept', Attributes: { VisibilityTimeout: '600' } }),
      )
    ).QueueUrl ?? '';
}

async function restart(): Promise<void> {
  await server.stop();
  await start();
}

/** Receives what is visible now (no long poll: a message handed back must be there at once). */
async function receive(max = 10): Promise<Message[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: max,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  return Messages;
}

const receiveCounts = (messages: Message[]) =>
  Object.fromEntries(
    messages.map((m) => [m.Body, Number(m.Attributes?.ApproximateReceiveCount)] as const),
  );

const handBack = (message: Message | undefined) =>
  sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: queueUrl,
      ReceiptHandle: message?.ReceiptHandle,
      VisibilityTimeout: 0,
    }),
  );

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-sqs-'));
  await start();
});
afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a persisted queue', () => {
  it('makes a message handed back with visibility 0 visible at once, keeping its receive count', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'one' }));
    const [first] = await receive();
    expect(receiveCounts(first ? [first] : [])).toEqual({ one: 1 });

    await handBack(first);

    const again = await receive();
    expect(again.map((m) => m.MessageId)).toEqual([first?.MessageId]);
    expect(receiveCounts(again)).toEqual({ one: 2 });
    expect(again[0]?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(
      first?.Attributes?.ApproximateFirstReceiveTimestamp,
    );
  });

  it('hands back every entry of a ChangeMessageVisibilityBatch to 0, none lost', async () => {
    const bodies = ['a', 'b', 'c', 'd', 'e'];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    const received = await receive();
    expect(received).toHaveLength(5);

    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: received.map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    );
    expect({ ok: changed.Successful?.length, failed: changed.Failed ?? [] }).toEqual({
      ok: 5,
      failed: [],
    });

    const again = await receive();
    expect(receiveCounts(again)).toEqual({ a: 2, b: 2, c: 2, d: 2, e: 2 });
  });

  it('keeps receive counts across a restart, also of messages handed back', async () => {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'back', MessageBody: 'handed back' },
          { Id: 'flight', MessageBody: 'in flight' },
        ],
      }),
    );
    const received = await receive();
    await handBack(received.find((m) => m.Body === 'handed back'));
    const twice = await receive();
    expect(receiveCounts(twice)).toEqual({ 'handed back': 2 });
    await handBack(twice[0]);
    // 'in flight' is still invisible (600 s) when the server stops.

    await restart();

    expect(receiveCounts(await receive())).toEqual({ 'handed back': 3 });
  });
});
