import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startSqsServer } from '../../local/sqs/server.ts';
import { isolatedArgs, temporaryDataDir } from './harness.ts';

const MAIN = path.resolve(import.meta.dirname, '..', '..', 'local', 'main.ts');
const children: ChildProcess[] = [];
const dataDirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Free ports, persisted in a fresh data folder: the default mode of `npm start`. */
function persistedArgs(): string[] {
  const dir = temporaryDataDir();
  dataDirs.push(dir);
  return isolatedArgs(dir);
}

/** Runs `npm start`'s entry with arguments; resolves with its output so far when `until` appears or it exits. */
function start(args: string[], until?: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const seen = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until && output.includes(until)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then(() => resolve());
  });
  return { child, exited, seen, output: () => output };
}

/** Sends a `process` job that waits `waitMs` to the runtime whose welcome text is in `output`. */
async function sendSlowJob(output: string, waitMs: number): Promise<void> {
  const endpoint = /SQS endpoint +(\S+)/.exec(output)?.[1] ?? '';
  const queueUrl = /(\S+\/bgjobs--process) /.exec(output)?.[1] ?? '';
  const sqs = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify({ samples: 10, waitMs }),
    }),
  );
}

/** Resolves once the runtime whose welcome text is in `output` holds a `process` message in flight. */
async function processJobInFlight(output: string): Promise<void> {
  const endpoint = /SQS endpoint +(\S+)/.exec(output)?.[1] ?? '';
  const queueUrl = /(\S+\/bgjobs--process) /.exec(output)?.[1] ?? '';
  const sqs = new SQSClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  for (;;) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    if (Number(Attributes?.ApproximateNumberOfMessagesNotVisible) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const waitUntil = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
};

describe('npm start', () => {
  it('prints its endpoints and a command to paste, and Ctrl-C waits for the batch in flight', async () => {
    const run = start(persistedArgs(), 'Ctrl-C stops');
    await run.seen;
    expect(run.output()).toMatch(/SQS endpoint {10}http:\/\/127\.0\.0\.1:\d+/);
    expect(run.output()).toContain('aws sqs send-message --endpoint-url http://127.0.0.1:');
    expect(run.output()).toContain('aws events put-events --endpoint-url http://127.0.0.1:');
    // Times as everywhere in bgjobs: 24-hour UTC with the zone; rate(1 minute) on whole minutes.
    expect(run.output()).toMatch(
      /statistics .*\(schedule rate\(1 minute\), next \d\d:\d\d:00 UTC \(in (\d+ s|1 min)\)\)\n/,
    );
    expect(run.output()).toContain('times are UTC');
    await sendSlowJob(run.output(), 2000);
    await processJobInFlight(run.output());
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    const output = run.output();
    expect(output).toContain('stopping: no new batches');
    // The batch in flight finished before the exit.
    expect(output.indexOf('process       ')).toBeGreaterThan(
      output.indexOf('stopping: no new batches'),
    );
    expect(output).toMatch(/process {7}\w{8} {2}attempt 1 {2}succeeded/);
    // The handler's own log entry, one readable line: no Powertools JSON by default.
    expect(output).toMatch(/process {7}INFO {3}processed {2}samples=10 {2}mean=0\.\d+\n/);
    expect(output).not.toContain('{"level"');
  });

  it("with --json-logs, passes the jobs' log lines on as the JSON CloudWatch gets", async () => {
    const run = start([...persistedArgs(), '--json-logs'], 'Ctrl-C stops');
    await run.seen;
    await sendSlowJob(run.output(), 0);
    await waitUntil(() => run.output().includes('"message":"processed"'));
    const line = run
      .output()
      .split('\n')
      .find((l) => l.includes('"message":"processed"'));
    expect(JSON.parse(line ?? '')).toMatchObject({
      level: 'INFO',
      service: 'process',
      function_name: 'bgjobs--process',
      cold_start: true,
      samples: 10,
    });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('lists --json-logs in its help', async () => {
    const run = start(['--help']);
    expect(await run.exited).toBe(0);
    expect(run.output()).toMatch(/--json-logs +print the jobs' log lines as the JSON CloudWatch/);
  });

  it('prints commands that work when pasted into a shell', async () => {
    const run = start(persistedArgs(), 'Ctrl-C stops');
    await run.seen;
    const tryBlock = run
      .output()
      .slice(run.output().indexOf('\ntry\n') + 5, run.output().indexOf('Ctrl-C stops'));
    await promisify(execFile)('bash', ['-c', tryBlock.replaceAll('\\\n', ' ')]);
    await waitUntil(() => /process {7}\w{8} {2}attempt 1 {2}succeeded/.test(run.output()));
    await waitUntil(() => /report {8}\w{8} {2}attempt 1 {2}succeeded/.test(run.output()));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('runs as `npm start` runs it: Ctrl-C at the terminal (SIGINT to the whole process group) lets the batch in flight finish', async () => {
    const child = spawn('npm', ['start', '--', ...persistedArgs()], {
      cwd: path.resolve(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a shell gives a foreground command: the terminal signals all of it.
      detached: true,
    });
    children.push(child);
    let output = '';
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // npm hands its stdout to the runtime: the pipe closes when the runtime's process ends.
    const closed = new Promise<void>((resolve) => child.stdout.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl-C stops')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output}`)));
    });
    await sendSlowJob(output, 1500);
    await processJobInFlight(output);
    process.kill(-(child.pid ?? 0), 'SIGINT');
    await closed;
    const { code, signal } = await exited;
    // npm itself ends by the SIGINT it got, or passes on the runtime's 0; never a failure.
    expect(code === 0 || signal === 'SIGINT', `npm ended with ${code ?? signal}`).toBe(true);
    expect(output).toContain('stopping: no new batches');
    expect(output).toMatch(/process +\S+ +attempt 1 +succeeded/);
    expect(output).not.toContain('exiting now');
    expect(output).not.toMatch(/npm error/);
  });

  it('exits at once on a second Ctrl-C', async () => {
    const run = start([...persistedArgs(), '--grace', '30'], 'Ctrl-C stops');
    await run.seen;
    await sendSlowJob(run.output(), 20_000);
    await processJobInFlight(run.output());
    const began = Date.now();
    run.child.kill('SIGINT');
    await waitUntil(() => run.output().includes('stopping: no new batches'));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(Date.now() - began).toBeLessThan(5000);
    expect(run.output()).toContain(
      'exiting now; unfinished messages come back after their visibility timeout',
    );
  });

  it('stops with a message naming the port when it is in use', async () => {
    const taken = await startSqsServer({ port: 0, dataDir: undefined });
    try {
      const run = start([...persistedArgs(), '--sqs-port', String(taken.port)]);
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(
        `bgjobs: could not start: SQS endpoint: port ${taken.port} on 127.0.0.1 is in use`,
      );
    } finally {
      await taken.stop();
    }
  });

  it('exits 1 naming the SQS endpoint when its process ends by itself', async () => {
    const run = start(persistedArgs(), 'Ctrl-C stops');
    await run.seen;
    const pid = Number(/SQS endpoint .*\(fauxqs, process (\d+)\)/.exec(run.output())?.[1]);
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      `bgjobs: stopped: the SQS endpoint (process ${pid}) ended by itself (killed by SIGKILL); the runtime cannot reach its queues`,
    );
  });

  it('refuses an argument that is not a port', async () => {
    const run = start(['--sqs-port', 'abc']);
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('"abc" is not a port');
  });
});
