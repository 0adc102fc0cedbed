import { defineJob } from '../../core/index.ts';
import { orderSchema } from '../lib/order-schema.ts';

export { orderSchema };

/** Does nothing once its payload is parsed and validated: what is measured is everything around it. */
export const noopJob = defineJob({
  name: 'noop',
  schema: orderSchema,
  handler: async () => {},
  batchSize: 10,
  maxConcurrency: 8,
});
