import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../e2e/harness.ts';
import { bgjobs, type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
/** Every event the local bus took, by id: the jobs whose rule matched it (none: unmatched). */
const taken = new Map<string, string[]>();

beforeAll(async () => {
  t = await startCliRuntime();
  t.runtime.events.on('delivered', ({ rule, event }) => {
    // The statistics job's schedule fires every minute: its ticks are no event of this test's.
    if (rule.scheduleExpression !== undefined) return;
    taken.set(event.id, [...(taken.get(event.id) ?? []), rule.job.name]);
  });
  t.runtime.events.on('unmatched', ({ event }) => taken.set(event.id, []));
});
afterAll(async () => {
  await t?.runtime.stop();
});

const REPORT = ['--source', 'bgjobs.example'];

describe('bgjobs emit', () => {
  it('puts the event, names the job it reaches, and the job runs it', async () => {
    const before = t.outcomes.filter((o) => o.job === 'report').length;

    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      '{"reportId":"r-9","period":"week"}',
      ...REPORT,
      '--json',
    ]);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const { eventId, jobs } = JSON.parse(result.stdout);
    expect(jobs).toEqual(['report']);
    expect(taken.get(eventId)).toEqual(['report']);
    await waitFor('the report job to run it', () =>
      t.outcomes.filter((o) => o.job === 'report' && o.outcome.status === 'succeeded').length >
      before
        ? true
        : undefined,
    );
  });

  it('exits 0 and says so when no job’s rule matches the event, which EventBridge took', async () => {
    const result = await t.bgjobs(['emit', 'NobodyListens', '{"a":1}', '--json']);

    expect(result.code).toBe(0);
    const { eventId, jobs } = JSON.parse(result.stdout);
    expect(jobs).toEqual([]);
    expect(taken.get(eventId)).toEqual([]);
    expect(result.stderr).toBe(
      'note: no registered job\'s event pattern matches source "bgjobs.app", detail-type "NobodyListens": EventBridge took the event and delivers it to no job\n',
    );
  });

  it('names no jobs and says nothing about rules on a bus that is not the stack’s', async () => {
    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      '{"reportId":"r"}',
      ...REPORT,
      '--bus',
      'default',
      '--json',
    ]);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).jobs).toBeNull();
  });

  const refused: { name: string; args: string[]; message: string | RegExp }[] = [
    {
      name: 'JSON given as the detail-type',
      args: ['emit', '[1,2]'],
      message:
        'bgjobs: the detail-type is "[1,2]", which is JSON: give the detail-type first, then the detail, a JSON object (bgjobs emit <detail-type> [detail])\n',
    },
    {
      name: 'a detail that is not a JSON object',
      args: ['emit', 'ReportRequested', '[1,2]', ...REPORT],
      message:
        'bgjobs: event "ReportRequested" is refused by EventBridge (MalformedDetail): Detail is malformed: it must be a JSON object; got an array\n',
    },
    {
      name: 'a detail that is not JSON',
      args: ['emit', 'ReportRequested', '{reportId:1}', ...REPORT],
      message: /^bgjobs: detail is not valid JSON/,
    },
    {
      name: 'a source starting with "aws."',
      args: ['emit', 'ReportRequested', '{}', '--source', 'aws.s3'],
      message:
        'bgjobs: event "ReportRequested" is refused by EventBridge (NotAuthorizedForSourceException): Not authorized for the source.\n',
    },
    {
      name: 'a detail that fails the schema of the job whose rule matches',
      args: ['emit', 'ReportRequested', '{"reportId":"r-1","period":"year"}', ...REPORT],
      message:
        'bgjobs: event "ReportRequested" matches the rule of "report", but its detail does not match the schema: job "report": period: Invalid option: expected one of "day"|"week"|"month"; nothing was sent (bgjobs emit --no-validate sends it anyway)\n',
    },
    {
      name: 'the same with --dry-run',
      args: ['emit', 'ReportRequested', '{"reportId":"r-1"}', ...REPORT, '--dry-run'],
      message:
        /^bgjobs: event "ReportRequested" matches the rule of "report", but .*job "report": period: /,
    },
  ];
  it.each(refused)('exits 2 for $name, sending nothing', async ({ args, message }) => {
    const before = taken.size;

    const result = await t.bgjobs(args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(message);
    else expect(result.stderr).toMatch(message);
    expect(taken.size).toBe(before);
  });

  it('sends a detail the schema refuses with --no-validate, and the job dead-letters it', async () => {
    const before = await t.count('report', 'deadLetterQueue');

    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      '{"reportId":"r-1","period":"year"}',
      ...REPORT,
      '--no-validate',
      '--json',
    ]);

    expect(result.code).toBe(0);
    expect(taken.get(JSON.parse(result.stdout).eventId)).toEqual(['report']);
    await waitFor(
      'the report job to dead-letter it',
      async () => ((await t.count('report', 'deadLetterQueue')) === before + 1 ? true : undefined),
      30_000,
    );
  });

  it('shows a valid event and the job it would reach with --dry-run, sending nothing', async () => {
    const before = taken.size;

    const result = await t.bgjobs([
      'emit',
      'ReportRequested',
      '{"reportId":"r-2","period":"day"}',
      ...REPORT,
      '--dry-run',
    ]);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'would put {"source":"bgjobs.example","detail-type":"ReportRequested","detail":{"reportId":"r-2","period":"day"}} on bgjobs--bus (for report) (dry run: nothing sent)\n',
    );
    expect(taken.size).toBe(before);
  });

  it('gives the hint the other commands give when the local runtime is not running', async () => {
    const result = await bgjobs(
      ['--local', 'emit', 'ReportRequested', '{"reportId":"r","period":"day"}', ...REPORT],
      {
        env: { AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:1' },
      },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^bgjobs: event "ReportRequested" was not sent: PutEvents failed: .*ECONNREFUSED.*: nothing listens there; is `bgjobs dev` running\?\n$/,
    );
  });
});
