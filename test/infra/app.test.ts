import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatQueueLock } from '../../core/queue-lock.ts';
import { CDK_JSON_CONTEXT } from './build.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'bgjobs-app-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs infra/app.ts as the CDK CLI does (`cdk.json`'s app command, with
 * cdk.json's context and ours in CDK_CONTEXT_JSON, the output folder in
 * CDK_OUTDIR), bundling skipped.
 */
async function synth(context: Record<string, unknown>) {
  const outdir = mkdtempSync(path.join(dir, 'out-'));
  const env = {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({
      ...CDK_JSON_CONTEXT,
      'aws:cdk:bundling-stacks': [],
      ...context,
    }),
  };
  try {
    await run(process.execPath, ['--import', 'tsx', 'infra/app.ts'], { cwd: ROOT, env });
    return { ok: true, stderr: '', outdir };
  } catch (error) {
    return { ok: false, stderr: (error as { stderr: string }).stderr, outdir };
  }
}

const registry = {
  process: ['bgjobs--process', 'bgjobs--process--dlq'],
  report: ['bgjobs--report', 'bgjobs--report--dlq', 'bgjobs--report--rule-dlq'],
  statistics: ['bgjobs--statistics', 'bgjobs--statistics--dlq', 'bgjobs--statistics--rule-dlq'],
};

// Each test synthesizes the real app in a process of its own: seconds, or a minute on a busy machine.
describe('the CDK app (infra/app.ts)', { timeout: 120_000 }, () => {
  it('refuses a synth that would remove locked queues, writes nothing, and names the opt-in', async () => {
    const lockFile = path.join(dir, 'refused.lock.json');
    const lock = formatQueueLock({
      stacks: { bgjobs: { ...registry, archive: ['bgjobs--archive', 'bgjobs--archive--dlq'] } },
    });
    writeFileSync(lockFile, lock);
    const result = await synth({ queueLockFile: lockFile });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(
      `Refused: this change would replace or remove queues recorded in ${lockFile}:\n  - job "archive" is no longer in the app, but stack "bgjobs" has its queues "bgjobs--archive", "bgjobs--archive--dlq"`,
    );
    expect(result.stderr).toContain('-c allowQueueReplacement=<job>[,<job>...] (or =all)');
    expect(readFileSync(lockFile, 'utf8')).toBe(lock);
    expect(existsSync(path.join(result.outdir, 'bgjobs.template.json'))).toBe(false);
  });

  it('applies the change when the job is allowed, and updates the lock', async () => {
    const lockFile = path.join(dir, 'allowed.lock.json');
    writeFileSync(
      lockFile,
      formatQueueLock({
        stacks: { bgjobs: { ...registry, archive: ['bgjobs--archive', 'bgjobs--archive--dlq'] } },
      }),
    );
    const result = await synth({ queueLockFile: lockFile, allowQueueReplacement: 'archive' });
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual({ stacks: { bgjobs: registry } });
    expect(existsSync(path.join(result.outdir, 'bgjobs.template.json'))).toBe(true);
  });

  it('refuses a context value it does not know, naming the key, the value and what is allowed', async () => {
    const result = await synth({
      queueLockFile: path.join(dir, 'context.lock.json'),
      queueRemoval: 'keep',
    });
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(
      'context queueRemoval is "keep"; allowed: "retain" or "destroy"',
    );
  });
});
