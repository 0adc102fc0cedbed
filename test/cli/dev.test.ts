import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedArgs, temporaryDataDir, waitFor } from '../e2e/harness.ts';
import { bgjobs } from './harness.ts';

const BIN = path.resolve(import.meta.dirname, '..', '..', 'cli', 'bgjobs.mjs');

describe('bgjobs dev', () => {
  it('runs the local runtime of npm start, under the --stack name, until Ctrl-C', async () => {
    const dataDir = temporaryDataDir();
    const child = spawn(
      process.execPath,
      [BIN, '--stack', 'demo', 'dev', ...isolatedArgs(dataDir)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(
        'the welcome text',
        () => (output.includes('Ctrl-C stops') ? true : undefined),
        20_000,
      );
      expect(output).toMatch(/\/demo--process {2}\(on demand\)/);
      const sqs = /SQS endpoint +(\S+)/.exec(output)?.[1] ?? '';
      const lambda = /Lambda endpoint +(\S+)/.exec(output)?.[1] ?? '';
      const events = /EventBridge endpoint +(\S+)/.exec(output)?.[1] ?? '';
      const scheduler = /Scheduler endpoint +(\S+)/.exec(output)?.[1] ?? '';
      const env = {
        AWS_ENDPOINT_URL_SQS: sqs,
        AWS_ENDPOINT_URL_EVENTBRIDGE: events,
        AWS_ENDPOINT_URL_LAMBDA: lambda,
        AWS_ENDPOINT_URL_SCHEDULER: scheduler,
      };
      const status = await bgjobs(['--local', '--stack', 'demo', 'status', 'process', '--json'], {
        env,
      });
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout)[0]).toMatchObject({ job: 'process', paused: false });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
