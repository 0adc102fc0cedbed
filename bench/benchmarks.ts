import { coldStartBenchmark } from './cold-start/index.ts';
import { consumerBenchmark } from './consumer/index.ts';
import { floodMemoryBenchmark } from './flood-memory/index.ts';
import { handlerBenchmark } from './handler/index.ts';
import { idempotencyBenchmark } from './idempotency/index.ts';
import type { Benchmark } from './lib/result.ts';
import { publisherBenchmark } from './publisher/index.ts';
import { synthScaleBenchmark } from './synth-scale/index.ts';

/** Every benchmark, in the order `npm run bench` runs them. */
export const benchmarks: readonly Benchmark[] = [
  consumerBenchmark,
  publisherBenchmark,
  handlerBenchmark,
  coldStartBenchmark,
  floodMemoryBenchmark,
  synthScaleBenchmark,
  idempotencyBenchmark,
];
