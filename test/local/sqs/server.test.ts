import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { startSqsServer } from '../../../local/sqs/server.ts';

const client = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });

describe('the embedded SQS endpoint', () => {
  it('listens on 127.0.0.1 only', async () => {
    const server = await startSqsServer({ port: 0, dataDir: undefined });
    try {
      expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
      const refused = await fetch(`http://[::1]:${server.port}/`).then(
        () => false,
        () => true,
      );
      expect(refused).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('keeps queued messages across a restart with the same data folder', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-sqs-'));
    let server = await startSqsServer({ port: 0, dataDir });
    const { QueueUrl } = await client(server.endpoint).send(
      new CreateQueueCommand({ QueueName: 'kept' }),
    );
    await client(server.endpoint).send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'still here' }),
    );
    await server.stop();

    server = await startSqsServer({ port: 0, dataDir });
    try {
      const { Messages = [] } = await client(server.endpoint).send(
        new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
      );
      expect(Messages.map((m) => m.Body)).toEqual(['still here']);
    } finally {
      await server.stop();
    }
  });

  it('names the port when it is in use', async () => {
    const first = await startSqsServer({ port: 0, dataDir: undefined });
    try {
      await expect(startSqsServer({ port: first.port, dataDir: undefined })).rejects.toThrow(
        `SQS endpoint: port ${first.port} on 127.0.0.1 is in use`,
      );
    } finally {
      await first.stop();
    }
  });

  it('names the data folder when it cannot write there', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-sqs-')), 'a-file');
    writeFileSync(file, '');
    chmodSync(file, 0o444);
    await expect(startSqsServer({ port: 0, dataDir: path.join(file, 'data') })).rejects.toThrow(
      `data folder ${path.join(file, 'data')} is not writable`,
    );
  });
});
