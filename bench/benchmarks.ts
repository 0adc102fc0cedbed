import { coldStartBenchmark } from './cold-start/index.ts';
import { consumerBenchmark } from './consumer/index.ts';
import { floodMemoryBenchmark } from './flood-memory/index.ts';
import { handlerBenchmark } from './handler/index.ts';
import type { Benchmark } from './lib/result.ts';
import { synthScaleBenchmark } from './synth-scale/index.ts';

/** Every benchmark, in the order `npm run bench` runs them. */
export const benchmarks: readonly Benchmark[] = [
  consumerBenchmark,
  // Publisher throughput (enqueue against sqs-producer) goes here, as
  // `publisherBenchmark` from `./publisher/index.ts`: see bench/README.md.
  handlerBenchmark,
  coldStartBenchmark,
  floodMemoryBenchmark,
  synthScaleBenchmark,
];
