import type { Command } from 'commander';
import { openCli } from '../context.ts';
import { UsageError } from '../errors.ts';
import { examples } from '../format.ts';
import { readJson } from '../input.ts';

interface EmitFlags {
  readonly source: string;
  readonly bus?: string;
  readonly validate: boolean;
  readonly dryRun?: boolean;
}

export function registerEmit(program: Command): void {
  program
    .command('emit')
    .summary("Put an event on the stack's bus")
    .description(
      "Put an event on the stack's bus; jobs whose event pattern matches receive it. The detail is checked first: EventBridge's rules, and the schema of every job whose pattern matches.",
    )
    .argument('<detail-type>', 'the event’s detail-type')
    .argument('[detail]', 'JSON object, or - to read it from stdin (default: {})')
    .option('--source <source>', 'the event’s source', 'bgjobs.app')
    .option('--bus <name>', 'event bus (default: <stack>-bus)')
    .option(
      '--no-validate',
      'send even if the detail fails the schema of a job whose pattern matches',
    )
    .option('--dry-run', 'check the event, show it and the jobs it would reach; send nothing')
    .addHelpText(
      'after',
      examples([
        'bgjobs emit ReportRequested \'{"reportId":"r-1","period":"week"}\' --source bgjobs.example',
        'cat detail.json | bgjobs emit OrderPlaced - --source shop',
        'bgjobs emit ReportRequested \'{"reportId":"r-1","period":"day"}\' --source bgjobs.example --dry-run',
        'bgjobs emit ReportRequested \'{"reportId":"r-1"}\' --source bgjobs.example   # exit 2: period is required',
      ]),
    )
    .action(
      async (
        detailType: string,
        detailArg: string | undefined,
        flags: EmitFlags,
        command: Command,
      ) => {
        if (detailArg === undefined) refuseJsonDetailType(detailType);
        const cli = await openCli(command);
        const detail = await readJson(detailArg, 'detail');
        const bus = flags.bus ?? cli.plan.eventBusName;
        const options = { source: flags.source, eventBusName: bus, validate: flags.validate };
        const client = cli.client();
        const { eventId, jobs } = flags.dryRun
          ? { eventId: null, jobs: client.checkEvent(detailType, detail, options).jobs }
          : await client.emit(detailType, detail, options);
        const event = { source: flags.source, 'detail-type': detailType, detail };
        const reaching = jobs && jobs.length > 0 ? ` (for ${jobs.join(', ')})` : '';
        cli.print(
          {
            eventId,
            detailType,
            source: flags.source,
            bus,
            jobs: jobs ?? null,
            dryRun: flags.dryRun === true,
          },
          () =>
            flags.dryRun
              ? `would put ${JSON.stringify(event)} on ${bus}${reaching} (dry run: nothing sent)`
              : `put event ${eventId} on ${bus}${reaching}`,
        );
        // EventBridge took it (exit 0), but no rule of a registered job will deliver it. On another
        // bus the rules are not the registry's, so nothing is said.
        if (jobs?.length === 0) {
          cli.note(
            `note: no registered job's event pattern matches source "${flags.source}", detail-type "${detailType}": ${flags.dryRun ? 'EventBridge would take the event and deliver it to no job' : 'EventBridge took the event and delivers it to no job'}`,
          );
        }
      },
    );
}

/** `bgjobs emit '{"a":1}'`: the detail given where the detail-type goes. */
function refuseJsonDetailType(detailType: string): void {
  if (!/^\s*[[{]/.test(detailType)) return;
  try {
    JSON.parse(detailType);
  } catch {
    return;
  }
  throw new UsageError(
    `the detail-type is ${JSON.stringify(detailType)}, which is JSON: give the detail-type first, then the detail, a JSON object (bgjobs emit <detail-type> [detail])`,
  );
}
