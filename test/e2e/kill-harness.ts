import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { GetQueueUrlCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A runtime in a process of its own: what it printed (`duplicate <id>` lines) is kept in `printed`. */
export interface RuntimeProcess {
  readonly child: ChildProcess;
  readonly printed: string[];
}

/** Starts the runtime in its own process (`children` collects it) and resolves once it listens. */
export function startRuntimeProcess(
  children: ChildProcess[],
  port: number,
  dataDir: string,
  job = 'echo',
): Promise<RuntimeProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'runtime-process.ts'),
      String(port),
      dataDir,
      job,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const printed: string[] = [];
  let rest = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      printed.push(...lines);
      if (lines.some((line) => line.startsWith('ready'))) resolve({ child, printed });
    });
    child.once('exit', (code) =>
      reject(new Error(`runtime process exited with ${code} before it was ready`)),
    );
  });
}

/** Kills the process at once (no shutdown of any kind) and waits for it to be gone. */
export async function kill9(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** True when nothing accepts a connection on the port of 127.0.0.1. */
export function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The message ids a fixture logged, one per handled message, duplicates included. */
export function handledIds(logFile: string): string[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[0] ?? '');
}

/** Sends `count` distinct messages to the job's queue in batches of 10; returns their message ids. */
export async function flood(
  sqs: SQSClient,
  queueName: string,
  count: number,
  logFile: string,
): Promise<{ queueUrl: string; sent: Set<string> }> {
  const { QueueUrl = '' } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  const sent = new Set<string>();
  for (let i = 0; i < count; i += 10) {
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
  return { queueUrl: QueueUrl, sent };
}
