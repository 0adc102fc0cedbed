import type { LocalMemory } from '../client/local-memory.ts';

/** A process's resident memory when the flood started and the most it reached. */
export interface MemoryRange {
  readonly startBytes: number;
  readonly peakBytes: number;
}

/** The runtime's and its SQS endpoint's memory over a flood; null on AWS. */
export interface FloodMemory {
  readonly runtime: MemoryRange;
  /** Null when the runtime uses an external SQS endpoint. */
  readonly sqsEndpoint: MemoryRange | null;
}

/** The range so far, with one more reading; a missing reading (AWS, or a stopped runtime) changes nothing. */
export function withReading(
  range: FloodMemory | null,
  reading: LocalMemory | undefined,
): FloodMemory | null {
  if (!reading) return range;
  const widen = (previous: MemoryRange | null | undefined, bytes: number): MemoryRange => ({
    startBytes: previous?.startBytes ?? bytes,
    peakBytes: Math.max(previous?.peakBytes ?? 0, bytes),
  });
  return {
    runtime: widen(range?.runtime, reading.runtime.rssBytes),
    sqsEndpoint: reading.sqsEndpoint
      ? widen(range?.sqsEndpoint, reading.sqsEndpoint.rssBytes)
      : null,
  };
}

/** `runtime 95 MB, SQS endpoint 160 MB`: one reading, for the progress line. */
export function memoryNow(reading: LocalMemory): string {
  const endpoint = reading.sqsEndpoint ? megabytes(reading.sqsEndpoint.rssBytes) : 'external';
  return `runtime ${megabytes(reading.runtime.rssBytes)}, SQS endpoint ${endpoint}`;
}

/** The summary's memory lines: each process at the start and at most. */
export function memoryLines(memory: FloodMemory): string[] {
  const range = (r: MemoryRange) =>
    `${megabytes(r.startBytes)} at the start, ${megabytes(r.peakBytes)} at most`;
  return [
    `  memory        runtime       ${range(memory.runtime)}`,
    `                SQS endpoint  ${memory.sqsEndpoint ? range(memory.sqsEndpoint) : 'external (not measured)'}`,
  ];
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
