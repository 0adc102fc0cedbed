import type { Command } from 'commander';
import { utcTime } from '../../core/time-text.ts';
import { openCli } from '../context.ts';
import { examples, table } from '../format.ts';

/** `bgjobs scheduled list|cancel`: a job's one-time runs (enqueue --at / --in past 15 minutes). */
export function registerScheduled(program: Command): void {
  const scheduled = program
    .command('scheduled')
    .summary("List or cancel a job's one-time runs")
    .description(
      'One-time runs: enqueue --at/--in past 15 minutes creates an EventBridge Scheduler schedule <job>--run-<id>',
    )
    .addHelpText(
      'after',
      examples(['bgjobs scheduled list digest', 'bgjobs scheduled cancel digest 0k3v9x2m1q8w7e5r']),
    );

  scheduled
    .command('list')
    .description("A job's pending one-time runs, soonest first")
    .argument('<job>', 'job name')
    .addHelpText(
      'after',
      examples(['bgjobs scheduled list digest', 'bgjobs scheduled list digest --json']),
    )
    .action(async (jobName: string, _flags: unknown, command: Command) => {
      const cli = await openCli(command);
      const job = cli.job(jobName);
      const runs = await cli.client().scheduled.list(job.name);
      cli.print(
        runs.map((run) => ({ ...run, runAt: run.runAt?.toISOString() ?? null })),
        () =>
          runs.length === 0
            ? `${job.name} has no pending one-time runs`
            : table(
                ['ID', 'RUNS AT', 'SCHEDULE'],
                runs.map((run) => [run.id, run.runAt ? utcTime(run.runAt) : '?', run.scheduleName]),
              ),
      );
    });

  scheduled
    .command('cancel')
    .description('Cancel a pending one-time run: its schedule is deleted and it never runs')
    .argument('<job>', 'job name')
    .argument('<id>', 'the run id enqueue printed (see bgjobs scheduled list)')
    .option('--dry-run', 'say what would be cancelled; change nothing')
    .addHelpText(
      'after',
      examples([
        'bgjobs scheduled cancel digest 0k3v9x2m1q8w7e5r',
        'bgjobs scheduled cancel digest 0k3v9x2m1q8w7e5r --dry-run',
      ]),
    )
    .action(async (jobName: string, id: string, flags: { dryRun?: boolean }, command: Command) => {
      const cli = await openCli(command);
      const plan = cli.plan.job(cli.job(jobName).name);
      const scheduleName = plan.oneTimeRunName(id);
      const group = plan.oneTimeRuns.groupName;
      if (!flags.dryRun) await cli.client().cancel(plan.name, id);
      cli.print(
        { job: plan.name, id, scheduleName, groupName: group, dryRun: flags.dryRun === true },
        () =>
          flags.dryRun
            ? `would delete schedule ${scheduleName} in group ${group} (dry run: nothing changed)`
            : `cancelled run ${id} of ${plan.name} (deleted schedule ${scheduleName})`,
      );
    });
}
