import type { AwsEnvironment } from './local-environment.ts';

/**
 * ARNs built from names, as AWS builds them. Stacks refer to each other's
 * resources this way (by deterministic name, never by export), and the local
 * runtime answers with the same ARNs in its own account and region.
 */
export const arns = {
  queue: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:sqs:${env.region}:${env.account}:${name}`,
  function: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:lambda:${env.region}:${env.account}:function:${name}`,
  eventBus: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:events:${env.region}:${env.account}:event-bus/${name}`,
  /** A rule on the default bus has no bus in its ARN. */
  rule: (env: AwsEnvironment, busName: string, name: string) =>
    `arn:${env.partition}:events:${env.region}:${env.account}:rule/${busName === DEFAULT_EVENT_BUS ? '' : `${busName}/`}${name}`,
  table: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:dynamodb:${env.region}:${env.account}:table/${name}`,
  topic: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:sns:${env.region}:${env.account}:${name}`,
  /** An EventBridge Scheduler schedule: its group is part of its ARN. */
  schedule: (env: AwsEnvironment, groupName: string, name: string) =>
    `arn:${env.partition}:scheduler:${env.region}:${env.account}:schedule/${groupName}/${name}`,
  scheduleGroup: (env: AwsEnvironment, name: string) =>
    `arn:${env.partition}:scheduler:${env.region}:${env.account}:schedule-group/${name}`,
  /** IAM is global: no region in a role's ARN. */
  role: (env: Omit<AwsEnvironment, 'region'>, name: string) =>
    `arn:${env.partition}:iam::${env.account}:role/${name}`,
} as const;

/** EventBridge's bus for schedule rules and AWS service events. */
export const DEFAULT_EVENT_BUS = 'default';
