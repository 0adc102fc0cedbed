import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQS_MAX_MESSAGE_BYTES } from '../../core/index.ts';
import { waitFor } from '../e2e/harness.ts';
import { type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
beforeAll(async () => {
  t = await startCliRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const succeeded = (messageId: string) =>
  t.outcomes.some((o) => o.messageId === messageId && o.outcome.status === 'succeeded')
    ? true
    : undefined;

describe('bgjobs enqueue', () => {
  it('prints the message id, and the job processes the message', async () => {
    const result = await t.bgjobs(['enqueue', 'process', '{"samples":100}']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const messageId = /^sent message (\S+) to process$/.exec(result.stdout.trim())?.[1] ?? '';
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor('the message to be processed', () => succeeded(messageId));
  });

  it('reads the payload from stdin with -', async () => {
    const result = await t.bgjobs(['enqueue', 'process', '-', '--json'], '{"samples":50}');
    expect(result.code).toBe(0);
    const [messageId] = JSON.parse(result.stdout).messageIds as string[];
    await waitFor('the message to be processed', () => succeeded(messageId ?? ''));
  });

  it('sends --count copies and reports every one sent', async () => {
    const result = await t.bgjobs([
      'enqueue',
      'process',
      '{"samples":10}',
      '--count',
      '20',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ job: 'process', requested: 20, sent: 20, errors: [] });
    expect(new Set(summary.messageIds).size).toBe(20);
    await waitFor('all 20 processed', () =>
      (summary.messageIds as string[]).every(succeeded) ? true : undefined,
    );
  });
});

describe('bgjobs enqueue with bad input', () => {
  const oversize = JSON.stringify({
    reportId: 'x'.repeat(SQS_MAX_MESSAGE_BYTES),
    period: 'day',
  });
  const cases: { name: string; args: string[]; input?: string; message: RegExp }[] = [
    {
      name: 'an unknown job',
      args: ['enqueue', 'nope', '{}'],
      message: /unknown job "nope"; registered jobs: statistics, process, report/,
    },
    {
      name: 'invalid JSON',
      args: ['enqueue', 'process', '{samples:1}'],
      message: /payload is not valid JSON/,
    },
    {
      name: 'a schema violation',
      args: ['enqueue', 'process', '{"samples":"many"}'],
      message: /does not match the schema of job "process": samples: /,
    },
    {
      name: 'an oversize payload',
      args: ['enqueue', 'report', '-'],
      input: oversize,
      message: /the message is \d+ bytes; SQS takes at most 1048576/,
    },
    {
      name: 'a delay over 900 s',
      args: ['enqueue', 'process', '{}', '--delay', '901'],
      message: /delaySeconds is 901; allowed: an integer from 0 to 900/,
    },
    {
      name: 'a group id on a standard queue',
      args: ['enqueue', 'process', '{}', '--group', 'g1'],
      message: /groupId is only for FIFO jobs/,
    },
    {
      name: 'a delay that is not a number',
      args: ['enqueue', 'process', '{}', '--delay', 'soon'],
      message: /'soon' is invalid. "soon" is not a whole number/,
    },
    { name: 'a missing job name', args: ['enqueue'], message: /missing required argument 'job'/ },
  ];

  beforeAll(() => {
    // Paused, nothing leaves the queues: a count that does not change means nothing was sent.
    t.runtime.pause('process');
    t.runtime.pause('report');
  });
  afterAll(() => {
    t.runtime.resume('process');
    t.runtime.resume('report');
  });

  it('checks the message with --dry-run, shows what would be sent, and sends nothing', async () => {
    const before = await t.count('process');
    const result = await t.bgjobs([
      'enqueue',
      'process',
      '{"samples":7}',
      '--delay',
      '5',
      '--count',
      '3',
      '--dry-run',
    ]);
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'would send 3 messages to process: {"MessageBody":"{\\"samples\\":7}","DelaySeconds":5} (dry run: nothing sent)\n',
    });
    const refused = await t.bgjobs(['enqueue', 'process', '{"samples":0}', '--dry-run']);
    expect(refused.code).toBe(2);
    expect(await t.count('process')).toBe(before);
  });

  it.concurrent.each(cases)(
    'exits 2 for $name, names what was wrong in one line, and sends nothing',
    async ({ args, input, message }) => {
      t.runtime.pause('process');
      t.runtime.pause('report');
      try {
        const before = [await t.count('process'), await t.count('report')];
        const result = await t.bgjobs(args, input);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect([await t.count('process'), await t.count('report')]).toEqual(before);
      } finally {
        t.runtime.resume('process');
        t.runtime.resume('report');
      }
    },
  );
});
