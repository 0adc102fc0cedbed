import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { toError } from '../core/errors.ts';
import { SQS_MAX_BATCH_ENTRIES } from '../core/limits.ts';
import type { ClientContext } from './context.ts';
import { entryRetryDelayMs, MAX_ENTRY_ATTEMPTS, sleep } from './retry.ts';

export interface EmitOptions {
  /** @default - the client's `eventSource` */
  readonly source?: string;
  /** @default - the stack's bus */
  readonly eventBusName?: string;
  readonly resources?: string[];
  readonly time?: Date;
}

export interface EmitEntry extends EmitOptions {
  readonly detailType: string;
  readonly detail: unknown;
}

export type EmitResult =
  | { readonly index: number; readonly ok: true; readonly eventId: string }
  | { readonly index: number; readonly ok: false; readonly error: string };

/** Error codes that say EventBridge, not the entry, was at fault: worth another attempt. */
const RETRYABLE = new Set([
  'InternalFailure',
  'InternalException',
  'ThrottlingException',
  'ServiceUnavailable',
]);

/** Puts one event on the stack's bus; rejects with the entry's error. */
export async function emit(
  ctx: ClientContext,
  detailType: string,
  detail: unknown,
  options: EmitOptions = {},
): Promise<{ eventId: string }> {
  const [result] = await emitMany(ctx, [{ detailType, detail, ...options }]);
  if (!result?.ok) throw new Error(`event "${detailType}" was not accepted: ${result?.error}`);
  return { eventId: result.eventId };
}

/**
 * Puts events in calls of 10 entries, handling `FailedEntryCount` entry by
 * entry: EventBridge-side failures are retried with backoff, the others are
 * returned as errors. One result per entry, in order.
 */
export async function emitMany(
  ctx: ClientContext,
  entries: readonly EmitEntry[],
): Promise<EmitResult[]> {
  const results: EmitResult[] = new Array(entries.length);
  const items = entries.map((entry, index) => ({ index, entry: toRequestEntry(ctx, entry) }));
  for (let start = 0; start < items.length; start += SQS_MAX_BATCH_ENTRIES) {
    let pending = items.slice(start, start + SQS_MAX_BATCH_ENTRIES);
    for (let attempt = 1; pending.length > 0; attempt++) {
      let retry: typeof pending = [];
      try {
        const response = await ctx.eventBridge.send(
          new PutEventsCommand({ Entries: pending.map((p) => p.entry) }),
        );
        (response.Entries ?? []).forEach((answer, i) => {
          const item = pending[i];
          if (!item) return;
          if (answer.EventId)
            results[item.index] = { index: item.index, ok: true, eventId: answer.EventId };
          else if (RETRYABLE.has(answer.ErrorCode ?? '') && attempt < MAX_ENTRY_ATTEMPTS)
            retry.push(item);
          else
            results[item.index] = {
              index: item.index,
              ok: false,
              error: `${answer.ErrorCode}: ${answer.ErrorMessage}`,
            };
        });
      } catch (error) {
        if (attempt >= MAX_ENTRY_ATTEMPTS) {
          for (const item of pending) {
            results[item.index] = {
              index: item.index,
              ok: false,
              error: `PutEvents failed: ${toError(error).message}`,
            };
          }
        } else retry = pending;
      }
      pending = retry;
      if (pending.length > 0) await sleep(entryRetryDelayMs(attempt));
    }
  }
  return results;
}

function toRequestEntry(ctx: ClientContext, entry: EmitEntry): PutEventsRequestEntry {
  return {
    EventBusName: entry.eventBusName ?? ctx.busName,
    Source: entry.source ?? ctx.eventSource,
    DetailType: entry.detailType,
    Detail: JSON.stringify(entry.detail ?? {}),
    ...(entry.resources ? { Resources: entry.resources } : {}),
    ...(entry.time ? { Time: entry.time } : {}),
  };
}
