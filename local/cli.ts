/**
 * `npm start` (and `bgjobs dev`): every registered job on this machine, with
 * AWS's semantics. Ctrl-C stops receiving and waits a bounded time for batches
 * in flight; a second Ctrl-C exits at once (unfinished messages come back
 * through the visibility timeout, so nothing is lost).
 */
import { Command, InvalidArgumentError } from 'commander';
import { toError } from '../core/errors.ts';
import { LOCAL_DATA_DIR, LOCAL_PORTS } from '../core/local-environment.ts';
import { DEFAULT_STACK_NAME } from '../core/naming.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { welcomeText } from './welcome.ts';

interface StartOptions {
  sqsPort: number;
  dynamodbPort: number;
  eventsPort: number;
  lambdaPort: number;
  dashboardPort: number;
  schedulerPort: number;
  dataDir: string;
  fresh: boolean;
  inMemory: boolean;
  stackName: string;
  grace: number;
  jsonLogs: boolean;
}

function program(): Command {
  return new Command('bgjobs-local')
    .description(
      'Run every registered job locally: embedded SQS, schedules, event bus, one worker pool per job.',
    )
    .option('--sqs-port <port>', 'port of the embedded SQS endpoint', port, LOCAL_PORTS.sqs)
    .option('--events-port <port>', 'port of the EventBridge endpoint', port, LOCAL_PORTS.events)
    .option(
      '--dynamodb-port <port>',
      'port of the embedded DynamoDB endpoint (only when a job uses idempotency or unique enqueues)',
      port,
      LOCAL_PORTS.dynamodb,
    )
    .option(
      '--lambda-port <port>',
      'port of the Lambda endpoint (pause and resume)',
      port,
      LOCAL_PORTS.lambda,
    )
    .option(
      '--dashboard-port <port>',
      'port of the local dashboard (a web page)',
      port,
      LOCAL_PORTS.dashboard,
    )
    .option(
      '--scheduler-port <port>',
      'port of the EventBridge Scheduler endpoint (schedules, one-time runs)',
      port,
      LOCAL_PORTS.scheduler,
    )
    .option(
      '--data-dir <dir>',
      'where queued messages, schedules and idempotency keys are kept across restarts',
      LOCAL_DATA_DIR,
    )
    .option(
      '--fresh',
      'start with empty queues and table and no one-time runs (deletes the data folder first)',
      false,
    )
    .option(
      '--in-memory',
      'keep no queue, schedule or table state on disk (bundles are cached all the same)',
      false,
    )
    .option(
      '--stack-name <name>',
      'prefix of queue and rule names, as in the stack',
      DEFAULT_STACK_NAME,
    )
    .option('--grace <seconds>', 'how long Ctrl-C waits for batches in flight', seconds, 10)
    .option(
      '--json-logs',
      "print the jobs' log lines as the JSON CloudWatch gets (Powertools, EMF metrics) instead of one readable line each",
      false,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  npm start\n  npm start -- --fresh\n  npm start -- --json-logs\n  npm start -- --sqs-port 0 --events-port 0 --lambda-port 0 --dashboard-port 0 --scheduler-port 0 --dynamodb-port 0 --in-memory\n',
    );
}

/**
 * Parses `argv` (the arguments after the program name), starts the runtime and
 * runs until Ctrl-C; exits the process on a start error or when stopped.
 *
 * @example
 * await main(['--fresh']);
 */
export async function main(argv: readonly string[]): Promise<void> {
  // Lambda runs in UTC (TZ=:UTC). Worker threads share their process's time zone, so the process takes it.
  process.env.TZ = 'UTC';
  const options = program()
    .parse([...argv], { from: 'user' })
    .opts<StartOptions>();
  let runtime: LocalRuntime | undefined;
  let signals = 0;
  const onSignal = async () => {
    signals += 1;
    if (signals > 1 || !runtime) {
      console.log('\nexiting now; unfinished messages come back after their visibility timeout');
      process.exit(130);
    }
    console.log(
      `\nstopping: no new batches; waiting up to ${options.grace} s (Ctrl-C again to exit now)`,
    );
    try {
      await runtime.stop();
      process.exit(0);
    } catch (error) {
      console.error(`bgjobs: ${toError(error).message}`);
      process.exit(1);
    }
  };
  // Registered before anything starts, so that no Ctrl-C finds the default handler.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // Imported here so that an invalid job definition is reported like any other start error.
    const { jobs } = await import('../jobs/index.ts');
    runtime = await startLocalRuntime({
      jobs,
      sqsPort: options.sqsPort,
      dynamodbPort: options.dynamodbPort,
      eventsPort: options.eventsPort,
      lambdaPort: options.lambdaPort,
      dashboardPort: options.dashboardPort,
      schedulerPort: options.schedulerPort,
      dataDir: options.inMemory ? false : options.dataDir,
      fresh: options.fresh,
      stackName: options.stackName,
      shutdownGraceMs: options.grace * 1000,
      jsonLogs: options.jsonLogs,
    });
    runtime.events.once('fatal', ({ error }) => {
      console.error(`bgjobs: stopped: ${error.message}`);
      process.exit(1);
    });
    console.log(welcomeText(runtime, jobs));
  } catch (error) {
    console.error(`bgjobs: could not start: ${(error as Error).message}`);
    process.exit(1);
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new InvalidArgumentError(`"${value}" is not a port (0 to 65535; 0 picks a free one)`);
  }
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError(`"${value}" is not a number of seconds`);
  return n;
}
