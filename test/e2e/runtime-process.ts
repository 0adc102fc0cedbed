/**
 * The local runtime as a separate process, for tests that kill it:
 * `node --import tsx runtime-process.ts <sqsPort> <dataDir>`; prints `ready <sqs> <scheduler>` when it listens.
 */
import { startLocalRuntime } from '../../local/runtime.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { FIXTURE_JOBS_DIR } from './harness.ts';

const [sqsPort, dataDir] = process.argv.slice(2);
const runtime = await startLocalRuntime({
  jobs: [echoJob],
  jobsDir: FIXTURE_JOBS_DIR,
  sqsPort: Number(sqsPort),
  eventsPort: 0,
  lambdaPort: 0,
  dashboardPort: 0,
  schedulerPort: 0,
  dataDir,
  log: () => {},
});
console.log(`ready ${runtime.sqsEndpoint} ${runtime.schedulerEndpoint}`);
process.on('SIGTERM', () => runtime.stop().then(() => process.exit(0)));
