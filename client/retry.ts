/** Attempts for entries that SQS or EventBridge reported as failed (not the caller's fault). */
export const MAX_ENTRY_ATTEMPTS = 6;

/** Full-jitter exponential delay before retry `attempt` (1-based): up to 50 ms, 100 ms, ... capped at 2 s. */
export function entryRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(2000, 50 * 2 ** (attempt - 1)));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over items with at most `limit` running at once; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
