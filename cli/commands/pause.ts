import type { Command } from 'commander';
import type { JobDefinition } from '../../core/index.ts';
import { type Cli, openCli } from '../context.ts';
import { examples } from '../format.ts';

export function registerPause(program: Command): void {
  for (const action of ['pause', 'resume'] as const) {
    const done = action === 'pause' ? 'paused' : 'resumed';
    program
      .command(action)
      .summary(
        action === 'pause'
          ? 'Stop a job; its messages wait in the queue'
          : 'Start a paused job again',
      )
      .description(
        action === 'pause'
          ? 'Stop a job: its rules and Scheduler schedules stop sending and its event source mapping stops receiving; messages wait in the queue'
          : 'Start a paused job again: its rules and Scheduler schedules send and its event source mapping receives',
      )
      .argument('<job>', 'job name')
      .option('--dry-run', `say what ${action} would change; change nothing`)
      .addHelpText(
        'after',
        examples([`bgjobs ${action} process`, `bgjobs ${action} statistics --dry-run`]),
      )
      .action(async (jobName: string, flags: { dryRun?: boolean }, command: Command) => {
        const cli = await openCli(command);
        const job = cli.job(jobName);
        // Unreadable (e.g. no permission to list event source mappings): said as an unknown state.
        const paused = await cli
          .client()
          .isPaused(job.name)
          .catch(() => undefined);
        const targets = resourcesOf(cli, job);
        if (!flags.dryRun) await cli.client()[action](job.name);
        const state = paused === undefined ? 'in an unknown state' : paused ? 'paused' : 'running';
        const would = action === 'pause' ? 'disable' : 'enable';
        cli.print(
          {
            job: job.name,
            action,
            dryRun: flags.dryRun === true,
            pausedBefore: paused ?? null,
            ...targets,
          },
          () =>
            flags.dryRun
              ? `${job.name} is ${state}; ${action} would ${would} ${describe(targets)} (dry run: nothing changed)`
              : `${done} ${job.name}: ${would}d ${describe(targets)}`,
        );
      });
  }
}

/** What pause and resume switch: the event source mapping of the job's function, and its rules. */
function resourcesOf(cli: Cli, job: JobDefinition) {
  const plan = cli.plan.job(job.name);
  return {
    functionName: plan.function.name,
    rules: plan.rules.map((rule) => ({ name: rule.name, bus: rule.busName })),
    schedules: plan.schedules.map((s) => ({ name: s.name, group: s.groupName })),
  };
}

function describe(targets: ReturnType<typeof resourcesOf>): string {
  const rules = targets.rules.map((r) => `rule ${r.name} (bus ${r.bus})`);
  const schedules = targets.schedules.map((s) => `schedule ${s.name} (group ${s.group})`);
  return [`the event source mapping of ${targets.functionName}`, ...rules, ...schedules].join(
    ' and ',
  );
}
