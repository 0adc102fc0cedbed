import { describe, expect, it } from 'vitest';
import { memoryLines, memoryNow, withReading } from '../../cli/flood-memory.ts';
import type { LocalMemory } from '../../client/local-memory.ts';

const MB = 1024 * 1024;
const reading = (runtimeMB: number, endpointMB: number | null): LocalMemory => ({
  runtime: { rssBytes: runtimeMB * MB, heapUsedBytes: 0 },
  sqsEndpoint: endpointMB === null ? null : { rssBytes: endpointMB * MB, heapUsedBytes: 0 },
});

describe('the memory figures of a flood', () => {
  it('keep each process at the start and at its most', () => {
    let memory = withReading(null, reading(95, 80));
    memory = withReading(memory, reading(97, 160));
    memory = withReading(memory, reading(96, 120));

    expect(memory).toEqual({
      runtime: { startBytes: 95 * MB, peakBytes: 97 * MB },
      sqsEndpoint: { startBytes: 80 * MB, peakBytes: 160 * MB },
    });
    expect(
      memoryLines(memory ?? { runtime: { startBytes: 0, peakBytes: 0 }, sqsEndpoint: null }),
    ).toEqual([
      '  memory        runtime       95 MB at the start, 97 MB at most',
      '                SQS endpoint  80 MB at the start, 160 MB at most',
    ]);
  });

  it('are none on AWS, where nothing answers with them', () => {
    expect(withReading(withReading(null, undefined), undefined)).toBeNull();
  });

  it('skip a reading that could not be taken, and say when the endpoint is external', () => {
    const memory = withReading(withReading(null, reading(90, null)), undefined);
    expect(memory).toEqual({
      runtime: { startBytes: 90 * MB, peakBytes: 90 * MB },
      sqsEndpoint: null,
    });
    expect(memoryNow(reading(90, null))).toBe('runtime 90 MB, SQS endpoint external');
    expect(memoryNow(reading(90.4, 150.6))).toBe('runtime 90 MB, SQS endpoint 151 MB');
  });
});
