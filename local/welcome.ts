import { nextRunText } from '../client/next-run.ts';
import { zonedRunText } from '../client/schedule-status.ts';
import type { JobDefinition } from '../core/job.ts';
import type { LocalRuntime } from './runtime.ts';

/** What `npm start` prints once everything listens: endpoints, jobs, and commands to paste. */
export function welcomeText(
  runtime: LocalRuntime,
  jobs: readonly JobDefinition[],
  now: Date = new Date(),
): string {
  const lines = [
    'bgjobs local runtime',
    `  SQS endpoint          ${runtime.sqsEndpoint}${runtime.sqsEndpointPid ? `  (fauxqs, process ${runtime.sqsEndpointPid})` : ''}`,
    ...(runtime.dynamodbEndpoint
      ? [
          `  DynamoDB endpoint     ${runtime.dynamodbEndpoint}  (table ${runtime.plan.idempotencyTable?.name})`,
        ]
      : []),
    `  EventBridge endpoint  ${runtime.eventsEndpoint}  (bus ${runtime.busName})`,
    `  Lambda endpoint       ${runtime.lambdaEndpoint}  (event source mappings)`,
    `  Scheduler endpoint    ${runtime.schedulerEndpoint}  (group ${runtime.plan.scheduleGroupName})`,
    `  Dashboard             ${runtime.dashboardUrl}`,
    '',
    'jobs',
  ];
  for (const job of jobs) {
    const trigger =
      job.schedules.length > 0
        ? `schedule ${job.schedules.map((s) => (s.timeZone === 'UTC' ? s.expression : `${s.expression} ${s.timeZone}`)).join(', ')}, next ${nextOf(runtime, job.name, now)}${job.events ? ', and events' : ''}`
        : job.events
          ? `events ${JSON.stringify(job.events)}`
          : 'on demand';
    lines.push(`  ${job.name.padEnd(12)} ${runtime.queues.get(job.name)?.queue.url}  (${trigger})`);
    lines.push(...scheduleLines(runtime, job, now));
  }
  const onDemand = jobs.find((job) => job.schedules.length === 0 && !job.events) ?? jobs[0];
  const env = 'AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1';
  lines.push('', 'try', `  export ${env}`);
  if (onDemand) {
    lines.push(
      `  aws sqs send-message --endpoint-url ${runtime.sqsEndpoint} \\`,
      `    --queue-url ${runtime.queues.get(onDemand.name)?.queue.url} --message-body ${shellQuote(JSON.stringify(onDemand.example ?? {}))}`,
    );
  }
  const eventJob = jobs.find((job) => job.events);
  if (eventJob) {
    const entry = {
      EventBusName: runtime.busName,
      Source: firstString(eventJob.events?.source) ?? 'my.app',
      DetailType: firstString(eventJob.events?.['detail-type']) ?? 'SomethingHappened',
      Detail: JSON.stringify(eventJob.example ?? {}),
    };
    lines.push(
      `  aws events put-events --endpoint-url ${runtime.eventsEndpoint} \\`,
      `    --entries ${shellQuote(JSON.stringify([entry]))}`,
    );
  }
  lines.push('', 'One line per record follows; times are UTC. Ctrl-C stops (twice: at once).');
  return lines.join('\n');
}

/** The scheduler's own next fire time, as `bgjobs status` and the dashboard show it. */
function nextOf(runtime: LocalRuntime, job: string, now: Date): string {
  const at = runtime.nextScheduledRun(job);
  return at ? nextRunText({ kind: 'at', at }, now) : 'never';
}

/**
 * A line per schedule in a time zone (its next run there and in UTC), and the count of
 * one-time runs waiting, when there are any.
 */
function scheduleLines(runtime: LocalRuntime, job: JobDefinition, now: Date): string[] {
  const zoned = runtime
    .schedules(job.name)
    .filter((s) => s.timeZone !== 'UTC')
    .map(
      (s) =>
        `${' '.repeat(15)}${s.expression} ${s.timeZone}: next ${s.nextRun ? zonedRunText(s.nextRun, s.timeZone, now) : nextRunText({ kind: s.state === 'DISABLED' ? 'disabled' : 'never' })}`,
    );
  const pending = runtime.pendingRuns(job.name);
  const runs =
    pending > 0
      ? [
          `${' '.repeat(15)}${pending} one-time run${pending === 1 ? '' : 's'} pending (bgjobs --local scheduled list ${job.name})`,
        ]
      : [];
  return [...zoned, ...runs];
}

/** Single-quotes a word for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The first exact value of a pattern field, to build an example event that matches. */
function firstString(values: unknown): string | undefined {
  return Array.isArray(values) ? values.find((v): v is string => typeof v === 'string') : undefined;
}
