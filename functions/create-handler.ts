import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { stopMarginMs } from '../core/deadline.ts';
import { BgjobsError } from '../core/errors.ts';
import { HANDLER_ENV } from '../core/handler-env.ts';
import type { JobDefinition } from '../core/job.ts';
import { FALLBACK_METRICS_NAMESPACE } from '../core/metric-names.ts';
import { batchItemFailures } from '../core/outcomes.ts';
import { deadLetterMessage, sendToDeadLetterQueue } from './dead-letter.ts';
import { applyVisibilityChanges, visibilityChanges } from './delay-retries.ts';
import { lazyGuard } from './guarded-handler.ts';
import { logOutcome } from './log-outcome.ts';
import { installedOutcomeObserver, type OutcomeObserver } from './outcome-observer.ts';
import { processBatch } from './process-batch.ts';
import { BatchMetrics } from './record-metrics.ts';

/** What is left of the function's time when an SQS call made after the stop point gives up. */
const SDK_CALL_MARGIN_MS = 100;

export interface HandlerOptions {
  readonly sqs?: SQSClient;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** @default - the `BGJOBS_QUEUE_URL` environment variable */
  readonly queueUrl?: string;
  /** @default - the `BGJOBS_DEAD_LETTER_QUEUE_URL` environment variable */
  readonly deadLetterQueueUrl?: string;
  /** @default - the `BGJOBS_IDEMPOTENCY_TABLE` environment variable (idempotent jobs only) */
  readonly idempotencyTable?: string;
  /** @default - the `BGJOBS_IDEMPOTENCY_KEY_PREFIX` environment variable (idempotent jobs only) */
  readonly idempotencyKeyPrefix?: string;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default Math.random */
  readonly random?: () => number;
  /**
   * Observes each record's outcome; it cannot change them.
   * @default - the observer installed under `OUTCOME_OBSERVER` (functions/outcome-observer.ts), if any
   */
  readonly onOutcome?: OutcomeObserver;
  /**
   * Log one line per record through the Powertools logger.
   * @default true
   */
  readonly logOutcomes?: boolean;
}

/**
 * Turns a job into a Lambda handler for its SQS event source mapping: middy
 * with Powertools logger and metrics, a partial batch response, backoff by
 * visibility, and permanent failures sent to the dead-letter queue.
 *
 * @example
 * export const handler = createHandler(resize);
 */
export function createHandler(job: JobDefinition, options: HandlerOptions = {}) {
  const queueUrl = requireSetting(options.queueUrl, HANDLER_ENV.queueUrl, job);
  const deadLetterQueueUrl = requireSetting(
    options.deadLetterQueueUrl,
    HANDLER_ENV.deadLetterQueueUrl,
    job,
  );
  const sqs = options.sqs ?? new SQSClient({});
  const logger = options.logger ?? new Logger({ serviceName: job.name });
  const metrics =
    options.metrics ??
    new Metrics({
      // The stack sets the namespace of its app (see core/plan.ts functionEnvironment).
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? FALLBACK_METRICS_NAMESPACE,
      serviceName: job.name,
    });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const marginMs = stopMarginMs(job.settings.timeoutSeconds);
  const observe = options.onOutcome ?? installedOutcomeObserver();
  const guard = lazyGuard(job, {
    tableName: options.idempotencyTable ?? process.env[HANDLER_ENV.idempotencyTable],
    keyPrefix: options.idempotencyKeyPrefix ?? process.env[HANDLER_ENV.idempotencyKeyPrefix],
    logger,
  });

  // SQS calls must end before the function does, or Lambda would redeliver the whole batch.
  const beforeTimeout = (context: Context) =>
    AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - SDK_CALL_MARGIN_MS));

  const handleBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const stop = new AbortController();
    const batchMetrics = new BatchMetrics(metrics);
    const timer = setTimeout(
      () => stop.abort(),
      Math.max(0, context.getRemainingTimeInMillis() - marginMs),
    );
    try {
      const outcomes = await processBatch(event.Records, {
        job,
        logger,
        metrics,
        remainingTimeMs: () => context.getRemainingTimeInMillis(),
        stopMarginMs: marginMs,
        signal: stop.signal,
        now,
        random,
        guard,
        deadLetter: (record, error, attempt) =>
          sendToDeadLetterQueue(
            sqs,
            deadLetterMessage(deadLetterQueueUrl, record, {
              jobName: job.name,
              error,
              attempt,
              failedAt: new Date(now()),
            }),
            beforeTimeout(context),
          ),
        onOutcome: (record, outcome) => {
          if (options.logOutcomes !== false) logOutcome(logger, record, outcome);
          observe?.(record, outcome);
          const durationMs = 'durationMs' in outcome ? outcome.durationMs : 0;
          batchMetrics.record(record, outcome, now() - durationMs);
        },
      });
      const changes = visibilityChanges(event.Records, outcomes);
      // A batch that all succeeded (the common case) makes no call and arms no timer.
      const failedChanges =
        changes.length === 0
          ? []
          : await applyVisibilityChanges(sqs, queueUrl, changes, beforeTimeout(context));
      for (const failure of failedChanges) {
        logger.warn(
          'could not delay the retry; it comes back after the visibility timeout',
          failure,
        );
      }
      // Never throw for failed records: a thrown error would redeliver the whole
      // batch, including records already done or already in the dead-letter queue.
      batchMetrics.flush();
      return batchItemFailures(outcomes);
    } finally {
      clearTimeout(timer);
    }
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(handleBatch);
}

function requireSetting(value: string | undefined, envName: string, job: JobDefinition): string {
  const resolved = value ?? process.env[envName];
  if (!resolved) {
    throw new BgjobsError(
      `job "${job.name}": environment variable ${envName} is not set; the stack and the local runtime set it on the function`,
    );
  }
  return resolved;
}
