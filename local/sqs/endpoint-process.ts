/**
 * The local SQS endpoint's own process, as SQS is outside the function on
 * AWS: fauxqs (patched, on 127.0.0.1, persisted or in memory) holds the
 * backlog here, not in the runtime, and has a core of its own. Forked by
 * `sqs-process.ts` with its options as the one argument; it says `listening`
 * or `failed` over IPC, answers `memory` requests, and ends when its runtime
 * does: when the IPC channel closes, be it `stop()` or the runtime's death
 * (even `kill -9`, where the kernel closes the channel).
 */
import { toError } from '../../core/errors.ts';
import { processMemory } from '../process-memory.ts';
import type { EndpointConfig, FromEndpoint, ToEndpoint } from './endpoint-protocol.ts';
import { type SqsServer, startSqsServer } from './server.ts';

/** After the channel closes, how long closing the server may take before the process exits anyway. */
const CLOSE_LIMIT_MS = 2000;

const send = process.send?.bind(process);
if (!send) throw new Error('local/sqs/endpoint-process.ts runs only as a child of the runtime');
const tell = (message: FromEndpoint) =>
  new Promise<void>((resolve) => send(message, undefined, {}, () => resolve()));

// The runtime says when its endpoint ends: a Ctrl-C reaches the terminal's whole process group,
// and the runtime still needs SQS to delete what its batches in flight finish.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

let server: SqsServer | undefined;
process.once('disconnect', () => {
  const exit = () => process.exit(0);
  setTimeout(exit, CLOSE_LIMIT_MS).unref();
  // Closing commits nothing more: fauxqs writes every change through to SQLite as it happens.
  (server?.stop() ?? Promise.resolve()).then(exit, (error: unknown) => {
    console.error(`SQS endpoint: could not close cleanly: ${toError(error).message}`);
    process.exit(1);
  });
});
process.on('message', (message: ToEndpoint) => {
  if (message.type === 'memory') void tell({ type: 'memory', memory: processMemory() });
});

try {
  server = await startSqsServer(JSON.parse(process.argv[2] ?? '{}') as EndpointConfig);
  await tell({ type: 'listening', port: server.port });
} catch (error) {
  await tell({ type: 'failed', message: toError(error).message });
  process.exit(1);
}
