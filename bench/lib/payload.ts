import { randomUUID } from 'node:crypto';

/** The body of message `n`: an order the noop job's schema accepts, about 240 bytes. */
export function orderBody(n: number): string {
  return JSON.stringify({
    orderId: randomUUID(),
    customerId: `customer-${String(n % 10_000).padStart(5, '0')}`,
    amountCents: 1000 + (n % 50_000),
    currency: ['EUR', 'USD', 'GBP'][n % 3],
    items: [
      { sku: `SKU-${String(n % 997).padStart(4, '0')}-BLUE-M`, quantity: 1 + (n % 4) },
      { sku: `SKU-${String(n % 991).padStart(4, '0')}-RED-L`, quantity: 1 },
    ],
    placedAt: new Date(1_760_000_000_000 + n * 1000).toISOString(),
  });
}
