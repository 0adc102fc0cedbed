/**
 * Consumes `count` preloaded messages (received, handled, deleted) and says how
 * many and how long. `settled` resolves once the drain's last long polls have
 * returned: fauxqs keeps serving an aborted long poll until its wait ends (the
 * messages it takes then stay in flight for the whole visibility timeout), so
 * drains never abort a poll, and a queue is filled again only once settled.
 */
export type Drain = (count: number) => Promise<DrainResult>;

export interface DrainResult {
  readonly messages: number;
  readonly ms: number;
  readonly settled: Promise<unknown>;
}
