import type { ProcessMemory } from '../../client/local-memory.ts';
import type { SqsServerOptions } from './server.ts';

/** What the SQS endpoint's process is started with (its one argument, as JSON). */
export type EndpointConfig = SqsServerOptions;

/** The runtime's requests; the process answers each in order. */
export type ToEndpoint = { readonly type: 'memory' };

/** Once `listening` or `failed`, then one `memory` per request. */
export type FromEndpoint =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'memory'; readonly memory: ProcessMemory };
