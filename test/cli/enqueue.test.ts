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
    {
      name: 'a unique key for a job without uniqueEnqueues',
      args: ['enqueue', 'process', '{}', '--unique-key', 'k', '--unique-for', '1h'],
      message: /uniqueKey is only for a job defined with uniqueEnqueues: true/,
    },
    {
      name: 'a unique key without a window',
      args: ['enqueue', 'report', '{"reportId":"r","period":"day"}', '--unique-key', 'k'],
      message: /uniqueForSeconds is undefined; allowed: an integer from 1 to 31536000/,
    },
    {
      name: 'a window that is not a duration',
      args: ['enqueue', 'report', '{}', '--unique-key', 'k', '--unique-for', 'soon'],
      message: /"soon" is not a duration: a whole number of seconds, or with s, m, h or d/,
    },
    {
      name: 'a unique key with --count',
      args: ['enqueue', 'report', '{}', '--unique-key', 'k', '--unique-for', '1h', '--count', '2'],
      message: /--unique-key sends one message: it cannot be given with --count/,
    },
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

describe('bgjobs enqueue --unique-key', () => {
  beforeAll(() => t.runtime.pause('report'));
  afterAll(() => t.runtime.resume('report'));

  it('sends once within --unique-for: the second prints the first message id, sends nothing and exits 0', async () => {
    const before = await t.count('report');
    const args = ['enqueue', 'report', '{"reportId":"u-1","period":"day"}'];
    const unique = ['--unique-key', 'u-1/day', '--unique-for', '1h'];
    const first = await t.bgjobs([...args, ...unique]);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const messageId = /^sent message (\S+) to report$/.exec(first.stdout.trim())?.[1] ?? '';
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const second = await t.bgjobs([...args, ...unique, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      job: 'report',
      requested: 1,
      sent: 0,
      messageIds: [],
      duplicateOf: messageId,
      errors: [],
    });
    const human = await t.bgjobs([...args, ...unique]);
    expect(human.stdout).toBe(
      `not sent: message ${messageId} was enqueued to report with unique key "u-1/day" within the window\n`,
    );
    // Another key is another message.
    const other = await t.bgjobs([...args, '--unique-key', 'u-1/week', '--unique-for', '1h']);
    expect(other.stdout).toMatch(/^sent message /);
    expect(await t.count('report')).toBe(before + 2);
  });

  it('checks a unique key with --dry-run without reserving it', async () => {
    const args = ['enqueue', 'report', '{"reportId":"u-2","period":"day"}'];
    const unique = ['--unique-key', 'u-2', '--unique-for', '15m'];
    const dry = await t.bgjobs([...args, ...unique, '--dry-run']);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/^would send 1 message to report: /);
    const real = await t.bgjobs([...args, ...unique]);
    expect(real.stdout).toMatch(/^sent message /);
  });
});
