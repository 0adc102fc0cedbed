import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { startTestRuntime, type TestRuntime, waitFor } from './harness.ts';

const MESSAGES = 2000;
let t: TestRuntime;
let logFile: string;

beforeAll(async () => {
  logFile = path.join(mkdtempSync(path.join(tmpdir(), 'bgjobs-flood-')), 'handled.log');
  t = await startTestRuntime([echoJob]);
});
afterAll(async () => {
  await t?.runtime.stop();
});

/** The most handler runs that overlapped in time, measured from the handlers' own timestamps. */
function peakOverlap(intervals: { start: number; end: number }[]): number {
  const points = intervals.flatMap((i) => [
    { at: i.start, delta: 1 },
    { at: i.end, delta: -1 },
  ]);
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let peak = 0;
  for (const point of points) {
    current += point.delta;
    peak = Math.max(peak, current);
  }
  return peak;
}

describe('a flood of messages on the local runtime', () => {
  it('never runs more than maxConcurrency batches at once and handles every message sent', async () => {
    const sent = new Set<string>();
    const payloads = Array.from({ length: MESSAGES }, (_, n) =>
      JSON.stringify({ n, waitMs: 5, log: logFile }),
    );
    for (let i = 0; i < payloads.length; i += 10) {
      const response = await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: t.queueUrl('echo'),
          Entries: payloads
            .slice(i, i + 10)
            .map((body, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
      expect(response.Failed ?? []).toEqual([]);
      for (const entry of response.Successful ?? []) sent.add(entry.MessageId ?? '');
    }
    expect(sent.size).toBe(MESSAGES);

    const handled = await waitFor(
      'every message handled',
      () => {
        const lines = readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean);
        const ids = new Set(lines.map((line) => line.split(' ')[0]));
        return [...sent].every((id) => ids.has(id)) ? lines : undefined;
      },
      60_000,
    );
    const runs = handled.map((line) => {
      const [id, start, end] = line.split(' ');
      return { id: id ?? '', start: Number(start), end: Number(end) };
    });
    // At least once: duplicates are counted, not hidden; none is expected here.
    const duplicates = runs.length - new Set(runs.map((r) => r.id)).size;
    expect({ handled: new Set(runs.map((r) => r.id)).size, duplicates }).toEqual({
      handled: MESSAGES,
      duplicates: 0,
    });

    const { maxConcurrency } = echoJob.settings;
    // Records of a batch run one after another, so overlapping handler runs are concurrent batches.
    const measured = {
      fromHandlers: peakOverlap(runs),
      fromRuntime: t.runtime.concurrency('echo').peak,
    };
    expect(measured.fromHandlers, JSON.stringify(measured)).toBeLessThanOrEqual(maxConcurrency);
    expect(measured.fromRuntime, JSON.stringify(measured)).toBeLessThanOrEqual(maxConcurrency);
    // The flood kept every slot busy at some point, so the cap was actually exercised.
    expect(measured.fromRuntime, JSON.stringify(measured)).toBe(maxConcurrency);
  });
});
