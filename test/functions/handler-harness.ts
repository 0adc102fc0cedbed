/**
 * A job's Lambda handler wired as in production (middy, Powertools logger and
 * metrics) but with SQS mocked, a fixed clock and a fixed `random`, plus ways to
 * read back what it did: SQS calls, metrics, EMF output and logged outcomes.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  ChangeMessageVisibilityBatchCommand,
  type ChangeMessageVisibilityBatchCommandInput,
  SendMessageCommand,
  type SendMessageCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { onTestFinished, vi } from 'vitest';
import type { RunnableJob } from '../../core/job.ts';
import { FALLBACK_METRICS_NAMESPACE } from '../../core/metric-names.ts';
import type { RecordOutcome } from '../../core/outcomes.ts';
import { createHandler } from '../../functions/create-handler.ts';
import { EmfMetrics } from '../../functions/emf-metrics.ts';
import type { OutcomeObserver } from '../../functions/outcome-observer.ts';
import {
  lambdaContext,
  queueOf,
  REGION,
  type RecordOptions,
  sqsEvent,
  sqsRecord,
  type TestLambdaContext,
} from './sqs-event.ts';

/** When the test messages were sent. */
export const SENT_AT = Date.UTC(2025, 0, 1, 12, 0, 0);
/** When the handler's clock starts: 1.5 s after the messages were sent. */
export const STARTED_AT = SENT_AT + 1500;

/** The handler's `now`, moved on only by the test (e.g. to give a record a duration). */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

export function manualClock(startMs = STARTED_AT): ManualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance: (ms) => {
      nowMs += ms;
    },
  };
}

export function handlerUnderTest(
  job: RunnableJob,
  options: { random?: () => number; clock?: ManualClock; onOutcome?: OutcomeObserver } = {},
) {
  const queue = queueOf(job.name, job.settings.fifo !== undefined);
  const sqs = new SQSClient({ region: REGION });
  const sqsMock = mockClient(sqs);
  sqsMock.on(ChangeMessageVisibilityBatchCommand).callsFake(acceptAllEntries);
  sqsMock.on(SendMessageCommand).callsFake((input: SendMessageCommandInput) => ({
    MessageId: randomUUID(),
    MD5OfMessageBody: createHash('md5')
      .update(input.MessageBody ?? '')
      .digest('hex'),
  }));
  // EMF documents (and Powertools' log lines) go to process.stdout: capture it, keep runs quiet.
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  onTestFinished(() => {
    stdout.mockRestore();
    sqsMock.restore();
  });

  const logger = new Logger({ serviceName: job.name, logLevel: 'SILENT' });
  const logged = {
    info: vi.spyOn(logger, 'info'),
    warn: vi.spyOn(logger, 'warn'),
    error: vi.spyOn(logger, 'error'),
  };
  const metrics = new EmfMetrics({ namespace: FALLBACK_METRICS_NAMESPACE, service: job.name });
  // Every value added, one `[name, unit, value]` each, whether one at a time or many at once.
  const added: [string, string, number][] = [];
  const addMetric = metrics.addMetric.bind(metrics);
  const addMetricValues = metrics.addMetricValues.bind(metrics);
  vi.spyOn(metrics, 'addMetric').mockImplementation((name, unit, value) => {
    added.push([name, unit, value]);
    addMetric(name, unit, value);
  });
  vi.spyOn(metrics, 'addMetricValues').mockImplementation((name, unit, values) => {
    for (const value of values) added.push([name, unit, value]);
    addMetricValues(name, unit, values);
  });
  const context = (remainingMs = job.settings.timeoutSeconds * 1000): TestLambdaContext =>
    lambdaContext({ functionName: `bgjobs-${job.name}`, remainingMs });
  const clock = options.clock ?? manualClock();
  const handler = createHandler(job, {
    sqs,
    queueUrl: queue.url,
    deadLetterQueueUrl: queue.deadLetterUrl,
    now: clock.now,
    random: options.random ?? (() => 0.5),
    logger,
    metrics,
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
  });

  return {
    queue,
    sqsMock,
    logger,
    metrics,
    record: (body: string, more: Partial<RecordOptions> = {}): SQSRecord =>
      sqsRecord({ queueArn: queue.arn, sentAt: SENT_AT, body, ...more }),
    /** A fresh Lambda context with the job's whole timeout left, or `remainingMs`. */
    context,
    invoke: (records: SQSRecord[], lambda: TestLambdaContext = context()) =>
      handler(sqsEvent(...records), lambda),
    visibilityChanges: (): ChangeMessageVisibilityBatchCommandInput[] =>
      sqsMock.commandCalls(ChangeMessageVisibilityBatchCommand).map((call) => call.args[0].input),
    deadLetters: (): SendMessageCommandInput[] =>
      sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input),
    /** Every metric value added, as `[name, unit, value]`, in order. */
    metricCalls: () => [...added],
    /** The EMF documents Powertools printed. */
    emf: (): Record<string, unknown>[] =>
      stdout.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    /** The outcome the handler logged for a record, as `log-outcome.ts` writes it. */
    loggedOutcome: (messageId: string): (RecordOutcome & { attempt: number }) | undefined =>
      Object.values(logged)
        .flatMap((spy) => spy.mock.calls.map((call) => call[1]))
        .find(
          (fields): fields is RecordOutcome & { attempt: number } =>
            typeof fields === 'object' &&
            fields !== null &&
            'status' in fields &&
            (fields as { messageId?: unknown }).messageId === messageId,
        ),
    warnings: () => logged.warn.mock.calls,
  };
}

/** SQS's answer when every visibility change succeeds. */
export function acceptAllEntries(input: ChangeMessageVisibilityBatchCommandInput) {
  return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
}

/** The ids in a batch response, for comparing with records. */
export function failedIds(response: SQSBatchResponse): string[] {
  return response.batchItemFailures.map((failure) => failure.itemIdentifier);
}
