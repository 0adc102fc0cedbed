import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SqsServer, startSqsServer } from '../../../local/sqs/server.ts';

/*
 * SQS allows #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to
 * #x10FFFF in a body. fauxqs 2.4.1's check lacks the `u` flag and the last
 * range, so it refuses every character above U+FFFF (an emoji is two UTF-16
 * code units, each a surrogate it refuses): the acceptance tests below fail on
 * unpatched fauxqs; patches/fauxqs+2.4.1.patch fixes the check.
 */

const ASTRAL = 'emoji 😀, musical 𝄞, CJK extension B 𠀀, last plane \u{10FFFD}';

let server: SqsServer;
let sqs: SQSClient;
let queueUrl: string;

beforeAll(async () => {
  server = await startSqsServer({ port: 0, dataDir: undefined });
  sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 1,
  });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bodies' }))).QueueUrl ?? '';
});
afterAll(() => server?.stop());

async function receiveBodies(): Promise<string[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((m) => m.Body ?? '');
}

describe('message bodies on the embedded SQS endpoint', () => {
  it('accepts characters above U+FFFF and delivers them unchanged', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: ASTRAL }));
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'astral', MessageBody: `${ASTRAL} (batch)` }],
      }),
    );
    expect(batch.Failed ?? []).toEqual([]);
    expect((await receiveBodies()).sort()).toEqual([ASTRAL, `${ASTRAL} (batch)`]);
  });

  it.each([
    ['a NUL character', 'a\u0000b'],
    ['U+FFFF', 'a\uFFFFb'],
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone low surrogate', 'a\uDE00b'],
  ])('still refuses %s with InvalidMessageContents, as SQS does', async (_what, body) => {
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })),
    ).rejects.toMatchObject({
      name: 'InvalidMessageContents',
      message:
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    });
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'bad', MessageBody: body }],
      }),
    );
    expect(batch.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' }),
    ]);
    expect(await receiveBodies()).toEqual([]);
  });
});
