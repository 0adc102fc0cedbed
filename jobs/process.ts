import * as z from 'zod';
import { defineJob, PermanentError } from '../core/index.ts';

import { randomSamples, summarize } from './summarize.ts';

/**
 * The talk's `GenServer.cast(server, :process)`, on demand: the payload says how
 * much work to do, and can ask to fail so retries and the dead-letter queue show.
 *
 * @example aws sqs send-message --queue-url <process queue> --message-body '{"samples":1000}'
 */
export const processJob = defineJob({
  name: 'process',
  schema: z.strictObject({
    /** How many random numbers to summarise (the talk's 100,000). */
    samples: z.number().int().min(1).max(10_000_000).default(100_000),
    /** Waits this long first, like a call to a slow service. */
    waitMs: z.number().int().min(0).max(60_000).default(0),
    /** `transient`: throw (retried with backoff); `permanent`: throw PermanentError (dead-lettered at once). */
    fail: z.enum(['never', 'transient', 'permanent']).default('never'),
    /** With `fail: 'transient'`, fail only the first n attempts; omitted: every attempt. */
    failAttempts: z.number().int().min(1).optional(),
  }),
  example: { samples: 1000 },
  handler: async ({ samples, waitMs, fail, failAttempts }, ctx) => {
    if (waitMs > 0) await sleep(waitMs, ctx.signal);
    if (fail === 'permanent') throw new PermanentError('the payload asked for a permanent failure');
    if (fail === 'transient' && ctx.attempt <= (failAttempts ?? Number.POSITIVE_INFINITY)) {
      throw new Error(`the payload asked to fail attempt ${ctx.attempt}`);
    }
    const summary = summarize(randomSamples(samples));
    ctx.logger.info('processed', { samples, mean: summary.mean });
  },
  timeoutSeconds: 60,
  batchSize: 10,
  maxConcurrency: 5,
  maxReceiveCount: 5,
  backoff: { baseSeconds: 5, capSeconds: 120 },
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
