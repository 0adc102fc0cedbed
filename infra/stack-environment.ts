import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AwsEnvironment } from '../core/local-environment.ts';

/**
 * The partition, region and account of a construct's stack, for the ARNs of
 * `core/arns.ts`: literals where the stack's env gives them (the partition
 * too, by cdk.json's partition-literals flag), pseudo-parameter tokens elsewhere.
 */
export function stackEnvironment(scope: IConstruct): AwsEnvironment {
  const { partition, region, account } = Stack.of(scope);
  return { partition, region, account };
}

/**
 * The same as cdk-nag prints it in a finding's id (`AwsSolutions-IAM5[Resource::...]`):
 * each token as `<AWS::Partition>`, `<AWS::Region>` or `<AWS::AccountId>`.
 */
export function nagEnvironment(scope: IConstruct): AwsEnvironment {
  const env = stackEnvironment(scope);
  const shown = (value: string, pseudo: string) =>
    Token.isUnresolved(value) ? `<${pseudo}>` : value;
  return {
    partition: shown(env.partition, 'AWS::Partition'),
    region: shown(env.region, 'AWS::Region'),
    account: shown(env.account, 'AWS::AccountId'),
  };
}
