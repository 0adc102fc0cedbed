/**
 * Child of the flood-memory benchmark: the local runtime (fauxqs in memory)
 * with the noop job paused, so whatever the parent sends waits in the queue.
 * Answers each `measure` with its settled memory. Started with --expose-gc.
 */
import { noopJob } from '../jobs/noop.ts';
import { fromParent, tellParent } from '../lib/child.ts';
import { settledMemory } from '../lib/memory.ts';
import { startBenchRuntime } from '../lib/runtime.ts';
import type { FromChild, ToChild } from './protocol.ts';

const runtime = await startBenchRuntime();
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
  await reply({ type: 'memory', memory: await settledMemory() });
}
await runtime.stop();
process.exit(0);
