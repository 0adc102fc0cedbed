import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryRange } from '../../cli/flood-memory.ts';
import { waitFor } from '../e2e/harness.ts';
import { type CliRuntime, startCliRuntime } from './harness.ts';

let t: CliRuntime;
let dataDir: string;
beforeAll(async () => {
  // Persisted, as `npm start` runs by default.
  dataDir = mkdtempSync(path.join(tmpdir(), 'bgjobs-flood-'));
  t = await startCliRuntime({ dataDir });
});
afterAll(async () => {
  await t?.runtime.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const outcomesOf = (status: string) =>
  t.outcomes.filter((o) => o.job === 'process' && o.outcome.status === status).length;

describe('bgjobs flood', () => {
  it('publishes at the rate for the duration, waits for the backlog to drain, and sums up', async () => {
    const result = await t.bgjobs([
      'flood',
      'process',
      '--rate',
      '50',
      '--duration',
      '2',
      '--payload',
      '{"samples":100,"waitMs":20}',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      job: 'process',
      requested: 100,
      sent: 100,
      sendFailed: 0,
      deadLetters: 0,
      drained: true,
      countedBy: 'message ids',
      othersCountedOut: 0,
    });
    expect(summary.sent).toBe(summary.processed + summary.deadLetters);
    expect(summary.peakInFlight).toBeGreaterThan(0);
    // The runtime's memory and its SQS endpoint's, each a process of its own, as the runtime tells them.
    const now = await t.runtime.memory();
    for (const [name, range] of Object.entries(summary.memory) as [string, MemoryRange][]) {
      const actual = name === 'runtime' ? now.runtime : now.sqsEndpoint;
      expect(range.startBytes, name).toBeGreaterThan(0);
      expect(range.peakBytes, name).toBeGreaterThanOrEqual(range.startBytes);
      expect(range.peakBytes / (actual?.rssBytes ?? 1), name).toBeGreaterThan(0.5);
      expect(range.peakBytes / (actual?.rssBytes ?? 1), name).toBeLessThan(1.5);
    }
    expect(Object.keys(summary.memory)).toEqual(['runtime', 'sqsEndpoint']);
    // What the runtime saw agrees with what the CLI worked out from queue counts.
    expect(outcomesOf('succeeded')).toBe(100);
  });

  it('counts dead letters apart from processed messages', async () => {
    const result = await t.bgjobs([
      'flood',
      'process',
      '--rate',
      '20',
      '--duration',
      '1',
      '--payload',
      '{"fail":"permanent"}',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^flood process: 20 messages at 20\/s for 1 s\n/);
    expect(result.stdout).toMatch(
      /\n {2}sent {10}20\n {2}processed {5}0\n {2}dead letters {2}20\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}memory {8}runtime {7}\d+ MB at the start, \d+ MB at most\n {16}SQS endpoint {2}\d+ MB at the start, \d+ MB at most\n/,
    );
    expect(result.stdout).toMatch(/\n {2}drained \d+ s after the last send\n$/);
    expect(outcomesOf('dead-lettered')).toBe(20);
  });

  it('shows the plan with --dry-run and sends nothing', async () => {
    const result = await t.bgjobs([
      'flood',
      'process',
      '--rate',
      '100',
      '--duration',
      '3',
      '--dry-run',
    ]);
    expect(result).toMatchObject({
      code: 0,
      stdout:
        'would send 300 messages to process at 100/s for 3 s: {"MessageBody":"{}"} (dry run: nothing sent)\n',
    });
    expect(await t.count('process')).toBe(0);
  });

  it('exits 2 and sends nothing when the payload does not fit the job', async () => {
    const result = await t.bgjobs([
      'flood',
      'process',
      '--rate',
      '10',
      '--duration',
      '1',
      '--payload',
      '{"samples":-1}',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^bgjobs: payload does not match the schema of job "process"/);
    expect(await t.count('process')).toBe(0);
  });

  // Last: the other sender's messages stay in flight for 30 s after it.
  it("counts only its own messages: another sender's, in flight or dead-lettered meanwhile, do not hold it up", async () => {
    const succeededBefore = outcomesOf('succeeded');
    const deadLettersBefore = await t.count('process', 'deadLetterQueue');
    // Another sender's messages, each in flight for 30 s (the handler waits).
    await t.send('process', ['{"samples":10,"waitMs":30000}', '{"samples":10,"waitMs":30000}']);
    await waitFor('the other messages to be in flight', async () =>
      (await t.counts('process')).inFlight === 2 ? true : undefined,
    );

    const flood = t.startBgjobs([
      'flood',
      'process',
      '--rate',
      '20',
      '--duration',
      '3',
      '--payload',
      '{"samples":10}',
      '--drain-timeout',
      '20',
    ]);
    // Once it is publishing (its first progress line), three more of the other sender's that fail for good.
    await waitFor('the flood to publish', () =>
      flood.stderr().includes(' sent ') ? true : undefined,
    );
    await t.send('process', Array(3).fill('{"fail":"permanent"}'));
    const result = await flood.exited;

    expect(result.code).toBe(0);
    // Each progress line also shows both processes' memory.
    expect(flood.stderr()).toMatch(
      / dead letters \d+ {2}memory: runtime \d+ MB, SQS endpoint \d+ MB\n/,
    );
    expect(result.stdout).toMatch(
      /\n {2}sent {10}60\n {2}processed {5}60\n {2}dead letters {2}0\n/,
    );
    const drainSeconds = Number(/drained (\d+) s after the last send\n$/.exec(result.stdout)?.[1]);
    expect(drainSeconds).toBeLessThanOrEqual(5);
    // The other sender's messages were there all along: in flight, and in the dead-letter queue.
    expect((await t.counts('process')).inFlight).toBe(2);
    expect((await t.count('process', 'deadLetterQueue')) - deadLettersBefore).toBe(3);
    expect(outcomesOf('succeeded') - succeededBefore).toBe(60);
  }, 60_000);
});
