import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import type { JobSpec } from '../../core/job.ts';
import { planApp } from '../../core/plan.ts';
import {
  checkQueueLock,
  EMPTY_QUEUE_LOCK,
  formatQueueLock,
  parseQueueLock,
  type QueueLock,
  QueueReplacementError,
} from '../../core/queue-lock.ts';

const job = (name: string, extra: Partial<JobSpec<z.ZodType, string>> = {}) =>
  defineJob({ name, schema: z.object({}), handler: () => {}, ...extra });

const app = (...jobs: ReturnType<typeof job>[]) => planApp(jobs, { stackName: 'shop' });

const locked: QueueLock = {
  stacks: {
    shop: {
      ledger: ['shop--ledger', 'shop--ledger--dlq'],
      mail: ['shop--mail', 'shop--mail--dlq', 'shop--mail--rule-dlq'],
    },
  },
};

describe('checkQueueLock', () => {
  it("records every job's queues when the stack has no lock yet, and keeps other stacks", () => {
    const other: QueueLock = { stacks: { staging: { a: ['staging--a', 'staging--a--dlq'] } } };
    const check = checkQueueLock(
      other,
      app(job('ledger'), job('tick', { schedule: 'rate(1 hour)' })),
      [],
    );
    expect(check.problems).toEqual([]);
    expect(check.changed).toBe(true);
    expect(check.lock).toEqual({
      stacks: {
        staging: { a: ['staging--a', 'staging--a--dlq'] },
        shop: {
          ledger: ['shop--ledger', 'shop--ledger--dlq'],
          tick: ['shop--tick', 'shop--tick--dlq', 'shop--tick--rule-dlq'],
        },
      },
    });
  });

  it('accepts the same queues unchanged, and adds a new job wherever it sits in the registry', () => {
    const same = checkQueueLock(
      locked,
      app(job('ledger'), job('mail', { events: { source: ['m'] } })),
      [],
    );
    expect([same.problems, same.changed]).toEqual([[], false]);
    const added = checkQueueLock(
      locked,
      app(job('ledger'), job('audit'), job('mail', { events: { source: ['m'] } })),
      [],
    );
    expect(added.problems).toEqual([]);
    expect(added.lock.stacks.shop?.audit).toEqual(['shop--audit', 'shop--audit--dlq']);
  });

  it('refuses toggling fifo, which renames both queues, naming the job and the old and new names', () => {
    const check = checkQueueLock(
      locked,
      app(job('ledger', { fifo: true }), job('mail', { events: { source: ['m'] } })),
      [],
    );
    expect(check.problems).toEqual([
      'job "ledger": its queues "shop--ledger", "shop--ledger--dlq" would be replaced (its queues would now be "shop--ledger.fifo", "shop--ledger--dlq.fifo"); the old ones go with their messages, or stay behind retained, holding their names',
    ]);
    expect(check.lock).toEqual(locked);
  });

  it('refuses removing or renaming a job, and removing the rule that had a dead-letter queue', () => {
    const check = checkQueueLock(locked, app(job('ledger-v2'), job('mail')), []);
    expect(check.problems).toEqual([
      'job "ledger" is no longer in the app, but stack "shop" has its queues "shop--ledger", "shop--ledger--dlq": a deploy would delete them, or leave retained ones behind with their messages, holding their names',
      'job "mail": its queues "shop--mail--rule-dlq" would be replaced (its queues would now be "shop--mail", "shop--mail--dlq"); the old ones go with their messages, or stay behind retained, holding their names',
    ]);
  });

  it('applies the change for the jobs the opt-in names, or for all, and updates the lock', () => {
    const renamed = app(job('ledger', { fifo: true }), job('mail-v2'));
    const some = checkQueueLock(locked, renamed, ['ledger']);
    expect(some.problems).toEqual([expect.stringMatching(/^job "mail" is no longer in the app/)]);
    const all = checkQueueLock(locked, renamed, 'all');
    expect(all.problems).toEqual([]);
    expect(all.lock.stacks.shop).toEqual({
      ledger: ['shop--ledger.fifo', 'shop--ledger--dlq.fifo'],
      'mail-v2': ['shop--mail-v2', 'shop--mail-v2--dlq'],
    });
    const named = checkQueueLock(locked, renamed, ['ledger', 'mail']);
    expect([named.problems, named.lock]).toEqual([[], all.lock]);
  });

  it('refuses an opt-in naming a job that exists nowhere: a typo would allow nothing', () => {
    const check = checkQueueLock(locked, app(job('ledger', { fifo: true })), ['ledgr']);
    expect(check.problems).toContain(
      'allowQueueReplacement names "ledgr", which is neither a job of the app nor in the lock of stack "shop"; jobs: ledger, mail',
    );
  });
});

describe('the lock file', () => {
  it('is written with sorted keys, so a new job is a small diff', () => {
    const text = formatQueueLock({ stacks: { b: { z: ['b--z'], a: ['b--a'] }, a: {} } });
    expect(text).toBe(
      '{\n  "stacks": {\n    "a": {},\n    "b": {\n      "a": [\n        "b--a"\n      ],\n      "z": [\n        "b--z"\n      ]\n    }\n  }\n}\n',
    );
    expect(parseQueueLock(text, 'x.json')).toEqual({
      stacks: { a: {}, b: { a: ['b--a'], z: ['b--z'] } },
    });
  });

  it('is refused when it is not JSON or not a lock, naming the file and what was expected', () => {
    expect(() => parseQueueLock('{', 'bgjobs.lock.json')).toThrow(
      /^bgjobs.lock.json is not JSON: /,
    );
    expect(() => parseQueueLock('{"stacks":{"s":{"j":"q"}}}', 'bgjobs.lock.json')).toThrow(
      'bgjobs.lock.json is not a bgjobs queue lock (stacks.s.j: Invalid input: expected array, received string); expected { "stacks": { "<stack>": { "<job>": ["<queue name>", ...] } } }',
    );
    expect(checkQueueLock(EMPTY_QUEUE_LOCK, app(), []).problems).toEqual([]);
  });

  it('names the runbook and the opt-in in the refusal', () => {
    expect(new QueueReplacementError('bgjobs.lock.json', ['job "x": ...']).message).toBe(
      [
        'Refused: this change would replace or remove queues recorded in bgjobs.lock.json:',
        '  - job "x": ...',
        'Drain the queues first (docs/deploy.md, "Drain, then change"), then allow it for those jobs with',
        '-c allowQueueReplacement=<job>[,<job>...] (or =all); that synth updates the lock file: commit it.',
      ].join('\n'),
    );
  });
});
