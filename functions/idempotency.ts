/**
 * The idempotent section around a job's handler, with Powertools' idempotency
 * utility: per record, one key, one DynamoDB item. Loaded (with the DynamoDB
 * client) only when a job with `idempotency` handles its first record.
 */

import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { IdempotencyKeyInProgressError, IdempotencyStoreError, toError } from '../core/errors.ts';
import type { JobLogger } from '../core/job.ts';
import { IdempotencyStore } from './idempotency-store.ts';

export interface IdempotencyGuardOptions {
  readonly tableName: string;
  /** Every key of the job starts with this and `#` (its IAM permission's leading key). */
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  readonly logger: JobLogger;
}

/** What the guarded call came to: the handler ran, or its key had already completed. */
export type GuardedRun = 'ran' | 'duplicate';

export interface IdempotencyGuard {
  /**
   * Runs `work` unless `key` completed within the time to live. Rejects with
   * `IdempotencyKeyInProgressError` while another invocation holds the key,
   * `IdempotencyStoreError` when the table cannot be used, or work's own error
   * (the key is then released, so that the retry can run).
   */
  run(key: string, work: () => Promise<void>, remainingTimeMs: () => number): Promise<GuardedRun>;
}

/**
 * One guard per execution environment: the store and its client (from the
 * standard environment; `AWS_ENDPOINT_URL_DYNAMODB` locally) are made once.
 */
export function idempotencyGuard(options: IdempotencyGuardOptions): IdempotencyGuard {
  let client: Promise<{ sdk: typeof import('@aws-sdk/client-dynamodb'); client: DynamoDBClient }>;
  const store = new IdempotencyStore({
    tableName: options.tableName,
    client: () => {
      client ??= import('@aws-sdk/client-dynamodb').then((sdk) => ({
        sdk,
        client: new sdk.DynamoDBClient({}),
      }));
      return client;
    },
  });
  // One config for the environment (making one costs tens of microseconds); the remaining time
  // it reports is the current invocation's: records of one environment share their invocation.
  let remaining = () => 1;
  const config = new IdempotencyConfig({
    expiresAfterSeconds: options.ttlSeconds,
    throwOnNoIdempotencyKey: true,
    // The key stays locked while this invocation may still run: then a retry may take it.
    // (At least 1 ms: Powertools takes 0 for "unknown" and would then lock the key for the whole TTL.)
    lambdaContext: { getRemainingTimeInMillis: () => Math.max(1, remaining()) } as Context,
  });
  return {
    run: async (key, work, remainingTimeMs) => {
      remaining = remainingTimeMs;
      let state: 'waiting' | 'running' | 'completed' | 'failed' = 'waiting';
      let failure: unknown;
      const section = makeIdempotent(
        async (_key: string) => {
          state = 'running';
          try {
            await work();
            state = 'completed';
          } catch (error) {
            state = 'failed';
            failure = error;
            throw error;
          }
        },
        { persistenceStore: store, keyPrefix: options.keyPrefix, config },
      );
      try {
        await section(key);
      } catch (error) {
        return settle(error);
      }
      return state === 'waiting' ? 'duplicate' : 'ran';

      function settle(error: unknown): GuardedRun {
        // The handler's own error, whether or not releasing the key worked.
        if (state === 'failed') throw failure;
        if (state === 'completed') {
          // Done, but not recorded: acknowledging is right (a retry would surely run it again);
          // the key frees itself when this invocation's time is up.
          options.logger.warn(
            'the handler completed but its idempotency key could not be marked completed',
            {
              key,
              error: toError(error).message,
            },
          );
          return 'ran';
        }
        if (error instanceof IdempotencyAlreadyInProgressError) {
          throw new IdempotencyKeyInProgressError(
            `idempotency key ${JSON.stringify(key)} is held by another invocation that has not finished; retried later`,
            { cause: error },
          );
        }
        const cause = toError(error);
        const detail = cause.cause ? `: ${toError(cause.cause).message}` : '';
        throw new IdempotencyStoreError(
          `the idempotency table ${options.tableName} could not be used (${cause.message}${detail}); the handler did not run`,
          { cause: error },
        );
      }
    },
  };
}
