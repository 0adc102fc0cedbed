/** The worker thread of `sqs-thread.ts`: fauxqs in memory until told to stop. */
import { parentPort } from 'node:worker_threads';
import { startSqsServer } from '../../local/sqs/server.ts';

const port = parentPort;
if (!port) throw new Error('bench/lib/sqs-thread-worker.ts runs only as a worker thread');
const server = await startSqsServer({ port: 0, dataDir: undefined });
port.once('message', async () => {
  await server.stop();
  port.close();
});
port.postMessage({ endpoint: server.endpoint });
