/**
 * Child of the flood-memory benchmark: the local runtime (fauxqs in memory)
 * with the noop job paused, so whatever the parent sends waits in the queue.
 * Its SQS endpoint is a process of its own, as `npm start` runs it, or, with
 * the argument `thread`, fauxqs in a worker thread of this process (the
 * alternative). Answers each `measure` with its settled memory, and the
 * endpoint process's. Started with --expose-gc.
 */
import { noopJob } from '../jobs/noop.ts';
import { fromParent, tellParent } from '../lib/child.ts';
import { settledMemory } from '../lib/memory.ts';
import { startBenchRuntime } from '../lib/runtime.ts';
import { startSqsThread } from '../lib/sqs-thread.ts';
import type { FromChild, ToChild } from './protocol.ts';

const MB = 1024 * 1024;
const thread = process.argv[2] === 'thread' ? await startSqsThread() : undefined;
const runtime = await startBenchRuntime({ sqsEndpoint: thread?.endpoint });
// Paused, the mapping hands back whatever a long poll still brings: no worker starts.
runtime.pause(noopJob.name);
const reply = (message: FromChild) => tellParent(message);
await reply({
  type: 'ready',
  sqsEndpoint: runtime.sqsEndpoint,
  queueUrl: runtime.queues.get(noopJob.name)?.queue.url ?? '',
});
for (;;) {
  const message = await fromParent<ToChild>();
  if (message.type === 'stop') break;
  const memory = await settledMemory();
  // The endpoint's process is not collected first: its figure is as it stands.
  const endpoint = (await runtime.memory()).sqsEndpoint;
  await reply({
    type: 'memory',
    memory,
    sqsEndpointRssMB: endpoint ? endpoint.rssBytes / MB : undefined,
  });
}
await runtime.stop();
await thread?.stop();
process.exit(0);
