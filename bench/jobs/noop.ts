import * as z from 'zod';
import { defineJob } from '../../core/index.ts';

/** The payload every benchmark sends: an order, about 240 bytes of JSON. */
export const orderSchema = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1),
  amountCents: z.number().int().nonnegative(),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
  placedAt: z.iso.datetime(),
});

/** Does nothing once its payload is parsed and validated: what is measured is everything around it. */
export const noopJob = defineJob({
  name: 'noop',
  schema: orderSchema,
  handler: async () => {},
  batchSize: 10,
  maxConcurrency: 8,
});
