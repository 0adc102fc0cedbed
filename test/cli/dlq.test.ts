import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporaryDataDir, waitFor } from '../e2e/harness.ts';
import { type CliRuntime, startCliRuntime } from './harness.ts';

// Persisted, as `npm start` is by default; the folder is kept for a restart in between.
const dataDir = temporaryDataDir();
let t: CliRuntime;
let ids: string[];

beforeAll(async () => {
  t = await startCliRuntime({ dataDir });
  // A payload that asks for a permanent failure: the handler dead-letters each at once.
  const sent = await t.bgjobs(['enqueue', 'process', '{"fail":"permanent"}', '--count', '3']);
  expect(sent.code).toBe(0);
  await waitFor('3 dead letters', async () =>
    (await t.count('process', 'deadLetterQueue')) === 3 ? true : undefined,
  );
  t.runtime.pause('process');
});
afterAll(async () => {
  await t?.runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const deadLetters = () => t.count('process', 'deadLetterQueue');

/** `dlq list --json`: id -> receive count. */
async function listed(): Promise<Map<string, number>> {
  const result = await t.bgjobs(['dlq', 'list', 'process', '--json']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const letters = JSON.parse(result.stdout) as { messageId: string; receiveCount: number }[];
  return new Map(letters.map((l) => [l.messageId, l.receiveCount]));
}

/** Lets the process job run until the dead-letter queue holds `count` again, then pauses it. */
async function processUntil(count: number): Promise<void> {
  t.runtime.resume('process');
  await waitFor(`${count} dead letters`, async () =>
    (await deadLetters()) === count ? true : undefined,
  );
  t.runtime.pause('process');
}

describe('bgjobs dlq', () => {
  it('lists dead letters with the error and reason bgjobs recorded', async () => {
    const result = await t.bgjobs(['dlq', 'list', 'process', '--json']);
    expect(result.code).toBe(0);
    const letters = JSON.parse(result.stdout) as { messageId: string }[];
    expect(letters).toHaveLength(3);
    expect(letters[0]).toMatchObject({
      body: '{"fail":"permanent"}',
      error: 'PermanentError',
      reason: 'the payload asked for a permanent failure',
      attempt: 1,
    });
    ids = letters.map((l) => l.messageId);
    const table = await t.bgjobs(['dlq', 'list', 'process']);
    expect(table.stdout).toMatch(/^MESSAGE ID +SENT +RECEIVES +ERROR +REASON/);
    for (const id of ids) expect(table.stdout).toContain(id);
  });

  it('shows one dead letter, and exits 1 for an id that is not there', async () => {
    // One at a time: a reader holds the dead letters while it looks through them.
    const shown = await t.bgjobs(['dlq', 'show', 'process', ids[0] ?? '']);
    const missing = await t.bgjobs(['dlq', 'show', 'process', 'no-such-id']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`message id           ${ids[0]}`);
    expect(shown.stdout).toMatch(/reason +the payload asked for a permanent failure/);
    expect(shown.stdout).toContain('"fail": "permanent"');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr.trim()).toBe(
      'bgjobs: no dead letter no-such-id in the dead-letter queue of process',
    );
  });

  it('changes nothing with --dry-run, and exits 1 naming ids it could not find', async () => {
    const before = [await deadLetters(), await t.count('process')];
    const redrive = await t.bgjobs([
      'dlq',
      'redrive',
      'process',
      '--ids',
      `${ids[0]},gone-1`,
      '--dry-run',
    ]);
    expect(redrive).toMatchObject({
      code: 1,
      stdout: `would redrive 1 dead letter to process: ${ids[0]} (dry run: nothing changed)\n`,
      stderr: 'not in the dead-letter queue: gone-1\n',
    });
    const purge = await t.bgjobs(['dlq', 'purge', 'process', '--dry-run']);
    expect(purge.code).toBe(0);
    expect(purge.stdout).toMatch(
      /^would purge 3 dead letters of process: .* \(dry run: nothing changed\)\n$/,
    );
    expect([await deadLetters(), await t.count('process')]).toEqual(before);
  });

  it('lists and shows the same dead letters again and again, each receive counted', async () => {
    const first = await listed();
    const second = await listed();
    expect([...second.keys()].sort()).toEqual([...ids].sort());
    // Each list receives each dead letter once, and hands it back at once.
    for (const id of ids) expect(second.get(id)).toBe((first.get(id) ?? 0) + 1);
    for (const id of ids.slice(0, 2)) {
      const shown = await t.bgjobs(['dlq', 'show', 'process', id]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`message id           ${id}`);
      expect(await deadLetters()).toBe(3);
    }
  });

  it('keeps the dead letters and their receive counts across a restart', async () => {
    const before = await listed();
    await t.runtime.stop();
    t = await startCliRuntime({ dataDir });
    t.runtime.pause('process');
    expect(await deadLetters()).toBe(3);
    const after = await listed();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, count] of before) expect(after.get(id)).toBe(count + 1);
  });

  it('redrives the chosen ids to the job queue', async () => {
    const result = await t.bgjobs(['dlq', 'redrive', 'process', '--ids', ids[0] ?? '', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      action: 'redrive',
      dryRun: false,
      messageIds: [ids[0]],
      notFound: [],
    });
    expect([await deadLetters(), await t.count('process')]).toEqual([2, 1]);
  });

  it('purges the chosen ids', async () => {
    const result = await t.bgjobs(['dlq', 'purge', 'process', '--ids', ids[1] ?? '']);
    expect(result).toMatchObject({ code: 0, stdout: 'purged 1 dead letter of process\n' });
    expect(await deadLetters()).toBe(1);
  });

  it('redrives and purges again and again on the same runtime, losing no message', async () => {
    // Now: 1 dead letter, and the redriven one waiting in the paused queue, where it
    // fails permanently again when the job runs: a new dead letter each time.
    expect([await deadLetters(), await t.count('process')]).toEqual([1, 1]);
    await processUntil(2);
    const all = await t.bgjobs(['dlq', 'redrive', 'process', '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).messageIds).toHaveLength(2);
    expect([await deadLetters(), await t.count('process')]).toEqual([0, 2]);
    await processUntil(2);
    const [one] = (await listed()).keys();
    expect(await t.bgjobs(['dlq', 'redrive', 'process', '--ids', one ?? ''])).toMatchObject({
      code: 0,
      stdout: 'redrove 1 dead letter to process\n',
    });
    expect([await deadLetters(), await t.count('process')]).toEqual([1, 1]);
    expect(await t.bgjobs(['dlq', 'purge', 'process'])).toMatchObject({
      code: 0,
      stdout: 'purged 1 dead letter of process\n',
    });
    await processUntil(1);
    expect(await t.bgjobs(['dlq', 'purge', 'process'])).toMatchObject({
      code: 0,
      stdout: 'purged 1 dead letter of process\n',
    });
    expect([await deadLetters(), await t.count('process')]).toEqual([0, 0]);
  });
});
