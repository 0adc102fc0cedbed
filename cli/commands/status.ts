import { type Command, Option } from 'commander';
import { type JobStatus, type NextRun, nextRunText } from '../../client/index.ts';
import { type ScheduleStatus, zonedRunText } from '../../client/schedule-status.ts';
import { duration, utcTime } from '../../core/time-text.ts';
import { type Cli, openCli } from '../context.ts';
import { EXIT } from '../errors.ts';
import { examples, table } from '../format.ts';
import { positiveNumber } from '../input.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .summary('Queue depths, dead letters, oldest age, next run, paused')
    .description('Queue depths, dead letters, oldest message, next run and paused state per job')
    .argument('[job]', 'one job (default: every registered job)')
    .addOption(
      new Option('--watch [seconds]', 'redraw every n seconds until Ctrl-C')
        .preset('2')
        .argParser(positiveNumber),
    )
    .addHelpText(
      'after',
      examples(
        ['bgjobs status', 'bgjobs status process --json', 'bgjobs status --watch 5'],
        '\nOldest age comes from CloudWatch on AWS (a minute behind) and exactly from the local runtime.\nWith --json: an array of statuses (one line per redraw with --watch).\n',
      ),
    )
    .action(async (jobName: string | undefined, flags: { watch?: number }, command: Command) => {
      const cli = await openCli(command);
      const names = jobName ? [cli.job(jobName).name] : cli.jobs.map((job) => job.name);
      const read = () => Promise.all(names.map((name) => cli.client().status(name)));
      if (flags.watch === undefined) {
        const statuses = await read();
        cli.print(statuses.map(toJson), () => render(statuses));
        reportProblems(cli, statuses);
        return;
      }
      await watch(cli, read, flags.watch);
    });
}

async function watch(cli: Cli, read: () => Promise<JobStatus[]>, seconds: number): Promise<void> {
  let stopped = false;
  let wake = () => {};
  process.once('SIGINT', () => {
    stopped = true;
    wake();
  });
  while (!stopped) {
    const statuses = await read();
    if (cli.options.json) process.stdout.write(`${JSON.stringify(statuses.map(toJson))}\n`);
    else {
      const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '\n';
      const heading = `bgjobs status  stack ${cli.options.stack}  ${utcTime(new Date())}  every ${seconds} s, Ctrl-C stops`;
      process.stdout.write(`${clear}${heading}\n\n${render(statuses)}\n`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  process.exitCode = EXIT.ok;
}

function reportProblems(cli: Cli, statuses: readonly JobStatus[]): void {
  for (const status of statuses) {
    for (const problem of status.problems) cli.note(`${status.job}: could not read ${problem}`);
  }
  if (statuses.some((s) => s.problems.length > 0)) process.exitCode = EXIT.failed;
}

/** JSON with every field present: null where the source could not tell. */
export function toJson(status: JobStatus) {
  return {
    job: status.job,
    trigger: status.trigger,
    visible: status.visible,
    inFlight: status.inFlight,
    delayed: status.delayed,
    deadLetters: status.deadLetters,
    oldestAgeSeconds: status.oldestAgeSeconds ?? null,
    nextRun: status.nextRun?.kind === 'at' ? status.nextRun.at.toISOString() : null,
    ruleState: ruleState(status.nextRun),
    schedules: (status.schedules ?? []).map((s) => ({
      name: s.name,
      service: s.service,
      expression: s.expression,
      timeZone: s.timeZone,
      state: s.state,
      nextRun: s.nextRun.kind === 'at' ? s.nextRun.at.toISOString() : null,
      nextRunText: runText(s, new Date()),
    })),
    pendingRuns: status.pendingRuns ?? null,
    paused: status.paused ?? null,
    problems: status.problems,
  };
}

/** The schedule rule's state as DescribeRule said it; null without a schedule or when unread. */
function ruleState(next: NextRun | undefined): 'ENABLED' | 'DISABLED' | null {
  if (!next) return null;
  return next.kind === 'disabled' ? 'DISABLED' : 'ENABLED';
}

export function render(statuses: readonly JobStatus[], now: Date = new Date()): string {
  const jobs = table(
    [
      'JOB',
      'TRIGGER',
      'VISIBLE',
      'IN FLIGHT',
      'DELAYED',
      'DLQ',
      'OLDEST',
      'NEXT RUN',
      'PENDING',
      'PAUSED',
    ],
    statuses.map((s) => [
      s.job,
      s.trigger,
      String(s.visible),
      String(s.inFlight),
      String(s.delayed),
      String(s.deadLetters),
      oldest(s),
      s.scheduled && !s.nextRun ? '?' : soonestText(s, now),
      s.pendingRuns === undefined ? '?' : String(s.pendingRuns),
      s.paused === undefined ? '?' : s.paused ? 'yes' : 'no',
    ]),
  );
  const listed = statuses.flatMap((s) =>
    (s.schedules ?? []).map((schedule) => ({ job: s.job, schedule })),
  );
  // Each schedule on its own line once there is more to say than one UTC rule per job.
  const detailed = listed.some(
    ({ job, schedule }) =>
      schedule.timeZone !== 'UTC' || listed.filter((l) => l.job === job).length > 1,
  );
  if (!detailed) return jobs;
  const lines = table(
    ['JOB', 'SCHEDULE', 'EXPRESSION', 'NEXT RUN'],
    listed.map(({ job, schedule }) => [
      job,
      schedule.name,
      `${schedule.expression}${schedule.timeZone === 'UTC' ? '' : ` ${schedule.timeZone}`}`,
      runText(schedule, now),
    ]),
  );
  return `${jobs}\n\n${lines}`;
}

/** A schedule's next run in its own zone and in UTC. */
function runText(schedule: ScheduleStatus, now: Date): string {
  const next = schedule.nextRun;
  return next.kind === 'at'
    ? zonedRunText(next.at, schedule.timeZone, now)
    : nextRunText(next, now);
}

/** The soonest run, written in the zone of the schedule it belongs to. */
function soonestText(status: JobStatus, now: Date): string {
  const next = status.nextRun;
  const owner =
    next?.kind === 'at'
      ? status.schedules?.find(
          (s) => s.nextRun.kind === 'at' && s.nextRun.at.getTime() === next.at.getTime(),
        )
      : undefined;
  return owner ? runText(owner, now) : nextRunText(next, now);
}

function oldest(s: JobStatus): string {
  if (s.oldestAgeSeconds === undefined) return '?';
  return s.visible + s.inFlight + s.delayed === 0 ? '-' : duration(s.oldestAgeSeconds);
}
