import {
  EVENTBRIDGE_MAX_RULE_NAME_LENGTH,
  LAMBDA_MAX_FUNCTION_NAME_LENGTH,
  SQS_MAX_QUEUE_NAME_LENGTH,
} from './limits.ts';
import type { JobPlan } from './plan.ts';

/** EventBridge Scheduler schedule names: 1 to 64 characters. */
const SCHEDULER_MAX_NAME_LENGTH = 64;
/** The id a one-time run gets after the job's prefix (see client/scheduled-runs.ts). */
export const ONE_TIME_RUN_ID_LENGTH = 16;
/** CloudWatch alarm names take 255 characters. */
const ALARM_MAX_NAME_LENGTH = 255;

interface NamedResource {
  readonly job: string;
  /** Names must be unique within a namespace: SQS queues, Lambda functions, rules of one bus... */
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly maxLength: number;
}

/**
 * Every problem with the names a set of job plans would create: a name over
 * its service's limit (only names the job really creates are checked), and any
 * two jobs wanting the same name. Each problem names the job or jobs.
 */
export function nameProblems(stackName: string, plans: readonly JobPlan[]): string[] {
  const resources = plans.flatMap(resourcesOf);
  const problems: string[] = [];
  const seenJobs = new Set<string>();
  for (const plan of plans) {
    if (seenJobs.has(plan.name))
      problems.push(`two jobs are named "${plan.name}"; job names must be unique`);
    seenJobs.add(plan.name);
  }
  for (const r of resources) {
    if (r.name.length > r.maxLength) {
      problems.push(
        `job "${r.job}": its ${r.kind} name "${r.name}" has ${r.name.length} characters (at most ${r.maxLength}); use a shorter stack name ("${stackName}") or job name`,
      );
    }
  }
  const owners = new Map<string, NamedResource>();
  for (const r of resources) {
    const key = `${r.namespace}\0${r.name}`;
    const owner = owners.get(key);
    if (owner && owner.job !== r.job) {
      problems.push(
        `jobs "${owner.job}" and "${r.job}" both want the ${r.kind} name "${r.name}"; rename one of them`,
      );
    } else if (!owner) owners.set(key, r);
  }
  return problems;
}

function resourcesOf(plan: JobPlan): NamedResource[] {
  const job = plan.name;
  const queue = (kind: string, name: string): NamedResource => ({
    job,
    namespace: 'sqs',
    kind,
    name,
    maxLength: SQS_MAX_QUEUE_NAME_LENGTH,
  });
  return [
    queue('SQS queue', plan.queue.name),
    queue('SQS dead-letter queue', plan.deadLetterQueue.name),
    ...(plan.ruleDeadLetterQueue
      ? [queue('SQS rule dead-letter queue', plan.ruleDeadLetterQueue.name)]
      : []),
    {
      job,
      namespace: 'lambda',
      kind: 'Lambda function',
      name: plan.function.name,
      maxLength: LAMBDA_MAX_FUNCTION_NAME_LENGTH,
    },
    ...plan.schedules.map((schedule) => ({
      job,
      namespace: `schedules:${schedule.groupName}`,
      kind: 'EventBridge Scheduler schedule',
      name: schedule.name,
      maxLength: SCHEDULER_MAX_NAME_LENGTH,
    })),
    // Any job may get one-time runs (`enqueue` with `runAt`): their names must fit too.
    {
      job,
      namespace: 'one-time-runs',
      kind: 'one-time run schedule',
      name: plan.oneTimeRunName('x'.repeat(ONE_TIME_RUN_ID_LENGTH)),
      maxLength: SCHEDULER_MAX_NAME_LENGTH,
    },
    ...plan.rules.map((rule) => ({
      job,
      namespace: `rules:${rule.busName}`,
      kind: 'EventBridge rule',
      name: rule.name,
      maxLength: EVENTBRIDGE_MAX_RULE_NAME_LENGTH,
    })),
    ...plan.alarms.map((alarm) => ({
      job,
      namespace: 'alarms',
      kind: 'CloudWatch alarm',
      name: alarm.name,
      maxLength: ALARM_MAX_NAME_LENGTH,
    })),
  ];
}
