import type { Command } from 'commander';
import type { EnqueueResult, ScheduledReceipt } from '../../client/index.ts';
import { utcTime } from '../../core/time-text.ts';
import { type Cli, openCli } from '../context.ts';
import { checkMessage, type MessageOptions } from '../dry-run.ts';
import { EXIT, UsageError } from '../errors.ts';
import { examples } from '../format.ts';
import { delayArgument, instant, integer, positiveInteger, readJson } from '../input.ts';
import { progressBar } from '../progress.ts';

interface EnqueueFlags {
  readonly delay?: number;
  readonly at?: Date;
  readonly in?: number | string;
  readonly group?: string;
  readonly dedup?: string;
  readonly count: number;
  readonly dryRun?: boolean;
}

export function registerEnqueue(program: Command): void {
  program
    .command('enqueue')
    .summary('Send a job a message (or --count copies)')
    .description('Send a job a message; the payload is checked against the job first')
    .argument('<job>', 'job name (see bgjobs jobs)')
    .argument('[payload]', 'JSON payload, or - to read it from stdin', '{}')
    .option(
      '--delay <seconds>',
      'seconds before it can be received: 0 to 900 (standard queues)',
      integer,
    )
    .option(
      '--at <time>',
      'run at this instant (ISO 8601 with Z or an offset); past 15 minutes: a one-time schedule',
      instant,
    )
    .option(
      '--in <duration>',
      'run after this long: seconds, or 90s, 15m, 3d; past 15 minutes: a one-time schedule',
      delayArgument,
    )
    .option('--group <id>', 'message group id (FIFO jobs; default: from the payload or the job)')
    .option('--dedup <id>', 'deduplication id (FIFO jobs)')
    .option(
      '--count <n>',
      'send n copies, in batches of 10, with a progress bar',
      positiveInteger,
      1,
    )
    .option('--dry-run', 'check the message as enqueue would and show it; send nothing')
    .addHelpText(
      'after',
      examples([
        'bgjobs enqueue process \'{"samples":1000}\'',
        'echo \'{"samples":5}\' | bgjobs enqueue process -',
        'bgjobs enqueue process \'{"waitMs":500}\' --count 200',
        "bgjobs enqueue process '{}' --delay 60",
        "bgjobs enqueue process '{}' --at 2027-01-04T09:00+01:00",
        "bgjobs enqueue process '{}' --in 3d --dry-run",
        'bgjobs enqueue process \'{"samples":0}\' --dry-run   # exit 2: samples must be >= 1',
      ]),
    )
    .action(async (jobName: string, payloadArg: string, flags: EnqueueFlags, command: Command) => {
      const cli = await openCli(command);
      const payload = await readJson(payloadArg, 'payload');
      const options: MessageOptions = {
        delaySeconds: flags.delay,
        runAt: flags.at,
        delay: flags.in,
        groupId: flags.group,
        deduplicationId: flags.dedup,
      };
      if (flags.count > 1 && (flags.at || flags.in !== undefined)) {
        throw new UsageError(
          '--count sends copies now; with --at or --in, enqueue one run at a time (each later run is a schedule of its own)',
        );
      }
      if (flags.dryRun) {
        const checked = await checkMessage(cli, jobName, payload, options);
        if (checked.action === 'schedule') {
          cli.print(
            { job: jobName, dryRun: true, schedule: checked.schedule },
            () =>
              `would create a one-time run of ${jobName}: ${JSON.stringify(checked.schedule)} (dry run: nothing scheduled)`,
          );
          return;
        }
        const message = checked.message;
        cli.print(
          { job: jobName, dryRun: true, requested: flags.count, sent: 0, message },
          () =>
            `would send ${flags.count} message${flags.count === 1 ? '' : 's'} to ${jobName}: ${JSON.stringify(message)} (dry run: nothing sent)`,
        );
        return;
      }
      // The first copy goes alone: a bad payload or option fails here, before anything is sent.
      const first = await cli.client().enqueue(jobName, payload, options);
      if (first.kind === 'scheduled') {
        reportScheduled(cli, jobName, first);
        return;
      }
      const results: EnqueueResult[] = [{ index: 0, ok: true, messageId: first.messageId }];
      if (flags.count > 1)
        results.push(...(await sendCopies(cli, jobName, payload, options, flags.count)));
      report(cli, jobName, results);
    });
}

async function sendCopies(
  cli: Cli,
  jobName: string,
  payload: unknown,
  options: MessageOptions,
  count: number,
): Promise<EnqueueResult[]> {
  const bar = progressBar(`enqueue ${jobName}`, cli.options.json);
  bar.update(1, count);
  try {
    // A batch refused for backlog comes back as error results, like any entry not sent.
    const results = await cli.client().enqueueMany(jobName, Array(count - 1).fill(payload), {
      ...options,
      onProgress: (done) => bar.update(1 + done, count),
    });
    return results.map((result) => ({ ...result, index: result.index + 1 }));
  } finally {
    bar.stop();
  }
}

function reportScheduled(cli: Cli, jobName: string, run: ScheduledReceipt): void {
  cli.print(
    {
      job: jobName,
      scheduled: true,
      id: run.id,
      runAt: run.runAt.toISOString(),
      scheduleName: run.scheduleName,
    },
    () =>
      `scheduled run ${run.id} of ${jobName} for ${utcTime(run.runAt)} (schedule ${run.scheduleName}); cancel it with: bgjobs scheduled cancel ${jobName} ${run.id}`,
  );
}

function report(cli: Cli, jobName: string, results: readonly EnqueueResult[]): void {
  const messageIds = results.flatMap((r) => (r.ok ? [r.messageId] : []));
  const errors = results.flatMap((r) => (r.ok ? [] : [{ index: r.index, error: r.error }]));
  cli.print(
    { job: jobName, requested: results.length, sent: messageIds.length, messageIds, errors },
    () =>
      results.length === 1
        ? `sent message ${messageIds[0]} to ${jobName}`
        : `sent ${messageIds.length} of ${results.length} messages to ${jobName}`,
  );
  const byError = new Map<string, number>();
  for (const { error } of errors) byError.set(error, (byError.get(error) ?? 0) + 1);
  for (const [error, count] of byError) cli.note(`${count} not sent: ${error}`);
  if (errors.length > 0) process.exitCode = EXIT.failed;
}
