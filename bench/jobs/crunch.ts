import { defineJob } from '../../core/index.ts';
import { orderSchema } from '../lib/order-schema.ts';
import { CRUNCH_MS } from '../lib/work.ts';

/**
 * CPU-bound: each record keeps the CPU busy for 2 ms, with no await. A
 * reference for `recordConcurrency`: running such records side by side cannot
 * make them faster on one thread.
 */
export const crunchJob = defineJob({
  name: 'crunch',
  schema: orderSchema,
  handler: async () => {
    const until = performance.now() + CRUNCH_MS;
    while (performance.now() < until) {
      // busy, as a CPU-bound handler is
    }
  },
  batchSize: 10,
});
