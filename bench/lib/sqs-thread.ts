import { Worker } from 'node:worker_threads';

/**
 * fauxqs (as the runtime starts it, in memory) in a worker thread of this
 * process: the alternative to the runtime's own process for its SQS endpoint,
 * which flood-memory and consumer measure next to it. The thread runs with
 * this process's tsx loader, as the runtime's workers do.
 */
export async function startSqsThread(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const worker = new Worker(new URL('./sqs-thread-worker.ts', import.meta.url));
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('message', (message: { endpoint: string }) => resolve(message.endpoint));
    worker.once('error', reject);
  });
  return {
    endpoint,
    stop: async () => {
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
