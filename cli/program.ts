import { Command, Option } from 'commander';
import { DEFAULT_STACK_NAME } from '../core/naming.ts';
import { registerDev } from './commands/dev.ts';
import { registerDeadLetters } from './commands/dlq.ts';
import { registerEmit } from './commands/emit.ts';
import { registerEnqueue } from './commands/enqueue.ts';
import { registerFlood } from './commands/flood.ts';
import { registerJobs } from './commands/jobs.ts';
import { registerPause } from './commands/pause.ts';
import { registerRun } from './commands/run.ts';
import { registerScheduled } from './commands/scheduled.ts';
import { registerStatus } from './commands/status.ts';
import { EXIT_CODES_HELP } from './errors.ts';
import { examples } from './format.ts';

/** The `bgjobs` program: global options, every command, help with examples and exit codes. */
export function createProgram(): Command {
  const program = new Command('bgjobs')
    .description('Background jobs on AWS: enqueue, watch, pause, redrive and try them.')
    .addOption(
      new Option('--stack <name>', 'stack name: prefix of queue, function and rule names')
        .env('BGJOBS_STACK')
        .default(DEFAULT_STACK_NAME),
    )
    .option(
      '--local',
      'use the local runtime (bgjobs dev): 127.0.0.1:9324/9325/9326/9328 and dummy credentials, unless AWS_ENDPOINT_URL_SQS/_EVENTBRIDGE/_LAMBDA/_SCHEDULER say otherwise',
    )
    .option('--json', 'machine-readable output on stdout')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile’s)')
    .option('--profile <name>', 'AWS profile (default: AWS_PROFILE or "default")')
    .option('--debug', 'print stack traces with errors')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`bgjobs: ${text.replace(/^error: /, '')}`),
    })
    .addHelpText(
      'after',
      examples(
        [
          'bgjobs --local jobs',
          'bgjobs --local enqueue process \'{"samples":1000}\'',
          'bgjobs --stack prod --region eu-west-1 status --watch',
          'bgjobs dlq redrive process --dry-run',
        ],
        EXIT_CODES_HELP,
      ),
    );

  registerJobs(program);
  registerDev(program);
  registerEnqueue(program);
  registerEmit(program);
  registerStatus(program);
  registerDeadLetters(program);
  registerScheduled(program);
  registerPause(program);
  registerRun(program);
  registerFlood(program);

  return program;
}
