/**
 * Child of the flood-memory benchmark: fauxqs alone, as the runtime starts it,
 * with one queue of the noop job's attributes. It shows how much of the
 * runtime's growth is the embedded SQS holding the backlog. Started with --expose-gc.
 */
import { specAttributes } from '../../core/queue-attributes.ts';
import { jobQueueSpec } from '../../core/queue-spec.ts';
import { startSqsServer } from '../../local/sqs/server.ts';
import { noopJob } from '../jobs/noop.ts';
import { fromParent, tellParent } from '../lib/child.ts';
import { settledMemory } from '../lib/memory.ts';
import { createQueue, localSqsClient } from '../lib/sqs.ts';
import type { FromChild, ToChild } from './protocol.ts';

const server = await startSqsServer({ port: 0, dataDir: undefined });
const sqs = localSqsClient(server.endpoint);
const queueUrl = await createQueue(
  sqs,
  'bgjobs-noop',
  specAttributes(jobQueueSpec(noopJob.settings)),
);
sqs.destroy();
const reply = (message: FromChild) => tellParent(message);
await reply({ type: 'ready', sqsEndpoint: server.endpoint, queueUrl });
for (;;) {
  const message = await fromParent<ToChild>();
  if (message.type === 'stop') break;
  await reply({ type: 'memory', memory: await settledMemory() });
}
await server.stop();
process.exit(0);
