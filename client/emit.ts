import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { BgjobsError, InvalidEventError, toError } from '../core/errors.ts';
import { SQS_MAX_BATCH_ENTRIES } from '../core/limits.ts';
import type { ClientContext } from './context.ts';
import {
  type EmitEntry,
  type EmitOptions,
  type PreparedEvent,
  prepareEvent,
} from './prepare-event.ts';
import { entryRetryDelayMs, MAX_ENTRY_ATTEMPTS, sleep } from './retry.ts';

export type EmitResult =
  | {
      readonly index: number;
      readonly ok: true;
      readonly eventId: string;
      readonly jobs: readonly string[] | undefined;
    }
  | { readonly index: number; readonly ok: false; readonly error: string };

type Sent =
  | { readonly ok: true; readonly eventId: string }
  | {
      readonly ok: false;
      readonly errorCode?: string;
      readonly error: string;
      readonly cause?: unknown;
    };

/** Error codes that say EventBridge, not the entry, was at fault: worth another attempt. */
const RETRYABLE = new Set([
  'InternalFailure',
  'InternalException',
  'ThrottlingException',
  'ServiceUnavailable',
]);
/** Per-entry codes for an entry that can never be accepted as it is: bad input. */
const REFUSED = new Set([
  'InvalidArgument',
  'MalformedDetail',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
  'ResourceNotFoundException',
]);

/** Puts one event; throws what `prepareEvent` throws, or the entry's error. */
export async function emit(
  ctx: ClientContext,
  detailType: string,
  detail: unknown,
  options: EmitOptions = {},
): Promise<{ eventId: string; jobs: readonly string[] | undefined }> {
  const prepared = prepareEvent(ctx, { detailType, detail, ...options });
  const [sent] = await putEntries(ctx, [prepared.entry]);
  if (sent?.ok) return { eventId: sent.eventId, jobs: prepared.jobs };
  if (sent?.errorCode && REFUSED.has(sent.errorCode)) {
    throw new InvalidEventError(detailType, sent.errorCode, sent.error);
  }
  throw new BgjobsError(`event "${detailType}" was not sent: ${sent?.error}`, {
    cause: sent?.cause,
  });
}

/**
 * Puts events in calls of 10 entries. Each is checked first (one that fails gets an error
 * result and is not sent); `FailedEntryCount` is handled entry by entry: EventBridge-side
 * failures are retried with backoff, the others are returned as errors. One result per entry,
 * in order.
 */
export async function emitMany(
  ctx: ClientContext,
  entries: readonly EmitEntry[],
): Promise<EmitResult[]> {
  const results: EmitResult[] = new Array(entries.length);
  const ready: { index: number; prepared: PreparedEvent }[] = [];
  entries.forEach((entry, index) => {
    try {
      ready.push({ index, prepared: prepareEvent(ctx, entry) });
    } catch (error) {
      results[index] = { index, ok: false, error: toError(error).message };
    }
  });
  const sent = await putEntries(
    ctx,
    ready.map((item) => item.prepared.entry),
  );
  ready.forEach(({ index, prepared }, i) => {
    const outcome = sent[i];
    results[index] = outcome?.ok
      ? { index, ok: true, eventId: outcome.eventId, jobs: prepared.jobs }
      : { index, ok: false, error: outcome?.error ?? 'not sent' };
  });
  return results;
}

async function putEntries(
  ctx: ClientContext,
  entries: readonly PutEventsRequestEntry[],
): Promise<Sent[]> {
  const results: Sent[] = new Array(entries.length);
  const items = entries.map((entry, index) => ({ index, entry }));
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
          if (answer.EventId) results[item.index] = { ok: true, eventId: answer.EventId };
          else if (RETRYABLE.has(answer.ErrorCode ?? '') && attempt < MAX_ENTRY_ATTEMPTS)
            retry.push(item);
          else
            results[item.index] = {
              ok: false,
              errorCode: answer.ErrorCode,
              error: `${answer.ErrorCode}: ${answer.ErrorMessage}`,
            };
        });
      } catch (error) {
        if (attempt >= MAX_ENTRY_ATTEMPTS) {
          const reason = `PutEvents failed: ${toError(error).message}`;
          for (const item of pending) {
            results[item.index] = { ok: false, error: reason, cause: error };
          }
        } else retry = pending;
      }
      pending = retry;
      if (pending.length > 0) await sleep(entryRetryDelayMs(attempt));
    }
  }
  return results;
}
