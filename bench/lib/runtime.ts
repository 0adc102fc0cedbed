import { type LocalRuntime, startLocalRuntime } from '../../local/runtime.ts';
import { noopJob } from '../jobs/noop.ts';
import { BENCH_JOBS_DIR } from './paths.ts';

/**
 * The local runtime with the noop job, fauxqs in memory (in its own process,
 * or at `sqsEndpoint`), and every endpoint on a free port of 127.0.0.1 (so a
 * running `npm start` or test is no obstacle). A port option added to the
 * runtime later belongs here too.
 */
export function startBenchRuntime(options: { sqsEndpoint?: string } = {}): Promise<LocalRuntime> {
  return startLocalRuntime({
    sqsEndpoint: options.sqsEndpoint,
    jobs: [noopJob],
    jobsDir: BENCH_JOBS_DIR,
    sqsPort: 0,
    eventsPort: 0,
    lambdaPort: 0,
    dashboardPort: 0,
    dataDir: false,
    shutdownGraceMs: 2000,
    log: () => {},
  });
}
