import { BgjobsError } from './errors.ts';
import {
  EVENTBRIDGE_MAX_RULE_NAME_LENGTH,
  LAMBDA_MAX_FUNCTION_NAME_LENGTH,
  SQS_MAX_QUEUE_NAME_LENGTH,
} from './limits.ts';

/** Lowercase letters, digits and single hyphens; starts with a letter. Fits SQS, Lambda, EventBridge and CloudFormation names. */
export const JOB_NAME_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
export const JOB_NAME_MAX_LENGTH = 40;
export const JOB_NAME_RULE = `lowercase letters, digits and single hyphens, starting with a letter, at most ${JOB_NAME_MAX_LENGTH} characters`;

/** The stack name when none is given: the prefix of every resource name. */
export const DEFAULT_STACK_NAME = 'bgjobs';

/** CloudFormation stack names: letters, digits and hyphens, starting with a letter. */
const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Returns what is wrong with a job name, or undefined when it is valid. */
export function jobNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `name must be a string; got ${typeof name}`;
  if (name.length > JOB_NAME_MAX_LENGTH || !JOB_NAME_PATTERN.test(name)) {
    return `name is ${JSON.stringify(name)}; allowed: ${JOB_NAME_RULE}`;
  }
  return undefined;
}

/** The deterministic names of a job's AWS resources: a client finds them from the stack name and job name alone. */
export interface JobResourceNames {
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** Where EventBridge puts events it could not deliver to the job's queue (always a standard queue). */
  readonly ruleDeadLetterQueueName: string;
  readonly functionName: string;
  readonly scheduleRuleName: string;
  readonly eventRuleName: string;
}

export function jobResourceNames(
  stackName: string,
  jobName: string,
  fifo: boolean,
): JobResourceNames {
  const base = `${stackName}-${jobName}`;
  const suffix = fifo ? '.fifo' : '';
  const names: JobResourceNames = {
    queueName: `${base}${suffix}`,
    deadLetterQueueName: `${base}-dlq${suffix}`,
    ruleDeadLetterQueueName: `${base}-rule-dlq`,
    functionName: base,
    scheduleRuleName: `${base}-schedule`,
    eventRuleName: `${base}-events`,
  };
  const problems = [
    ...lengthProblems(
      [names.queueName, names.deadLetterQueueName, names.ruleDeadLetterQueueName],
      SQS_MAX_QUEUE_NAME_LENGTH,
      'SQS queue',
    ),
    ...lengthProblems([names.functionName], LAMBDA_MAX_FUNCTION_NAME_LENGTH, 'Lambda function'),
    ...lengthProblems(
      [names.scheduleRuleName, names.eventRuleName],
      EVENTBRIDGE_MAX_RULE_NAME_LENGTH,
      'EventBridge rule',
    ),
  ];
  if (problems.length > 0) {
    throw new BgjobsError(
      `Stack "${stackName}" and job "${jobName}" make names that are too long: ${problems.join('; ')}. Use a shorter stack or job name.`,
    );
  }
  return names;
}

export function eventBusName(stackName: string): string {
  return `${stackName}-bus`;
}

/** Throws when a stack name cannot be used as a prefix of the job resource names. */
export function assertValidStackName(stackName: string): void {
  if (!STACK_NAME_PATTERN.test(stackName) || stackName.length > 40) {
    throw new BgjobsError(
      `stack name is ${JSON.stringify(stackName)}; allowed: letters, digits and hyphens, starting with a letter, at most 40 characters`,
    );
  }
}

function lengthProblems(names: string[], max: number, kind: string): string[] {
  return names
    .filter((name) => name.length > max)
    .map((name) => `${kind} name "${name}" has ${name.length} characters (at most ${max})`);
}
