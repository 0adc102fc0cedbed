import type { LocalMemory } from '../../client/local-memory.ts';

/** One sampler tick of the runtime's memory and its SQS endpoint's. */
export interface MemorySample {
  /** Epoch milliseconds of the tick. */
  readonly at: number;
  /** Resident set size of the runtime's process. */
  readonly runtimeRssBytes: number;
  /** Resident set size of the SQS endpoint's process; null for an external endpoint. */
  readonly sqsEndpointRssBytes: number | null;
}

/** The samples as columns, the shape uPlot draws, oldest first. */
export interface MemoryColumns {
  readonly at: number[];
  readonly runtimeRssBytes: number[];
  readonly sqsEndpointRssBytes: (number | null)[];
}

export function memorySample(at: number, memory: LocalMemory): MemorySample {
  return {
    at,
    runtimeRssBytes: memory.runtime.rssBytes,
    sqsEndpointRssBytes: memory.sqsEndpoint?.rssBytes ?? null,
  };
}

/** The last `capacity` memory samples; the oldest is dropped when a new one arrives. */
export class MemoryRing {
  readonly #capacity: number;
  readonly #samples: MemorySample[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(sample: MemorySample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.#capacity) this.#samples.shift();
  }

  latest(): MemorySample | undefined {
    return this.#samples.at(-1);
  }

  columns(): MemoryColumns {
    return {
      at: this.#samples.map((s) => s.at),
      runtimeRssBytes: this.#samples.map((s) => s.runtimeRssBytes),
      sqsEndpointRssBytes: this.#samples.map((s) => s.sqsEndpointRssBytes),
    };
  }
}
