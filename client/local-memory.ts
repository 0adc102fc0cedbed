import type { ClientContext } from './context.ts';
import { loopbackEndpoint } from './local-endpoint.ts';

/** A process's memory, as the operating system and V8 count it. */
export interface ProcessMemory {
  /** Resident set size: what the operating system counts against the process. */
  readonly rssBytes: number;
  /** The JavaScript heap in use. */
  readonly heapUsedBytes: number;
}

/**
 * The local runtime's memory and its SQS endpoint's, each a process of its own
 * (as on AWS, where the backlog waits in SQS, not in the function): a flood
 * grows the endpoint, not the runtime. `sqsEndpoint` is null when the runtime
 * uses an external endpoint.
 */
export interface LocalMemory {
  readonly runtime: ProcessMemory;
  readonly sqsEndpoint: ProcessMemory | null;
}

/** Where the local runtime answers with its `LocalMemory`, on its Lambda endpoint. */
export const LOCAL_MEMORY_PATH = '/_bgjobs/memory';

/**
 * The local runtime's `LocalMemory`, read from its Lambda endpoint; undefined
 * on AWS (the Lambda client does not point at this machine) or when the
 * endpoint does not answer with it.
 */
export async function readLocalMemory(ctx: ClientContext): Promise<LocalMemory | undefined> {
  const endpoint = await loopbackEndpoint(ctx.lambda);
  if (!endpoint) return undefined;
  try {
    const response = await fetch(`${endpoint}${LOCAL_MEMORY_PATH}`);
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<LocalMemory>;
    return isMemory(body.runtime) && (body.sqsEndpoint === null || isMemory(body.sqsEndpoint))
      ? { runtime: body.runtime, sqsEndpoint: body.sqsEndpoint }
      : undefined;
  } catch {
    // A runtime that stopped, or an endpoint that is not bgjobs's: no figure, nothing to stop for.
    return undefined;
  }
}

function isMemory(value: unknown): value is ProcessMemory {
  const memory = value as ProcessMemory | undefined;
  return typeof memory?.rssBytes === 'number' && typeof memory.heapUsedBytes === 'number';
}
