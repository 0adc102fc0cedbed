import * as z from 'zod';

/**
 * The payload every benchmark sends: an order, about 240 bytes of JSON. In a
 * file of its own, so that the peers' bundles take the schema without bgjobs.
 */
export const orderSchema = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1),
  amountCents: z.number().int().nonnegative(),
  currency: z.enum(['EUR', 'USD', 'GBP']),
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
  placedAt: z.iso.datetime(),
});
