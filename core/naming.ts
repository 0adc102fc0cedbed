/**
 * Physical names. Every name bgjobs gives an AWS resource is `<stack>--<job>`
 * or `<stack>--<job>--<what>`: stack and job names may hold single hyphens
 * only, so the double hyphen cannot occur inside either part, and no pair of
 * stack and job names (nor any job name with a suffix of ours) can spell
 * another's name. `core/plan.ts` is the only caller outside tests.
 */

/** Lowercase letters, digits and single hyphens; starts with a letter. */
export const JOB_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
export const JOB_NAME_MAX_LENGTH = 40;
export const JOB_NAME_RULE = `lowercase letters, digits and single hyphens, starting with a letter, at most ${JOB_NAME_MAX_LENGTH} characters`;

/** Letters, digits and single hyphens, starting with a letter (CloudFormation allows a subset of this). */
export const STACK_NAME_PATTERN = /^[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9]))*$/;
export const STACK_NAME_MAX_LENGTH = 40;
export const STACK_NAME_RULE = `letters, digits and single hyphens, starting with a letter, at most ${STACK_NAME_MAX_LENGTH} characters`;

/** The stack name when none is given: the prefix of every resource name. */
export const DEFAULT_STACK_NAME = 'bgjobs';

/** Between the stack and the job, and before a suffix: a sequence neither name can contain. */
export const NAME_SEPARATOR = '--';

/** Returns what is wrong with a job name, or undefined when it is valid. */
export function jobNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `name must be a string; got ${typeof name}`;
  if (name.length > JOB_NAME_MAX_LENGTH || !JOB_NAME_PATTERN.test(name)) {
    return `name is ${JSON.stringify(name)}; allowed: ${JOB_NAME_RULE}`;
  }
  return undefined;
}

/** Returns what is wrong with a stack name, or undefined when it is valid. */
export function stackNameProblem(name: unknown): string | undefined {
  if (
    typeof name !== 'string' ||
    name.length > STACK_NAME_MAX_LENGTH ||
    !STACK_NAME_PATTERN.test(name)
  ) {
    return `stack name is ${JSON.stringify(name)}; allowed: ${STACK_NAME_RULE}`;
  }
  return undefined;
}

/** `<stack>--<job>`, `<stack>--<job>--<suffix>`, or `<stack>--<suffix>` for a shared resource. */
export function physicalName(stackName: string, ...parts: readonly string[]): string {
  return [stackName, ...parts].join(NAME_SEPARATOR);
}

/** The suffixes bgjobs appends after the job name; a job name can never end in one (it has no `--`). */
export const NAME_SUFFIXES = {
  deadLetterQueue: 'dlq',
  ruleDeadLetterQueue: 'rule-dlq',
  scheduleRule: 'schedule',
  eventRule: 'events',
  eventBus: 'bus',
  alarmTopic: 'alarms',
  scheduleGroup: 'schedules',
  schedulerRole: 'scheduler',
  idempotencyTable: 'idempotency',
  uniqueEnqueueKeys: 'unique',
} as const;
