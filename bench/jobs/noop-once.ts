import { defineJob } from '../../core/index.ts';
import { orderSchema } from './noop.ts';

/** The noop job made idempotent (default key: the message id): what is measured is the idempotent section. */
export const noopOnceJob = defineJob({
  name: 'noop-once',
  schema: orderSchema,
  handler: async () => {},
  idempotency: {},
  batchSize: 10,
  maxConcurrency: 8,
});
