import type { Node } from 'constructs';
import { BgjobsError } from '../core/errors.ts';
import { DEFAULT_STACK_NAME } from '../core/naming.ts';
import type { RemovalPolicy } from '../core/plan.ts';
import type { AllowedReplacements } from '../core/queue-lock.ts';

/**
 * The context values the app reads (`cdk synth -c key=value`, or `context` in
 * cdk.json), each checked, with an error naming the key, the value and what
 * is allowed. `-c` gives strings; cdk.json may give booleans.
 */
export interface AppContext {
  /** `stackName`: the stack, and the prefix of every resource name. */
  readonly stackName: string;
  /** `alarmEmail`: one address subscribed to the alarm topic. */
  readonly alarmEmail: string | undefined;
  /** `queueRemoval`: `retain` (default) or `destroy`, for job queues. */
  readonly queueRemoval: RemovalPolicy;
  /** `allowQueueReplacement`: job names, comma-separated, or `all`. */
  readonly allowQueueReplacement: AllowedReplacements;
  /** `jobDashboards`: a dashboard per job besides the overview. */
  readonly jobDashboards: boolean;
  /** `queueLockFile`: the lock of queue names, relative to the project root. */
  readonly queueLockFile: string;
}

export const DEFAULT_QUEUE_LOCK_FILE = 'bgjobs.lock.json';

export function appContext(node: Node): AppContext {
  return {
    stackName: stringValue(node, 'stackName', 'a stack name') ?? DEFAULT_STACK_NAME,
    alarmEmail: alarmEmailFromContext(node),
    queueRemoval: removalValue(node),
    allowQueueReplacement: allowedValue(node),
    jobDashboards: booleanValue(node, 'jobDashboards'),
    queueLockFile: stringValue(node, 'queueLockFile', 'a file path') ?? DEFAULT_QUEUE_LOCK_FILE,
  };
}

/**
 * The context value `alarmEmail` (`cdk deploy -c alarmEmail=ops@example.com`),
 * or undefined when it is not set.
 */
export function alarmEmailFromContext(node: Node): string | undefined {
  return stringValue(node, 'alarmEmail', 'one e-mail address, such as ops@example.com');
}

function stringValue(node: Node, key: string, allowed: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw invalid(key, value, allowed);
  return value;
}

function booleanValue(node: Node, key: string): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw invalid(key, value, 'true or false');
}

function removalValue(node: Node): RemovalPolicy {
  const value = stringValue(node, 'queueRemoval', '"retain" or "destroy"');
  if (value === undefined || value === 'retain' || value === 'destroy') return value ?? 'retain';
  throw invalid('queueRemoval', value, '"retain" or "destroy"');
}

function allowedValue(node: Node): AllowedReplacements {
  const allowed = 'job names separated by commas, or "all"';
  const value = stringValue(node, 'allowQueueReplacement', allowed);
  if (value === undefined) return [];
  if (value === 'all') return 'all';
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw invalid('allowQueueReplacement', value, allowed);
  return names;
}

function invalid(key: string, value: unknown, allowed: string): BgjobsError {
  return new BgjobsError(`context ${key} is ${JSON.stringify(value)}; allowed: ${allowed}`);
}
