import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { drain, LOCAL_CREDENTIALS, waitFor } from './harness.ts';

/** `npm run soak` floods 10,000; the fast suite 2,000. */
const MESSAGES = Number(process.env.BGJOBS_KILL_MESSAGES ?? 2000);
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the runtime in its own process and resolves once it listens. */
function startRuntimeProcess(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'runtime-process.ts'),
      String(port),
      dataDir,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`runtime process exited with ${code} before it was ready`)),
    );
  });
}

/** True when nothing accepts a connection on the port of 127.0.0.1. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

function handledIds(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[0] ?? '');
}

describe('kill -9 of the local runtime', () => {
  it(
    'loses no message: after a restart every message sent is handled or dead-lettered',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-kill-'));
      const dataDir = path.join(dir, 'data');
      const logFile = path.join(dir, 'handled.log');
      const port = await freePort();
      let child = await startRuntimeProcess(port, dataDir);

      const sqs = new SQSClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 10,
      });
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bgjobs--echo' }));
      const sent = new Set<string>();
      for (let i = 0; i < MESSAGES; i += 10) {
        const response = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl,
            Entries: Array.from({ length: 10 }, (_, j) => ({
              Id: String(j),
              MessageBody: JSON.stringify({ n: i + j, waitMs: 5, log: logFile }),
            })),
          }),
        );
        for (const entry of response.Successful ?? []) sent.add(entry.MessageId ?? '');
      }
      expect(sent.size).toBe(MESSAGES);

      await waitFor(
        'some messages handled',
        () => (handledIds(logFile).length >= 300 ? true : undefined),
        30_000,
      );
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      // The SQS endpoint's process ends with the runtime's: no orphan keeps the port.
      await waitFor('the SQS port to be free', async () =>
        (await refused(port)) ? true : undefined,
      );
      const handledBeforeKill = new Set(handledIds(logFile)).size;
      expect(handledBeforeKill).toBeLessThan(MESSAGES);

      child = await startRuntimeProcess(port, dataDir);
      // Messages in flight at the kill come back after the visibility timeout (6 x 2 s).
      await waitFor(
        'every message handled',
        () => {
          const ids = new Set(handledIds(logFile));
          return [...sent].every((id) => ids.has(id)) ? true : undefined;
        },
        60_000 + MESSAGES * 20,
      );
      const ids = handledIds(logFile);
      const deadLetters = await drain(
        sqs,
        QueueUrl?.replace('bgjobs--echo', 'bgjobs--echo--dlq') ?? '',
      );
      const out = new Set([...ids, ...deadLetters.map((m) => m.MessageId ?? '')]);
      expect([...sent].filter((id) => !out.has(id))).toEqual([]);
      // At least once: a message whose delete was lost in the kill may run twice; count, don't hide.
      const duplicates = ids.length - new Set(ids).size;
      console.log(
        `kill -9: ${MESSAGES} sent, ${handledBeforeKill} handled before the kill, ${new Set(ids).size} handled in all, ${duplicates} duplicates, ${deadLetters.length} dead letters`,
      );
      expect(new Set(ids).size + deadLetters.length).toBeGreaterThanOrEqual(MESSAGES);
    },
    120_000 + MESSAGES * 30,
  );
});
