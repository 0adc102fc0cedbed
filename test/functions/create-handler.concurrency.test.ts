import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import { PermanentError } from '../../core/errors.ts';
import type { JobContext } from '../../core/job.ts';
import { failedIds, handlerUnderTest } from './handler-harness.ts';

const stepSchema = z.object({
  id: z.string(),
  end: z.enum(['succeed', 'throw', 'permanent', 'hang']).default('succeed'),
});
type Step = z.output<typeof stepSchema>;

/**
 * Handlers that wait until the test lets them finish (`release`), so that a
 * test sees which records run at the same time and in which order they start.
 */
function gatedRuns() {
  const started: string[] = [];
  const finished: string[] = [];
  const waiting = new Map<string, () => void>();
  let running = 0;
  let mostAtOnce = 0;
  const handler = async ({ id, end }: Step, ctx: JobContext) => {
    started.push(id);
    running += 1;
    mostAtOnce = Math.max(mostAtOnce, running);
    try {
      if (end === 'hang') {
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', reject));
      }
      await new Promise<void>((resolve) => waiting.set(id, resolve));
      if (end === 'throw') throw new Error(`step ${id} failed`);
      if (end === 'permanent') throw new PermanentError(`step ${id} cannot be done`);
    } finally {
      running -= 1;
      finished.push(id);
    }
  };
  /** Lets the handler of `id` finish once it has started. */
  const release = async (id: string) => {
    await until(() => waiting.has(id));
    waiting.get(id)?.();
  };
  return { handler, started, finished, release, mostAtOnce: () => mostAtOnce };
}

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn > 1000) throw new Error('condition not met');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function stepJob(handler: ReturnType<typeof gatedRuns>['handler'], more: object = {}) {
  return defineJob({ name: 'steps', schema: stepSchema, handler, ...more });
}

describe('createHandler: records handled concurrently (recordConcurrency)', () => {
  it('runs up to recordConcurrency records of a standard batch at once, starting them in order', async () => {
    // Arrange
    const runs = gatedRuns();
    const outcomes: string[] = [];
    const h = handlerUnderTest(stepJob(runs.handler, { recordConcurrency: 3 }), {
      onOutcome: (record, outcome) => outcomes.push(`${record.body}:${outcome.status}`),
    });
    const records = ['a', 'b', 'c', 'd', 'e'].map((id) => h.record(JSON.stringify({ id })));

    // Act: the last records finish first.
    const response = h.invoke(records);
    await until(() => runs.started.length === 3);
    const startedFirst = [...runs.started];
    for (const id of ['c', 'b', 'e', 'd', 'a']) await runs.release(id);

    // Assert
    expect(await response).toEqual({ batchItemFailures: [] });
    expect(startedFirst).toEqual(['a', 'b', 'c']);
    expect(runs.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(runs.mostAtOnce()).toBe(3);
    // Logs, metrics and observers see the records in their order, whatever order they finished in.
    expect(runs.finished).not.toEqual(runs.started);
    expect(outcomes).toEqual(records.map((r) => `${r.body}:succeeded`));
  });

  it('keeps each outcome of its own record: retries, dead letters and successes side by side', async () => {
    // Arrange
    const runs = gatedRuns();
    const h = handlerUnderTest(stepJob(runs.handler, { recordConcurrency: 10 }));
    const ok = h.record('{"id":"ok"}');
    const retried = h.record('{"id":"retried","end":"throw"}');
    const dead = h.record('{"id":"dead","end":"permanent"}');

    // Act
    const response = h.invoke([ok, retried, dead]);
    for (const id of ['dead', 'retried', 'ok']) await runs.release(id);

    // Assert
    expect(failedIds(await response)).toEqual([retried.messageId]);
    expect(h.deadLetters()).toEqual([expect.objectContaining({ MessageBody: dead.body })]);
    expect(h.loggedOutcome(retried.messageId)).toMatchObject({ status: 'retry', delaySeconds: 5 });
    expect(runs.mostAtOnce()).toBe(3);
  });

  it('at the stop margin aborts the running records, retries them, and starts no other', async () => {
    // Arrange: 800 ms left and a 500 ms margin on a 1 s timeout: bgjobs stops after about 300 ms.
    const runs = gatedRuns();
    const h = handlerUnderTest(stepJob(runs.handler, { recordConcurrency: 2, timeoutSeconds: 1 }));
    const records = ['a', 'b', 'c'].map((id) => h.record(JSON.stringify({ id, end: 'hang' })));

    // Act
    const response = await h.invoke(records, h.context(800));

    // Assert
    expect(runs.started).toEqual(['a', 'b']);
    expect(failedIds(response)).toEqual(records.map((r) => r.messageId));
    for (const record of records.slice(0, 2)) {
      expect(h.loggedOutcome(record.messageId)).toMatchObject({
        status: 'retry',
        reason: expect.stringMatching(/^JobTimeoutError: /),
      });
    }
    expect(h.loggedOutcome(records[2]?.messageId ?? '')).toMatchObject({
      status: 'not-started',
      reason: 'near-timeout',
    });
  });

  it('runs FIFO message groups side by side, each in order, and stops a group at its first failure', async () => {
    // Arrange
    const runs = gatedRuns();
    const h = handlerUnderTest(stepJob(runs.handler, { fifo: true, recordConcurrency: 3 }));
    const step = (group: string, id: string, end = 'succeed') =>
      h.record(JSON.stringify({ id, end }), { groupId: group });
    const a1 = step('A', 'a1', 'throw');
    const a2 = step('A', 'a2');
    const b1 = step('B', 'b1');
    const b2 = step('B', 'b2');
    const c1 = step('C', 'c1');

    // Act
    const response = h.invoke([a1, a2, b1, b2, c1]);
    await until(() => runs.started.length === 3);
    const startedFirst = [...runs.started];
    for (const id of ['b1', 'c1', 'a1', 'b2']) await runs.release(id);

    // Assert: one record per group at a time; a2 waits for a1, then never starts.
    expect(startedFirst).toEqual(['a1', 'b1', 'c1']);
    expect(failedIds(await response)).toEqual([a1.messageId, a2.messageId]);
    expect(runs.started).toEqual(['a1', 'b1', 'c1', 'b2']);
    expect(h.loggedOutcome(a2.messageId)).toMatchObject({
      status: 'not-started',
      reason: 'fifo-group-failed',
    });
  });

  it('with the default of 1 runs one record at a time, in the order of the batch', async () => {
    // Arrange
    const runs = gatedRuns();
    const h = handlerUnderTest(stepJob(runs.handler));
    const records = ['a', 'b', 'c'].map((id) => h.record(JSON.stringify({ id })));

    // Act
    const response = h.invoke(records);
    for (const id of ['a', 'b', 'c']) await runs.release(id);

    // Assert
    await response;
    expect(runs.mostAtOnce()).toBe(1);
    expect(runs.finished).toEqual(['a', 'b', 'c']);
  });
});
