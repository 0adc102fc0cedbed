import { setMaxListeners } from 'node:events';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { stopMarginMs } from '../core/deadline.ts';
import { BgjobsError, JobTimeoutError, toError } from '../core/errors.ts';
import { HANDLER_ENV } from '../core/handler-env.ts';
import type { RunnableJob } from '../core/job.ts';
import { FALLBACK_METRICS_NAMESPACE } from '../core/metric-names.ts';
import { batchItemFailures, type RecordOutcome } from '../core/outcomes.ts';
import { deadLetterMessage, sendToDeadLetterQueue } from './dead-letter.ts';
import { applyVisibilityChanges, visibilityChanges } from './delay-retries.ts';
import { EmfMetrics, metricsDisabled } from './emf-metrics.ts';
import { debugEnabled, logOutcome } from './log-outcome.ts';
import { installedOutcomeObserver, type OutcomeObserver } from './outcome-observer.ts';
import { processBatch } from './process-batch.ts';
import { BatchMetrics } from './record-metrics.ts';

/** What is left of the function's time when an SQS call made after the stop point gives up. */
const SDK_CALL_MARGIN_MS = 100;
/**
 * How long before the stop point a batch still running starts loading the SQS
 * SDK, if no earlier batch has: loading it takes about 100 ms of CPU, which a
 * small function (a fraction of a vCPU) spreads over most of a second, and the
 * calls after the stop point must still end before the timeout. A function
 * whose timeout leaves less than this before its stop point loads it at init.
 */
const SDK_LOAD_LEAD_MS = 2000;

export interface HandlerOptions {
  /** @default - an `SQSClient` created on the first failure that needs one */
  readonly sqs?: SQSClient;
  readonly logger?: Logger;
  /**
   * Where the job's EMF metrics go.
   * @default - stdout, in the namespace `POWERTOOLS_METRICS_NAMESPACE`, off when Powertools' variables turn metrics off
   */
  readonly metrics?: EmfMetrics;
  /** @default - the `BGJOBS_QUEUE_URL` environment variable */
  readonly queueUrl?: string;
  /** @default - the `BGJOBS_DEAD_LETTER_QUEUE_URL` environment variable */
  readonly deadLetterQueueUrl?: string;
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
 * with the Powertools logger, EMF metrics, a partial batch response, backoff
 * by visibility, and permanent failures sent to the dead-letter queue. Up to
 * the job's `recordConcurrency` records run at once.
 *
 * @example
 * export const handler = createHandler(resize);
 */
export function createHandler(job: RunnableJob, options: HandlerOptions = {}) {
  const queueUrl = requireSetting(options.queueUrl, HANDLER_ENV.queueUrl, job);
  const deadLetterQueueUrl = requireSetting(
    options.deadLetterQueueUrl,
    HANDLER_ENV.deadLetterQueueUrl,
    job,
  );
  const sqs = lazySqs(options.sqs);
  const logger = options.logger ?? new Logger({ serviceName: job.name });
  const metrics =
    options.metrics ??
    new EmfMetrics({
      // The stack sets the namespace of its app (see core/plan.ts functionEnvironment).
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? FALLBACK_METRICS_NAMESPACE,
      service: job.name,
      disabled: metricsDisabled(process.env),
    });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const marginMs = stopMarginMs(job.settings.timeoutSeconds);
  if (job.settings.timeoutSeconds * 1000 - marginMs < SDK_LOAD_LEAD_MS) sqs.preload();
  const observe = options.onOutcome ?? installedOutcomeObserver();
  const logOutcomes = options.logOutcomes !== false;

  // SQS calls must end before the function does, or Lambda would redeliver the whole batch.
  const beforeTimeout = (context: Context) =>
    AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - SDK_CALL_MARGIN_MS));

  const sendDeadLetter = async (
    record: SQSRecord,
    error: Error,
    attempt: number,
    context: Context,
  ): Promise<void> =>
    sendToDeadLetterQueue(
      await sqs(),
      deadLetterMessage(deadLetterQueueUrl, record, {
        jobName: job.name,
        error,
        attempt,
        failedAt: new Date(now()),
      }),
      beforeTimeout(context),
    );

  const handleBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const stop = new AbortController();
    // Handlers running side by side each listen to the one signal: that is no leak.
    setMaxListeners(0, stop.signal);
    const batchMetrics = new BatchMetrics(metrics);
    // Read once per batch: Powertools reads its level from the environment on each call.
    const logSuccesses = logOutcomes && debugEnabled(logger);
    const untilStopMs = context.getRemainingTimeInMillis() - marginMs;
    const timer = setTimeout(abort, Math.max(0, untilStopMs), stop);
    const preload = sqs.loading()
      ? undefined
      : setTimeout(sqs.preload, Math.max(0, untilStopMs - SDK_LOAD_LEAD_MS));
    try {
      // Closures made per batch come from factories: with esbuild's keepNames, a named one
      // (an arrow as a property, say) costs a defineProperty on each invocation.
      const outcomes = await processBatch(event.Records, {
        job,
        logger,
        metrics,
        remainingTimeMs: context.getRemainingTimeInMillis.bind(context),
        stopMarginMs: marginMs,
        signal: stop.signal,
        stopped: stoppedPromise(stop.signal),
        now,
        random,
        deadLetter: inContext(sendDeadLetter, context),
        onOutcome: recordOutcomes({
          logger: logOutcomes ? logger : undefined,
          logSuccesses,
          observe,
          batchMetrics,
          now,
        }),
      });
      const changes = visibilityChanges(event.Records, outcomes);
      // A batch that all succeeded (the common case) makes no call and arms no timer.
      const failedChanges =
        changes.length === 0
          ? []
          : await sqs().then(
              (client) => applyVisibilityChanges(client, queueUrl, changes, beforeTimeout(context)),
              // No SDK, no change: each record still comes back, after the visibility timeout.
              (error: unknown) =>
                changes.map((c) => ({ messageId: c.messageId, reason: toError(error).message })),
            );
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
      clearTimeout(preload);
      metrics.flush();
    }
  };

  // middy's own early timeout (a timer and a race per invocation) is off: the handler stops
  // itself at the stop margin, well before it, and still returns its batch response.
  return middy<SQSEvent, SQSBatchResponse>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handleBatch);
}

interface LazySqs {
  /** The client, loading the SDK first if no call has yet. */
  (): Promise<SQSClient>;
  /** Starts loading in the background; an error shows on the next call. */
  preload(): void;
  /** Whether the SDK is loaded or on its way. */
  loading(): boolean;
}

/**
 * The SQS client, created when first needed: a batch whose records all
 * succeed makes no SQS call, so the SDK is not even loaded at init.
 */
function lazySqs(given: SQSClient | undefined): LazySqs {
  let client: Promise<SQSClient> | undefined = given && Promise.resolve(given);
  const get = () => {
    client ??= import('@aws-sdk/client-sqs').then(
      ({ SQSClient }) => new SQSClient({}),
      (error: unknown) => {
        client = undefined;
        throw error;
      },
    );
    return client;
  };
  return Object.assign(get, {
    preload: () => {
      get().catch(() => {});
    },
    loading: () => client !== undefined,
  });
}

/** What each record's outcome is handed to, in record order: its log line, the observer, the metrics. */
function recordOutcomes(to: {
  logger: Logger | undefined;
  logSuccesses: boolean;
  observe: OutcomeObserver | undefined;
  batchMetrics: BatchMetrics;
  now: () => number;
}): (record: SQSRecord, outcome: RecordOutcome, startedAt?: number) => void {
  return (record, outcome, startedAt) => {
    if (to.logger && (outcome.status !== 'succeeded' || to.logSuccesses)) {
      logOutcome(to.logger, record, outcome);
    }
    to.observe?.(record, outcome);
    to.batchMetrics.record(record, outcome, startedAt ?? to.now());
  };
}

/** `send` with this invocation's context as its last argument. */
function inContext<A extends unknown[], R>(
  send: (...args: [...A, Context]) => R,
  context: Context,
): (...args: A) => R {
  return (...args) => send(...args, context);
}

function abort(controller: AbortController): void {
  controller.abort();
}

/** Rejects once the signal aborts; a record's handler is raced against it. */
function stoppedPromise(signal: AbortSignal): Promise<never> {
  const stopped = new Promise<never>((_, reject) => {
    signal.addEventListener(
      'abort',
      () =>
        reject(
          new JobTimeoutError('handler was still running when the function was about to time out'),
        ),
      { once: true },
    );
  });
  // Only the records still running when it aborts wait on it.
  stopped.catch(() => {});
  return stopped;
}

function requireSetting(value: string | undefined, envName: string, job: RunnableJob): string {
  const resolved = value ?? process.env[envName];
  if (!resolved) {
    throw new BgjobsError(
      `job "${job.name}": environment variable ${envName} is not set; the stack and the local runtime set it on the function`,
    );
  }
  return resolved;
}
