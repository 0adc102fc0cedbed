import type { Command } from 'commander';
import type { SelectionResult } from '../../client/index.ts';
import { type Cli, openCli } from '../context.ts';
import { EXIT } from '../errors.ts';
import { examples } from '../format.ts';
import { idList, positiveNumber } from '../input.ts';
import { progressBar } from '../progress.ts';

interface ChangeFlags {
  readonly ids?: string[];
  readonly rate?: number;
  readonly dryRun?: boolean;
}

export function registerRedrive(dlq: Command): void {
  dlq
    .command('redrive')
    .description("Move dead letters back to the job's queue (all, or --ids), at a bounded rate")
    .argument('<job>', 'job name')
    .option('--ids <a,b>', 'only these message ids (default: every dead letter)', idList)
    .option('--rate <n>', 'messages per second', positiveNumber, 50)
    .option('--dry-run', 'say what would be redriven; change nothing')
    .addHelpText(
      'after',
      examples([
        'bgjobs dlq redrive process --dry-run',
        'bgjobs dlq redrive process --ids 6f1c…,9a0b… --rate 10',
      ]),
    )
    .action(async (jobName: string, flags: ChangeFlags, command: Command) => {
      const cli = await openCli(command);
      const job = cli.job(jobName).name;
      const bar = progressBar(`redrive ${job}`, cli.options.json || flags.dryRun);
      const result = await cli
        .client()
        .deadLetters.redrive(job, {
          ids: flags.ids,
          ratePerSecond: flags.rate,
          dryRun: flags.dryRun,
          onProgress: (done, total) => bar.update(done, total),
        })
        .finally(() => bar.stop());
      report(cli, job, 'redrive', flags.dryRun === true, result);
    });
}

export function registerPurge(dlq: Command): void {
  dlq
    .command('purge')
    .description('Delete dead letters for good (all, or --ids)')
    .argument('<job>', 'job name')
    .option('--ids <a,b>', 'only these message ids (default: every dead letter)', idList)
    .option('--dry-run', 'say what would be deleted; change nothing')
    .addHelpText(
      'after',
      examples(['bgjobs dlq purge process --dry-run', 'bgjobs dlq purge process --ids 6f1c…']),
    )
    .action(async (jobName: string, flags: ChangeFlags, command: Command) => {
      const cli = await openCli(command);
      const job = cli.job(jobName).name;
      const result = await cli
        .client()
        .deadLetters.purge(job, { ids: flags.ids, dryRun: flags.dryRun });
      report(cli, job, 'purge', flags.dryRun === true, result);
    });
}

function report(
  cli: Cli,
  job: string,
  action: 'redrive' | 'purge',
  dryRun: boolean,
  result: SelectionResult,
): void {
  const { selected, notFound, failed } = result;
  const done = action === 'redrive' ? 'redrove' : 'purged';
  const count = `${selected.length} dead letter${selected.length === 1 ? '' : 's'}`;
  const target = action === 'redrive' ? ` to ${job}` : ` of ${job}`;
  cli.print({ job, action, dryRun, messageIds: selected, notFound, failed }, () =>
    dryRun
      ? `would ${action} ${count}${target}${selected.length > 0 ? `: ${selected.join(', ')}` : ''} (dry run: nothing changed)`
      : `${done} ${count}${target}`,
  );
  if (notFound.length > 0) cli.note(`not in the dead-letter queue: ${notFound.join(', ')}`);
  for (const f of failed) cli.note(`${f.messageId} failed: ${f.error}`);
  if (notFound.length > 0 || failed.length > 0) process.exitCode = EXIT.failed;
}
