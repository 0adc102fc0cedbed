/**
 * The local runtime as a separate process, for tests that kill it:
 * `node --import tsx runtime-process.ts <sqsPort> <dataDir> [job]`; prints
 * `ready <sqs> <scheduler>` when it listens, and `duplicate <messageId>` for
 * each record an idempotent job acknowledged without running it.
 */
import type { JobDefinition } from '../../core/job.ts';
import { startLocalRuntime } from '../../local/runtime.ts';
import { echoJob } from '../local/fixtures/jobs/echo.ts';
import { tallyJob } from '../local/fixtures/jobs/tally.ts';
import { FIXTURE_JOBS_DIR } from './harness.ts';

const JOBS: Record<string, JobDefinition> = { echo: echoJob, tally: tallyJob };

const [sqsPort, dataDir, jobName = 'echo'] = process.argv.slice(2);
const job = JOBS[jobName];
if (!job) throw new Error(`runtime-process: no fixture job "${jobName}"`);
const runtime = await startLocalRuntime({
  jobs: [job],
  jobsDir: FIXTURE_JOBS_DIR,
  sqsPort: Number(sqsPort),
  dynamodbPort: 0,
  eventsPort: 0,
  lambdaPort: 0,
  dashboardPort: 0,
  schedulerPort: 0,
  dataDir,
  log: () => {},
});
runtime.events.on('outcome', ({ messageId, outcome }) => {
  if (outcome.status === 'duplicate') console.log(`duplicate ${messageId}`);
});
console.log(`ready ${runtime.sqsEndpoint} ${runtime.schedulerEndpoint}`);
process.on('SIGTERM', () => runtime.stop().then(() => process.exit(0)));
