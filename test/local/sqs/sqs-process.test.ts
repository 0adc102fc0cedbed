import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BgjobsError } from '../../../core/errors.ts';
import { type SqsProcess, startSqsProcess } from '../../../local/sqs/sqs-process.ts';
import { waitFor } from '../../e2e/harness.ts';

const client = (endpoint: string) =>
  new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    maxAttempts: 1,
  });

const started: SqsProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((sqs) => sqs.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(
  options: { port?: number; dataDir?: string; onExit?: (error: BgjobsError) => void } = {},
): Promise<SqsProcess> {
  const sqs = await startSqsProcess({
    port: options.port ?? 0,
    dataDir: options.dataDir,
    onExit: options.onExit ?? (() => {}),
  });
  started.push(sqs);
  return sqs;
}

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-sqs-process-'));
  dirs.push(dir);
  return dir;
}

/** True once nothing accepts a connection on the port of 127.0.0.1. */
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

describe('the SQS endpoint in a process of its own', () => {
  it('answers SQS on 127.0.0.1 only, from another process', async () => {
    const sqs = await start();
    expect(sqs.endpoint).toBe(`http://127.0.0.1:${sqs.port}`);
    expect(sqs.pid).not.toBe(process.pid);
    const { QueueUrl } = await client(sqs.endpoint).send(
      new CreateQueueCommand({ QueueName: 'here' }),
    );
    expect(QueueUrl).toMatch(/\/000000000000\/here$/);
    const fromIpv6 = await fetch(`http://[::1]:${sqs.port}/`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(fromIpv6).toBe('refused');
  });

  it('keeps queued messages across a restart with the same data folder', async () => {
    const dataDir = temporaryDir();
    let sqs = await start({ dataDir });
    const { QueueUrl } = await client(sqs.endpoint).send(
      new CreateQueueCommand({ QueueName: 'kept' }),
    );
    await client(sqs.endpoint).send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'still here' }),
    );
    await sqs.stop();

    sqs = await start({ dataDir });
    const { Messages = [] } = await client(sqs.endpoint).send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(['still here']);
  });

  it('names the port when it is in use', async () => {
    const first = await start();
    await expect(start({ port: first.port })).rejects.toThrow(
      `SQS endpoint: port ${first.port} on 127.0.0.1 is in use`,
    );
  });

  it('names the data folder when it cannot write there', async () => {
    const file = path.join(temporaryDir(), 'a-file');
    writeFileSync(file, '');
    chmodSync(file, 0o444);
    await expect(start({ dataDir: path.join(file, 'data') })).rejects.toThrow(
      `data folder ${path.join(file, 'data')} is not writable`,
    );
  });

  it('shows its own memory, which holds the backlog', async () => {
    const sqs = await start();
    const sqsClient = client(sqs.endpoint);
    const { QueueUrl } = await sqsClient.send(new CreateQueueCommand({ QueueName: 'backlog' }));
    const before = await sqs.memory();
    // 4,000 messages of 2 KB: 8 MB of bodies that only the endpoint's heap holds.
    const body = 'x'.repeat(2048);
    for (let i = 0; i < 4000; i += 10) {
      await sqsClient.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
    }
    const after = await sqs.memory();
    expect(before?.rssBytes).toBeGreaterThan(0);
    expect((after?.heapUsedBytes ?? 0) - (before?.heapUsedBytes ?? 0)).toBeGreaterThan(
      8 * 1024 * 1024,
    );
    await sqs.stop();
    expect(await sqs.memory()).toBeUndefined();
  });

  it('reports ending by itself, naming the process and how it ended', async () => {
    const exits: BgjobsError[] = [];
    const sqs = await start({ onExit: (error) => exits.push(error) });
    process.kill(sqs.pid, 'SIGKILL');
    const error = await waitFor('the exit report', () => exits[0]);
    expect(error.message).toBe(
      `the SQS endpoint (process ${sqs.pid}) ended by itself (killed by SIGKILL); the runtime cannot reach its queues`,
    );
  });

  it('does not report a stop it was asked for', async () => {
    const exits: BgjobsError[] = [];
    const sqs = await start({ onExit: (error) => exits.push(error) });
    await sqs.stop();
    expect(await refused(sqs.port)).toBe(true);
    expect(exits).toEqual([]);
  });

  it('leaves Ctrl-C to the runtime: SIGINT and SIGTERM do not end it', async () => {
    const exits: BgjobsError[] = [];
    const sqs = await start({ onExit: (error) => exits.push(error) });
    process.kill(sqs.pid, 'SIGINT');
    process.kill(sqs.pid, 'SIGTERM');
    // Its answer over IPC comes after it has handled both signals.
    expect((await sqs.memory())?.rssBytes).toBeGreaterThan(0);
    await client(sqs.endpoint).send(new CreateQueueCommand({ QueueName: 'still-up' }));
    expect(exits).toEqual([]);
  });

  it('ends with its runtime, even on kill -9: nothing is left listening on the port', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'endpoint-parent.ts')],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [port, pid] = await new Promise<number[]>((resolve, reject) => {
      parent.stdout.on('data', (chunk: Buffer) => {
        const match = /listening (\d+) (\d+)/.exec(chunk.toString());
        if (match) resolve([Number(match[1]), Number(match[2])]);
      });
      parent.once('exit', (code) => reject(new Error(`the parent exited with ${code}`)));
    });
    expect(await refused(port as number)).toBe(false);

    parent.kill('SIGKILL');
    await waitFor('the port to be free', async () =>
      (await refused(port as number)) ? true : undefined,
    );
    await waitFor('the endpoint process to end', () =>
      isRunning(pid as number) ? undefined : true,
    );
  });
});

/** Alive and not a zombie (an orphan that ended but is not reaped yet still takes signal 0). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.startsWith('Z') !== true;
  } catch {
    return true;
  }
}
