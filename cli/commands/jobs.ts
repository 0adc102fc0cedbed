import type { Command } from 'commander';
import { triggerOf } from '../../client/status.ts';
import type { JobPlan } from '../../core/index.ts';
import { openCli } from '../context.ts';
import { examples, table } from '../format.ts';

export function registerJobs(program: Command): void {
  program
    .command('jobs')
    .summary('List the registered jobs')
    .description('List the registered jobs (jobs/index.ts): trigger, queues and settings')
    .addHelpText('after', examples(['bgjobs jobs', 'bgjobs jobs --json | jq ".[].name"']))
    .action(async (_options, command: Command) => {
      const cli = await openCli(command);
      const described = cli.plan.jobs.map((job) => describeJob(job));
      cli.print(described, () =>
        table(
          ['JOB', 'TRIGGER', 'QUEUE', 'TIMEOUT', 'BATCH', 'CONCURRENCY', 'RECEIVES', 'BACKOFF'],
          cli.jobs.map((job, i) => {
            const { timeoutSeconds, batchSize, maxConcurrency, maxReceiveCount, backoff } =
              job.settings;
            return [
              job.name,
              described[i]?.trigger ?? '',
              described[i]?.queue ?? '',
              `${timeoutSeconds} s`,
              String(batchSize),
              String(maxConcurrency),
              String(maxReceiveCount),
              `${backoff.baseSeconds}..${backoff.capSeconds} s ${backoff.jitter}`,
            ];
          }),
        ),
      );
    });
}

/** A job as `bgjobs jobs --json` shows it: everything derives from its definition. */
export function describeJob(plan: JobPlan) {
  const job = plan.definition;
  return {
    name: job.name,
    trigger: triggerOf(job),
    schedules: job.schedules.map((s) => ({ expression: s.expression, timeZone: s.timeZone })),
    events: job.events ?? null,
    queue: plan.queue.name,
    deadLetterQueue: plan.deadLetterQueue.name,
    function: plan.function.name,
    settings: job.settings,
  };
}
