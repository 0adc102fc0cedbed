import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMemory } from '../../client/local-memory.ts';
import type { LocalRuntime, RuntimeEvents } from '../../local/runtime.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { FIXTURE_JOBS_DIR, startIsolatedRuntime } from './harness.ts';

let runtime: LocalRuntime | undefined;
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});

async function start(lines: string[] = []): Promise<LocalRuntime> {
  runtime = await startIsolatedRuntime({
    jobs: [echoJob],
    jobsDir: FIXTURE_JOBS_DIR,
    log: (line) => lines.push(line),
  });
  return runtime;
}

describe("the runtime's SQS endpoint, a process of its own", () => {
  it('tells its memory and the endpoint’s apart, also on the Lambda endpoint', async () => {
    const started = await start();
    expect(started.sqsEndpointPid).toBeGreaterThan(0);
    expect(started.sqsEndpointPid).not.toBe(process.pid);

    const response = await fetch(`${started.lambdaEndpoint}/_bgjobs/memory`);
    const memory = (await response.json()) as LocalMemory;

    expect(response.status).toBe(200);
    // The runtime is this process: its figure is this process's, give or take what one request allocates.
    const ratio = memory.runtime.rssBytes / process.memoryUsage().rss;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
    expect(memory.sqsEndpoint?.rssBytes).toBeGreaterThan(0);
    expect(memory.sqsEndpoint?.heapUsedBytes).toBeGreaterThan(0);
  });

  it('reports an endpoint that ends by itself and stops, rather than polling a dead endpoint', async () => {
    const lines: string[] = [];
    const started = await start(lines);
    const problems: RuntimeEvents['problem'][0][] = [];
    started.events.on('problem', (problem) => problems.push(problem));
    const fatal = once(started.events, 'fatal') as Promise<RuntimeEvents['fatal']>;
    const pid = started.sqsEndpointPid as number;

    process.kill(pid, 'SIGKILL');
    const [{ error }] = await fatal;

    const expected = `the SQS endpoint (process ${pid}) ended by itself (killed by SIGKILL); the runtime cannot reach its queues`;
    expect(error.message).toBe(expected);
    expect(lines).toContain(`${expected}; stopping`);
    expect(problems.map((p) => [p.job, p.error.message])).toContainEqual([undefined, expected]);
    // Stopped: its own endpoints are closed, and stop() has nothing left to do.
    await expect(fetch(`${started.lambdaEndpoint}/_bgjobs/memory`)).rejects.toThrow();
    await started.stop();
  });
});
