/**
 * Child of the flood-memory benchmark: the talk's GenServer, an unbounded
 * in-process mailbox. On `fill` a producer pushes messages as fast as it can
 * while a slow consumer takes one every 10 ms. Answers each `measure` with its
 * settled memory. Started with --expose-gc.
 */
import { fromParent, tellParent } from '../lib/child.ts';
import { settledMemory } from '../lib/memory.ts';
import { orderBody } from '../lib/payload.ts';
import type { FromChild, ToChild } from './protocol.ts';

interface Envelope {
  readonly id: number;
  readonly body: string;
  readonly receivedAt: number;
}

const PRODUCER_CHUNK = 1_000;
const mailbox: Envelope[] = [];
const consumer = setInterval(() => mailbox.shift(), 10);
const reply = (message: FromChild) => tellParent(message);

async function fill(count: number): Promise<void> {
  for (let n = 0; n < count; n += PRODUCER_CHUNK) {
    for (let i = n; i < Math.min(count, n + PRODUCER_CHUNK); i++) {
      mailbox.push({ id: i, body: orderBody(i), receivedAt: Date.now() });
    }
    // Let the consumer run between chunks, as a scheduler would.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

await reply({ type: 'ready' });
for (;;) {
  const message = await fromParent<ToChild>();
  if (message.type === 'stop') break;
  if (message.type === 'fill') {
    await fill(message.count);
    await reply({ type: 'filled', depth: mailbox.length });
  } else await reply({ type: 'memory', memory: await settledMemory() });
}
clearInterval(consumer);
process.exit(0);
