import type { Command } from 'commander';
import { matchesEventPattern } from '../../core/index.ts';
import { openCli } from '../context.ts';
import { examples } from '../format.ts';
import { readJson } from '../input.ts';

interface EmitFlags {
  readonly source: string;
  readonly bus?: string;
  readonly dryRun?: boolean;
}

export function registerEmit(program: Command): void {
  program
    .command('emit')
    .summary("Put an event on the stack's bus")
    .description("Put an event on the stack's bus; jobs whose event pattern matches receive it")
    .argument('<detail-type>', 'the event’s detail-type')
    .argument('[detail]', 'JSON detail, or - to read it from stdin', '{}')
    .option('--source <source>', 'the event’s source', 'bgjobs.app')
    .option('--bus <name>', 'event bus (default: <stack>-bus)')
    .option('--dry-run', 'show the event and the jobs it would reach; send nothing')
    .addHelpText(
      'after',
      examples([
        'bgjobs emit ReportRequested \'{"reportId":"r-1","period":"week"}\' --source bgjobs.example',
        'cat detail.json | bgjobs emit OrderPlaced - --source shop',
        'bgjobs emit ReportRequested \'{"reportId":"r-1","period":"day"}\' --source bgjobs.example --dry-run',
      ]),
    )
    .action(async (detailType: string, detailArg: string, flags: EmitFlags, command: Command) => {
      const cli = await openCli(command);
      const detail = await readJson(detailArg, 'detail');
      const bus = flags.bus ?? cli.plan.eventBusName;
      const event = { source: flags.source, 'detail-type': detailType, detail };
      const jobs = cli.jobs
        .filter((job) => job.events && matchesEventPattern(job.events, event))
        .map((job) => job.name);
      const eventId = flags.dryRun
        ? null
        : (await cli.client().emit(detailType, detail, { source: flags.source, eventBusName: bus }))
            .eventId;
      const reaching = jobs.length > 0 ? ` (for ${jobs.join(', ')})` : '';
      cli.print(
        { eventId, detailType, source: flags.source, bus, jobs, dryRun: flags.dryRun === true },
        () =>
          flags.dryRun
            ? `would put ${JSON.stringify(event)} on ${bus}${reaching} (dry run: nothing sent)`
            : `put event ${eventId} on ${bus}${reaching}`,
      );
      // Rules on another bus are not the registry's: only the stack's bus is checked.
      if (jobs.length === 0 && !flags.bus) {
        cli.note(
          `note: no registered job's event pattern matches source "${flags.source}", detail-type "${detailType}"`,
        );
      }
    });
}
