import { median, sleep } from './stats.ts';

const MB = 1024 * 1024;

export interface MemorySample {
  readonly rssMB: number;
  readonly heapUsedMB: number;
  readonly externalMB: number;
}

/**
 * This process's memory once garbage is collected (the process runs with
 * --expose-gc) and the figure is steady: the median of a few samples.
 */
export async function settledMemory(): Promise<MemorySample> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('settledMemory needs node --expose-gc');
  gc();
  await sleep(100);
  gc();
  const samples = [];
  for (let i = 0; i < 5; i++) {
    await sleep(100);
    samples.push(process.memoryUsage());
  }
  return {
    rssMB: median(samples.map((s) => s.rss)) / MB,
    heapUsedMB: median(samples.map((s) => s.heapUsed)) / MB,
    externalMB: median(samples.map((s) => s.external)) / MB,
  };
}
