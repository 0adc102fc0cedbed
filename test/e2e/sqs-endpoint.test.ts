import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalMemory } from '../../client/local-memory.ts';
import type { LocalRuntime, RuntimeEvents } from '../../local/runtime.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { FIXTURE_JOBS_DIR, startIsolatedRuntime, waitFor } from './harness.ts';

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

  it('fails to start, naming the endpoint, when its process ends while the runtime starts', async () => {
    const starting = start();
    // The endpoint's process is this one's child running endpoint-process.ts.
    const pid = await waitFor('the endpoint process', () => endpointChild(), 20_000);
    process.kill(pid, 'SIGKILL');

    await expect(starting).rejects.toThrow(
      new RegExp(
        `SQS endpoint.*\\(process ${pid}\\) ended by itself \\(killed by SIGKILL\\)|SQS endpoint: its process ended before it listened \\(killed by SIGKILL\\)`,
      ),
    );
  });
});

/** The pid of this process's child that runs the SQS endpoint, from /proc. */
function endpointChild(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (parent === process.pid && command.includes('endpoint-process.ts')) return Number(entry);
    } catch {
      // A process that ended while we looked: not the one.
    }
  }
  return undefined;
}
