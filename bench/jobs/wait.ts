import { setTimeout as sleep } from 'node:timers/promises';
import { defineJob } from '../../core/index.ts';
import { orderSchema } from '../lib/order-schema.ts';
import { WAIT_MS } from '../lib/work.ts';

/**
 * I/O-bound: each record waits 50 ms once its payload is validated. One after
 * another, a batch of 10 takes 500 ms; the benchmark bundles it with
 * `recordConcurrency` 1 and 10.
 */
export const waitJob = defineJob({
  name: 'wait',
  schema: orderSchema,
  // No abort signal passed: the Powertools peer has none to pass, and both do the same work.
  handler: async () => {
    await sleep(WAIT_MS);
  },
  batchSize: 10,
});
