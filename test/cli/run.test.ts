import { describe, expect, it } from 'vitest';
import { bgjobs } from './harness.ts';

// `run` calls the handler in this process with a recording SQS client: no endpoint is needed.
describe.concurrent('bgjobs run', () => {
  it('prints succeeded and exits 0 when the handler succeeds', async () => {
    const result = await bgjobs(['run', 'process', '{"samples":100}']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^succeeded in \d+ ms\n$/);
    // The job's own log line goes to stderr, so stdout is only the outcome.
    expect(result.stderr).toContain('"message":"processed"');
  });

  it('prints would be dead-lettered with the reason, and exits 1, for a permanent failure', async () => {
    const result = await bgjobs(['run', 'process', '{"fail":"permanent"}']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'would be dead-lettered: PermanentError: the payload asked for a permanent failure\n',
    );
  });

  it('prints retry with the reason and the delay it would set for a transient failure', async () => {
    const result = await bgjobs(['run', 'process', '{"fail":"transient"}', '--json']);
    expect(result.code).toBe(1);
    const { outcome, response, sqsCalls } = JSON.parse(result.stdout);
    expect(outcome).toMatchObject({
      status: 'retry',
      reason: 'Error: the payload asked to fail attempt 1',
    });
    // process backs off from 5 s with full jitter.
    expect(outcome.delaySeconds).toBeGreaterThanOrEqual(0);
    expect(outcome.delaySeconds).toBeLessThanOrEqual(5);
    expect(response.batchItemFailures).toHaveLength(1);
    expect(sqsCalls[0]).toMatchObject({ command: 'ChangeMessageVisibilityBatchCommand' });
    const text = await bgjobs(['run', 'process', '{"fail":"transient"}']);
    expect(text.stdout).toMatch(
      /^retry: Error: the payload asked to fail attempt 1\n {2}the message would come back in \d+ s \(attempt 1 of 5\)\n$/,
    );
  });

  it('runs a job with a rule on the event its rule would deliver', async () => {
    const result = await bgjobs(['run', 'report', '{"reportId":"r-1","period":"day"}']);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('"requestedAt"');
  });

  it('exits 2 for a payload the schema refuses, without running the handler', async () => {
    const result = await bgjobs(['run', 'process', '{"samples":0}']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(
      /^bgjobs: payload does not match the schema of job "process": samples: /,
    );
  });
});
