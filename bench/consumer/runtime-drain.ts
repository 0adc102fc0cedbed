import type { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalRuntime, RuntimeEvents } from '../../local/runtime.ts';
import { queueDepth } from '../lib/sqs.ts';
import { elapsedMs, sleep } from '../lib/stats.ts';
import type { Drain } from './drain.ts';

type BatchEvent = RuntimeEvents['batch'][0];

/**
 * The local runtime end to end: its event source mapping receives, a warm
 * worker thread runs the Lambda handler, the mapping deletes what succeeded.
 * A message counts once its batch is deleted (the runtime's `batch` event).
 *
 * The job stays paused while the queue fills (a long poll that was out when it
 * paused hands its messages back); the clock starts when it resumes, and the
 * drain counts what the queue holds then.
 */
export function runtimeDrain(
  runtime: LocalRuntime,
  job: string,
  sqs: SQSClient,
  queueUrl: string,
): Drain {
  return async () => {
    while (runtime.concurrency(job).inFlight > 0) await sleep(10);
    const left = await queueDepth(sqs, queueUrl);
    let deleted = 0;
    let onBatch: (batch: BatchEvent) => void = () => {};
    const drained = new Promise<void>((resolve, reject) => {
      onBatch = ({ settlement }) => {
        deleted += settlement.succeeded.length;
        if (settlement.failed.length > 0) {
          reject(new Error(`the runtime failed ${settlement.failed.length} noop records`));
        } else if (deleted >= left) resolve();
      };
    });
    runtime.events.on('batch', onBatch);
    try {
      const started = performance.now();
      runtime.resume(job);
      await drained;
      // Pausing never aborts the mapping's long poll: what it brings is handed back.
      return { messages: deleted, ms: elapsedMs(started), settled: Promise.resolve() };
    } finally {
      runtime.pause(job);
      runtime.events.off('batch', onBatch);
    }
  };
}
