/**
 * How long before the function timeout bgjobs stops: it takes no new record and
 * aborts the handler's signal, so the batch response still reaches Lambda in time.
 * 10% of the timeout, between 0.5 s and 10 s.
 */
export function stopMarginMs(timeoutSeconds: number): number {
  return Math.min(10_000, Math.max(500, timeoutSeconds * 100));
}
