import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineJob } from '../../core/define-job.ts';
import {
  installedOutcomeObserver,
  installOutcomeObserver,
  OUTCOME_OBSERVER,
} from '../../functions/outcome-observer.ts';
import { handlerUnderTest } from './handler-harness.ts';

const job = defineJob({
  name: 'observed',
  schema: z.object({ fail: z.boolean().default(false) }),
  handler: ({ fail }) => {
    if (fail) throw new Error('asked to fail');
  },
});

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[OUTCOME_OBSERVER];
});

describe('the outcome observer a host installs before loading a bundle', () => {
  it('sees every outcome of a handler built after it was installed', async () => {
    // Arrange
    const seen: [string, string][] = [];
    installOutcomeObserver((record, outcome) => seen.push([record.messageId, outcome.status]));
    const h = handlerUnderTest(job);
    const ok = h.record('{}');
    const failing = h.record('{"fail":true}');

    // Act
    await h.invoke([ok, failing]);

    // Assert
    expect(seen).toEqual([
      [ok.messageId, 'succeeded'],
      [failing.messageId, 'retry'],
    ]);
  });

  it('is absent unless a host installs it, as on AWS, and one installed later is not called', async () => {
    // Arrange
    expect(installedOutcomeObserver()).toBeUndefined();
    const h = handlerUnderTest(job);
    const seen: string[] = [];
    installOutcomeObserver((record) => seen.push(record.messageId));

    // Act
    const response = await h.invoke([h.record('{}')]);

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual([]);
  });

  it('is one key across copies of the module, as a bundle holds its own copy', () => {
    expect(OUTCOME_OBSERVER).toBe(Symbol.for('bgjobs.outcomeObserver'));
  });
});
