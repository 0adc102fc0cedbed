import type { MemorySample } from '../lib/memory.ts';

/** The parent's requests to a memory child. */
export type ToChild =
  | { readonly type: 'measure' }
  | { readonly type: 'fill'; readonly count: number }
  | { readonly type: 'stop' };

/** A child's replies: `ready` once (with its SQS endpoint if it has one), then one per request. */
export type FromChild =
  | { readonly type: 'ready'; readonly sqsEndpoint?: string; readonly queueUrl?: string }
  | {
      readonly type: 'memory';
      readonly memory: MemorySample;
      /** The runtime's SQS endpoint, a process of its own: its RSS (not collected first). */
      readonly sqsEndpointRssMB?: number;
    }
  | { readonly type: 'filled'; readonly depth: number };
