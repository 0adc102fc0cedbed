import type { ProcessMemory } from '../client/local-memory.ts';

/** This process's memory, as `bgjobs flood` and the dashboard show it. */
export function processMemory(): ProcessMemory {
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed };
}
